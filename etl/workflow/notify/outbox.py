"""``notify``: events -> outbox rows -> mails, idempotently.

1. derive today's events from the warehouse (:mod:`.events`);
2. write one outbox row per event x recipient (an active account with an e-mail address
   and the event's role/partner); a row that exists already (any state) is not written again;
3. group the pending rows per user by the user's choice for their kind: ``now`` one mail
   each, ``daily``/``weekly`` one digest when the last one is a day/a week old, ``off``
   skipped;
4. send each mail; only when the server accepted it are its rows marked sent, with an
   audit row, in one transaction. A refused or failed mail leaves its rows pending for the
   next run (at most ``MAX_ATTEMPTS`` tries), so nothing is lost and nothing sent twice
   (except if the process dies between the server's acceptance and that commit).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from etl.warehouse import audit, db, queries
from etl.warehouse.store import notify as store
from etl.workflow import plan as finance_plan
from etl.workflow.notify import mail
from etl.workflow.notify.budget import budget_events
from etl.workflow.notify.events import Event, derive
from etl.workflow.notify.kinds import kinds_for

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from etl.core.config import NetworkConfig
    from etl.core.settings import Settings

MAX_ATTEMPTS = 5
DIGEST_GAP = {"daily": timedelta(hours=20), "weekly": timedelta(days=6, hours=20)}


@dataclass
class Batch:
    """One mail to be sent: its recipient, its outbox rows and, for a digest, its cadence."""

    user: dict
    rows: list[dict]
    digest: str | None = None


@dataclass
class Summary:
    """What a run did (or, dry, would do)."""

    events: int = 0
    queued: int = 0
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    mails: list = field(default_factory=list)  # the MIMEText of every mail sent or planned


def recipients_of(event: Event, users: list[dict]) -> list[dict]:
    """The accounts an event goes to: its roles, and its partner for partner accounts."""
    return [
        u
        for u in users
        if u["role"] in event.roles
        and (event.partner is None or u["partner_code"] == event.partner)
    ]


def _payload(event: Event) -> str:
    return json.dumps(
        {"subject": event.subject, "lines": list(event.lines), "link": event.link},
        ensure_ascii=False,
    )


def collect(engine: Engine, config: NetworkConfig, settings: Settings, now: datetime):
    """Today's events and their (user, event) pairs."""
    events = derive(
        config,
        states=queries.month_states(engine),
        comments=queries.month_comments(engine),
        payments=queries.payment_requests(engine),
        today=now.date(),
        overdue=settings.overdue_days,
    )
    priced = finance_plan.current_config(engine, config)  # the budget of the current plan version
    keys = queries.event_keys(engine, kind="budget")
    events += budget_events(priced, queries.money_months(engine), keys, now.date())
    users = queries.mail_recipients(engine)
    return events, [(u, e) for e in events for u in recipients_of(e, users)]


def enqueue(engine: Engine, pairs, now: datetime) -> int:
    """Write the outbox rows of ``pairs`` that do not exist yet; returns how many."""
    with db.writing(engine) as conn:
        return sum(
            store.enqueue(
                conn, user_id=u["id"], event_key=e.key, kind=e.kind, payload=_payload(e), at=now
            )
            for u, e in pairs
        )


def _due(mode: str, last: datetime | None, now: datetime) -> bool:
    return mode == "now" or last is None or now - last >= DIGEST_GAP[mode]


def plan(
    pending: list[dict], users: dict[int, dict], prefs: dict, last: dict, now: datetime
) -> tuple[list[Batch], list[int]]:
    """The mails to send now and the rows to skip (kind switched off or not for the role)."""
    batches, skipped = [], []
    for uid in sorted({r["user_id"] for r in pending}):
        user = users.get(uid)
        if user is None:  # no address any more, or disabled: the rows wait
            continue
        defaults = {k.key: k.default for k in kinds_for(user["role"])}
        by_mode: dict[str, list[dict]] = {}
        for row in (r for r in pending if r["user_id"] == uid):
            mode = prefs.get((uid, row["kind"]), defaults.get(row["kind"], "off"))
            by_mode.setdefault(mode, []).append(row)
        skipped += [r["id"] for r in by_mode.pop("off", [])]
        batches += [Batch(user, [r]) for r in by_mode.pop("now", [])]
        for mode, rows in by_mode.items():
            if _due(mode, last.get((uid, mode)), now):
                batches.append(Batch(user, rows, mode))
    return batches, skipped


