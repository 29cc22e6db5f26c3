"""Money per partner x year: eligible costs and financing (via etl.core.money), plan vs
actual, flags.

All amounts are integer cents; shares are exact fractions. Eligible costs are computed per
partner x year with the rules of :func:`etl.core.money.eligible_costs`, exactly as
``python -m etl report`` does, on whole numpy int64 arrays at once (:func:`eligible_arrays`;
the tests check it against eligible_costs).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from dashboard.calc import periods
from etl.core.config import COST_CATEGORIES, NetworkConfig, Rules
from etl.core.money import (
    Eligible,
    capped,
    eligible_arrays,
    exact_ratio,
    funding_ratios,
    money_months_frame,
    monthly_amounts,
)

MONEY_MEASURES = {"personnel_cents": "personnel", "expenditure_cents": "expenditure"}
ELIGIBLE_FIELDS = ("personnel", "overheads", "material", "eligible", "grant", "eu", "state", "own")


def money_months(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per partner x month: personnel and booked expenditure in cents (int), from a
    ``monthly_facts`` frame summed exactly in Python (what ``etl.warehouse.queries.
    money_months`` sums in SQL; both shape the frame with ``money_months_frame``)."""
    part = facts[facts["measure"].isin(list(MONEY_MEASURES))] if not facts.empty else facts
    rows: dict[tuple, dict[str, int]] = {}
    for r in part.itertuples(index=False):
        acc = rows.setdefault((r.partner_code, r.month), {"personnel": 0, "expenditure": 0})
        acc[MONEY_MEASURES[r.measure]] += int(Decimal(r.value))
    sums = [(k[0], k[1], v["personnel"], v["expenditure"]) for k, v in rows.items()]
    return money_months_frame(*(zip(*sums, strict=True) if sums else ([], [], [], [])))


def cell_sums(
    codes, years_of_rows, values: np.ndarray, partners: tuple[str, ...], years: tuple[int, ...]
) -> np.ndarray:
    """Exact int64 sums of ``values`` (rows, or rows x columns) per partner x year, in the
    order ``for p in partners for y in years`` (repeated labels repeat their sums; rows
    outside are left out): a vectorised groupby + reindex."""
    uniq_p, uniq_y = list(dict.fromkeys(partners)), list(dict.fromkeys(int(y) for y in years))
    p_at = pd.Index(uniq_p).get_indexer(codes)
    y_at = pd.Index(uniq_y, dtype="int64").get_indexer(np.asarray(years_of_rows, dtype=np.int64))
    values = np.asarray(values, dtype=np.int64)
    sums = np.zeros((len(uniq_p) * len(uniq_y), *values.shape[1:]), dtype=np.int64)
    inside = (p_at >= 0) & (y_at >= 0)
    np.add.at(sums, p_at[inside] * len(uniq_y) + y_at[inside], values[inside])
    if len(uniq_p) == len(partners) and len(uniq_y) == len(years):
        return sums
    pos_p, pos_y = {p: i for i, p in enumerate(uniq_p)}, {y: i for i, y in enumerate(uniq_y)}
    return sums[[pos_p[p] * len(uniq_y) + pos_y[int(y)] for p in partners for y in years]]


def eligible_table(
    money: pd.DataFrame, config: NetworkConfig, partners: tuple[str, ...], years: tuple[int, ...]
) -> pd.DataFrame:
    """One row per partner x year (zeros included): cost rules applied to the year's sums,
    each partner's grant capped over the project's years (:func:`etl.core.money.capped`)."""
    out = _rate_table(money, config, partners, years)
    caps = {p: config.partner(p).grant_cap_cents for p in dict.fromkeys(partners)}
    caps = {p: cap for p, cap in caps.items() if cap is not None}
    return _with_caps(out, money, config, caps) if caps and len(out) else out


def _with_caps(
    out: pd.DataFrame, money: pd.DataFrame, config: NetworkConfig, caps: dict[str, int]
) -> pd.DataFrame:
    """``out`` with the grant, EU, state and own shares of the capped partners' rows replaced
    by the capped ones (computed over all project years, whatever years ``out`` holds)."""
    full = _rate_table(money, config, tuple(caps), config.years)
    fixed: dict[tuple[str, int], Eligible] = {}
    for code, cap in caps.items():
        rows = full[full["partner_code"] == code].sort_values("year")
        plain = [
            Eligible(*(int(getattr(r, f)) for f in ELIGIBLE_FIELDS)) for r in rows.itertuples()
        ]
        for year, e in zip(rows["year"], capped(plain, cap), strict=True):
            fixed[(code, int(year))] = e
    out = out.copy()
    for field in ("grant", "eu", "state", "own"):
        out[field] = [
            getattr(fixed[(c, int(y))], field) if (c, int(y)) in fixed else int(v)
            for c, y, v in zip(out["partner_code"], out["year"], out[field], strict=True)
        ]
        out[field] = out[field].astype(np.int64)
    return out


