"""Command line of the dashboard side: ``python -m dashboard export /finanzen --query ...``.

A page export reuses the page's own calculations (what the page shows), so it lives here and
not in ``etl``, which never imports the dashboard.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from etl.warehouse import db


def cmd_export(args) -> int:
    from dashboard.exports import PageExportError, export_page, page_file_name
    from dashboard.exports.source import direct_source

    _settings, config, engine = db.open_configured(args.db)
    source = direct_source(engine, config, args.user, date.today())
    try:
        data = export_page(args.page, args.query or "", source=source)
    except PageExportError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    target = Path(args.output or page_file_name(args.page, date.today()))
    target.write_bytes(data)
    print(f"Export der Seite {args.page} geschrieben: {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Fördercockpit: exports of the dashboard's pages."
    )
    parser.add_argument("--db", help="database URL (overrides DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("export", help="a page's figures as an Excel workbook")
    p.add_argument("page", help="page path, e.g. /finanzen")
    p.add_argument("--query", help="filters as in the address, e.g. partner=DO&jahr=2025")
    p.add_argument("-o", "--output", help="file to write")
    p.add_argument("--user", default="cli", help="named on the cover sheet")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
