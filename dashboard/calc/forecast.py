"""Burn curve and forecast: cumulative spending against the plan and the linear time line,
and a projection to the end of the grant from each partner's run-rate of recent months.

Amounts are integer cents; run-rates are exact fractions, rounded half-up only at the end.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

WINDOW = 6  # months of the run-rate


def round_half_up(value: Fraction) -> int:
    """Nearest integer, halves away from zero."""
    sign = -1 if value < 0 else 1
    return sign * int(abs(value) + Fraction(1, 2))


def spread(total: int, n: int) -> list[int]:
    """``total`` cents in ``n`` parts that add up exactly (earlier parts take the spare cents)."""
    base, spare = divmod(int(total), n)
    return [base + (1 if i < spare else 0) for i in range(n)]


def plan_months(plan_by_year: dict[int, int], months: list[pd.Timestamp]) -> pd.Series:
    """Each year's plan spread evenly over that year's months in ``months`` (cents per month)."""
    out: dict[pd.Timestamp, int] = {}
    for year, total in plan_by_year.items():
        in_year = [m for m in months if m.year == year]
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


def forecast_by_year(
    eligible_months: pd.DataFrame,
    plan: pd.DataFrame,
    partners: tuple[str, ...],
    months: list[pd.Timestamp],
    window: int = WINDOW,
) -> pd.DataFrame:
    """One row per partner x project year: plan, actual so far, forecast for the year's end and
    the money at risk (planned but not expected to be spent), all in cents."""
    projections = partner_projections(eligible_months, partners, months, window)
    actual = (
        eligible_months.assign(year=eligible_months["month"].dt.year)
        .groupby(["partner_code", "year"])["eligible"]
        .sum()
        if not eligible_months.empty
        else pd.Series(dtype=int)
    )
    planned = plan.groupby(["partner_code", "year"])["plan"].sum()
    rows = []
    for code in partners:
        series = projections[code]
        for year in sorted({m.year for m in months}):
            fc = round_half_up(sum((v for m, v in series.items() if m.year == year), Fraction(0)))
            p = int(planned.get((code, year), 0))
            rows.append(
                {
                    "partner_code": code,
                    "year": year,
                    "plan": p,
                    "actual": int(actual.get((code, year), 0)),
                    "forecast": fc,
                    "at_risk": max(0, p - fc),
                }
            )
    return pd.DataFrame(
        rows, columns=["partner_code", "year", "plan", "actual", "forecast", "at_risk"]
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
) -> pd.DataFrame:
    """One row per month of ``months``: cumulative actual (up to the latest data), plan, linear
    time line and forecast (from :func:`forecast_start` on), in cents at the month's end."""
    actual = (
        eligible_months.groupby("month")["eligible"].sum()
        if not eligible_months.empty
        else pd.Series(dtype=int)
    )
    projections = partner_projections(eligible_months, partners, months, window)
    plan = plan_months(plan_by_year, months)
    total = sum(plan_by_year.values())
    last = last_months(eligible_months)
    latest = max(last.values()) if last else None
    start = forecast_start(eligible_months, partners, months)
    rows, cum_a, cum_p, cum_f = [], 0, 0, Fraction(0)
    for i, m in enumerate(months, start=1):
        cum_a += int(actual.get(m, 0))
        cum_p += int(plan[m])
        cum_f += sum((projections[c][m] for c in partners), Fraction(0))
        rows.append(
            {
                "month": m,
                "actual": cum_a if latest is not None and m <= latest else None,
                "plan": cum_p,
                "linear": round_half_up(Fraction(total * i, len(months))),
                "forecast": round_half_up(cum_f) if start is not None and m >= start else None,
            }
        )
    return pd.DataFrame(rows, columns=["month", "actual", "plan", "linear", "forecast"])
