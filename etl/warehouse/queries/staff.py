"""Staff time: what each staff member (Kürzel) billed on the project, month by month."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _filtered, _frame
from etl.warehouse.years import start_month

STAFF_COLUMNS = [
    "partner_code",
    "staff_code",
    "month",
    "pay_group",
    "billing",
    "quantity",
    "module",
    "amount_cents",
]


def staff_months(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per partner x staff member x month (a current Personal row): pay group, billing
    (``Monat``/``Stunden``), quantity (share of a month, or hours) as Decimal, module (or
    None), cents, and the calendar ``year`` (the year of the hours cap,
    ``rules.hours_per_year``, also with project years; ``years`` narrows by project year);
    sorted by partner, staff member, month."""
    t = s.personnel
    stmt = _current(t).with_only_columns(*(t.c[n] for n in STAFF_COLUMNS))
    start = start_month(engine)
    stmt = _filtered(stmt, t.c.partner_code, t.c.month, partners=partners, years=years,
                     start=start)
    df = _frame(engine, stmt.order_by(t.c.partner_code, t.c.staff_code, t.c.month))
    if df.empty:
        return pd.DataFrame({**{n: [] for n in STAFF_COLUMNS}, "year": []})
    df["year"] = [m.year for m in df["month"]]
    return df
