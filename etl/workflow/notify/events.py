"""Events worth a mail, derived from the warehouse's state on a given day.

Each event has a stable key (``overdue:DO:2026-10:+15``): deriving them again on the same
or a later day gives the same keys, so the outbox (unique per recipient x key) sends each
one once. Conditions that hold for a while (a month awaiting review, a Rückfrage, a payment
request) are keyed by the state change that started them; reminders by their day offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.duty import report_dues
from etl.core.german import MONTHS
from etl.core.money import format_eur
from etl.core.stand import add_months

PROOF_AHEAD = (60, 30, 7)  # days before a proof-of-use deadline
APPROVED_LOOKBACK = 14  # an approval older than this many days is not announced any more
REVIEWERS = ("steering", "finance")
LAST_REMINDER_WINDOW = 10  # the last reminder goes out if notify runs within 10 days of it


@dataclass(frozen=True)
class Event:
    """One thing to tell: for the users of ``roles`` (bound to ``partner`` when set)."""

    key: str
    kind: str
    roles: tuple[str, ...]
    subject: str
    lines: tuple[str, ...]
    link: str  # path of the page, e.g. "/meldestand?partner=DO"
    partner: str | None = None
    sort: tuple = field(default=(), compare=False)


def month_name(month: date) -> str:
    """``date(2026, 3, 1)`` -> ``'März 2026'``."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def de(day: date) -> str:
    return f"{day:%d.%m.%Y}"


def proof_deadlines(config: NetworkConfig) -> list[tuple[str, str, date]]:
    """(key, label, due date) of every interim proof (each year but the last) and the final
    one (the same dates as the dashboard's Finanzen page)."""
    out = [
        (f"interim-{y}", f"Zwischennachweis {config.year_label(y)}", config.interim_due(y))
        for y in config.years[:-1]
    ]
    final = add_months(config.end, config.rules.final_proof_months)
    return [*out, ("final", "Verwendungsnachweis (Schlussnachweis)", final)]


def _stage(today: date, start: date, offsets: tuple[int, ...], last_window: int) -> int | None:
    """The offset whose window [start + offset, start + next offset) holds ``today``."""
    for i, off in enumerate(offsets):
        end = offsets[i + 1] if i + 1 < len(offsets) else off + last_window
        if start + timedelta(days=off) <= today < start + timedelta(days=end):
            return off
    return None


def _missing(config, states: pd.DataFrame, today: date, overdue: tuple[int, ...]) -> list:
    """Report due today (until the first reminder) and overdue reminders, per partner-month
    without any report that the partner must report (its duty: etl.core.duty)."""
    have = set(zip(states["partner_code"], states["month"], strict=True))
    out = []
    for p in config.partners:
        for m, due in report_dues(config, p.code).items():
            if (p.code, m) in have or due > today:
                continue
            stage = _stage(today, due, (0, *overdue), LAST_REMINDER_WINDOW)
            if stage is None:
                continue
            out.append(_missing_event(p, m, due, stage, today))
    return out


def _missing_event(partner, month: date, due: date, stage: int, today: date) -> Event:
    name, link = month_name(month), f"/hochladen?partner={partner.code}"
    key = f"{partner.code}:{month:%Y-%m}"
    ask = "Bitte laden Sie ihn im Fördercockpit hoch (Seite Hochladen)."
    if stage == 0:
        when = "heute" if due == today else f"seit dem {de(due)}"
        return Event(
            f"due:{key}",
            "due",
            ("partner",),
            f"Monatsbericht {name} ist {when} fällig",
            (f"Der Monatsbericht {name} von {partner.name} ist am {de(due)} fällig.", ask),
            link,
            partner.code,
            (due, partner.code),
        )
    days = (today - due).days
    return Event(
        f"overdue:{key}:+{stage}",
        "overdue",
        ("partner",),
        f"Erinnerung: Monatsbericht {name} ist seit {days} Tagen überfällig",
        (
            f"Der Monatsbericht {name} von {partner.name} war am {de(due)} fällig und ist noch "
            "nicht eingegangen.",
            ask,
        ),
        link,
        partner.code,
        (due, partner.code),
    )


def _stamp(at) -> str:
    return pd.Timestamp(at).strftime("%Y%m%dT%H%M%S")


def _last_question(comments: pd.DataFrame, code: str, month: date) -> str | None:
    rows = comments[
        (comments["partner_code"] == code)
        & (comments["month"] == month)
        & (comments["kind"] == "question")
    ]
    return None if rows.empty else str(rows["text"].iloc[-1])


