"""Sheet ``Personal``: one row per staff member working on the project in the month."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from etl.core.errors import Issue
from etl.core.money import format_eur, personnel_cents
from etl.core.normalise import de_number, parse_choice, parse_decimal, parse_int
from etl.intake.contract.context import Context, bound, duplicates
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec
from etl.intake.contract.limits import (
    MAX_MONTH_HOURS,
    MAX_MONTH_SHARE,
    MAX_REPORT_PERSONNEL_CENTS,
    running_total,
    within,
)
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


def _quantity_ok(billing: str, qty: Decimal) -> bool:
    """Monat: a share of a full-time month; Stunden: hours, at most those of a month."""
    return qty != 0 and within(qty, 0, MAX_MONTH_SHARE if billing == "Monat" else MAX_MONTH_HOURS)


def _quantity_issue(row: dict) -> list[Issue]:
    qty, billing = row["Umfang"], row["Abrechnung"]
    if qty is None or billing is None or _quantity_ok(billing, qty):
        return []
    if billing == "Monat":
        return bound(
            SHEET,
            row,
            "Umfang",
            False,
            f"Bei Abrechnung 'Monat' ist der Umfang der Anteil eines Vollzeitmonats: größer "
            f"als 0 und höchstens {de_number(MAX_MONTH_SHARE)} (z. B. 0,5 für halbe Stelle); "
            f"eingetragen: {de_number(qty)}.",
        )
    return bound(
        SHEET,
        row,
        "Umfang",
        False,
        f"Bei Abrechnung 'Stunden' ist der Umfang die Zahl der Projektstunden im Monat: "
        f"größer als 0 und höchstens {de_number(MAX_MONTH_HOURS)} (Stunden eines Monats); "
        f"eingetragen: {de_number(qty)}.",
    )


def _cents(ctx: Context, groups: list[int]) -> Callable[[dict], int | None]:
    """The personnel cost of a row whose cells passed their rules (None otherwise)."""
    table, hours = ctx.config.rate_table(), ctx.config.rules.hours_per_year

    def cents(row: dict) -> int | None:
        group, billing, qty = row["Leistungsgruppe"], row["Abrechnung"], row["Umfang"]
        if group not in groups or billing is None or qty is None or not _quantity_ok(billing, qty):
            return None
        return personnel_cents(billing, qty, group, table, hours)

    return cents


def check(sheet: ParsedSheet, ctx: Context) -> list[Issue]:
    """Row rules: pay group of the rate table, quantity by billing type within its bound, one
    row per staff member; the report's personnel costs within the report's bound."""
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
    return issues + running_total(
        SHEET,
        sheet.rows,
        "Umfang",
        _cents(ctx, groups),
        MAX_REPORT_PERSONNEL_CENTS,
        f"Die Personalkosten dieses Berichts ergeben bis zu dieser Zeile mehr als "
        f"{format_eur(MAX_REPORT_PERSONNEL_CENTS)} (Höchstwert je Bericht). Bitte Umfang und "
        "Leistungsgruppen prüfen.",
    )


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