def grant_caps(
    money: pd.DataFrame, config: NetworkConfig, partners: tuple[str, ...]
) -> list[tuple[str, int, int]]:
    """Per partner of ``partners`` whose grant is capped (a ceiling, or no funding): code,
    ceiling and the grant the funding rate alone gives over the whole project (cents)."""
    caps = {p: config.partner(p).grant_cap_cents for p in dict.fromkeys(partners)}
    caps = {p: cap for p, cap in caps.items() if cap is not None}
    if not caps:
        return []
    full = _rate_table(money, config, tuple(caps), config.years)
    by_rate = full.groupby("partner_code")["grant"].sum()
    return [(code, cap, int(by_rate.get(code, 0))) for code, cap in caps.items()]


def _rate_table(
    money: pd.DataFrame, config: NetworkConfig, partners: tuple[str, ...], years: tuple[int, ...]
) -> pd.DataFrame:
    """:func:`eligible_table` before the grant ceilings: the funding rates alone."""
    cols = ["partner_code", "year", *ELIGIBLE_FIELDS]
    index = pd.MultiIndex.from_product(
        [list(partners), [int(y) for y in years]], names=["partner_code", "year"]
    )
    if not len(index):
        return pd.DataFrame(columns=cols)
    if money.empty:
        pers = exp = np.zeros(len(index), dtype=np.int64)
    else:
        sums = cell_sums(
            money["partner_code"],
            money["year"],
            money[["personnel", "expenditure"]].to_numpy(dtype=np.int64),
            partners,
            years,
        )
        pers, exp = sums[:, 0], sums[:, 1]
    codes = [p for p in partners for _ in years]
    num, den = funding_ratios(config, codes)
    out = pd.DataFrame(
        {
            "partner_code": codes,
            "year": np.tile(np.array([int(y) for y in years], dtype=np.int64), len(partners)),
            **eligible_arrays(pers, exp, num, den, config.rules),
        },
        columns=cols,
    )
    return out


def budget_lines(
    config: NetworkConfig, partners: tuple[str, ...], years: tuple[int, ...]
) -> pd.DataFrame:
    """One row per partner x year x cost category with the planned amount in cents."""
    budget = config.budget
    keys = [(p, y, c) for p in partners for y in years for c in COST_CATEGORIES]
    return pd.DataFrame(
        {
            "partner_code": [k[0] for k in keys],
            "year": np.array([k[1] for k in keys], dtype=np.int64),
            "category": [k[2] for k in keys],
            "plan": np.array(
                [int(budget[k] * 100) if k in budget else 0 for k in keys], dtype=np.int64
            ),
        },
        columns=["partner_code", "year", "category", "plan"],
    )


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


def flags(actual: np.ndarray, plan: np.ndarray, rules: Rules, base=None) -> np.ndarray:
    """:func:`flag` of :func:`deviation` for whole arrays, in exact integer arithmetic:
    (actual - plan) / plan >= num / den  <=>  (actual - plan) x den >= num x plan (plan > 0).
    ``base``: the amount the share is taken of (default ``plan``; under-spend passes the
    plan as ``actual`` and the actual as ``plan``, with the plan as ``base``)."""
    a, p = np.asarray(actual, dtype=object), np.asarray(plan, dtype=object)
    over = a - p
    fnum, fden = exact_ratio(rules.deviation_flag)
    wnum, wden = exact_ratio(rules.deviation_warn)
    base = p if base is None else np.asarray(base, dtype=object)
    has = np.asarray(base, dtype=np.int64) > 0
    is_flag = has & (over * fden >= fnum * base).astype(bool)
    is_warn = has & (over * wden >= wnum * base).astype(bool)
    return np.where(is_flag, "flag", np.where(is_warn, "warn", "ok")).astype(object)


def _same_grain(eligible: pd.DataFrame, budget: pd.DataFrame) -> bool:
    """Whether ``budget`` holds, row by row, each row of ``eligible`` (partner x year) with
    the categories in COST_CATEGORIES order, as budget_lines and eligible_table make them."""
    n = len(COST_CATEGORIES)
    if eligible.empty or len(budget) != n * len(eligible):
        return False
    if not all(c in eligible.columns for c in COST_CATEGORIES):
        return False
    cats = np.tile(np.array(COST_CATEGORIES, dtype=object), len(eligible))
    return bool(
        (budget["category"].to_numpy(dtype=object) == cats).all()
        and (
            budget["partner_code"].to_numpy(dtype=object)[::n]
            == eligible["partner_code"].to_numpy(dtype=object)
        ).all()
        and (
            budget["year"].to_numpy(dtype=np.int64)[::n]
            == eligible["year"].to_numpy(dtype=np.int64)
        ).all()
    )


