"""Burn curve and forecast: cumulative spending against the plan and the linear time line,
and a projection to the end of the grant from each partner's run-rate of recent months.

Amounts are integer cents; run-rates are exact fractions, rounded half-up only at the end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from dashboard.calc.finance import cell_sums
from etl.core.years import year_of, years_of

WINDOW = 6  # months of the run-rate


def round_half_up(value: Fraction) -> int:
    """Nearest integer, halves away from zero."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


def spread(total: int, n: int) -> list[int]:
    """``total`` cents in ``n`` parts that add up exactly (earlier parts take the spare cents)."""
    base, spare = divmod(int(total), n)
    return [base + (1 if i < spare else 0) for i in range(n)]


def plan_months(
    plan_by_year: dict[int, int], months: list[pd.Timestamp], start: int = 1
) -> pd.Series:
    """Each project year's plan (years starting in month ``start``) spread evenly over that
    year's months in ``months`` (cents per month)."""
    out: dict[pd.Timestamp, int] = {}
    for year, total in plan_by_year.items():
        in_year = [m for m in months if year_of(m, start) == year]
        out.update(zip(in_year, spread(total, len(in_year)), strict=True) if in_year else {})
    return pd.Series({m: out.get(m, 0) for m in months}, dtype=object)


def run_rate(
    increments: pd.Series,
    months: list[pd.Timestamp],
    last: pd.Timestamp | None,
    window: int = WINDOW,
) -> Fraction:
    """Average cents per month over the ``window`` project months up to ``last`` (months
    without money count as zero; fewer months at the start of the project)."""
    if last is None:
        return Fraction(0)
    recent = [m for m in months if m <= last][-window:]
    if not recent:
        return Fraction(0)
    return Fraction(sum(int(increments.get(m, 0)) for m in recent), len(recent))


def projection(
    increments: pd.Series,
    months: list[pd.Timestamp],
    last: pd.Timestamp | None,
    window: int = WINDOW,
) -> pd.Series:
    """Cents per month over ``months``: actual up to ``last``, the run-rate after it."""
    rate = run_rate(increments, months, last, window)
    return pd.Series(
        {
            m: Fraction(int(increments.get(m, 0))) if last is not None and m <= last else rate
            for m in months
        },
        dtype=object,
    )


