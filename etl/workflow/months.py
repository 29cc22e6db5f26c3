"""The review cycle of a partner-month: a state machine over ``month_states``.

States (no row = ``due``)::

    due (fällig) --upload--> submitted (eingereicht) --ask--> query (Rückfrage)
    query --upload or partner's answer--> submitted
    submitted | query --approve--> approved (freigegeben, locked)
    with two review steps (``[review] steps`` in the configuration):
    submitted | query --approve (first role)--> checked (geprüft) --approve (second role)-->
    approved; checked --ask--> query; checked --upload--> submitted
    any month of a year --proof (finance)--> proof (im Nachweis, locked)
    approved --reopen (steering, finance)--> submitted;  proof --reopen (finance)--> submitted

The upload transitions are made by :mod:`etl.intake.ingest` (it refuses a locked month);
everything else is here. Every transition writes one audit row (action = the transition);
``role=None`` is the operator (CLI, demo) and may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from etl.core.years import year_of
from etl.warehouse import audit, db
from etl.warehouse.store import months as store
from etl.warehouse.store import uploads
from etl.warehouse.years import start_month

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Row

DUE, SUBMITTED, QUERY, APPROVED, PROOF = "due", "submitted", "query", "approved", "proof"
CHECKED = "checked"  # the first of two review steps done
STATE_NAMES = {
    DUE: "fällig",
    SUBMITTED: "eingereicht",
    QUERY: "Rückfrage",
    CHECKED: "geprüft",
    APPROVED: "freigegeben",
    PROOF: "im Nachweis",
}
REVIEWERS = ("steering", "finance")
# who may do which transition (the operator, role None, may do all)
ALLOWED = {
    "approve": REVIEWERS,
    "question": REVIEWERS,
    "reopen": REVIEWERS,
    "reopen_proof": ("finance",),
    "proof_submitted": ("finance",),
    "comment": ("partner", "steering", "finance", "admin"),
}
ROLE_NAMES = {"steering": "Projektsteuerung", "finance": "Finanzabteilung"}
MIN_TEXT = 5


class ApprovalError(ValueError):
    """A transition that cannot be done; the message is German."""


@dataclass(frozen=True)
class Actor:
    """Who acts: user name, role (None = operator) and, for partner accounts, their partner."""

    by: str
    role: str | None = None
    partner_scope: str | None = None
    ip: str | None = None


def _may(action: str, actor: Actor) -> None:
    allowed = ALLOWED[action]
    if actor.role is not None and actor.role not in allowed:
        who = " oder ".join(ROLE_NAMES.get(r, r) for r in allowed)
        raise ApprovalError(f"Das darf nur die {who}.")


def state(conn: Connection, partner: str, month: date) -> str:
    """The state of a partner-month (``due`` when it has no row)."""
    row = store.state_of(conn, partner=partner, month=month)
    return row.state if row is not None else DUE


def lock_of(conn: Connection, partner: str, month: date) -> Row | None:
    """The state row of a locked partner-month (approved or im Nachweis), or None."""
    return store.lock_of(conn, partner=partner, month=month)


def _label(partner: str, month: date) -> str:
    return f"{partner} {month:%m/%Y}"


def _text(text: str | None, what: str) -> str:
    text = (text or "").strip()
    if len(text) < MIN_TEXT:
        raise ApprovalError(f"Bitte {what} angeben (mindestens {MIN_TEXT} Zeichen).")
    return text[:4000]


def _audit(conn, action: str, actor: Actor, partner: str, month: date, **detail) -> None:
    audit.record(
        conn, action, username=actor.by, partner=partner, month=month, ip=actor.ip, detail=detail
    )


def _step(current: str, actor: Actor, steps: tuple[str, ...], label: str) -> str:
    """The state an approval leads to: with two review steps the first role's approval checks
    a month (geprüft), the second role's approves a checked one; one step: approved."""
    if not steps:
        return APPROVED
    first, second = steps
    wanted, target = (second, APPROVED) if current == CHECKED else (first, CHECKED)
    if actor.role is not None and actor.role != wanted:
        what = "freigeben" if target == APPROVED else "als Erste prüfen"
        state_now = "geprüften" if current == CHECKED else "eingereichten"
        raise ApprovalError(
            f"{label}: einen {state_now} Monat darf nur die {ROLE_NAMES[wanted]} {what}."
        )
    return target


def _approve_one(
    conn: Connection, partner: str, month: date, actor: Actor, now: datetime,
    steps: tuple[str, ...] = (),
) -> str:  # fmt: skip
    current = state(conn, partner, month)
    if current in (APPROVED, PROOF):
        raise ApprovalError(f"{_label(partner, month)} ist bereits freigegeben.")
    upload_id = uploads.current_id(conn, partner=partner, month=month)
    if current == DUE or upload_id is None:
        raise ApprovalError(
            f"Für {_label(partner, month)} liegt noch kein angenommener Bericht vor."
        )
    if _step(current, actor, steps, _label(partner, month)) == CHECKED:
        store.set_state(
            conn, partner=partner, month=month, state=CHECKED, by=actor.by, at=now,
            upload_id=upload_id,
        )  # fmt: skip
        _audit(conn, "check", actor, partner, month, upload_id=upload_id, previous=current)
        return CHECKED
    store.set_state(
        conn, partner=partner, month=month, state=APPROVED, by=actor.by, at=now,
        upload_id=upload_id, approved_by=actor.by, approved_at=now,
    )  # fmt: skip
    _audit(conn, "approve", actor, partner, month, upload_id=upload_id, previous=current)
    return APPROVED


