"""The short "what needs attention" list of the overview: partners behind target, budget
lines over plan, months not reported, partners often late. Pure: frames in, items out; the
items hold codes and numbers, dashboard.views.attention writes their German text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.calc import activity, reporting
from etl.core.config import Rules
from etl.core.years import year_of


@dataclass(frozen=True)
class Item:
    """One line of the list: severity ('warn' or 'flag'), what it is about (``kind``), the
    page to open narrowed to a partner and year, and the figures its text names."""

    severity: str
    kind: str  # 'behind', 'budget', 'month_missing' (many partners), 'missing', 'late'
    page: str
    partner: str | None = None
    year: int | None = None
    measures: tuple[tuple[str, Fraction], ...] = ()  # behind: (measure, attainment)
    category: str | None = None  # budget: cost category code
    share: Fraction | None = None  # budget: deviation over plan; late: on-time rate
    months: tuple[date, ...] = ()  # missing / month_missing: the months without report
    partners: tuple[str, ...] = ()  # month_missing: the partners missing it
    count: int = 0  # late: reports late
    under: bool = False  # budget: under the plan to date (money at risk), else over it


def _grouped(codes, *columns) -> dict:
    """Rows (as tuples of ``columns``) per partner code, in the order of first appearance:
    one pass over plain lists instead of a pandas group per partner."""
    out: dict = {}
    for code, *values in zip(codes, *columns, strict=True):
        out.setdefault(code, []).append(values)
    return out


def behind_items(behind: pd.DataFrame, rules: Rules) -> list[Item]:
    """One item per partner with measures more than the warn tolerance behind expectation."""
    items = []
    groups = _grouped(behind["partner_code"], behind["measure"], behind["attainment"])
    for code, rows in groups.items():
        flags = {activity.attainment_flag(a, rules) for _m, a in rows}
        severity = "flag" if "flag" in flags else "warn"
        measures = tuple((m, a) for m, a in rows)
        items.append(Item(severity, "behind", "/aktivitaeten", code, measures=measures))
    return items


def budget_items(lines: pd.DataFrame) -> list[Item]:
    """One item per budget line flagged 'warn' or 'flag' (over or under the plan to date)."""
    items = []
    for r in lines[lines["flag"] != "ok"].itertuples(index=False):
        under = getattr(r, "direction", "over") == "under"
        items.append(
            Item(
                r.flag,
                "budget",
                "/finanzen",
                r.partner_code,
                int(r.year),
                category=r.category,
                share=r.deviation,
                under=under,
            )
        )
    return items


# Partners missing the same month: from this many on, one item for the month instead of one
# per partner (at 240 partners the list would otherwise hold only "report missing" lines).
GROUP_FROM = 3


def missing_items(matrix: pd.DataFrame, start: int = 1) -> list[Item]:
    """Months whose report is overdue: one item per month missing at GROUP_FROM or more
    partners (naming them, with the month's project year, years starting in month
    ``start``), then one item per partner for its other missing months."""
    missing = matrix[matrix["status"] == "missing"]
    by_month = _grouped(missing["month"], missing["partner_code"])
    common = sorted(m for m, rows in by_month.items() if len(rows) >= GROUP_FROM)
    items = []
    for month in common:
        codes = tuple(code for (code,) in by_month[month])
        items.append(
            Item(
                "flag",
                "month_missing",
                "/meldestand",
                year=year_of(month, start),
                months=(month,),
                partners=codes,
            )
        )
    grouped = set(common)
    for code, rows in _grouped(missing["partner_code"], missing["month"]).items():
        months = tuple(m for (m,) in rows if m not in grouped)
        if months:
            items.append(Item("flag", "missing", "/meldestand", code, months=months))
    return items


def late_items(matrix: pd.DataFrame, rules: Rules) -> list[Item]:
    """One item per partner whose on-time rate is below 1 - deviation_warn (85 %)."""
    rates = reporting.on_time_rates(matrix)
    limit = 1 - Fraction(rules.deviation_warn)
    return [
        Item("warn", "late", "/meldestand", code, share=rate, count=int(late))
        for code, rate, late in zip(
            rates["partner_code"], rates["rate"], rates["late"], strict=True
        )
        if rate is not None and rate < limit
    ]


def attention(
    behind: pd.DataFrame, lines: pd.DataFrame, matrix: pd.DataFrame, rules: Rules,
    start: int = 1,
) -> list[Item]:
    """All items, the most severe first."""
    items = [
        *missing_items(matrix, start),
        *budget_items(lines),
        *behind_items(behind, rules),
        *late_items(matrix, rules),
    ]
    return sorted(items, key=lambda i: i.severity != "flag")
