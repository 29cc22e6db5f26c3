"""Command line: ``python -m etl COMMAND``, one module per command group.

The top of the etl graph: each group module parses its arguments and calls down into the
layers; nothing imports it but ``etl.__main__``.
"""

from __future__ import annotations

import argparse
import sys

from etl.cli import config, documents, export, intake, notify, ops, plan, users
from etl.core.config import ConfigError

GROUPS = (intake, documents, export, users, plan, ops, config, notify)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="Fördercockpit: warehouse, uploads and documents."
    )
    parser.add_argument("--db", help="database URL (overrides DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ConfigError as exc:  # every command refuses an inconsistent network configuration
        print("Die Konfiguration ist fehlerhaft; nichts wurde geändert:", file=sys.stderr)
        for problem in str(exc).splitlines():
            print(f"  - {problem}", file=sys.stderr)
        print("Prüfen mit: python -m etl config check", file=sys.stderr)
        return 2
