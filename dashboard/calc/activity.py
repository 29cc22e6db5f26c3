"""Activity KPIs: counts by partner, module, year and month; targets, attainment, SME share."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from dashboard.calc.periods import year_elapsed
from etl.config import TARGET_MEASURES, NetworkConfig, Rules

COUNTS = ("events", "participants", "coachings")
MEASURES = (*COUNTS, "companies")
KEYS = ("partner_code", "module", "year")


def activity_months(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per partner x month x module: events, participants, coachings (int) and hours."""
    cols = ["partner_code", "month", "year", "module"]
    part = facts[facts["measure"].isin([*COUNTS, "coaching_hours"])] if not facts.empty else facts
    if part.empty:
        return pd.DataFrame(columns=[*cols, *COUNTS, "coaching_hours"])
    wide = part.pivot_table(
        index=cols, columns="measure", values="value", aggfunc="sum", fill_value=Decimal(0)
    ).reset_index()
    for measure in COUNTS:
        wide[measure] = [int(v) for v in wide[measure]] if measure in wide else 0
    hours = wide["coaching_hours"] if "coaching_hours" in wide else [Decimal(0)] * len(wide)
    wide["coaching_hours"] = [Decimal(v) for v in hours]
    wide.columns.name = None
    return wide[[*cols, *COUNTS, "coaching_hours"]]


