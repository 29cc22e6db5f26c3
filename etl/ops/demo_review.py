"""The review cycle of the demo: after the demo uploads, months in every state and a few
comments, so Freigabe and Meldestand are alive on first start.

- every year before the latest: im Nachweis (interim proof of use submitted), except the
  late partner's last such year, which is approved only;
- the latest year: approved, except the last three reported months: the last month awaits
  review (eingereicht); in the one before, one partner has an open Rückfrage; in the one
  before that, a Rückfrage was answered (back to eingereicht) and one partner left a note;
- a month without an accepted report stays fällig.

States change no figure (``etl report`` is the same with and without them).
"""

from __future__ import annotations

from datetime import date

from etl.core.config import NetworkConfig
from etl.warehouse.queries import month_states
from etl.workflow import months as wf

STEERING = wf.Actor("steuerung", None)
FINANCE = wf.Actor("finanzen", None)
QUESTION = (
    "Die Teilnehmendenzahl liegt deutlich über Ihrem Monatsmittel. Bitte prüfen Sie die "
    "Zahl der Personen bei der Veranstaltung."
)
ANSWER = "Geprüft: zwei Veranstaltungen waren doppelt erfasst. Korrigiert, danke!"
NOTE = "Veranstaltung zur Digitalisierung auf den Folgemonat verschoben (Referent erkrankt)."
REPLY = "Danke für den Hinweis, passt so."


def _partner_actor(code: str) -> wf.Actor:
    return wf.Actor(f"partner-{code.lower()}", "partner", partner_scope=code)


def _plan(
    submitted: dict[str, list[date]], late: str, year_of=lambda m: m.year
) -> dict[tuple[str, date], str]:
    """What happens to each submitted partner-month: approve, proof, keep (stays submitted);
    ``year_of``: the (project) year of a month."""
    every = {m for ms in submitted.values() for m in ms}
    keep = set(sorted(every)[-3:])  # the months _threads comments on stay submitted
    old_years = sorted({year_of(m) for m in every} - {year_of(m) for m in keep})
    plan = {}
    for code, ms in submitted.items():
        for m in ms:
            if m in keep:
                plan[(code, m)] = "keep"
            elif year_of(m) in old_years and not (code == late and year_of(m) == old_years[-1]):
                plan[(code, m)] = "proof"
            else:
                plan[(code, m)] = "approve"
    return plan


def _threads(config: NetworkConfig, submitted: dict[str, list[date]], engine) -> None:
    """A Rückfrage open, one answered, a partner's note with a reviewer's reply."""
    latest = sorted({m for ms in submitted.values() for m in ms})[-3:]
    codes = [c for c in config.partner_codes if submitted.get(c)]
    if len(latest) < 3 or len(codes) < 2:
        return
    open_q, answered = codes[1], codes[0]
    if latest[1] in submitted[open_q]:
        wf.ask(engine, open_q, latest[1], QUESTION, STEERING)
    if latest[0] in submitted[answered]:
        wf.ask(engine, answered, latest[0], QUESTION, FINANCE)
        wf.comment(engine, answered, latest[0], ANSWER, _partner_actor(answered))
    if latest[2] in submitted[answered]:
        wf.comment(engine, answered, latest[2], NOTE, _partner_actor(answered))
        wf.comment(engine, answered, latest[2], REPLY, wf.Actor("steuerung", "steering"))


def run_review_demo(engine, config: NetworkConfig, late: str) -> None:
    """Put the demo's submitted months into their states (see the module docstring)."""
    states = month_states(engine)
    states = states[states["state"] == wf.SUBMITTED]
    submitted: dict[str, list[date]] = {}
    for code, month in zip(states["partner_code"], states["month"], strict=True):
        submitted.setdefault(code, []).append(month)
    if not submitted:
        return
    plan = _plan(submitted, late, config.year_of)
    items = [key for key, what in plan.items() if what in ("approve", "proof")]
    wf.approve_many(engine, items, STEERING)
    proof_years = sorted(
        {(c, config.year_of(m)) for (c, m), what in plan.items() if what == "proof"}
    )
    for code, year in proof_years:
        wf.submit_proof(engine, code, year, config.months(), FINANCE)
    _threads(config, submitted, engine)
