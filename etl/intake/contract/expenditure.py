"""Sheet ``Ausgaben``: one row per receipt booked in the reporting month."""

from __future__ import annotations

from etl.core.errors import Issue
from etl.core.normalise import parse_choice, parse_date, parse_money_cents
from etl.intake.contract.context import Context, bound, duplicates
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.warehouse import schema as s

SHEET = "Ausgaben"
COST_CATEGORIES = ("Sachkosten", "Fremdleistungen", "Reisekosten")


def _category(value: object) -> str:
    return parse_choice(value, COST_CATEGORIES, "Kostenart")


def spec(ctx: Context) -> SheetSpec:
    return SheetSpec(
        SHEET,
        (
            Col(
                "Belegnummer",
                aliases=("Beleg-Nr.", "Belegnr", "Beleg-Nr"),
                stored_as=s.expenditure.c.receipt_no,
            ),
            Col("Datum", parse_date),
            Col("Kostenart", _category),
            Col("Betrag", parse_money_cents),
            Col("Modul", ctx.module, required=False, header_required=False),
            Col(
                "Beschreibung",
                required=False,
                header_required=False,
                stored_as=s.expenditure.c.description,
            ),
        ),
    )


def check(sheet: ParsedSheet, ctx: Context) -> list[Issue]:
    """Row rules: date in month, receipt numbers unique, no zero amounts."""
    issues = duplicates(SHEET, sheet.rows, "Belegnummer", "Die Belegnummer")
    for row in sheet.rows:
        issues += [i for i in [ctx.outside_month(SHEET, row, "Datum")] if i]
        issues += bound(
            SHEET,
            row,
            "Betrag",
            row["Betrag"] != 0,
            "Ein Betrag von 0,00 € ist keine Ausgabe. Bitte die Zeile löschen.",
        )
    return issues


def credit_notices(sheet: ParsedSheet) -> list[Issue]:
    """Notices for negative amounts, which count as credit notes or corrections."""
    return [
        Issue(
            SHEET,
            row["_row"],
            "Betrag",
            "Negativer Betrag: wird als Gutschrift bzw. Korrektur verbucht.",
        )
        for row in sheet.rows
        if row["Betrag"] is not None and row["Betrag"] < 0
    ]
