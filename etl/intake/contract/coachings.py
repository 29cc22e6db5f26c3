"""Sheet ``Coachings``: one row per coaching started in the reporting month."""

from __future__ import annotations

from decimal import Decimal

from etl.core.errors import Issue
from etl.core.normalise import de_number, parse_date, parse_decimal
from etl.intake.contract.context import Context, bound, duplicates
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.intake.contract.limits import MAX_COACHING_HOURS, finite
from etl.warehouse import schema as s

SHEET = "Coachings"
MAX_HOURS = MAX_COACHING_HOURS  # the name other modules import


def spec(ctx: Context) -> SheetSpec:
    return SheetSpec(
        SHEET,
        (
            Col("ID", stored_as=s.coachings.c.coaching_id),
            Col("Datum", parse_date),
            Col("Unternehmen", stored_as=s.coachings.c.company_name),
            Col("Modul", ctx.module),
            Col("Stunden", parse_decimal),
            Col("Thema", required=False, header_required=False, stored_as=s.coachings.c.topic),
        ),
    )


def check(sheet: ParsedSheet, ctx: Context, event_ids: set[str]) -> list[Issue]:
    """Row rules: date in month, 0 < hours <= 200, IDs distinct from the events' IDs."""
    issues = duplicates(SHEET, sheet.rows, "ID", "Die ID")
    for row in sheet.rows:
        issues += [i for i in [ctx.outside_month(SHEET, row, "Datum")] if i]
        hours = row["Stunden"]
        issues += bound(
            SHEET,
            row,
            "Stunden",
            hours is None or (finite(hours) and Decimal(0) < hours <= MAX_HOURS),
            f"Stunden müssen größer als 0 und höchstens {MAX_HOURS} sein "
            f"(eingetragen: {de_number(hours) if hours is not None else ''}).",
        )
        if row["ID"] is not None and row["ID"].casefold() in event_ids:
            issues.append(
                Issue(
                    SHEET,
                    row["_row"],
                    "ID",
                    f"Die ID '{row['ID']}' ist schon an eine Veranstaltung vergeben. "
                    "Coachings brauchen eigene IDs.",
                )
            )
    return issues
