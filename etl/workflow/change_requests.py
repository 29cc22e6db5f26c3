"""Change requests (Änderungsanträge): a plan reallocation that needs the funding body's
consent (a budget line moving by more than ``deviation_flag``, marked "Zustimmung des
Fördergebers nötig") is requested with its date, decided (approved or rejected, with the
date), and an approved one is linked to the plan version it became.

Status runs requested -> approved | rejected; only finance records the steps, each goes to
the audit log. The plan itself changes only through a plan upload (etl.workflow.plan).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from etl.warehouse import audit, db
from etl.warehouse.store import change_requests as store

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Row

STATUS_LABELS = {"requested": "beantragt", "approved": "genehmigt", "rejected": "abgelehnt"}
MIN_TEXT = 5


class ChangeRequestError(ValueError):
    """A step that cannot be done; the message is German and says why."""


def _finance(role: str | None) -> None:
    if role is not None and role != "finance":
        raise ChangeRequestError("Änderungsanträge erfasst nur die Finanzabteilung.")


def _row(conn: Connection, request_id: int) -> Row:
    row = store.get(conn, request_id=request_id)
    if row is None:
        raise ChangeRequestError(f"Änderungsantrag Nr. {request_id} gibt es nicht.")
    return row


def file_request(
    engine: Engine,
    *,
    based_on: int,
    description: str,
    requested_on: date,
    by: str,
    role: str | None = "finance",
    ip: str | None = None,
) -> int:
    """Record a change request starting from plan version ``based_on``; returns its id."""
    _finance(role)
    text = (description or "").strip()
    if len(text) < MIN_TEXT:
        raise ChangeRequestError("Bitte beschreiben, was umgeschichtet werden soll und warum.")
    if requested_on > date.today():
        raise ChangeRequestError("Das Antragsdatum liegt in der Zukunft.")
    with db.writing(engine) as conn:
        if not store.version_exists(conn, version_id=based_on):
            raise ChangeRequestError(f"Planfassung {based_on} gibt es nicht.")
        request_id = store.insert(
            conn,
            based_on=based_on,
            description=text,
            requested_on=requested_on,
            by=by,
            at=datetime.now(),
        )
        audit.record(
            conn,
            "change_requested",
            username=by,
            ip=ip,
            detail={"change": int(request_id), "version": based_on, "text": text},
        )
    return int(request_id)


def decide(
    engine: Engine,
    request_id: int,
    *,
    approved: bool,
    decided_on: date,
    note: str = "",
    by: str,
    role: str | None = "finance",
    ip: str | None = None,
) -> None:
    """Record the funding body's decision on a pending request."""
    _finance(role)
    with db.writing(engine) as conn:
        row = _row(conn, request_id)
        if row.status != "requested":
            raise ChangeRequestError(
                f"Änderungsantrag Nr. {request_id} ist schon {STATUS_LABELS[row.status]}."
            )
        if not row.requested_on <= decided_on <= date.today():
            raise ChangeRequestError(
                "Das Datum der Entscheidung muss zwischen Antrag und heute liegen."
            )
        status = "approved" if approved else "rejected"
        store.update(
            conn,
            request_id=request_id,
            by=by,
            at=datetime.now(),
            status=status,
            decided_on=decided_on,
            decision_note=(note or "").strip(),
        )
        audit.record(
            conn,
            "change_decided",
            username=by,
            ip=ip,
            detail={
                "change": request_id,
                "decision": STATUS_LABELS[status],
                "decided_on": f"{decided_on:%d.%m.%Y}",
            },
        )


def link(
    engine: Engine,
    request_id: int,
    *,
    version_id: int,
    by: str,
    role: str | None = "finance",
    ip: str | None = None,
) -> None:
    """Link an approved request to the plan version it became (a later version)."""
    _finance(role)
    with db.writing(engine) as conn:
        row = _row(conn, request_id)
        if row.status != "approved":
            raise ChangeRequestError(
                "Nur ein genehmigter Antrag wird mit einer Planfassung verknüpft."
            )
        if not store.version_exists(conn, version_id=version_id) or version_id <= row.based_on:
            raise ChangeRequestError(
                f"Die Planfassung muss nach Fassung {row.based_on} entstanden sein."
            )
        store.update(
            conn, request_id=request_id, by=by, at=datetime.now(), plan_version_id=version_id
        )
        audit.record(
            conn,
            "change_linked",
            username=by,
            ip=ip,
            detail={"change": request_id, "version": version_id},
        )
