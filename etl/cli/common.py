"""What every command needs: the warehouse and configuration named by the environment."""

from __future__ import annotations

import argparse
from datetime import date

from etl.core.normalise import CellError, parse_month
from etl.core.settings import Settings
from etl.warehouse import db


def context(args) -> tuple[Settings, object, object]:
    """Settings, configuration and the prepared warehouse of a command (``--db`` overrides)."""
    return db.open_configured(args.db)


def print_outcome(result, status_text: str, warnings=()) -> None:
    """One uploaded file's outcome: a line with its status, warnings, errors and notices."""
    print(f"{result.file}: {status_text}")
    for line in warnings:
        print(f"  {line}")
    for issue in result.errors:
        print(f"  Fehler  {issue}")
    for issue in result.notices:
        print(f"  Hinweis {issue}")


def month_arg(value: str) -> date:
    try:
        return parse_month(value)
    except CellError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