def plan_vs_actual(
    eligible: pd.DataFrame,
    budget: pd.DataFrame,
    rules: Rules,
    shares: dict[int, Fraction] | None = None,
) -> pd.DataFrame:
    """One row per budget line (partner x year x category): plan, plan to date (``compare``:
    the plan x each year's share elapsed, :func:`year_shares`; the plan without ``shares``),
    actual, deviation from the plan to date, flag both ways ('warn'/'flag' over or under by
    the thresholds), ``direction`` ('over'/'under') and ``at_stake`` (|actual - plan to
    date| of flagged and warned lines, cents)."""
    out = budget.reset_index(drop=True)
    cats = list(COST_CATEGORIES)
    if _same_grain(eligible, out):
        # budget lines in eligible's partner x year order, categories in COST_CATEGORIES order
        out["actual"] = eligible[cats].to_numpy(dtype=np.int64).reshape(-1)
    elif (keyed := eligible.set_index(["partner_code", "year"])).index.is_unique:
        # each budget line's actual: the eligible row of its partner x year, category column
        rows = keyed.index.get_indexer(
            pd.MultiIndex.from_arrays([out["partner_code"], out["year"]])
        )
        cols = pd.Index(cats).get_indexer(out["category"])
        table = keyed[cats].to_numpy(dtype=np.int64)
        found = (rows >= 0) & (cols >= 0)
        actual = np.zeros(len(out), dtype=np.int64)
        actual[found] = table[rows[found], cols[found]]
        out["actual"] = actual
    else:  # repeated partner x year rows: a left join, as the lines may repeat too
        long = eligible.melt(
            id_vars=["partner_code", "year"],
            value_vars=cats,
            var_name="category",
            value_name="actual",
        )
        out = budget.merge(long, on=["partner_code", "year", "category"], how="left")
        out["actual"] = out["actual"].fillna(0).astype(int)
    return _compared(out, rules, shares)


def _compared(out: pd.DataFrame, rules: Rules, shares: dict[int, Fraction] | None):
    """The lines with their plan to date, deviation from it, flag both ways, direction and
    the euros at stake (see :func:`plan_vs_actual`)."""
    actual = out["actual"].to_numpy(dtype=np.int64)
    plan = out["plan"].to_numpy(dtype=np.int64)
    compare = plan_to_date(plan, out["year"].to_numpy(dtype=np.int64), shares)
    out["compare"] = compare
    out["deviation"] = pd.Series(
        [
            Fraction(int(a) - int(p), int(p)) if p > 0 else None
            for a, p in zip(actual.tolist(), compare.tolist(), strict=True)
        ],
        index=out.index,
        dtype=object,
    )
    over = flags(actual, compare, rules) if len(out) else np.array([], dtype=object)
    under = flags(compare, actual, rules, base=compare) if len(out) else over
    out["flag"] = np.where(over != "ok", over, under).astype(object) if len(out) else []
    out["direction"] = np.where(actual >= compare, "over", "under").astype(object)
    gap = np.abs(actual - compare)
    out["at_stake"] = np.where(out["flag"].to_numpy() != "ok", gap, 0).astype(np.int64)
    return out


def year_shares(config: NetworkConfig, years, as_of: date) -> dict[int, Fraction]:
    """Each year's share of its project months elapsed by the end of month ``as_of`` (the
    Stand): 1 for closed years, months elapsed / months of the year for the current one, 0
    for years to come."""
    return {int(y): periods.year_elapsed(config, int(y), as_of) for y in years}


def plan_to_date(
    plan: np.ndarray, years: np.ndarray, shares: dict[int, Fraction] | None
) -> np.ndarray:
    """Each line's plan due by the Stand: plan x its year's share (:func:`year_shares`),
    rounded half-up to the cent; the whole plan when ``shares`` is None."""
    plan = np.asarray(plan, dtype=np.int64)
    if shares is None:
        return plan.copy()
    out = np.zeros(len(plan), dtype=np.int64)
    for year, share in shares.items():
        at = np.asarray(years) == year
        num, den = share.numerator, share.denominator
        out[at] = (2 * plan[at] * num + den) // (2 * den)
    return out


def by_risk(lines: pd.DataFrame) -> pd.DataFrame:
    """The lines with the most euros at stake first (flagged before warned at equal stake),
    then the rest by their distance from plan; ties keep their order."""
    rank = lines["flag"].map({"flag": 0, "warn": 1}).fillna(2)
    gap = (lines["actual"].astype("int64") - lines["compare"].astype("int64")).abs()
    order = pd.DataFrame({"stake": -lines["at_stake"], "rank": rank, "gap": -gap})
    return lines.loc[order.sort_values(["stake", "rank", "gap"], kind="stable").index]


def totals(frame: pd.DataFrame, fields: tuple[str, ...] = ELIGIBLE_FIELDS) -> dict[str, int]:
    """Column sums as exact integer cents."""
    if frame.empty:
        return {f: 0 for f in fields}
    return {f: int(sum(frame[f].tolist())) for f in fields}


def eligible_months(money: pd.DataFrame, config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x month with money: the eligible costs added that month (cents);
    a year's months add up exactly to the partner x year figure of :func:`eligible_table`
    (see :func:`etl.core.money.monthly_amounts`)."""
    return monthly_amounts(money, config, ("eligible",))