def totals(months: pd.DataFrame, reach: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums of the counts by ``keys`` (a subset of partner_code, module, year), with the number
    of distinct companies reached in each group."""
    sums = (
        months.groupby(keys, as_index=False)[[*COUNTS, "coaching_hours"]].sum()
        if not months.empty
        else pd.DataFrame(columns=[*keys, *COUNTS, "coaching_hours"])
    )
    comp = (
        reach.groupby(keys, as_index=False)["company_id"]
        .nunique()
        .rename(columns={"company_id": "companies"})
        if not reach.empty
        else pd.DataFrame(columns=[*keys, "companies"])
    )
    out = sums.merge(comp, on=keys, how="outer")
    for measure in (*COUNTS, "companies"):
        out[measure] = out[measure].fillna(0).astype(int)
    out["coaching_hours"] = [
        Decimal(0) if pd.isna(v) else Decimal(v) for v in out["coaching_hours"]
    ]
    return out.sort_values(keys).reset_index(drop=True)


def targets_frame(config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x module x year with the target of every measure (0 when none)."""
    rows = [
        {
            "partner_code": p,
            "module": m,
            "year": y,
            **{k: config.targets.get((p, m, y, k), 0) for k in TARGET_MEASURES},
        }
        for p in config.partner_codes
        for m in config.modules
        for y in config.years
    ]
    return pd.DataFrame(rows, columns=[*KEYS, *TARGET_MEASURES])


def attainment(actual: int | Decimal, target: int | Decimal | Fraction) -> Fraction | None:
    """Actual as a share of target (1 = 100 %); None when there is no target."""
    if not target or target <= 0:
        return None
    return Fraction(actual) / Fraction(target)


def prorated_targets(targets: pd.DataFrame, config: NetworkConfig, as_of: date) -> pd.DataFrame:
    """``targets`` with each year's values scaled to the share of that year elapsed by ``as_of``
    (exact fractions): what should have been reached by now."""
    out = targets.copy()
    shares = {y: year_elapsed(config, y, as_of) for y in config.years}
    for measure in TARGET_MEASURES:
        out[measure] = [
            Fraction(v) * shares[int(y)] for v, y in zip(out[measure], out["year"], strict=True)
        ]
    return out


def sme_share(reach: pd.DataFrame) -> tuple[int, int, Fraction | None]:
    """(distinct companies, of them SMEs = not 'Groß', SME share) of the participations given."""
    if reach.empty:
        return 0, 0, None
    companies = reach.drop_duplicates("company_id")
    n_sme = int((companies["size_class"] != "Groß").sum())
    return len(companies), n_sme, Fraction(n_sme, len(companies))


def companies_by_size(reach: pd.DataFrame, classes: tuple[str, ...]) -> dict[str, int]:
    """Distinct companies per SME class (in the order of ``classes``)."""
    if reach.empty:
        return dict.fromkeys(classes, 0)
    counts = reach.drop_duplicates("company_id")["size_class"].value_counts()
    return {c: int(counts.get(c, 0)) for c in classes}


def first_months(reach: pd.DataFrame) -> pd.DataFrame:
    """One row per partner x module x year x company (the targets' grain for companies), with
    the month it was first reached in that group."""
    cols = ["partner_code", "module", "year", "company_id", "month"]
    if reach.empty:
        return pd.DataFrame(columns=cols)
    month = pd.to_datetime(reach["activity_date"]).dt.to_period("M").dt.to_timestamp()
    frame = reach.assign(month=month)
    return frame.groupby(cols[:4], as_index=False)["month"].min()[cols]


def monthly_by_partner(months: pd.DataFrame, reach: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One row per month x partner with the month's value of ``measure``; companies are counted
    in the month first reached per partner x module x year, so they add up to the targets'
    grain."""
    source = first_months(reach).assign(companies=1) if measure == "companies" else months
    if source.empty:
        return pd.DataFrame(columns=["month", "partner_code", "value"])
    out = source.groupby(["month", "partner_code"], as_index=False)[measure].sum()
    out[measure] = out[measure].astype(int)
    return out.rename(columns={measure: "value"}).sort_values(["month", "partner_code"])


def monthly_target(
    targets: pd.DataFrame, config: NetworkConfig, measure: str, years: tuple[int, ...]
) -> pd.Series:
    """Target of one measure spread evenly over the project months of each of ``years``
    (exact fractions, indexed by month)."""
    per_year = targets.groupby("year")[measure].sum()
    months = [m for m in config.months() if m.year in years]
    out = {}
    for month in months:
        n = sum(1 for m in config.months() if m.year == month.year)
        out[pd.Timestamp(month)] = Fraction(int(per_year.get(month.year, 0)), n)
    return pd.Series(out, dtype=object)


def partner_attainment(
    actual: pd.DataFrame, expected: pd.DataFrame, measures: tuple[str, ...] = MEASURES
) -> pd.DataFrame:
    """One row per partner x measure: actual, expected by now, attainment (None if no target)."""
    act = actual.groupby("partner_code")[list(measures)].sum()
    exp = expected.groupby("partner_code", sort=False)[list(measures)].sum()
    rows = []
    for partner in exp.index:
        for m in measures:
            value = int(act.loc[partner, m]) if partner in act.index else 0
            goal = exp.loc[partner, m]
            rows.append(
                {
                    "partner_code": partner,
                    "measure": m,
                    "actual": value,
                    "expected": goal,
                    "attainment": attainment(value, goal),
                }
            )
    return pd.DataFrame(
        rows, columns=["partner_code", "measure", "actual", "expected", "attainment"]
    )


def attainment_flag(share: Fraction | None, rules: Rules) -> str:
    """'ok' within the warn tolerance of expectation, 'warn' within the flag tolerance, else
    'flag'; 'none' without a target."""
    if share is None:
        return "none"
    if share >= 1 - Fraction(rules.deviation_warn):
        return "ok"
    return "warn" if share >= 1 - Fraction(rules.deviation_flag) else "flag"


def behind(attain: pd.DataFrame, tolerance: Decimal) -> pd.DataFrame:
    """Rows of :func:`partner_attainment` more than ``tolerance`` (0.15) behind expectation."""
    limit = 1 - Fraction(tolerance)
    mask = [a is not None and a < limit for a in attain["attainment"]]
    return attain[mask].reset_index(drop=True)


def with_year(rows: pd.DataFrame, column: str = "month") -> pd.DataFrame:
    """``rows`` with a ``year`` column taken from a date column."""
    years = pd.to_datetime(rows[column]).dt.year if not rows.empty else pd.Series(dtype=int)
    return rows.assign(year=years)


def format_counts(events: pd.DataFrame, formats: tuple[str, ...]) -> dict[str, int]:
    """Events per format (in the order of ``formats``)."""
    counts = events["format"].value_counts() if not events.empty else {}
    return {name: int(counts.get(name, 0)) for name in formats}
