"""Cuts (Kürzungen) of the funding body's check: one row per recorded cut, with the amount
the partner claimed for that row in the current upload of its month."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, String, and_, literal, select, union_all

from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _frame


def claimed_rows() -> object:
    """Every current Ausgaben and Personal row as partner_code, month, sheet, row_key
    (receipt number or staff code), claimed_cents and a short description."""
    e, p = s.expenditure, s.personnel
    receipts = _current(e).with_only_columns(
        e.c.partner_code,
        e.c.month,
        literal("Ausgaben", String).label("sheet"),
        e.c.receipt_no.label("row_key"),
        e.c.amount_cents.label("claimed_cents"),
        e.c.cost_category.label("what"),
    )
    staff = _current(p).with_only_columns(
        p.c.partner_code,
        p.c.month,
        literal("Personal", String).label("sheet"),
        p.c.staff_code.label("row_key"),
        p.c.amount_cents.label("claimed_cents"),
        p.c.billing.label("what"),
    )
    return union_all(receipts, staff)


def audit_cuts(engine: Engine, *, partners: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per recorded cut: partner_code, month, sheet, row_key, accepted_cents, reason,
    decided_on, who/when, and ``claimed_cents``/``what`` of the row it cuts in the current
    upload of the month (missing when that row is gone: the cut then applies to nothing).
    Sorted by partner, month, sheet, row key."""
    c = s.audit_cuts
    rows = claimed_rows().subquery()
    on = and_(
        rows.c.partner_code == c.c.partner_code,
        rows.c.month == c.c.month,
        rows.c.sheet == c.c.sheet,
        rows.c.row_key == c.c.row_key,
    )
    stmt = select(c, rows.c.claimed_cents, rows.c.what).select_from(c.outerjoin(rows, on))
    if partners:
        stmt = stmt.where(c.c.partner_code.in_(list(partners)))
    stmt = stmt.order_by(c.c.partner_code, c.c.month, c.c.sheet, c.c.row_key)
    return _frame(engine, stmt)
