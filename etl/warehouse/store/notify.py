"""Writes of the notifications: outbox rows (one per event x recipient) and preferences.
The rules (which events, when a mail goes out) are in :mod:`etl.workflow.notify`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from etl.warehouse.schema_mail import notification_outbox as outbox
from etl.warehouse.schema_mail import notification_prefs as prefs


def _insert(conn: Connection, table):
    """The dialect's INSERT, which knows ON CONFLICT (SQLite and PostgreSQL both do)."""
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


def enqueue(
    conn: Connection, *, user_id: int, event_key: str, kind: str, payload: str, at: datetime
) -> bool:
    """One pending outbox row, unless this user already has one for ``event_key`` (whatever
    its state): True when it was added. Safe against a parallel run (ON CONFLICT)."""
    stmt = (
        _insert(conn, outbox)
        .values(
            user_id=user_id,
            event_key=event_key,
            kind=kind,
            payload=payload,
            created_at=at,
            state="pending",
            attempts=0,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "event_key"])
    )
    return conn.execute(stmt).rowcount == 1


def mark_sent(conn: Connection, *, ids: Sequence[int], at: datetime, digest: str | None) -> int:
    """Pending rows ``ids`` are in a mail now; returns the rows changed."""
    c = outbox.c
    return conn.execute(
        outbox.update()
        .where(c.id.in_(list(ids)), c.state == "pending")
        .values(state="sent", sent_at=at, digest=digest, attempts=c.attempts + 1)
    ).rowcount


def mark_skipped(conn: Connection, *, ids: Sequence[int]) -> int:
    """Pending rows ``ids`` of a kind the user switched off; returns the rows changed."""
    c = outbox.c
    return conn.execute(
        outbox.update().where(c.id.in_(list(ids)), c.state == "pending").values(state="skipped")
    ).rowcount


def mark_failed_attempt(
    conn: Connection, *, ids: Sequence[int], error: str, give_up_after: int
) -> int:
    """One more failed attempt of rows ``ids`` (they stay pending for the next run, and are
    'failed' from ``give_up_after`` attempts); returns the rows changed."""
    c = outbox.c
    rows = conn.execute(
        select(c.id, c.attempts).where(c.id.in_(list(ids)), c.state == "pending")
    ).all()
    for row in rows:
        state = "failed" if row.attempts + 1 >= give_up_after else "pending"
        conn.execute(
            outbox.update()
            .where(c.id == row.id)
            .values(attempts=row.attempts + 1, last_error=error[:2000], state=state)
        )
    return len(rows)


def set_pref(conn: Connection, *, user_id: int, kind: str, mode: str) -> None:
    """How ``user_id`` wants mails of ``kind`` (insert or replace)."""
    stmt = _insert(conn, prefs).values(user_id=user_id, kind=kind, mode=mode)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=["user_id", "kind"], set_={"mode": stmt.excluded.mode}
        )
    )
