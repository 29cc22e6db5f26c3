"""``python -m etl ingest``: check and load monthly workbooks."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from etl.cli.common import context, print_outcome
from etl.core.money import format_eur


def _print_result(result) -> None:
    month = f"{result.month:%m/%Y}" if result.month else "?"
    labels = {
        "accepted": "angenommen",
        "replaced": "ersetzt die vorige Fassung",
        "unchanged": "unverändert (identische Datei)",
        "rejected": "abgelehnt",
        "held": "zurückgehalten (Bestätigung nötig)",
    }
    drop = result.drop and [
        f"Achtung: entfernt {result.drop.events} Veranstaltungen, {result.drop.coachings} "
        f"Coachings und {format_eur(result.drop.eligible_cents)} förderfähige Ausgaben gegenüber "
        f"der Fassung vom {result.drop.previous_at:%d.%m.%Y %H:%M} "
        f"(Upload {result.drop.previous_id})."
    ]
    print_outcome(
        result, f"{labels[result.status]} (Partner {result.partner or '?'}, {month})", drop or ()
    )


def received_arg(value: str) -> datetime:
    """``2025-04-08``, ``2025-04-08T14:30`` or ``08.04.2025``: when a report was received."""
    for parse in (datetime.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%Y")):
        try:
            at = parse(value.strip())
        except ValueError:
            continue
        if at > datetime.now():
            raise argparse.ArgumentTypeError(f"Eingangsdatum {value} liegt in der Zukunft.")
        return at
    raise argparse.ArgumentTypeError(
        f"'{value}' ist kein Datum (JJJJ-MM-TT, JJJJ-MM-TTTHH:MM oder TT.MM.JJJJ)."
    )


def _ingest_one(name: str, *, engine, config, settings, user: str, received_at=None):
    """Ingest one named file; a missing file or a storage failure becomes a German error."""
    from etl.core.errors import Issue
    from etl.intake.ingest import IngestResult, ingest_path

    path = Path(name)
    if not path.is_file():
        message = f"Die Datei '{name}' wurde nicht gefunden."
    else:
        try:
            return ingest_path(path, engine=engine, config=config, settings=settings, user=user,
                               received_at=received_at)
        except Exception as exc:  # noqa: BLE001 - a German message, never a traceback
            message = (
                "Technischer Fehler beim Speichern; nichts wurde geändert. Bitte später "
                f"erneut versuchen ({type(exc).__name__})."
            )
    return IngestResult(file=name, status="rejected", errors=[Issue(None, None, None, message)])


def cmd_ingest(args) -> int:
    from etl.workflow.plan import current_config

    settings, config, engine = context(args)
    config = current_config(engine, config)  # the plan's unit-cost table prices the staff rows
    results = []
    for name in args.files:
        result = _ingest_one(name, engine=engine, config=config, settings=settings,
                             user=args.user, received_at=args.received)
        results.append(result)
        if not args.json:
            _print_result(result)
    if args.json:
        print(json.dumps([r.as_dict() for r in results], ensure_ascii=False, indent=2))
    return 0 if all(r.ok for r in results) else 1


def register(sub) -> None:
    p = sub.add_parser("ingest", help="check and load monthly workbooks, in the given order")
    p.add_argument("files", nargs="+")
    p.add_argument("--user", default="cli")
    p.add_argument(
        "--received", type=received_arg, default=None,
        help="when the files were received (loading a history: on time or late is judged "
             "by this date; default: now)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ingest)
