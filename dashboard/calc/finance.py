"""Money per partner x year: eligible costs and financing (via etl.money), plan vs actual, flags.

All amounts are integer cents; shares are exact fractions. Eligible costs are computed per
partner x year with :func:`etl.money.eligible_costs`, exactly as ``python -m etl report`` does.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pandas as pd

from etl.config import COST_CATEGORIES, NetworkConfig, Rules
from etl.money import eligible_costs

MONEY_MEASURES = {"personnel_cents": "personnel", "expenditure_cents": "expenditure"}
ELIGIBLE_FIELDS = ("personnel", "overheads", "material", "eligible", "grant", "eu", "state", "own")


def money_months(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per partner x month: personnel and booked expenditure in cents (int)."""
    cols = ["partner_code", "year", "month", "personnel", "expenditure"]
    part = facts[facts["measure"].isin(list(MONEY_MEASURES))] if not facts.empty else facts
    if part.empty:
        return pd.DataFrame(columns=cols)
    rows: dict[tuple, dict[str, int]] = {}
    for r in part.itertuples(index=False):
        acc = rows.setdefault(
            (r.partner_code, int(r.year), r.month), {"personnel": 0, "expenditure": 0}
        )
        acc[MONEY_MEASURES[r.measure]] += int(Decimal(r.value))
    return pd.DataFrame(
        [{"partner_code": k[0], "year": k[1], "month": k[2], **v} for k, v in sorted(rows.items())],
        columns=cols,
    )


def eligible_table(
    money: pd.DataFrame, config: NetworkConfig, partners: tuple[str, ...], years: tuple[int, ...]
) -> pd.DataFrame:
    """One row per partner x year (zeros included): cost rules applied to the year's sums."""
    sums = (
        money.groupby(["partner_code", "year"])[["personnel", "expenditure"]].sum()
        if not money.empty
        else pd.DataFrame()
    )
    rows = []
    for code in partners:
        rate = config.partner(code).funding_rate
        for year in years:
            pers, exp = (
                int(sums.loc[(code, year), c]) if (code, year) in sums.index else 0
                for c in ("personnel", "expenditure")
            )
            rows.append(
                {
                    "partner_code": code,
                    "year": year,
                    **eligible_costs(pers, exp, rate, config.rules).as_dict(),
                }
            )
    return pd.DataFrame(rows, columns=["partner_code", "year", *ELIGIBLE_FIELDS])


def budget_lines(
    config: NetworkConfig, partners: tuple[str, ...], years: tuple[int, ...]
) -> pd.DataFrame:
    """One row per partner x year x cost category with the planned amount in cents."""
    rows = [
        {
            "partner_code": p,
            "year": y,
            "category": c,
            "plan": int(config.budget.get((p, y, c), Decimal(0)) * 100),
        }
        for p in partners
        for y in years
        for c in COST_CATEGORIES
    ]
    return pd.DataFrame(rows, columns=["partner_code", "year", "category", "plan"])


def deviation(actual: int, plan: int) -> Fraction | None:
    """How far ``actual`` lies above (+) or below (-) ``plan``, as a share; None without plan."""
    if plan <= 0:
        return None
    return Fraction(actual - plan, plan)


def flag(dev: Fraction | None, rules: Rules) -> str:
    """'flag' at or above rules.deviation_flag over plan, 'warn' from deviation_warn, else 'ok'."""
    if dev is None:
        return "ok"
    if dev >= Fraction(rules.deviation_flag):
        return "flag"
    if dev >= Fraction(rules.deviation_warn):
        return "warn"
    return "ok"


def plan_vs_actual(eligible: pd.DataFrame, budget: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """One row per budget line (partner x year x category): plan, actual, deviation and flag."""
    long = eligible.melt(
        id_vars=["partner_code", "year"],
        value_vars=list(COST_CATEGORIES),
        var_name="category",
        value_name="actual",
    )
    out = budget.merge(long, on=["partner_code", "year", "category"], how="left")
    out["actual"] = out["actual"].fillna(0).astype(int)
    out["deviation"] = [
        deviation(int(a), int(p)) for a, p in zip(out["actual"], out["plan"], strict=True)
    ]
    out["flag"] = [flag(d, rules) for d in out["deviation"]]
    return out


def totals(frame: pd.DataFrame, fields: tuple[str, ...] = ELIGIBLE_FIELDS) -> dict[str, int]:
    """Column sums as exact integer cents."""
    return {f: int(sum(int(v) for v in frame[f])) if not frame.empty else 0 for f in fields}


def eligible_months(money: pd.DataFrame, config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x month with money: the eligible costs added that month (cents).

    The cost rules are applied to the running sums within each year, and the month's amount
    is the difference to the month before, so a year's months add up exactly to the
    partner x year figure of :func:`eligible_table`.
    """
    rows = []
    for (code, _year), grp in money.sort_values("month").groupby(["partner_code", "year"]):
        rate, pers, exp, before = config.partner(code).funding_rate, 0, 0, 0
        for r in grp.itertuples(index=False):
            pers, exp = pers + int(r.personnel), exp + int(r.expenditure)
            running = eligible_costs(pers, exp, rate, config.rules).eligible
            rows.append(
                {"partner_code": code, "month": pd.Timestamp(r.month), "eligible": running - before}
            )
            before = running
    return pd.DataFrame(rows, columns=["partner_code", "month", "eligible"])