def compose(batch: Batch, settings: Settings, network: str):
    """The mail of a batch: one notification, or a digest of several."""
    items = [{**json.loads(r["payload"]), "kind": r["kind"]} for r in batch.rows]
    base = settings.public_url
    if batch.digest is None:
        subject, lines = items[0]["subject"], mail.single_text(items[0], base)
    else:
        subject = mail.digest_subject(len(items), batch.digest)
        lines = mail.digest_text(items, batch.digest, base)
    return mail.message(
        sender=settings.mail_from or "fördercockpit@localhost",
        to=batch.user["email"],
        subject=subject,
        body=mail.greeting(lines, base, network),
    )


def _send(engine: Engine, batch: Batch, msg, sender, now: datetime) -> bool:
    """Send one mail; on success mark its rows sent and audit it, else count an attempt."""
    ids = [r["id"] for r in batch.rows]
    try:
        sender.send(msg)
    except Exception as exc:  # refused, timed out, connection lost: retried next run
        with db.writing(engine) as conn:
            store.mark_failed_attempt(
                conn, ids=ids, error=f"{type(exc).__name__}: {exc}", give_up_after=MAX_ATTEMPTS
            )
        return False
    with db.writing(engine) as conn:
        store.mark_sent(conn, ids=ids, at=now, digest=batch.digest)
        audit.record(
            conn,
            "mail_sent",
            username=batch.user["username"],
            partner=batch.user["partner_code"],
            at=now,
            detail={
                "to": batch.user["email"],
                "subject": str(msg["Subject"]),
                **({"digest": batch.digest} if batch.digest else {}),
                "events": "; ".join(r["event_key"] for r in batch.rows),
            },
        )
    return True


def _dry_pending(engine: Engine, pairs, now: datetime) -> list[dict]:
    """The pending rows a real run would see, without writing: stored ones + new ones."""
    have = queries.outbox_keys(engine)
    new = [
        {
            "id": None,
            "user_id": u["id"],
            "event_key": e.key,
            "kind": e.kind,
            "payload": _payload(e),
            "created_at": now,
            "attempts": 0,
        }
        for u, e in pairs
        if (u["id"], e.key) not in have
    ]
    unique = {(r["user_id"], r["event_key"]): r for r in new}
    return [*queries.pending_mail(engine), *unique.values()]


def run(
    engine: Engine,
    config: NetworkConfig,
    settings: Settings,
    *,
    now: datetime,
    dry_run: bool = False,
    sender=None,
) -> Summary:
    """One notify run at ``now`` (see the module docstring); ``dry_run`` writes and sends
    nothing and returns the mails it would send."""
    events, pairs = collect(engine, config, settings, now)
    summary = Summary(events=len(events))
    if dry_run:
        pending = _dry_pending(engine, pairs, now)
        summary.queued = sum(1 for r in pending if r["id"] is None)
    else:
        summary.queued = enqueue(engine, pairs, now)
        pending = queries.pending_mail(engine)
    users = {u["id"]: u for u in queries.mail_recipients(engine)}
    batches, skipped = plan(
        pending, users, queries.notification_prefs(engine), queries.last_digests(engine), now
    )
    summary.skipped = len(skipped)
    if not dry_run and skipped:
        with db.writing(engine) as conn:
            store.mark_skipped(conn, ids=skipped)
    sender = sender or (None if dry_run else mail.SmtpSender(settings.smtp_url))
    try:
        for batch in batches:
            msg = compose(batch, settings, config.name)
            summary.mails.append(msg)
            if dry_run:
                continue
            if _send(engine, batch, msg, sender, now):
                summary.sent += 1
            else:
                summary.failed += 1
    finally:
        if sender is not None:
            sender.close()
    return summary
