"""Bounds of every numeric column of the contract, in one place.

Each bound is far above anything a partner reports in a month, yet low enough that no
value, and no sum of accepted values, can overflow the warehouse (``Integer`` counts,
``Numeric(16, 4)`` in ``fact_monthly``, ``BigInteger`` cents) or int64 in pandas. A value
out of bounds is an error at its cell, with the limit in the message, so it is rejected by
a rule before anything is stored.

| sheet / column | bound |
|---|---|
| Ausgaben / Betrag | ``|Betrag|`` ≤ 10.000.000,00 € per receipt, ≠ 0 |
| Ausgaben (whole sheet) | sum of ``|Betrag|`` ≤ 100.000.000,00 € per report |
| Veranstaltungen / Teilnehmende, davon Frauen | 0 to 100.000 per event |
| Teilnehmende / Personen | 1 to 10.000 per company and activity |
| Teilnehmende (whole sheet) | sum of Personen ≤ 1.000.000 per report |
| Coachings / Stunden | > 0 and ≤ 200 |
| Personal / Umfang | ``Monat``: > 0 and ≤ 1; ``Stunden``: > 0 and ≤ 744 (hours in a month) |
| Personal / Leistungsgruppe | a pay group of the rate table in force |
| Personal (whole sheet) | personnel costs ≤ 100.000.000,00 € per report |
| configured sheet / integer, money | the column's ``min``/``max``, within ±1.000.000 and ±10.000.000,00 € |
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

from etl.core.errors import Issue

MAX_RECEIPT_CENTS = 1_000_000_000  # 10.000.000,00 € per receipt, either sign
MAX_REPORT_EXPENDITURE_CENTS = 10_000_000_000  # 100 Mio. €: sum of |Betrag| in one report
MAX_REPORT_PERSONNEL_CENTS = 10_000_000_000  # 100 Mio. €: personnel costs of one report
MAX_EVENT_PERSONS = 100_000  # Teilnehmende (and davon Frauen) of one event
MAX_COMPANY_PERSONS = 10_000  # Personen of one company at one activity
MAX_REPORT_PERSONS = 1_000_000  # sum of Personen in one report
MAX_COACHING_HOURS = Decimal(200)
MAX_MONTH_HOURS = Decimal(744)  # 31 days x 24 hours: hours billed for one person in a month
MAX_MONTH_SHARE = Decimal(1)  # a full-time month


def finite(value: object) -> bool:
    """Whether a parsed number is a real number (a spreadsheet may hold NaN or infinity)."""
    return not isinstance(value, Decimal) or value.is_finite()


def within(value: Decimal | int | None, low: Decimal | int, high: Decimal | int) -> bool:
    """``low <= value <= high`` for a finite value; True for a missing one."""
    return value is None or (finite(value) and low <= value <= high)


def running_total(
    sheet: str,
    rows: Iterable[dict],
    column: str,
    amount: Callable[[dict], int | None],
    limit: int,
    message: str,
) -> list[Issue]:
    """One error at the first row where the running sum of ``amount`` exceeds ``limit``.

    Rows whose amount is None (missing, or already an error at the cell) do not count.
    """
    total = 0
    for row in rows:
        value = amount(row)
        if value is None:
            continue
        total += value
        if total > limit:
            return [Issue(sheet, row["_row"], column, message)]
    return []


# Configured activity sheets (etl.core.activity_sheets): a column's own min/max lie within
# these, so sums of a report stay far below the warehouse's Numeric(16, 4).
MAX_SHEET_INTEGER = 1_000_000  # |value| of an integer column (INTEGER_MAX there)
MAX_SHEET_MONEY_CENTS = 1_000_000_000  # |value| of a money column: 10.000.000,00 € (MONEY_MAX)