def _query_event(p, r, comments: pd.DataFrame) -> Event:
    """A Rückfrage waiting for the partner's answer (keyed by when it was asked)."""
    name, text = month_name(r.month), _last_question(comments, p.code, r.month)
    lines = (
        f"Zum Monatsbericht {name} von {p.name} gibt es eine Rückfrage von {r.changed_by}.",
        *([f"»{text}«"] if text else ()),
        "Bitte antworten Sie im Meldestand oder laden Sie einen korrigierten Bericht hoch.",
    )
    key = f"query:{p.code}:{r.month:%Y-%m}:{_stamp(r.changed_at)}"
    subject = f"Rückfrage zum Monatsbericht {name}"
    link = f"/meldestand?partner={p.code}"
    return Event(key, "query", ("partner",), subject, lines, link, p.code, (r.month, p.code))


def _approved_event(p, r) -> Event:
    """The partner's month was approved (keyed by when)."""
    name, day = month_name(r.month), pd.Timestamp(r.approved_at).date()
    lines = (
        f"Der Monatsbericht {name} von {p.name} wurde am {de(day)} von {r.approved_by} "
        "freigegeben.",
    )
    key = f"approved:{p.code}:{r.month:%Y-%m}:{_stamp(r.approved_at)}"
    subject = f"Monatsbericht {name} freigegeben"
    link = f"/meldestand?partner={p.code}"
    return Event(key, "approved", ("partner",), subject, lines, link, p.code, (r.month, p.code))


def _review_event(p, r) -> Event:
    """A month awaiting review, for steering and finance (keyed by its submission)."""
    name, day = month_name(r.month), pd.Timestamp(r.changed_at).date()
    key = f"review:{p.code}:{r.month:%Y-%m}:{_stamp(r.changed_at)}"
    subject = f"{p.name}: {name} wartet auf Freigabe"
    lines = (f"Eingereicht am {de(day)} von {r.changed_by}.",)
    link = f"/freigabe?partner={p.code}"
    return Event(key, "review", REVIEWERS, subject, lines, link, None, (r.month, p.code))


def _state_events(config, states: pd.DataFrame, comments: pd.DataFrame, today: date) -> list:
    """Rückfrage waiting and month approved (to the partner); awaiting review (reviewers)."""
    recent = today - timedelta(days=APPROVED_LOOKBACK)
    out = []
    for r in states.itertuples(index=False):
        p = config.partner(r.partner_code)
        if r.state == "query":
            out.append(_query_event(p, r, comments))
        elif (
            r.state == "approved"
            and r.approved_at is not None
            and pd.Timestamp(r.approved_at).date() >= recent
        ):
            out.append(_approved_event(p, r))
        elif r.state == "submitted":
            out.append(_review_event(p, r))
    return out


def _payment_events(config, payments: pd.DataFrame) -> list:
    """A payment request (Mittelabruf) waiting for approval, to finance."""
    out = []
    for r in payments.itertuples(index=False):
        if r.status != "requested":
            continue
        p = config.partner(r.partner_code)
        amount = format_eur(int(r.requested_cents))
        out.append(
            Event(
                f"payment:{r.id}",
                "payment",
                ("finance",),
                f"Mittelabruf {p.name} über {amount} wartet auf Freigabe",
                (
                    f"Mittelabruf vom {de(r.requested_date)} für {month_name(r.period_start)} bis "
                    f"{month_name(r.period_end)}: {amount}.",
                ),
                "/mittelabrufe",
                None,
                (r.requested_date, p.code),
            )
        )
    return out


def _proof_events(config, today: date) -> list:
    """A proof-of-use deadline 60, 30 or 7 days ahead, to finance."""
    out, first = [], PROOF_AHEAD[0]
    for key, label, due in proof_deadlines(config):
        # windows [due - 60, due - 30), [due - 30, due - 7), [due - 7, due)
        stage = _stage(
            today,
            due - timedelta(days=first),
            tuple(first - a for a in PROOF_AHEAD),
            PROOF_AHEAD[-1],
        )
        if stage is None:
            continue
        days = (due - today).days
        out.append(
            Event(
                f"proof:{key}:{first - stage}",
                "proof",
                ("finance",),
                f"{label} ist am {de(due)} fällig (in {days} Tagen)",
                (
                    f"Frist für den {label}: {de(due)}.",
                    "Die Zahlen dazu stehen auf der Seite Finanzen (Download Nachweis).",
                ),
                "/finanzen",
                None,
                (due,),
            )
        )
    return out


def derive(
    config: NetworkConfig,
    *,
    states: pd.DataFrame,
    comments: pd.DataFrame,
    payments: pd.DataFrame,
    today: date,
    overdue: tuple[int, ...],
) -> list[Event]:
    """Every event of ``today``, sorted by kind and then by month/partner."""
    events = [
        *_missing(config, states, today, overdue),
        *_state_events(config, states, comments, today),
        *_payment_events(config, payments),
        *_proof_events(config, today),
    ]
    return sorted(events, key=lambda e: (e.kind, e.sort, e.key))
