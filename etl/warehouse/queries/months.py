"""Reads of the month review: the state of every partner-month that left 'fällig' and the
comments on partner-months. Small tables (partners x months), read fresh on every request:
a state change does not change the upload id the dashboard's caches are keyed on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, select

from etl.warehouse import schema as s

STATE_COLUMNS = [
    "partner_code",
    "month",
    "state",
    "changed_by",
    "changed_at",
    "approved_by",
    "approved_at",
    "proof_kind",
    "upload_id",
    "previous_id",
    "file_name",
    "uploaded_at",
    "uploaded_by",
]
COMMENT_COLUMNS = ["id", "partner_code", "month", "at", "author", "role", "kind", "text"]


def month_states(engine: Engine, *, partners: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per partner-month with a state (no row = fällig), with its current upload
    (id, the id it replaced, file, when, by whom); ``month`` as ``date``."""
    ms, u = s.month_states, s.uploads
    current = and_(
        u.c.partner_code == ms.c.partner_code, u.c.month == ms.c.month, u.c.status == "accepted"
    )
    stmt = (
        select(
            ms.c.partner_code,
            ms.c.month,
            ms.c.state,
            ms.c.changed_by,
            ms.c.changed_at,
            ms.c.approved_by,
            ms.c.approved_at,
            ms.c.proof_kind,
            u.c.id.label("upload_id"),
            u.c.previous_id,
            u.c.file_name,
            u.c.uploaded_at,
            u.c.uploaded_by,
        )
        .select_from(ms.outerjoin(u, current))
        .order_by(ms.c.partner_code, ms.c.month)
    )
    if partners is not None:
        stmt = stmt.where(ms.c.partner_code.in_(list(partners)))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame([tuple(r) for r in rows], columns=STATE_COLUMNS, dtype=object)
    return df.where(df.notna(), None)  # missing is None, not NaN (ids stay ints)


def month_comments(
    engine: Engine,
    *,
    partners: Sequence[str] | None = None,
    partner: str | None = None,
    month: date | None = None,
) -> pd.DataFrame:
    """One row per comment, oldest first: of ``partners`` (all when None), or of one
    partner-month when ``partner`` and ``month`` are given."""
    c = s.month_comments
    stmt = select(*(c.c[name] for name in COMMENT_COLUMNS)).order_by(c.c.id)
    if partners is not None:
        stmt = stmt.where(c.c.partner_code.in_(list(partners)))
    if partner is not None:
        stmt = stmt.where(c.c.partner_code == partner)
    if month is not None:
        stmt = stmt.where(c.c.month == month)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=COMMENT_COLUMNS)
