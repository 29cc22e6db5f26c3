"""Received files and their state: one row per upload (all statuses), the version stamps
that change with them, a partner-month's current upload and approval lock, the locks, and
the audit log."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, and_, func, or_, select

from etl.warehouse import schema as s
from etl.warehouse.queries.common import _frame


def uploads(
    engine: Engine, *, partners: Sequence[str] | None = None, uploaded_by: str | None = None
) -> pd.DataFrame:
    """One row per received file (all statuses), newest first.

    With ``partners``, only their files, plus unreadable files (no partner) that
    ``uploaded_by`` sent.
    """
    u = s.uploads
    stmt = select(
        u.c.id,
        u.c.partner_code,
        u.c.month,
        u.c.status,
        u.c.file_name,
        u.c.uploaded_by,
        u.c.uploaded_at,
        u.c.n_errors,
        u.c.previous_id,
        u.c.sha256,
    )
    if partners:
        own = u.c.partner_code.in_(list(partners))
        if uploaded_by:
            own = or_(own, and_(u.c.partner_code.is_(None), u.c.uploaded_by == uploaded_by))
        stmt = stmt.where(own)
    return _frame(engine, stmt.order_by(u.c.uploaded_at.desc(), u.c.id.desc()))


def latest_upload_id(engine: Engine) -> int:
    """The highest upload id (0 when empty): a cheap version stamp that changes with every file."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(s.uploads.c.id))).scalar() or 0)


def latest_loaded_upload(engine: Engine) -> str:
    """Version of the figures: id and file hash of the latest upload that loaded fact rows
    (accepted, or superseded since); ``'f0'`` when none did."""
    u = s.uploads
    stmt = (
        select(u.c.id, u.c.sha256)
        .where(u.c.status.in_(["accepted", "superseded"]))
        .order_by(u.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    return f"f{row.id}:{row.sha256[:16]}" if row else "f0"


def month_status(engine: Engine, *, partner: str, month) -> dict:
    """The current upload and the review state of one partner-month (one row as a dict)."""
    u, ms = s.uploads, s.month_states
    with engine.connect() as conn:
        up = conn.execute(
            select(u.c.id, u.c.file_name, u.c.uploaded_at, u.c.uploaded_by).where(
                u.c.partner_code == partner, u.c.month == month, u.c.status == "accepted"
            )
        ).first()
        st = conn.execute(
            select(ms.c.state, ms.c.approved_by, ms.c.approved_at).where(
                ms.c.partner_code == partner, ms.c.month == month
            )
        ).first()
    return {
        "upload_id": up.id if up else None,
        "file_name": up.file_name if up else None,
        "uploaded_at": up.uploaded_at if up else None,
        "uploaded_by": up.uploaded_by if up else None,
        "state": st.state if st else "due",
        "approved_by": st.approved_by if st else None,
        "approved_at": st.approved_at if st else None,
    }


def month_locks(engine: Engine) -> pd.DataFrame:
    """One row per locked partner-month (freigegeben or im Nachweis)."""
    ms = s.month_states
    cols = [ms.c.partner_code, ms.c.month, ms.c.approved_by, ms.c.approved_at, ms.c.upload_id]
    stmt = select(*cols, ms.c.state).where(ms.c.state.in_(s.LOCKED_STATES))
    return _frame(engine, stmt.order_by(ms.c.partner_code, ms.c.month))


def audit_rows(engine: Engine, *, limit: int = 20_000) -> pd.DataFrame:
    """One row per audit event, newest first (at most ``limit``)."""
    a = s.audit_log
    return _frame(engine, select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(limit))
