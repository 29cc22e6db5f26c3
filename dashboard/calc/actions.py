"""Meine Aufgaben: the open actions of the logged-in role, as numbers and keys (the texts and
links are in dashboard.views.actions).

- partner: months whose report is overdue (``overdue``) or due soon (``due``: the month is
  over, its due day not yet passed), and months with a Rückfrage to answer (``query``);
- steering and finance: the review queue (``review``: submitted months, one action per
  partner; with two review steps the second role's queue is the checked months);
- finance besides: proof-of-use deadlines with partners that have not submitted yet
  (``proof``), payment requests to approve (``pay_approve``) and to pay (``pay_out``);
- admin: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from dashboard.calc import periods, reporting
from etl.core.config import NetworkConfig
from etl.core.years import year_of

REVIEWERS = ("steering", "finance")
# a proof-of-use deadline shows this long before it falls due (and after, until submitted)
PROOF_HORIZON = timedelta(days=120)


@dataclass(frozen=True)
class Action:
    """One open action: its kind, the partner it concerns (None: several), the months it is
    about (oldest first), how many things wait, a date it is due by and its year."""

    kind: str
    partner: str | None = None
    months: tuple[date, ...] = ()
    count: int = 0
    due: date | None = None
    year: int | None = None
    partners: tuple[str, ...] = field(default=())
    cents: int = 0
    text: str | None = None


def _month(value) -> date:
    return pd.Timestamp(value).date().replace(day=1)


def report_actions(matrix: pd.DataFrame) -> list[Action]:
    """Per partner: the months with no accepted report that are overdue, and those due
    soon (with the earliest due day). ``matrix`` as :func:`reporting.with_states` gives it."""
    out = []
    waiting = matrix[matrix["state"] == "due"]
    for partner, rows in waiting.groupby("partner_code", sort=False):
        for kind, status in (("overdue", "missing"), ("due", "open")):
            part = rows[rows["status"] == status]
            if part.empty:
                continue
            months = tuple(sorted(_month(m) for m in part["month"]))
            out.append(
                Action(
                    kind, partner, months, len(months), due=min(part["due"]), year=months[0].year
                )
            )
    return out


def query_actions(states: pd.DataFrame, comments: pd.DataFrame, start: int = 1) -> list[Action]:
    """One action per month with a Rückfrage, with the latest question's text (and the
    month's project year, years starting in month ``start``)."""
    rows = states[states["state"] == "query"]
    questions = comments[comments["kind"] == "question"] if len(comments) else comments
    last = {}
    for p, m, text in zip(
        questions.get("partner_code", []),
        questions.get("month", []),
        questions.get("text", []),
        strict=True,
    ):
        last[(p, _month(m))] = text
    out = []
    for p, m in zip(rows["partner_code"], rows["month"], strict=True):
        month = _month(m)
        year = year_of(month, start)
        out.append(Action("query", p, (month,), 1, year=year, text=last.get((p, month))))
    return sorted(out, key=lambda a: (a.months[0], a.partner))


def waiting_for(role: str, steps: tuple[str, ...] = ()) -> str:
    """The state of the months waiting for ``role``: submitted ones, or with two review steps
    the checked ones for the second role."""
    return "checked" if steps and role == steps[1] else "submitted"


def review_actions(states: pd.DataFrame, wanted: str = "submitted") -> list[Action]:
    """The review queue: one action per partner with months in state ``wanted`` (oldest
    first)."""
    rows = states[states["state"] == wanted]
    out = []
    for partner, part in rows.groupby("partner_code", sort=True):
        months = tuple(sorted(_month(m) for m in part["month"]))
        out.append(Action("review", partner, months, len(months), year=months[0].year))
    return sorted(out, key=lambda a: (a.months[0], a.partner))


def proof_actions(states: pd.DataFrame, config: NetworkConfig, today: date) -> list[Action]:
    """Proof-of-use deadlines up to :data:`PROOF_HORIZON` ahead (or passed) with the partners
    whose months of that year are not all 'im Nachweis' yet; the final proof is the last
    year's."""
    proof = states[states["state"] == "proof"]
    done = {(p, _month(m)) for p, m in zip(proof["partner_code"], proof["month"], strict=True)}
    out = []
    for d in periods.proof_deadlines(config):
        if d.due > today + PROOF_HORIZON:
            continue
        year = d.year if d.year is not None else config.years[-1]
        months = config.year_months(year)
        missing = tuple(p for p in config.partner_codes if not all((p, m) in done for m in months))
        if missing:
            out.append(
                Action("proof", None, count=len(missing), due=d.due, year=d.year,
                       partners=missing, text=d.kind)
            )  # fmt: skip
    return out


def payment_actions(requests: pd.DataFrame) -> list[Action]:
    """Payment requests waiting for approval (``pay_approve``) and approved ones waiting to be
    paid (``pay_out``), with their count and amount in cents."""
    out = []
    for kind, status, column in (
        ("pay_approve", "requested", "requested_cents"),
        ("pay_out", "approved", "approved_cents"),
    ):
        part = requests[requests["status"] == status] if len(requests) else requests
        if len(part):
            cents = sum(int(c) for c in part[column])
            partners = tuple(sorted(set(part["partner_code"])))
            out.append(Action(kind, None, count=len(part), partners=partners, cents=cents))
    return out


def open_actions(
    role: str | None,
    *,
    uploads: pd.DataFrame,
    states: pd.DataFrame,
    comments: pd.DataFrame,
    requests: pd.DataFrame | None,
    config: NetworkConfig,
    partners: tuple[str, ...],
    today: date,
    steps: tuple[str, ...] = (),
) -> list[Action]:
    """The open actions of ``role`` over ``partners`` (the user's scope), most urgent first
    within each group (see the module docstring)."""
    if role == "partner":
        matrix = reporting.matrix_for(uploads, config, partners, config.years, today)
        matrix = reporting.with_states(matrix, states, comments)
        mine = states[states["partner_code"].isin(partners)]
        return query_actions(mine, comments, config.year_start_month) + report_actions(matrix)
    if role not in REVIEWERS:
        return []
    out = review_actions(states, waiting_for(role, steps))
    if role == "finance":
        out += proof_actions(states, config, today)
        out += payment_actions(requests) if requests is not None else []
    return out
