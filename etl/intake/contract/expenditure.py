"""Sheet ``Ausgaben``: one row per receipt booked in the reporting month.

Version 2 adds ``Zahlungsdatum`` (not before the receipt date, not after the reporting
month), ``Zahlungsempfänger`` and ``Verwendungszweck``, all optional."""

from __future__ import annotations

from etl.core.errors import Issue
from etl.core.money import format_eur
from etl.core.normalise import (
    CellError,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_money_cents,
)
from etl.intake.contract.context import Context, bound, duplicates
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.intake.contract.limits import (
    MAX_RECEIPT_CENTS,
    MAX_REPORT_EXPENDITURE_CENTS,
    running_total,
)
from etl.warehouse import schema as s

SHEET = "Ausgaben"
COST_CATEGORIES = ("Sachkosten", "Fremdleistungen", "Reisekosten")


def _category(value: object) -> str:
    return parse_choice(value, COST_CATEGORIES, "Kostenart")


# Columns by the template version that introduced them.
SINCE = {
    2: (
        Col("Zahlungsdatum", parse_date, required=False, header_required=False,
            aliases=("Bezahlt am", "Zahldatum")),
        Col("Zahlungsempfänger", required=False, header_required=False,
            aliases=("Zahlungsempfaenger", "Empfänger", "Empfaenger"),
            stored_as=s.expenditure.c.payee),
        Col("Verwendungszweck", required=False, header_required=False,
            stored_as=s.expenditure.c.purpose),
    )
}


def spec(ctx: Context) -> SheetSpec:
    newer = tuple(c for v, cols in SINCE.items() if v <= ctx.version for c in cols)
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
            Col("Betrag", _amount),
            Col("Modul", ctx.module, required=False, header_required=False),
            Col(
                "Beschreibung",
                required=False,
                header_required=False,
                stored_as=s.expenditure.c.description,
            ),
            *newer,
        ),
    )


def _amount(value: object) -> int:
    """Cents of a receipt's amount, at most MAX_RECEIPT_CENTS either way (checked before the
    rounding to the cent, which numbers of 28 digits and more would not survive)."""
    if abs(parse_decimal(value)) * 100 > MAX_RECEIPT_CENTS:
        raise CellError(
            f"Der Betrag ist zu hoch: je Beleg höchstens {format_eur(MAX_RECEIPT_CENTS)} (auch "
            "als Gutschrift). Bitte den Betrag prüfen; größere Summen auf mehrere Belege "
            "aufteilen."
        )
    return parse_money_cents(value)


def _absolute(row: dict) -> int | None:
    return None if row["Betrag"] is None else abs(row["Betrag"])


def check(sheet: ParsedSheet, ctx: Context) -> list[Issue]:
    """Row rules: date in month, receipt numbers unique, no zero amounts; the report's amounts
    (either sign) within the report's bound."""
    issues = duplicates(SHEET, sheet.rows, "Belegnummer", "Die Belegnummer")
    for row in sheet.rows:
        issues += [i for i in [ctx.outside_month(SHEET, row, "Datum")] if i]
        issues += _payment_date(row, ctx)
        issues += bound(
            SHEET,
            row,
            "Betrag",
            row["Betrag"] != 0,
            "Ein Betrag von 0,00 € ist keine Ausgabe. Bitte die Zeile löschen.",
        )
    return issues + running_total(
        SHEET,
        sheet.rows,
        "Betrag",
        _absolute,
        MAX_REPORT_EXPENDITURE_CENTS,
        f"Die Beträge dieses Berichts ergeben bis zu dieser Zeile mehr als "
        f"{format_eur(MAX_REPORT_EXPENDITURE_CENTS)} (Höchstwert je Bericht, Gutschriften "
        "mitgezählt). Bitte die Beträge prüfen.",
    )


def _payment_date(row: dict, ctx: Context) -> list[Issue]:
    """A receipt is paid on or after its date, and within the reporting month."""
    paid, booked, last = row.get("Zahlungsdatum"), row["Datum"], ctx.month_end()
    if paid is None:
        return []
    if booked is not None and paid < booked:
        message = (
            f"Das Zahlungsdatum {paid:%d.%m.%Y} liegt vor dem Belegdatum {booked:%d.%m.%Y}. "
            "Bitte prüfen: ein Beleg wird frühestens an seinem Datum bezahlt."
        )
    elif last is not None and paid > last:
        message = (
            f"Das Zahlungsdatum {paid:%d.%m.%Y} liegt nach dem Berichtsmonat {ctx.month:%m/%Y}. "
            "Ist der Beleg bis zum Monatsende noch nicht bezahlt, das Zahlungsdatum leer lassen."
        )
    else:
        return []
    return [Issue(SHEET, row["_row"], "Zahlungsdatum", message)]


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
