"""Sheet ``Personal``: one row per staff member working on the project in the month."""

from __future__ import annotations

import re
from decimal import Decimal

from etl.core.errors import Issue
from etl.core.normalise import de_number, parse_choice, parse_decimal, parse_int
from etl.intake.contract.context import Context, bound, duplicates
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.warehouse import schema as s

SHEET = "Personal"
BILLING = ("Monat", "Stunden")
_BILLING_ALIASES = {
    "monatlich": "Monat",
    "monate": "Monat",
    "stunde": "Stunden",
    "std": "Stunden",
    "std.": "Stunden",
    "stündlich": "Stunden",
}
_FULL_NAME = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+ [A-ZÄÖÜ][a-zäöüß]+")


def _billing(value: object) -> str:
    return parse_choice(value, BILLING, "Abrechnung", _BILLING_ALIASES)


def spec(ctx: Context) -> SheetSpec:
    return SheetSpec(
        SHEET,
        (
            Col("Kürzel", aliases=("Kuerzel",), stored_as=s.personnel.c.staff_code),
            Col("Leistungsgruppe", parse_int),
            Col("Abrechnung", _billing),
            Col("Umfang", parse_decimal),
            Col("Modul", ctx.module, required=False, header_required=False),
        ),
    )


def _quantity_issue(row: dict) -> list[Issue]:
    qty, billing = row["Umfang"], row["Abrechnung"]
    if qty is None or billing is None:
        return []
    if billing == "Monat":
        return bound(
            SHEET,
            row,
            "Umfang",
            Decimal(0) < qty <= 1,
            f"Bei Abrechnung 'Monat' ist der Umfang der Anteil eines Vollzeitmonats: größer "
            f"als 0 und höchstens 1 (z. B. 0,5 für halbe Stelle); eingetragen: {de_number(qty)}.",
        )
    return bound(
        SHEET,
        row,
        "Umfang",
        qty > 0,
        f"Bei Abrechnung 'Stunden' ist der Umfang die Zahl der Projektstunden im Monat "
        f"und muss größer als 0 sein; eingetragen: {de_number(qty)}.",
    )


def check(sheet: ParsedSheet, ctx: Context) -> list[Issue]:
    """Row rules: pay group 1-4, quantity by billing type, one row per staff member."""
    issues = duplicates(SHEET, sheet.rows, "Kürzel", "Das Kürzel")
    groups = sorted(ctx.config.rate_table().monthly)
    for row in sheet.rows:
        group = row["Leistungsgruppe"]
        issues += bound(
            SHEET,
            row,
            "Leistungsgruppe",
            group is None or group in groups,
            f"Leistungsgruppe {group} gibt es nicht. Erlaubt: {', '.join(map(str, groups))}.",
        )
        issues += _quantity_issue(row)
    return issues


def privacy_notices(sheet: ParsedSheet) -> list[Issue]:
    """Notices for staff codes that look like full names (the contract asks for codes only)."""
    return [
        Issue(
            SHEET,
            row["_row"],
            "Kürzel",
            "Das sieht wie ein voller Name aus. Bitte nur ein Kürzel eintragen (Datenschutz).",
        )
        for row in sheet.rows
        if row["Kürzel"] and _FULL_NAME.match(row["Kürzel"])
    ]
