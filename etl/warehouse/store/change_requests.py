"""Change requests (Änderungsanträge): one row per request, its decision and linked version."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Row, select

from etl.warehouse import schema as s


def insert(
    conn: Connection, *, based_on: int, description: str, requested_on: date, by: str, at: datetime
) -> int:
    """Record a change request (status ``requested``); returns its id."""
    return conn.execute(
        s.change_requests.insert().values(
            based_on=based_on,
            description=description,
            requested_on=requested_on,
            status="requested",
            decision_note="",
            created_by=by,
            created_at=at,
            updated_by=by,
            updated_at=at,
        )
    ).inserted_primary_key[0]


def get(conn: Connection, *, request_id: int) -> Row | None:
    """One change request (all columns), or None."""
    t = s.change_requests
    return conn.execute(select(t).where(t.c.id == request_id)).first()


def update(conn: Connection, *, request_id: int, by: str, at: datetime, **values) -> None:
    """Set columns of one change request (status, decided_on, decision_note, plan_version_id)."""
    t = s.change_requests
    conn.execute(
        t.update().where(t.c.id == request_id).values(updated_by=by, updated_at=at, **values)
    )


def version_exists(conn: Connection, *, version_id: int) -> bool:
    """Whether a plan version with this number exists."""
    v = s.plan_versions
    return conn.execute(select(v.c.id).where(v.c.id == version_id)).first() is not None
