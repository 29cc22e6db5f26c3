"""Meine Aufgaben (dashboard.calc.actions): the open actions of each role, from a warehouse
filled through the real upload and review paths, on both backends."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.calc import actions
from etl.warehouse import queries
from etl.workflow import months, payments
from etl.workflow.months import Actor
from tests.factories import month_report, workbook

STEERING = Actor("steuerung", "steering")
FINANCE = Actor("finanzen", "finance")
QUESTION = "Bitte die Teilnehmendenzahl prüfen."
TODAY = date(2025, 6, 5)  # May is over but due only on 10 June


def _report(ingest, partner: str, month: str) -> None:
    ingest(workbook(partner, month, data=month_report(partner, month)), f"{partner}-{month}.xlsx")


def _fill(engine, ingest) -> None:
    """DO reports January and March 2025 (March gets a Rückfrage), BO reports March."""
    for partner, month in (("DO", "2025-01"), ("DO", "2025-03"), ("BO", "2025-03")):
        _report(ingest, partner, month)
    months.ask(engine, "DO", date(2025, 3, 1), QUESTION, STEERING)


def _open(engine, config, role, partners, today=TODAY):
    return actions.open_actions(
        role,
        uploads=queries.uploads(engine),
        states=queries.month_states(engine, partners=partners),
        comments=queries.month_comments(engine, partners=partners),
        requests=queries.payment_requests(engine),
        config=config,
        partners=partners or config.partner_codes,
        today=today,
    )


def test_a_partner_sees_its_question_overdue_and_due_months(engine, config, ingest):
    _fill(engine, ingest)
    got = _open(engine, config, "partner", ("DO",))
    assert [a.kind for a in got] == ["query", "overdue", "due"]
    query, overdue, due = got
    assert (query.partner, query.months, query.text) == ("DO", (date(2025, 3, 1),), QUESTION)
    # all of 2024 and February and April 2025 have no report; their due days have passed
    expected = [date(2024, m, 1) for m in range(1, 13)] + [date(2025, 2, 1), date(2025, 4, 1)]
    assert list(overdue.months) == expected and overdue.count == 14
    assert overdue.due == date(2024, 2, 10)
    # May is over, its report due on 10 June: due, not overdue; June is not over yet
    assert (due.months, due.count, due.due) == ((date(2025, 5, 1),), 1, date(2025, 6, 10))


def test_a_partner_does_not_see_another_partners_question(engine, config, ingest):
    _fill(engine, ingest)
    months.ask(engine, "BO", date(2025, 3, 1), QUESTION, FINANCE)
    got = _open(engine, config, "partner", ("BO",))
    assert [(a.kind, a.partner) for a in got if a.kind == "query"] == [("query", "BO")]
    assert all(a.partner == "BO" for a in got)
    # an answer returns the month to eingereicht: the question is no longer open
    answer = Actor("partner-bo", "partner", partner_scope="BO")
    months.comment(engine, "BO", date(2025, 3, 1), "Geprüft, stimmt.", answer)
    assert "query" not in [a.kind for a in _open(engine, config, "partner", ("BO",))]


def test_reviewers_see_the_queue_per_partner(engine, config, ingest):
    _fill(engine, ingest)
    for role in ("steering", "finance"):
        review = [a for a in _open(engine, config, role, None) if a.kind == "review"]
        # DO March waits for DO's answer (Rückfrage), so DO has only January in the queue
        assert [(a.partner, a.months, a.count) for a in review] == [
            ("DO", (date(2025, 1, 1),), 1),
            ("BO", (date(2025, 3, 1),), 1),
        ]
    assert {a.kind for a in _open(engine, config, "steering", None)} == {"review"}
    assert _open(engine, config, "admin", None) == []


def test_finance_sees_open_proofs_and_payment_requests(engine, config):
    today = date(2025, 2, 1)  # the interim proof 2024 is due on 30 April 2025
    months.submit_proof(engine, "DO", 2024, config.months(), FINANCE)
    ids = [
        payments.record_request(
            engine, config, partner="BO", requested_date=today, period_start=date(2024, 1, 1),
            period_end=date(2024, 6, 1), amount_cents=cents, by="finanzen",
        )
        for cents in (150_000, 2_500_050, 99)
    ]  # fmt: skip
    payments.approve(engine, ids[0], amount_cents=120_000, approved_date=today, by="finanzen")
    got = _open(engine, config, "finance", None, today)
    proof = [a for a in got if a.kind == "proof"]
    assert len(proof) == 1 and proof[0].year == 2024 and proof[0].due == date(2025, 4, 30)
    assert proof[0].partners == tuple(p for p in config.partner_codes if p != "DO")
    pay = {a.kind: (a.count, a.cents) for a in got if a.kind.startswith("pay")}
    assert pay == {"pay_approve": (2, 2_500_050 + 99), "pay_out": (1, 120_000)}
    # far ahead of the deadline (more than PROOF_HORIZON), nothing to do for the proof yet
    early = _open(engine, config, "finance", None, date(2024, 6, 1))
    assert date(2025, 4, 30) - date(2024, 6, 1) > actions.PROOF_HORIZON
    assert [a for a in early if a.kind == "proof"] == []


def test_report_actions_by_hand():
    matrix = pd.DataFrame(
        {
            "partner_code": ["A", "A", "A", "B"],
            "month": [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1), date(2025, 1, 1)],
            "due": [date(2025, 2, 10), date(2025, 3, 10), date(2025, 4, 10), date(2025, 2, 10)],
            "status": ["missing", "on_time", "open", "missing"],
            "state": ["due", "submitted", "due", "approved"],
        }
    )
    got = actions.report_actions(matrix)
    assert [(a.kind, a.partner, a.months, a.due) for a in got] == [
        ("overdue", "A", (date(2025, 1, 1),), date(2025, 2, 10)),
        ("due", "A", (date(2025, 3, 1),), date(2025, 4, 10)),
    ]


def test_each_role_sees_the_months_waiting_for_its_step(engine, config, ingest):
    """Two review steps: steering checks submitted months, finance approves checked ones."""
    steps = ("steering", "finance")
    _report(ingest, "DO", "2025-03")
    _report(ingest, "DO", "2025-04")
    done, refused = months.approve_many(engine, [("DO", date(2025, 3, 1))], STEERING, steps)
    assert done == [("DO", date(2025, 3, 1))] and not refused

    def queue(role):
        got = actions.open_actions(
            role, uploads=queries.uploads(engine), states=queries.month_states(engine),
            comments=queries.month_comments(engine), requests=None, config=config,
            partners=config.partner_codes, today=date(2025, 6, 1), steps=steps,
        )  # fmt: skip
        return [(a.partner, a.months) for a in got if a.kind == "review"]

    assert queue("steering") == [("DO", (date(2025, 4, 1),))]  # submitted: its step
    assert queue("finance") == [("DO", (date(2025, 3, 1),))]  # checked: waits for finance
