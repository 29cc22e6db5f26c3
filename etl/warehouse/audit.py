"""The audit log: who did what, when, for which partner-month."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Connection, Engine, func, or_, select

from etl.warehouse import schema as s

ACTIONS = (
    "upload",
    "approve",
    "reopen",
    "login",
    "login_failed",
    "logout",
    "user_created",
    "user_changed",
    "password_reset",
    "download",
    "plan_upload",
    "payment_requested",
    "payment_approved",
    "payment_paid",
    "question",
    "comment",
    "proof_submitted",
)


def record(
    conn: Connection,
    action: str,
    *,
    username: str | None,
    partner: str | None = None,
    month: date | None = None,
    ip: str | None = None,
    detail: object = "",
    at: datetime | None = None,
) -> None:
    """Append one audit row inside the caller's transaction (``detail``: text or JSON-able)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = (
        detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, default=str)
    )
    conn.execute(
        s.audit_log.insert().values(
            at=at or datetime.now(),
            username=(username or "")[:100] or None,
            action=action,
            partner_code=partner,
            month=month,
            ip=(ip or "")[:64] or None,
            detail=text,
        )
    )


def failed_logins(engine: Engine, *, username: str, ip: str, since: datetime) -> int:
    """Failed logins since ``since`` by this user name or from this address (one count)."""
    log = s.audit_log.c
    with engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(s.audit_log)
            .where(
                log.action == "login_failed",
                log.at >= since,
                or_(log.username == username, log.ip == ip),
            )
        ).scalar_one()
