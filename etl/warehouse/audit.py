"""The audit log: who did what, when, for which partner-month."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import Connection, Engine, func, select

from etl.warehouse import schema as s

ACTIONS = (
    "upload",
    "restore",
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
    "mail_sent",
    "check",  # the first of two review steps (etl.workflow.months)
    "cut_recorded",
    "cut_removed",
    "change_requested",
    "change_decided",
    "change_linked",
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


def login_failures(
    engine: Engine, *, username: str, ip: str, since: datetime
) -> tuple[int, datetime | None]:
    """Failed logins of this user name from this address since ``since`` and since the pair's
    last successful login: their number and the time of the latest (None: none)."""
    log = s.audit_log.c
    pair = (log.username == username, log.ip == ip)
    with engine.connect() as conn:
        last_ok = conn.execute(
            select(func.max(log.at)).where(log.action == "login", *pair)
        ).scalar_one()
        after = (log.at > last_ok,) if last_ok is not None else ()
        count, latest = conn.execute(
            select(func.count(), func.max(log.at))
            .select_from(s.audit_log)
            .where(log.action == "login_failed", log.at >= since, *pair, *after)
        ).one()
    return count, latest


def address_failures(engine: Engine, *, ip: str, since: datetime) -> int:
    """Failed logins from this address since ``since``, whatever user name they tried."""
    log = s.audit_log.c
    with engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(s.audit_log)
            .where(log.action == "login_failed", log.at >= since, log.ip == ip)
        ).scalar_one()
