"""Reads of the notifications: who gets mail, how they want it, what waits in the outbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, func, select

from etl.warehouse import schema as s
from etl.warehouse.schema_mail import notification_outbox as outbox
from etl.warehouse.schema_mail import notification_prefs as prefs


def mail_recipients(engine: Engine) -> list[dict]:
    """One dict per active account with an e-mail address: id, username, role,
    partner_code, email; by name."""
    u = s.users.c
    stmt = (
        select(u.id, u.username, u.role, u.partner_code, u.email)
        .where(u.is_active.is_(True), u.email.is_not(None), u.email != "")
        .order_by(u.username)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def notification_prefs(engine: Engine, *, user_id: int | None = None) -> dict:
    """{(user_id, kind): mode} of every preference a user set (of one user when given)."""
    stmt = select(prefs.c.user_id, prefs.c.kind, prefs.c.mode)
    if user_id is not None:
        stmt = stmt.where(prefs.c.user_id == user_id)
    with engine.connect() as conn:
        return {(r.user_id, r.kind): r.mode for r in conn.execute(stmt)}


def outbox_keys(engine: Engine) -> set[tuple[int, str]]:
    """(user_id, event_key) of every outbox row, whatever its state."""
    with engine.connect() as conn:
        return {
            (r.user_id, r.event_key)
            for r in conn.execute(select(outbox.c.user_id, outbox.c.event_key))
        }


def event_keys(engine: Engine, *, kind: str) -> list[str]:
    """The distinct event keys of ``kind`` in the outbox (whatever the recipient or state)."""
    stmt = select(outbox.c.event_key).where(outbox.c.kind == kind).distinct()
    with engine.connect() as conn:
        return list(conn.execute(stmt).scalars())


def pending_mail(engine: Engine) -> list[dict]:
    """One dict per pending outbox row (id, user_id, event_key, kind, payload, created_at,
    attempts), oldest first."""
    c = outbox.c
    stmt = (
        select(c.id, c.user_id, c.event_key, c.kind, c.payload, c.created_at, c.attempts)
        .where(c.state == "pending")
        .order_by(c.id)
    )
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(stmt)]


def last_digests(engine: Engine) -> dict[tuple[int, str], datetime]:
    """{(user_id, 'daily'|'weekly'): when that user's latest digest of the kind went out}."""
    c = outbox.c
    stmt = (
        select(c.user_id, c.digest, func.max(c.sent_at))
        .where(c.digest.is_not(None))
        .group_by(c.user_id, c.digest)
    )
    with engine.connect() as conn:
        return {(r[0], r[1]): r[2] for r in conn.execute(stmt)}


def outbox_rows(engine: Engine) -> list[dict]:
    """Every outbox row as a dict (all columns), by id: for the CLI's status and the tests."""
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(outbox).order_by(outbox.c.id))]
