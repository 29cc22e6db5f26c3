"""Sheet ``Veranstaltungen``: one row per event held in the reporting month."""

from __future__ import annotations

from etl.core.errors import Issue
from etl.core.normalise import parse_choice, parse_date, parse_int
from etl.intake.contract.context import Context, bound, duplicates
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.warehouse import schema as s

SHEET = "Veranstaltungen"
FORMATS = ("Präsenz", "Online", "Hybrid")
_FORMAT_ALIASES = {"praesenz": "Präsenz", "prasenz": "Präsenz", "vor ort": "Präsenz"}


def _format(value: object) -> str:
    return parse_choice(value, FORMATS, "Format", _FORMAT_ALIASES)


def spec(ctx: Context) -> SheetSpec:
    return SheetSpec(
        SHEET,
        (
            Col("ID", stored_as=s.events.c.event_id),
            Col("Datum", parse_date),
            Col("Titel", stored_as=s.events.c.title),
            Col("Modul", ctx.module),
            Col("Format", _format),
            Col("Teilnehmende", parse_int),
            Col("davon Frauen", parse_int, required=False, header_required=False),
        ),
    )


def check(sheet: ParsedSheet, ctx: Context) -> list[Issue]:
    """Row rules: date in month, counts not negative, women not more than participants."""
    issues = duplicates(SHEET, sheet.rows, "ID", "Die ID")
    for row in sheet.rows:
        issues += [i for i in [ctx.outside_month(SHEET, row, "Datum")] if i]
        n = row["Teilnehmende"]
        issues += bound(
            SHEET,
            row,
            "Teilnehmende",
            n is None or n >= 0,
            "Die Zahl der Teilnehmenden darf nicht negativ sein.",
        )
        women = row["davon Frauen"]
        issues += bound(
            SHEET,
            row,
            "davon Frauen",
            women is None or women >= 0,
            "'davon Frauen' darf nicht negativ sein.",
        )
        issues += bound(
            SHEET,
            row,
            "davon Frauen",
            n is None or n < 0 or women is None or women <= n,
            f"'davon Frauen' ({women}) ist größer als 'Teilnehmende' ({n}).",
        )
    return issues
