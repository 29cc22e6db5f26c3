"""Month approval: finance or steering locks a partner-month; reopening needs a reason."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from etl.warehouse import audit, db
from etl.warehouse.store import months as locks
from etl.warehouse.store import uploads

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Row


class ApprovalError(ValueError):
    """An approval action that cannot be done; the message is German."""


def lock_of(conn: Connection, partner: str, month: date) -> Row | None:
    """The lock row of a partner-month, or None when it is open."""
    return locks.lock_of(conn, partner=partner, month=month)


def approve(engine: Engine, partner: str, month: date, *, by: str, ip: str | None = None) -> None:
    """Lock the partner-month's current upload; an unreported month cannot be approved."""
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        if lock_of(conn, partner, month):
            raise ApprovalError(f"{partner} {month:%m/%Y} ist bereits freigegeben.")
        current = uploads.current_id(conn, partner=partner, month=month)
        if current is None:
            raise ApprovalError(
                f"Für {partner} {month:%m/%Y} liegt noch kein angenommener Bericht vor."
            )
        locks.insert_lock(
            conn, partner=partner, month=month, by=by, at=datetime.now(), upload_id=current
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
        locks.delete_lock(conn, partner=partner, month=month)
        audit.record(
            conn,
            "reopen",
            username=by,
            partner=partner,
            month=month,
            ip=ip,
            detail={"reason": reason.strip()},
        )
