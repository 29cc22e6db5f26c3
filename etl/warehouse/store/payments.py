"""Payment requests: one row per request, its status and the amounts of each step (cents)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Row, select

from etl.warehouse import schema as s


def insert_request(
    conn: Connection,
    *,
    partner: str,
    requested_date: date,
    period_start: date,
    period_end: date,
    requested_cents: int,
    note: str,
    by: str,
    at: datetime,
) -> int:
    """Record one payment request (status ``requested``); returns its id."""
    return conn.execute(
        s.payment_requests.insert().values(
            partner_code=partner,
            requested_date=requested_date,
            period_start=period_start,
            period_end=period_end,
            requested_cents=requested_cents,
            status="requested",
            note=note,
            created_by=by,
            created_at=at,
            updated_by=by,
            updated_at=at,
        )
    ).inserted_primary_key[0]


def request(conn: Connection, *, request_id: int) -> Row | None:
    """One payment request (all columns), or None."""
    return conn.execute(
        select(s.payment_requests).where(s.payment_requests.c.id == request_id)
    ).first()


def set_approved(
    conn: Connection, *, request_id: int, approved_date: date, cents: int, by: str, at: datetime
) -> None:
    """Mark one request approved with its date and amount."""
    conn.execute(
        s.payment_requests.update()
        .where(s.payment_requests.c.id == request_id)
        .values(
            status="approved",
            approved_date=approved_date,
            approved_cents=cents,
            updated_by=by,
            updated_at=at,
        )
    )


def set_paid(
    conn: Connection, *, request_id: int, paid_date: date, cents: int, by: str, at: datetime
) -> None:
    """Mark one request paid with its date and amount."""
    conn.execute(
        s.payment_requests.update()
        .where(s.payment_requests.c.id == request_id)
        .values(
            status="paid",
            paid_date=paid_date,
            paid_cents=cents,
            updated_by=by,
            updated_at=at,
        )
    )
