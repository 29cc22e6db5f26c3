"""Month locks (approvals): one row per approved partner-month."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Row, select

from etl.warehouse import schema as s


def lock_of(conn: Connection, *, partner: str, month: date) -> Row | None:
    """The lock row of a partner-month, or None when it is open."""
    return conn.execute(
        select(s.month_locks).where(
            s.month_locks.c.partner_code == partner, s.month_locks.c.month == month
        )
    ).first()


def insert_lock(
    conn: Connection, *, partner: str, month: date, by: str, at: datetime, upload_id: int
) -> None:
    """Lock one partner-month on its current upload ``upload_id``."""
    conn.execute(
        s.month_locks.insert().values(
            partner_code=partner,
            month=month,
            approved_by=by,
            approved_at=at,
            upload_id=upload_id,
        )
    )


def delete_lock(conn: Connection, *, partner: str, month: date) -> None:
    """Unlock one partner-month."""
    conn.execute(
        s.month_locks.delete().where(
            s.month_locks.c.partner_code == partner, s.month_locks.c.month == month
        )
    )
