"""Month approval: finance or steering locks a partner-month; reopening needs a reason."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, Engine, select

from etl.warehouse import audit, db
from etl.warehouse import schema as s


class ApprovalError(ValueError):
    """An approval action that cannot be done; the message is German."""


def lock_of(conn: Connection, partner: str, month: date):
    """The lock row of a partner-month, or None when it is open."""
    return conn.execute(
        select(s.month_locks).where(
            s.month_locks.c.partner_code == partner, s.month_locks.c.month == month
        )
    ).first()


def approve(engine: Engine, partner: str, month: date, *, by: str, ip: str | None = None) -> None:
    """Lock the partner-month's current upload; an unreported month cannot be approved."""
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        if lock_of(conn, partner, month):
            raise ApprovalError(f"{partner} {month:%m/%Y} ist bereits freigegeben.")
        current = conn.execute(
            select(s.uploads.c.id).where(
                s.uploads.c.partner_code == partner,
                s.uploads.c.month == month,
                s.uploads.c.status == "accepted",
            )
        ).scalar()
        if current is None:
            raise ApprovalError(
                f"Für {partner} {month:%m/%Y} liegt noch kein angenommener Bericht vor."
            )
        conn.execute(
            s.month_locks.insert().values(
                partner_code=partner,
                month=month,
                approved_by=by,
                approved_at=datetime.now(),
                upload_id=current,
            )
        )
        audit.record(
            conn,
            "approve",
            username=by,
            partner=partner,
            month=month,
            ip=ip,
            detail={"upload_id": current},
        )


def reopen(
    engine: Engine, partner: str, month: date, *, by: str, reason: str, ip: str | None = None
) -> None:
    """Unlock an approved partner-month; the reason goes to the audit log."""
    if len(reason.strip()) < 5:
        raise ApprovalError("Bitte einen Grund für die Wiederöffnung angeben.")
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        if not lock_of(conn, partner, month):
            raise ApprovalError(f"{partner} {month:%m/%Y} ist nicht freigegeben.")
        conn.execute(
            s.month_locks.delete().where(
                s.month_locks.c.partner_code == partner, s.month_locks.c.month == month
            )
        )
        audit.record(
            conn,
            "reopen",
            username=by,
            partner=partner,
            month=month,
            ip=ip,
            detail={"reason": reason.strip()},
        )