def last_months(eligible_months: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """The latest month with money of each partner."""
    if eligible_months.empty:
        return {}
    return eligible_months.groupby("partner_code")["month"].max().to_dict()


def partner_projections(
    eligible_months: pd.DataFrame,
    partners: tuple[str, ...],
    months: list[pd.Timestamp],
    window: int = WINDOW,
) -> dict[str, pd.Series]:
    """:func:`projection` of every partner over the whole project period."""
    last = last_months(eligible_months)
    out = {}
    for code in partners:
        mine = eligible_months[eligible_months["partner_code"] == code]
        incr = mine.groupby("month")["eligible"].sum()
        out[code] = projection(incr, months, last.get(code), window)
    return out


@dataclass(frozen=True)
class RunRates:
    """:func:`projection` of every partner over ``months`` in whole-array form.

    ``increments`` holds each partner's eligible cents per month (partners x months, int64);
    a partner's first ``n_actual`` months are actual, the rest run at ``rate_sum / rate_n``
    cents a month (``rate_n`` is 1 when there is no run-rate, with ``rate_sum`` 0)."""

    partners: tuple[str, ...]
    months: list[pd.Timestamp]
    increments: np.ndarray
    n_actual: np.ndarray
    rate_sum: np.ndarray
    rate_n: np.ndarray

    def actual_mask(self) -> np.ndarray:
        """True where a partner's month is actual (partners x months)."""
        return np.arange(len(self.months))[None, :] < self.n_actual[:, None]


def run_rates(
    eligible_months: pd.DataFrame,
    partners: tuple[str, ...],
    months: list[pd.Timestamp],
    window: int = WINDOW,
) -> RunRates:
    """Actual months and run-rate of every partner, as :func:`partner_projections` has them,
    from one pivot of ``eligible_months`` (no per-partner loops)."""
    partners = tuple(partners)
    n_p, n_m = len(partners), len(months)
    incr = np.zeros((n_p, n_m), dtype=np.int64)
    n_actual = np.zeros(n_p, dtype=np.int64)
    if not eligible_months.empty and n_p and n_m:
        month_index = pd.DatetimeIndex(months)
        row_p = pd.Index(partners).get_indexer(eligible_months["partner_code"])
        stamps = pd.DatetimeIndex(eligible_months["month"])
        row_m = month_index.get_indexer(stamps)
        mine = row_p >= 0
        both = mine & (row_m >= 0)
        values = eligible_months["eligible"].to_numpy(dtype=np.int64)
        np.add.at(incr, (row_p[both], row_m[both]), values[both])
        # each partner's last month with money, as a position in ``months`` (sorted): the
        # number of months on or before it
        month_ns = month_index.as_unit("ns").asi8
        row_ns = stamps.as_unit("ns").asi8
        last = np.full(n_p, np.iinfo(np.int64).min, dtype=np.int64)
        np.maximum.at(last, row_p[mine], row_ns[mine])
        has = np.zeros(n_p, dtype=bool)
        has[row_p[mine]] = True
        n_actual = np.where(has, np.searchsorted(month_ns, last, side="right"), 0)
        n_actual = n_actual.astype(np.int64)
    rate_n = np.minimum(n_actual, window)
    idx = np.arange(n_m)[None, :]
    recent = (idx < n_actual[:, None]) & (idx >= (n_actual - rate_n)[:, None])
    rate_sum = np.where(recent, incr, 0).sum(axis=1) if n_m else np.zeros(n_p, dtype=np.int64)
    rate_sum = np.where(rate_n > 0, rate_sum, 0).astype(np.int64)
    rate_n = np.where(rate_n > 0, rate_n, 1).astype(np.int64)
    return RunRates(partners, list(months), incr, n_actual, rate_sum, rate_n)


def round_half_up_int(num: np.ndarray, den) -> np.ndarray:
    """:func:`round_half_up` of ``num / den`` (den > 0) for integer arrays."""
    num = np.asarray(num)
    sign = np.where(num < 0, -1, 1)
    return sign * ((2 * np.abs(num) + den) // (2 * den))


def forecast_by_year(
    eligible_months: pd.DataFrame,
    plan: pd.DataFrame,
    partners: tuple[str, ...],
    months: list[pd.Timestamp],
    window: int = WINDOW,
    start: int = 1,
) -> pd.DataFrame:
    """One row per partner x project year (starting in month ``start``): plan, actual so far,
    forecast for the year's end and the money at risk (planned but not expected to be
    spent), all in cents."""
    cols = ["partner_code", "year", "plan", "actual", "forecast", "at_risk"]
    partners = tuple(partners)
    rr = run_rates(eligible_months, partners, months, window)
    month_years = np.array([year_of(m, start) for m in months], dtype=np.int64)
    years = sorted(set(month_years.tolist()))
    if not partners or not years:
        return pd.DataFrame(columns=cols)
    mask = rr.actual_mask()
    # per partner x year: actual cents in the actual months, count of run-rate months
    in_year = (month_years[None, :] == np.array(years, dtype=np.int64)[:, None]).astype(
        np.int64
    )  # years x months
    act_sum = np.where(mask, rr.increments, 0) @ in_year.T  # partners x years
    n_rate = (~mask).astype(np.int64) @ in_year.T
    k = rr.rate_n[:, None]
    # forecast = act_sum + n_rate * rate_sum / k, rounded half-up once
    fc = round_half_up_int(act_sum * k + n_rate * rr.rate_sum[:, None], k)
    if plan.empty:
        p = np.zeros(len(partners) * len(years), dtype=np.int64)
    else:
        p = cell_sums(plan["partner_code"], plan["year"], plan["plan"], partners, years)
    if eligible_months.empty:
        actual = np.zeros(len(partners) * len(years), dtype=np.int64)
    else:
        actual = cell_sums(
            eligible_months["partner_code"],
            years_of(eligible_months["month"], start).to_numpy(),
            eligible_months["eligible"],
            partners,
            years,
        )
    fc = fc.reshape(-1).astype(np.int64)
    return pd.DataFrame(
        {
            "partner_code": [c for c in partners for _ in years],
            "year": np.tile(np.array(years, dtype=np.int64), len(partners)),
            "plan": p,
            "actual": actual,
            "forecast": fc,
            "at_risk": np.maximum(0, p - fc),
        },
        columns=cols,
    )


def forecast_start(
    eligible_months: pd.DataFrame, partners: tuple[str, ...], months: list[pd.Timestamp]
) -> pd.Timestamp | None:
    """The month from which the forecast line is drawn: the earliest partner's latest data
    (the first month when a partner has no money at all; None without any data)."""
    last = last_months(eligible_months)
    if not last:
        return None
    starts = [last.get(code) for code in partners]
    return months[0] if any(s is None for s in starts) else min(starts)


def burn_curve(
    eligible_months: pd.DataFrame,
    plan_by_year: dict[int, int],
    partners: tuple[str, ...],
    months: list[pd.Timestamp],
    window: int = WINDOW,
    start: int = 1,
) -> pd.DataFrame:
    """One row per month of ``months``: cumulative actual (up to the latest data), plan, linear
    time line and forecast (from :func:`forecast_start` on), in cents at the month's end."""
    cols = ["month", "actual", "plan", "linear", "forecast"]
    actual_m = _actual_per_month(eligible_months, months)
    per_month, den = _forecast_per_month(eligible_months, partners, months, window)
    plan = plan_months(plan_by_year, months, start)
    total = sum(plan_by_year.values())
    latest, start = _latest_and_start(eligible_months, partners, months)
    rows, cum_a, cum_p, cum_f = [], 0, 0, 0
    for i, m in enumerate(months, start=1):
        cum_a += actual_m[i - 1]
        cum_p += int(plan[m])
        cum_f += int(per_month[i - 1])
        rows.append(
            {
                "month": m,
                "actual": cum_a if latest is not None and m <= latest else None,
                "plan": cum_p,
                "linear": round_half_up(Fraction(total * i, len(months))),
                "forecast": round_half_up(Fraction(cum_f, den))
                if start is not None and m >= start
                else None,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _actual_per_month(eligible_months: pd.DataFrame, months: list[pd.Timestamp]) -> list[int]:
    """Eligible cents per month of ``months`` (all partners)."""
    if eligible_months.empty or not months:
        return [0] * len(months)
    stamps = pd.DatetimeIndex(eligible_months["month"])
    at = pd.DatetimeIndex(months).get_indexer(stamps)
    sums = np.zeros(len(months), dtype=np.int64)
    np.add.at(sums, at[at >= 0], eligible_months["eligible"].to_numpy(dtype=np.int64)[at >= 0])
    return [int(v) for v in sums]


def _forecast_per_month(
    eligible_months: pd.DataFrame, partners: tuple[str, ...], months: list, window: int
) -> tuple[np.ndarray, int]:
    """The forecast summed over partners per month, in 1/den cents, and den (the common
    denominator of the run-rates): actual where reported, else each partner's run-rate."""
    rr = run_rates(eligible_months, partners, months, window)
    den = math.lcm(*(int(k) for k in set(rr.rate_n.tolist()))) if len(rr.rate_n) else 1
    mask = rr.actual_mask()
    scaled = np.where(
        mask, rr.increments.astype(object) * den, (rr.rate_sum * (den // rr.rate_n))[:, None]
    )
    per_month = scaled.sum(axis=0) if len(partners) else np.zeros(len(months), dtype=object)
    return per_month, den


def _latest_and_start(eligible_months: pd.DataFrame, partners: tuple[str, ...], months: list):
    """The latest month with money, and the forecast's start (see forecast_start): the
    earliest of the partners' latest months, the first month when a partner has none."""
    if eligible_months.empty:
        return None, None
    stamps = pd.DatetimeIndex(eligible_months["month"])
    latest = stamps.max()
    uniq = list(dict.fromkeys(partners))
    at = pd.Index(uniq).get_indexer(eligible_months["partner_code"])
    ns = stamps.as_unit("ns").asi8
    has = np.zeros(len(uniq), dtype=bool)
    has[at[at >= 0]] = True
    last = np.full(len(uniq), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, at[at >= 0], ns[at >= 0])  # each partner's latest month
    if not uniq or not has.all():
        return latest, months[0] if months else None
    return latest, pd.Timestamp(int(last.min()), unit="ns")
