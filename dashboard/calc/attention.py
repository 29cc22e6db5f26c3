"""The short "what needs attention" list of the overview: partners behind target, budget
lines over plan, months not reported, partners often late. Pure: frames in, items out."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from dashboard import fmt
from dashboard.calc import activity, reporting
from dashboard.labels import CATEGORY_LABELS, MEASURE_LABELS
from etl.config import Rules


@dataclass(frozen=True)
class Item:
    """One line of the list: severity ('warn' or 'flag'), German text, and the page to open,
    narrowed to a partner and year."""

    severity: str
    text: str
    page: str
    partner: str | None = None
    year: int | None = None


def behind_items(behind: pd.DataFrame, rules: Rules) -> list[Item]:
    """One item per partner with measures more than the warn tolerance behind expectation."""
    items = []
    for code, grp in behind.groupby("partner_code", sort=False):
        parts = ", ".join(
            f"{MEASURE_LABELS[r.measure]} {fmt.de_pct(r.attainment)}"
            for r in grp.itertuples(index=False)
        )
        flags = {activity.attainment_flag(a, rules) for a in grp["attainment"]}
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


def missing_items(matrix: pd.DataFrame) -> list[Item]:
    """One item per partner with months whose report is overdue."""
    items = []
    missing = matrix[matrix["status"] == "missing"]
    for code, grp in missing.groupby("partner_code", sort=False):
        months = ", ".join(fmt.month_long(m) for m in grp["month"])
        items.append(Item("flag", f"{code}: Monatsbericht fehlt für {months}", "/meldestand", code))
    return items


def late_items(matrix: pd.DataFrame, rules: Rules) -> list[Item]:
    """One item per partner whose on-time rate is below 1 - deviation_warn (85 %)."""
    items = []
    for r in reporting.on_time_rates(matrix).itertuples(index=False):
        if r.rate is not None and r.rate < 1 - Fraction(rules.deviation_warn):
            items.append(
                Item(
                    "warn",
                    f"{r.partner_code}: nur {fmt.de_pct(r.rate)} der "
                    f"Monatsberichte rechtzeitig ({r.late} verspätet)",
                    "/meldestand",
                    r.partner_code,
                )
            )
    return items


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
