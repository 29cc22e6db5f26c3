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
    print(json.dumps(rep, ensure_ascii=False, indent=2) if args.json else render_text(rep))
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
    from etl.documents.proof import scope_of

    _settings, config, engine = context(args)
    try:
        scope = scope_of(config, args.partner and args.partner.upper(), args.year)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    export = {"nachweis": _proof, "stunden": _hours, "sachbericht": _narrative}[args.kind]
    data, name, what = export(engine, config, scope, exported_by=args.user, stand=_stand(engine))
    target = Path(args.output or name)
    target.write_bytes(data)
    print(f"{what} geschrieben: {target}")
    return 0


def _proof(engine, config, scope, **who) -> tuple[bytes, str, str]:
    from etl.documents.proof import file_name, proof_workbook

    return proof_workbook(engine, config, scope, **who), file_name(scope), scope.title


def _hours(engine, config, scope, **who) -> tuple[bytes, str, str]:
    from etl.documents.hours import file_name, hours_workbook, title

    return hours_workbook(engine, config, scope, **who), file_name(scope), title(scope)


def _narrative(engine, config, scope, **who) -> tuple[bytes, str, str]:
    from etl.documents.sachbericht import file_name, sachbericht_docx, title

    return sachbericht_docx(engine, config, scope, **who), file_name(scope), title(scope)


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
    p = sub.add_parser(
        "export",
        help="nachweis: proof of use (.xlsx); stunden: staff-hours records and forms (.xlsx); "
        "sachbericht: narrative report draft (.docx)",
    )
    p.add_argument("kind", choices=["nachweis", "stunden", "sachbericht"])
    p.add_argument("--partner", help="partner code (default: whole project)")
    p.add_argument("--year", type=int, help="year (Zwischennachweis; default: all)")
    p.add_argument("-o", "--output", help="file to write")
    p.add_argument("--user", default="cli", help="named on the cover sheet")
    p.set_defaults(func=cmd_export)