def approve(
    engine: Engine,
    partner: str,
    month: date,
    *,
    by: str,
    ip: str | None = None,
    role: str | None = None,
    steps: tuple[str, ...] = (),
) -> str:
    """Approve (lock) a submitted or queried partner-month on its current upload; with two
    review ``steps`` one step of it (see :func:`_step`). Returns the new state."""
    actor = Actor(by, role, ip=ip)
    _may("approve", actor)
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        return _approve_one(conn, partner, month, actor, datetime.now(), steps)


def approve_many(
    engine: Engine, items: list[tuple[str, date]], actor: Actor, steps: tuple[str, ...] = ()
) -> tuple[list[tuple[str, date]], list[str]]:
    """Approve several partner-months in one action, each on its own (one refusal does not
    stop the others); returns (approved, German messages of those refused). With two review
    ``steps``, "approved" includes the months this approval checked (state ``checked``)."""
    _may("approve", actor)
    done, refused = [], []
    for partner, month in items:
        try:
            with db.writing(engine) as conn:
                db.lock_partner(conn, partner)
                _approve_one(conn, partner, month, actor, datetime.now(), steps)
            done.append((partner, month))
        except ApprovalError as exc:
            refused.append(str(exc))
    return done, refused


def ask(engine: Engine, partner: str, month: date, text: str | None, actor: Actor) -> None:
    """A reviewer's question (Rückfrage) on a submitted month, with its comment."""
    _may("question", actor)
    text = _text(text, "die Rückfrage")
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        current = state(conn, partner, month)
        if current not in (SUBMITTED, CHECKED):
            raise ApprovalError(
                f"Eine Rückfrage ist nur zu einem eingereichten Monat möglich; "
                f"{_label(partner, month)} ist {STATE_NAMES[current]}."
            )
        now = datetime.now()
        store.set_state(conn, partner=partner, month=month, state=QUERY, by=actor.by, at=now)
        _comment(conn, partner, month, actor, "question", text, now)
        _audit(conn, "question", actor, partner, month, text=text)


def _comment(conn, partner, month, actor: Actor, kind: str, text: str, now: datetime) -> int:
    return store.add_comment(
        conn, partner=partner, month=month, author=actor.by, role=actor.role or "admin",
        kind=kind, text=text, at=now,
    )  # fmt: skip


def comment(engine: Engine, partner: str, month: date, text: str | None, actor: Actor) -> str:
    """Add a comment (Bemerkung) to a partner-month; a partner's comment on a month with a
    Rückfrage answers it and returns the month to 'eingereicht'. Returns the comment's kind
    (note, answer, reply)."""
    _may("comment", actor)
    if actor.partner_scope and actor.partner_scope != partner:
        raise ApprovalError(
            f"Sie können nur Monate des Partners {actor.partner_scope} kommentieren."
        )
    text = _text(text, "einen Text")
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        current, now = state(conn, partner, month), datetime.now()
        if actor.role in REVIEWERS:
            kind = "reply"
        elif actor.role == "partner" and current == QUERY:
            kind = "answer"
            store.set_state(
                conn, partner=partner, month=month, state=SUBMITTED, by=actor.by, at=now
            )
        else:
            kind = "note"
        _comment(conn, partner, month, actor, kind, text, now)
        detail = {"kind": kind, "text": text}
        if kind == "answer":
            detail["state"] = SUBMITTED
        _audit(conn, "comment", actor, partner, month, **detail)
    return kind


def submit_proof(
    engine: Engine, partner: str, year: int, months: list[date], actor: Actor, kind: str = "interim"
) -> int:
    """Finance marks the partner's interim or final proof of use for project ``year`` as
    submitted: every month of ``months`` in that year goes to 'im Nachweis' (locked).
    Returns how many months changed."""
    _may("proof_submitted", actor)
    if kind not in ("interim", "final"):
        raise ApprovalError("Unbekannte Art des Nachweises.")
    todo = [m for m in months if year_of(m, start_month(engine)) == year]
    if not todo:
        raise ApprovalError(f"{year} liegt außerhalb der Projektlaufzeit.")
    changed, now = 0, datetime.now()
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        for month in todo:
            previous = state(conn, partner, month)
            if previous == PROOF:
                continue
            store.set_state(
                conn, partner=partner, month=month, state=PROOF, by=actor.by, at=now,
                proof_kind=kind, upload_id=uploads.current_id(conn, partner=partner, month=month),
            )  # fmt: skip
            _audit(conn, "proof_submitted", actor, partner, month, kind=kind, previous=previous)
            changed += 1
    if not changed:
        raise ApprovalError(f"Der Nachweis {year} für {partner} ist bereits eingereicht.")
    return changed


def reopen(
    engine: Engine,
    partner: str,
    month: date,
    *,
    by: str,
    reason: str,
    ip: str | None = None,
    role: str | None = None,
) -> None:
    """Reopen a locked partner-month (back to 'eingereicht', or 'fällig' without an upload);
    a month im Nachweis only by finance; the reason goes to the audit log."""
    actor = Actor(by, role, ip=ip)
    _may("reopen", actor)
    if len((reason or "").strip()) < MIN_TEXT:
        raise ApprovalError("Bitte einen Grund für die Wiederöffnung angeben.")
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        current = state(conn, partner, month)
        if current not in (APPROVED, PROOF):
            raise ApprovalError(f"{_label(partner, month)} ist nicht freigegeben.")
        if current == PROOF:
            _may("reopen_proof", actor)
        upload_id = uploads.current_id(conn, partner=partner, month=month)
        if upload_id is None:
            store.clear_state(conn, partner=partner, month=month)
        else:
            store.set_state(
                conn, partner=partner, month=month, state=SUBMITTED, by=by, at=datetime.now(),
                approved_by=None, approved_at=None, proof_kind=None,
            )  # fmt: skip
        _audit(conn, "reopen", actor, partner, month, reason=reason.strip(), previous=current)
