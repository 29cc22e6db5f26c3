"""The review cycle of a partner-month (etl.workflow.months) on both backends: every state,
who may do which transition, the upload refusals, the audit trail, migration 0008."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from etl.warehouse import db
from etl.warehouse import schema as s
from etl.warehouse.queries import month_comments, month_states
from etl.workflow import months
from etl.workflow.months import Actor, ApprovalError
from tests.factories import month_report, sheets, workbook

MARCH = date(2025, 3, 1)
STEERING = Actor("steuerung", "steering")
FINANCE = Actor("finanzen", "finance")
PARTNER = Actor("partner-do", "partner", partner_scope="DO")


def state(engine, partner="DO", month=MARCH) -> str:
    with engine.connect() as conn:
        return months.state(conn, partner, month)


def actions(engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(s.audit_log.c.action).order_by(s.audit_log.c.id)).scalars())


def corrected() -> dict:
    fixed = sheets()
    fixed["Ausgaben"][1]["Betrag"] = "100,00"
    return fixed


def test_the_cycle_through_every_state(engine, config, ingest):
    assert state(engine) == "due"
    ingest(workbook())
    assert state(engine) == "submitted"
    months.ask(engine, "DO", MARCH, "Bitte Beleg 2 prüfen.", STEERING)
    assert state(engine) == "query"
    assert months.comment(engine, "DO", MARCH, "Beleg war falsch, korrigiere.", PARTNER) == "answer"
    assert state(engine) == "submitted"
    months.ask(engine, "DO", MARCH, "Und die Teilnehmenden?", FINANCE)
    again = ingest(workbook(data=corrected()), at=datetime(2025, 6, 22))
    assert again.status == "replaced" and state(engine) == "submitted"
    months.approve(engine, "DO", MARCH, by="steuerung", role="steering")
    assert state(engine) == "approved"
    assert months.submit_proof(engine, "DO", 2025, config.months(), FINANCE) == 12
    assert state(engine) == "proof" and state(engine, month=date(2025, 11, 1)) == "proof"
    assert state(engine, "BO") == "due" and state(engine, month=date(2026, 1, 1)) == "due"
    kinds = list(month_comments(engine, partner="DO", month=MARCH)["kind"])
    assert kinds == ["question", "answer", "question"]
    log = actions(engine)
    assert log[:6] == ["upload", "question", "comment", "question", "upload", "approve"]
    assert log[6:] == ["proof_submitted"] * 12


def test_uploads_into_locked_months_name_who_can_reopen(engine, config, ingest):
    ingest(workbook())
    months.approve(engine, "DO", MARCH, by="finanzen", role="finance")
    refused = ingest(workbook(data=corrected()), at=datetime(2025, 6, 22))
    assert refused.status == "rejected"
    assert "Finanzabteilung oder die Projektsteuerung" in refused.errors[0].message
    months.submit_proof(engine, "DO", 2025, config.months(), FINANCE, kind="final")
    for month in ("2025-03", "2025-07"):  # approved, and never reported (fällig)
        data = corrected() if month == "2025-03" else month_report("DO", month)
        refused = ingest(workbook(month=month, data=data), at=datetime(2025, 8, 20))
        message = refused.errors[0].message
        assert refused.status == "rejected" and "Verwendungsnachweis" in message
        assert "wenn die Finanzabteilung den Monat wieder öffnet" in message
    assert month_states(engine)["proof_kind"].unique().tolist() == ["final"]


@pytest.mark.parametrize(
    "action,actor,words",
    [
        ("approve", PARTNER, "nur die Projektsteuerung oder Finanzabteilung"),
        ("ask", PARTNER, "nur die Projektsteuerung oder Finanzabteilung"),
        ("proof", STEERING, "nur die Finanzabteilung"),
        ("proof", PARTNER, "nur die Finanzabteilung"),
        ("comment_other", PARTNER, "nur Monate des Partners DO"),
        ("ask_short", STEERING, "mindestens 5 Zeichen"),
    ],
)
def test_who_may_do_what(engine, config, ingest, action, actor, words):
    ingest(workbook("BO", data=month_report("BO", "2025-03")))
    with pytest.raises(ApprovalError, match=words):
        if action == "approve":
            months.approve_many(engine, [("BO", MARCH)], actor)
        elif action.startswith("ask"):
            text = "?" if action == "ask_short" else "Bitte prüfen Sie die Zahlen."
            months.ask(engine, "BO", MARCH, text, actor)
        elif action == "proof":
            months.submit_proof(engine, "BO", 2025, config.months(), actor)
        else:
            months.comment(engine, "BO", MARCH, "Eine Bemerkung.", actor)
    assert state(engine, "BO") == "submitted"


def test_proof_months_only_finance_reopens(engine, config, ingest):
    ingest(workbook())
    months.submit_proof(engine, "DO", 2025, config.months(), FINANCE)
    with pytest.raises(ApprovalError, match="nur die Finanzabteilung"):
        months.reopen(engine, "DO", MARCH, by="steuerung", reason="Korrektur", role="steering")
    with pytest.raises(ApprovalError, match="Grund"):
        months.reopen(engine, "DO", MARCH, by="finanzen", reason="", role="finance")
    months.reopen(engine, "DO", MARCH, by="finanzen", reason="Beleg 2 korrigiert", role="finance")
    assert state(engine) == "submitted"
    months.reopen(engine, "DO", date(2025, 4, 1), by="finanzen", reason="nie gemeldet",
                  role="finance")
    assert state(engine, month=date(2025, 4, 1)) == "due"  # no upload: back to fällig
    with pytest.raises(ApprovalError, match="bereits eingereicht"):
        months.submit_proof(engine, "DO", 2026, [date(2026, 1, 1)], FINANCE)
        months.submit_proof(engine, "DO", 2026, [date(2026, 1, 1)], FINANCE)


def test_questions_and_approvals_need_a_report(engine, ingest):
    with pytest.raises(ApprovalError, match="nur zu einem eingereichten Monat"):
        months.ask(engine, "DO", MARCH, "Wo bleibt der Bericht?", STEERING)
    ingest(workbook())
    ingest(workbook("BO", data=month_report("BO", "2025-03")))
    done, refused = months.approve_many(
        engine, [("DO", MARCH), ("BO", MARCH), ("DO", date(2025, 4, 1)), ("DO", MARCH)], STEERING
    )
    assert done == [("DO", MARCH), ("BO", MARCH)]
    assert "kein angenommener Bericht" in refused[0] and "bereits freigegeben" in refused[1]


def test_migration_0007_carries_locks_over(tmp_path, config):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(engine, "0004")
    db.sync_reference(engine, config)
    at = datetime(2025, 5, 2, 9, 30)
    with engine.begin() as conn:
        for i, month in enumerate((MARCH, date(2025, 4, 1)), start=1):
            conn.execute(sa.text(
                "INSERT INTO uploads (id, partner_code, month, status, sha256, file_name, "
                "archive_path, uploaded_by, uploaded_at, n_events, n_coachings, n_participants, "
                "n_personnel, n_expenditure, n_errors, errors_json, notices_json) "
                "VALUES (:i, 'DO', :m, 'accepted', :h, 'x.xlsx', 'a/x.xlsx', 'anna', :at, "
                "0, 0, 0, 0, 0, 0, '[]', '[]')"),
                {"i": i, "m": month, "h": f"{i:064d}", "at": at})
        conn.execute(sa.text(
            "INSERT INTO month_locks (partner_code, month, approved_by, approved_at, upload_id) "
            "VALUES ('DO', :m, 'finanzen', :at, 1)"), {"m": MARCH, "at": at})
    db.upgrade(engine)
    df = month_states(engine)
    assert list(zip(df["month"], df["state"], df["approved_by"], strict=True)) == [
        (MARCH, "approved", "finanzen"),
        (date(2025, 4, 1), "submitted", None),
    ]
    assert "month_locks" not in sa.inspect(engine).get_table_names()
