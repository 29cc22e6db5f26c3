"""Finance plan and payments: one row per plan version, a version's content (budget lines,
targets, funding rates), one row per payment request, and whether Personal rows exist."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, func, select

from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _frame


def latest_plan_version_id(engine: Engine) -> int:
    """The newest finance plan version number (0 when there is none yet)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(s.plan_versions.c.id))).scalar() or 0)


def plan_versions(engine: Engine) -> pd.DataFrame:
    """One row per finance plan version (who, when, why, file, total), newest first."""
    v = s.plan_versions
    return _frame(engine, select(v).order_by(v.c.id.desc()))


def plan_version(engine: Engine, *, version_id: int) -> dict | None:
    """One finance plan version's row as a dict (None when it does not exist)."""
    v = s.plan_versions
    with engine.connect() as conn:
        row = conn.execute(select(v).where(v.c.id == version_id)).mappings().first()
    return dict(row) if row else None


def plan_content(
    engine: Engine, *, version_id: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A plan version's budget lines (partner x year x category), targets (partner x module x
    year x measure) and funding rates (partner), each one frame."""
    lines, targets, rates = s.plan_lines, s.plan_targets, s.plan_funding_rates
    return (
        _frame(engine, select(lines).where(lines.c.version_id == version_id)),
        _frame(engine, select(targets).where(targets.c.version_id == version_id)),
        _frame(engine, select(rates).where(rates.c.version_id == version_id)),
    )


def payment_requests(engine: Engine, *, partners: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per payment request (Mittelabruf), oldest first."""
    t = s.payment_requests
    stmt = select(t)
    if partners:
        stmt = stmt.where(t.c.partner_code.in_(list(partners)))
    return _frame(engine, stmt.order_by(t.c.requested_date, t.c.id))


def personnel_recorded(engine: Engine) -> bool:
    """True when any current upload holds a Personal row (its amount used a unit-cost table)."""
    t = s.personnel
    with engine.connect() as conn:
        return conn.execute(_current(t).with_only_columns(t.c.id).limit(1)).first() is not None


def change_requests(engine: Engine) -> pd.DataFrame:
    """One row per change request (Änderungsantrag) for a plan reallocation, newest first."""
    t = s.change_requests
    return _frame(engine, select(t).order_by(t.c.requested_on.desc(), t.c.id.desc()))
