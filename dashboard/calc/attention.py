"""The short "what needs attention" list of the overview: partners behind target, budget
lines over plan, months not reported, partners often late. Pure: frames in, items out."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from dashboard import fmt
from dashboard.calc import activity, reporting
from dashboard.labels import CATEGORY_LABELS, MEASURE_LABELS
from etl.core.config import Rules


@dataclass(frozen=True)
class Item:
    """One line of the list: severity ('warn' or 'flag'), German text, and the page to open,
    narrowed to a partner and year."""

    severity: str
    text: str
    page: str
    partner: str | None = None
    year: int | None = None


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
        parts = ", ".join(f"{MEASURE_LABELS[m]} {fmt.de_pct(a)}" for m, a in rows)
        flags = {activity.attainment_flag(a, rules) for _m, a in rows}
        severity = "flag" if "flag" in flags else "warn"
        items.append(
            Item(
                severity,
                f"{code} liegt hinter dem zeitanteiligen Ziel: {parts}",
                "/aktivitaeten",
                code,
            )
        )
    return items


def budget_items(lines: pd.DataFrame) -> list[Item]:
    """One item per budget line flagged 'warn' or 'flag'."""
    items = []
    for r in lines[lines["flag"] != "ok"].itertuples(index=False):
        consent = " – Zustimmung des Fördergebers nötig" if r.flag == "flag" else ""
        items.append(
            Item(
                r.flag,
                f"{r.partner_code} {r.year} {CATEGORY_LABELS[r.category]}: "
                f"{fmt.de_pct(r.deviation)} über Plan{consent}",
                "/finanzen",
                r.partner_code,
                int(r.year),
            )
        )
    return items


# Partners missing the same month: from this many on, one item for the month instead of one
# per partner (at 240 partners the list would otherwise hold only "report missing" lines).
GROUP_FROM = 3
NAMES_SHOWN = 8  # partner codes named in a grouped item; more are left as " …"


def missing_items(matrix: pd.DataFrame) -> list[Item]:
    """Months whose report is overdue: one item per month missing at GROUP_FROM or more
    partners (naming them), then one item per partner for its other missing months."""
    missing = matrix[matrix["status"] == "missing"]
    by_month = _grouped(missing["month"], missing["partner_code"])
    common = sorted(m for m, rows in by_month.items() if len(rows) >= GROUP_FROM)
    items = []
    for month in common:
        codes = [code for (code,) in by_month[month]]
        names = ", ".join(codes[:NAMES_SHOWN]) + (" …" if len(codes) > NAMES_SHOWN else "")
        items.append(
            Item(
                "flag",
                f"Monatsbericht {fmt.month_long(month)} fehlt bei {fmt.de_int(len(codes))} "
                f"Partnern: {names}",
                "/meldestand",
                year=month.year,
            )
        )
    grouped = set(common)
    for code, rows in _grouped(missing["partner_code"], missing["month"]).items():
        months = [m for (m,) in rows if m not in grouped]
        if months:
            items.append(
                Item(
                    "flag",
                    f"{code}: Monatsbericht fehlt für {', '.join(map(fmt.month_long, months))}",
                    "/meldestand",
                    code,
                )
            )
    return items


def late_items(matrix: pd.DataFrame, rules: Rules) -> list[Item]:
    """One item per partner whose on-time rate is below 1 - deviation_warn (85 %)."""
    rates = reporting.on_time_rates(matrix)
    limit = 1 - Fraction(rules.deviation_warn)
    return [
        Item(
            "warn",
            f"{code}: nur {fmt.de_pct(rate)} der Monatsberichte rechtzeitig ({late} verspätet)",
            "/meldestand",
            code,
        )
        for code, rate, late in zip(
            rates["partner_code"], rates["rate"], rates["late"], strict=True
        )
        if rate is not None and rate < limit
    ]


def attention(
    behind: pd.DataFrame, lines: pd.DataFrame, matrix: pd.DataFrame, rules: Rules
) -> list[Item]:
    """All items, the most severe first."""
    items = [
        *missing_items(matrix),
        *budget_items(lines),
        *behind_items(behind, rules),
        *late_items(matrix, rules),
    ]
    return sorted(items, key=lambda i: i.severity != "flag")
