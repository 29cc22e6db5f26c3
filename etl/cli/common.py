"""What every command needs: the warehouse and configuration named by the environment."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date

from etl.core.config import get_config
from etl.core.normalise import CellError, parse_month
from etl.core.settings import Settings, get_settings
from etl.warehouse import db


def context(args) -> tuple[Settings, object, object]:
    settings = get_settings()
    if args.db:
        settings = replace(settings, database_url=args.db)
    config = get_config(settings.config_path)
    engine = db.get_engine(settings.database_url)
    db.prepare(engine, config)
    return settings, config, engine


def month_arg(value: str) -> date:
    try:
        return parse_month(value)
    except CellError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
