"""Monthly aggregates: reads of ``fact_monthly`` (partner x month x module x measure) and the
counts and sums the charts need at partner x month grain or near it (activity and money
months, event counts by format, personnel by pay group). Money is integer cents."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, case, func, select

from etl.core.money import money_months_frame
from etl.core.years import years_of
from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _filtered, _frame
from etl.warehouse.years import start_month


def monthly_facts(
    engine: Engine,
    *,
    partners: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    measures: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per partner x month x module x measure (module '' where none was given)."""
    f = s.fact_monthly
    stmt = select(f.c.partner_code, f.c.month, f.c.module, f.c.measure, f.c.value)
    if measures:
        stmt = stmt.where(f.c.measure.in_(list(measures)))
    start = start_month(engine)
    stmt = _filtered(stmt, f.c.partner_code, f.c.month, partners=partners, years=years,
                     start=start)
    df = _frame(engine, stmt.order_by(f.c.partner_code, f.c.month, f.c.module, f.c.measure))
    if not df.empty:
        df["month"] = pd.to_datetime(df["month"])
        df["year"] = years_of(df["month"], start)
    return df


ACTIVITY_MEASURES = ("events", "participants", "coachings")


def _pivot(engine: Engine, keys: list, measures: Sequence[str]) -> pd.DataFrame:
    """``fact_monthly`` summed by ``keys`` with one column per measure (None where a group
    has no row of that measure); only groups with a row of some measure."""
    f = s.fact_monthly
    stmt = (
        select(
            *keys,
            *[func.sum(case((f.c.measure == m, f.c.value))).label(m) for m in measures],
        )
        .where(f.c.measure.in_(list(measures)))
        .group_by(*keys)
    )
    return _frame(engine, stmt)


def activity_months(engine: Engine) -> pd.DataFrame:
    """One row per partner x month x module with events, participants, coachings (int) and
    coaching hours (Decimal): ``fact_monthly`` pivoted in SQL (the same frame as
    ``dashboard.calc.activity.activity_months(monthly_facts(engine))``)."""
    f = s.fact_monthly
    counts = list(ACTIVITY_MEASURES)
    cols = ["partner_code", "month", "year", "module", *counts, "coaching_hours"]
    df = _pivot(engine, [f.c.partner_code, f.c.month, f.c.module], [*counts, "coaching_hours"])
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["month"] = pd.to_datetime(df["month"])
    df["year"] = years_of(df["month"], start_month(engine))
    for measure in counts:
        df[measure] = [0 if v is None else int(v) for v in df[measure]]
    df["coaching_hours"] = pd.Series(
        [Decimal(0) if v is None else Decimal(v) for v in df["coaching_hours"]], dtype=object
    )
    return df.sort_values(["partner_code", "month", "module"], ignore_index=True)[cols]


def money_months(engine: Engine) -> pd.DataFrame:
    """One row per partner x month: personnel and booked expenditure in cents (int), from
    ``fact_monthly`` summed in SQL (the same frame as
    ``dashboard.calc.finance.money_months(monthly_facts(engine))``; both shape it with
    :func:`etl.core.money.money_months_frame`)."""
    f = s.fact_monthly
    df = _pivot(engine, [f.c.partner_code, f.c.month], ["personnel_cents", "expenditure_cents"])
    if df.empty:
        return money_months_frame([], [], [], [])
    return money_months_frame(
        df["partner_code"], df["month"], df["personnel_cents"], df["expenditure_cents"],
        start_month(engine),
    )


def event_counts(engine: Engine) -> pd.DataFrame:
    """Current events counted per partner x month x module x format (column ``n``): what the
    format chart needs (and the project ``year``), without reading every event row (titles,
    files) into memory."""
    e = s.events
    n = func.count().label("n")
    stmt = (
        _current(e)
        .with_only_columns(e.c.partner_code, e.c.month, e.c.module, e.c.format, n)
        .group_by(e.c.partner_code, e.c.month, e.c.module, e.c.format)
        .order_by(e.c.partner_code, e.c.month, e.c.module, e.c.format)
    )
    df = _frame(engine, stmt)
    if not df.empty:
        df["year"] = years_of(df["month"], start_month(engine)).to_numpy()
    return df


def personnel_by_group(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current Personal row: partner, month, project year, pay group, billing,
    quantity, cents."""
    start = start_month(engine)
    t = s.personnel
    stmt = _current(t).with_only_columns(
        t.c.partner_code,
        t.c.month,
        t.c.pay_group,
        t.c.billing,
        t.c.quantity,
        t.c.amount_cents,
        t.c.module,
    )
    df = _frame(
        engine,
        _filtered(stmt, t.c.partner_code, t.c.month, partners=partners, years=years, start=start),
    )
    df["year"] = years_of(df["month"], start) if not df.empty else pd.Series(dtype=int)
    return df
