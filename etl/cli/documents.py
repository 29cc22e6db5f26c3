"""``python -m etl report|template|export``: the files and figures the product writes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from etl.cli.common import context, month_arg
from etl.core.config import get_config
from etl.core.settings import get_settings


def cmd_report(args) -> int:
    from etl.documents.report import build_report, render_text

    _settings, config, engine = context(args)
    rep = build_report(engine, config)
    print(json.dumps(rep, ensure_ascii=False, indent=2) if args.json else render_text(rep, config))
    return 0


def cmd_template(args) -> int:
    from etl.documents.template import write_template
    from etl.documents.workbook import report_file_name

    config = get_config(get_settings().config_path)
    partner = args.partner.upper()
    if partner not in config.partner_codes:
        print(f"Unbekannter Partner '{args.partner}'. Bekannt: {', '.join(config.partner_codes)}",
              file=sys.stderr)
        return 2
    if not config.start <= args.month <= config.end:
        print(f"Der Monat {args.month:%m/%Y} liegt außerhalb der Projektlaufzeit "
              f"({config.start:%m/%Y} bis {config.end:%m/%Y}); eine Vorlage dafür würde beim "
              "Hochladen abgelehnt.", file=sys.stderr)
        return 2
    target = Path(args.output or report_file_name(partner, args.month))
    write_template(target, config, partner, args.month)
    print(f"Vorlage geschrieben: {target}")
    return 0


def cmd_export(args) -> int:
    _settings, config, engine = context(args)
    return _export_proof(args, engine, config)


def _export_proof(args, engine, config) -> int:
    from etl.documents.proof import file_name, proof_workbook, scope_of

    try:
        scope = scope_of(config, args.partner and args.partner.upper(), args.year)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    data = proof_workbook(engine, config, scope, exported_by=args.user, stand=_stand(engine))
    target = Path(args.output or file_name(scope))
    target.write_bytes(data)
    print(f"{scope.title} geschrieben: {target}")
    return 0


def _stand(engine) -> str:
    from etl.warehouse import queries

    uploads = queries.uploads(engine)
    accepted = uploads[uploads["status"] == "accepted"]
    if accepted.empty:
        return "keine Monatsberichte"
    return f"Monatsberichte bis {max(accepted['month']):%m/%Y}, Eingang bis " + (
        f"{max(accepted['uploaded_at']):%d.%m.%Y %H:%M}"
    )


def register(sub) -> None:
    p = sub.add_parser("report", help="print the warehouse's figures")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("template", help="write a blank monthly workbook")
    p.add_argument("--partner", required=True, help="partner code, e.g. DO")
    p.add_argument("--month", required=True, type=month_arg,
                   help="reporting month YYYY-MM, inside the project period")
    p.add_argument("-o", "--output",
                   help="file to write (default: Monatsbericht_<PARTNER>_<YYYY-MM>.xlsx)")
    p.set_defaults(func=cmd_template)
    p = sub.add_parser("export", help="the proof of use as an Excel workbook")
    p.add_argument("kind", choices=["nachweis"])
    p.add_argument("--partner", help="partner code (default: whole project)")
    p.add_argument("--year", type=int, help="year (Zwischennachweis; default: all)")
    p.add_argument("-o", "--output", help="file to write")
    p.add_argument("--user", default="cli", help="named on the cover sheet")
    p.set_defaults(func=cmd_export)
