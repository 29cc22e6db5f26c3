"""Sheet ``Veranstaltungen``: one row per event held in the reporting month."""

from __future__ import annotations

from etl.core.errors import Issue
from etl.core.normalise import de_number, parse_choice, parse_date, parse_int
from etl.intake.contract.context import Context, bound, duplicates
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.intake.contract.limits import MAX_EVENT_PERSONS, within
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


def _count_issues(row: dict, column: str, label: str) -> list[Issue]:
    """A count of persons at an event: a whole number from 0 to MAX_EVENT_PERSONS."""
    if within(row[column], 0, MAX_EVENT_PERSONS):
        return []  # the common case, without building the message
    return bound(
        SHEET,
        row,
        column,
        False,
        f"{label} darf nicht negativ und höchstens {de_number(MAX_EVENT_PERSONS)} je "
        f"Veranstaltung sein (eingetragen: {de_number(row[column] or 0)}).",
    )


def check(sheet: ParsedSheet, ctx: Context) -> list[Issue]:
    """Row rules: date in month, counts from 0 to the bound, women not more than participants."""
    issues = duplicates(SHEET, sheet.rows, "ID", "Die ID")
    for row in sheet.rows:
        issues += [i for i in [ctx.outside_month(SHEET, row, "Datum")] if i]
        issues += _count_issues(row, "Teilnehmende", "Die Zahl der Teilnehmenden")
        issues += _count_issues(row, "davon Frauen", "'davon Frauen'")
        n, women = row["Teilnehmende"], row["davon Frauen"]
        counts_ok = n is not None and women is not None and within(n, 0, MAX_EVENT_PERSONS)
        issues += bound(
            SHEET,
            row,
            "davon Frauen",
            not counts_ok or not within(women, 0, MAX_EVENT_PERSONS) or women <= n,
            f"'davon Frauen' ({women}) ist größer als 'Teilnehmende' ({n}).",
        )
    return issues
