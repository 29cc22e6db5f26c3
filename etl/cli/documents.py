"""``python -m etl report|template``: the figures and the blank workbook (documents:
:mod:`etl.cli.export`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from etl.cli.common import context, month_arg
from etl.core.config import get_config
from etl.core.settings import get_settings


def cmd_report(args) -> int:
    """The figures at the Stand (``--stand YYYY-MM``, default :func:`default_stand`): a month
    that has not ended, or one outside the project, is refused with a German message."""
    from datetime import date

    from etl.core.stand import default_stand, first_of, stand_error
    from etl.documents.report import build_report, render_text

    _settings, config, engine = context(args)
    today = date.today()
    if args.stand is not None and (problem := stand_error(config, args.stand, today)):
        print(problem, file=sys.stderr)
        return 2
    stand = first_of(args.stand) if args.stand else default_stand(config, today)
    rep = build_report(engine, config, stand=stand)
    print(json.dumps(rep, ensure_ascii=False, indent=2) if args.json else render_text(rep, config))
    return 0


def cmd_template(args) -> int:
    from etl.documents.template import write_template
    from etl.documents.workbook import report_file_name

    config = get_config(get_settings().config_path)
    partner = args.partner.upper()
    if partner not in config.partner_codes:
        print(
            f"Unbekannter Partner '{args.partner}'. Bekannt: {', '.join(config.partner_codes)}",
            file=sys.stderr,
        )
        return 2
    if not config.start <= args.month <= config.end:
        print(
            f"Der Monat {args.month:%m/%Y} liegt außerhalb der Projektlaufzeit "
            f"({config.start:%m/%Y} bis {config.end:%m/%Y}); eine Vorlage dafür würde beim "
            "Hochladen abgelehnt.",
            file=sys.stderr,
        )
        return 2
    target = Path(args.output or report_file_name(partner, args.month))
    write_template(target, config, partner, args.month)
    print(f"Vorlage geschrieben: {target}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="print the warehouse's figures")
    p.add_argument("--json", action="store_true")
    p.add_argument("--stand", type=month_arg, default=None,
                   help="Berichtsstand YYYY-MM: figures of the months up to it (default: the "
                   "last month whose reports are due, within the project period)")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("template", help="write a blank monthly workbook")
    p.add_argument("--partner", required=True, help="partner code, e.g. DO")
    p.add_argument(
        "--month",
        required=True,
        type=month_arg,
        help="reporting month YYYY-MM, inside the project period",
    )
    p.add_argument(
        "-o", "--output", help="file to write (default: Monatsbericht_<PARTNER>_<YYYY-MM>.xlsx)"
    )
    p.set_defaults(func=cmd_template)
