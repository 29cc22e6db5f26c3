"""E-mail notifications against a real SMTP server (aiosmtpd), on both backends: one event,
one mail, however often ``notify`` runs; digests; nothing lost when the server refuses."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from etl.core.stand import due_date
from etl.warehouse import queries
from etl.warehouse import schema as s
from etl.workflow import users
from etl.workflow.notify import kinds, mail, outbox
from etl.workflow.notify.events import proof_deadlines
from tests.etl.workflow.mailserver import MailServer
from tests.factories import month_report, workbook

MARCH = date(2025, 3, 1)
PASSWORD = "geheim-genug-123"


@pytest.fixture
def smtp():
    with MailServer() as server:
        yield server


@pytest.fixture
def mail_settings(settings, smtp):
    return replace(
        settings,
        smtp_url=smtp.url,
        mail_from="cockpit@example.org",
        public_url="https://cockpit.example.org",
    )


@pytest.fixture
def march_config(config):
    """The network, starting in March 2025: only that month's report is due in April."""
    return replace(config, start=MARCH)


def account(engine, name, role, partner=None):
    user = users.create_user(engine, name, PASSWORD, role, partner)
    users.set_email(engine, name, f"{name}@example.org")
    return user


def at(day: date) -> datetime:
    return datetime.combine(day, datetime.min.time()).replace(hour=7)


def audited(engine) -> list[dict]:
    log = s.audit_log.c
    with engine.connect() as conn:
        rows = conn.execute(select(log.username, log.detail).where(log.action == "mail_sent"))
        return [{"user": r.username, **json.loads(r.detail)} for r in rows]


def test_missing_report_mails_the_partner_once(engine, march_config, mail_settings, smtp):
    account(engine, "anna", "partner", "DO")
    account(engine, "ben", "partner", "BO")
    account(engine, "nomail", "partner", "DO")
    users.set_email(engine, "nomail", "")
    due = due_date(MARCH, march_config.report_due_day)
    first = outbox.run(engine, march_config, mail_settings, now=at(due))
    # each partner gets its own mail about its own report, nobody without an address
    assert sorted(m["to"][0] for m in smtp.inbox.mails) == ["anna@example.org", "ben@example.org"]
    anna = next(m for m in smtp.inbox.mails if m["to"] == ["anna@example.org"])
    assert anna["subject"] == "Monatsbericht März 2025 ist heute fällig"
    assert f"am {due:%d.%m.%Y} fällig" in anna["body"]
    assert "https://cockpit.example.org/hochladen?partner=DO" in anna["body"]
    assert "Wirtschaftsförderung Dortmund" in anna["body"]
    assert first.sent == 2
    second = outbox.run(engine, march_config, mail_settings, now=at(due) + timedelta(hours=3))
    assert (second.queued, second.sent, len(smtp.inbox.mails)) == (0, 0, 2)
    assert sorted(a["to"] for a in audited(engine)) == ["anna@example.org", "ben@example.org"]


def test_overdue_reminders_follow_the_schedule_and_stop_on_upload(
    engine, march_config, mail_settings, smtp, ingest
):
    account(engine, "anna", "partner", "DO")
    due = due_date(MARCH, march_config.report_due_day)
    for day in range(0, 20):  # notify runs every morning
        outbox.run(engine, march_config, mail_settings, now=at(due + timedelta(days=day)))
    anna = [m["subject"] for m in smtp.inbox.mails if m["to"] == ["anna@example.org"]]
    assert anna == [
        "Monatsbericht März 2025 ist heute fällig",
        "Erinnerung: Monatsbericht März 2025 ist seit 5 Tagen überfällig",
        "Erinnerung: Monatsbericht März 2025 ist seit 15 Tagen überfällig",
    ]
    assert ingest(workbook("DO", "2025-03"), at=at(due + timedelta(days=20))).status == "accepted"
    outbox.run(engine, march_config, mail_settings, now=at(due + timedelta(days=30)))
    march = [m for m in smtp.inbox.mails if "März" in m["subject"]]
    assert len(march) == 3  # received: no +30 reminder (April's report is due by now)


def test_reviewer_digest_collects_several_months_in_one_mail(
    engine, march_config, mail_settings, smtp, ingest
):
    account(engine, "stella", "steering")
    for code in ("DO", "BO", "HA"):
        assert (
            ingest(workbook(code, "2025-03", data=month_report(code, "2025-03"))).status
            == "accepted"
        )
    day = at(date(2025, 4, 1))
    outbox.run(engine, march_config, mail_settings, now=day)
    assert len(smtp.inbox.mails) == 1
    digest = smtp.inbox.mails[0]
    assert digest["subject"] == "Fördercockpit: 3 Meldungen (tägliche Zusammenfassung)"
    for code in ("DO", "BO", "HA"):
        name = march_config.partner(code).name
        assert f"{name}: März 2025 wartet auf Freigabe" in digest["body"]
        assert f"https://cockpit.example.org/freigabe?partner={code}" in digest["body"]
    assert audited(engine)[0]["digest"] == "daily"
    assert len(audited(engine)[0]["events"].split("; ")) == 3
    # one more month later the same day waits for tomorrow's digest
    assert (
        ingest(workbook("UN", "2025-03", data=month_report("UN", "2025-03"))).status == "accepted"
    )
    outbox.run(engine, march_config, mail_settings, now=day + timedelta(hours=2))
    assert len(smtp.inbox.mails) == 1
    outbox.run(engine, march_config, mail_settings, now=day + timedelta(days=1))
    assert len(smtp.inbox.mails) == 2 and "Kreis Unna" in smtp.inbox.mails[1]["body"]


def test_each_user_chooses_per_kind(engine, march_config, mail_settings, smtp, ingest):
    stella, fiona = account(engine, "stella", "steering"), account(engine, "fiona", "finance")
    kinds.set_modes(engine, stella.id, "steering", {"review": "now"})
    kinds.set_modes(engine, fiona.id, "finance", {"review": "off"})
    assert kinds.modes_of(engine, fiona.id, "finance")["review"] == "off"
    with pytest.raises(ValueError):
        kinds.set_modes(engine, stella.id, "steering", {"payment": "now"})  # finance only
    for code in ("DO", "BO"):
        ingest(workbook(code, "2025-03", data=month_report(code, "2025-03")))
    summary = outbox.run(engine, march_config, mail_settings, now=at(date(2025, 4, 1)))
    assert sorted(m["to"][0] for m in smtp.inbox.mails) == ["stella@example.org"] * 2
    assert summary.skipped == 2
    states = {r["state"] for r in queries.outbox_rows(engine) if r["user_id"] == fiona.id}
    assert states == {"skipped"}


def test_a_refusing_server_loses_nothing(engine, march_config, mail_settings, smtp):
    account(engine, "anna", "partner", "DO")
    account(engine, "ben", "partner", "BO")
    smtp.inbox.refuse = 1  # the first mail of the run is refused, the second accepted
    due = due_date(MARCH, march_config.report_due_day)
    first = outbox.run(engine, march_config, mail_settings, now=at(due))
    assert (first.sent, first.failed, len(smtp.inbox.mails)) == (1, 1, 1)
    waiting = [r for r in queries.outbox_rows(engine) if r["state"] == "pending"]
    assert len(waiting) == 1 and waiting[0]["attempts"] == 1 and "451" in waiting[0]["last_error"]
    second = outbox.run(engine, march_config, mail_settings, now=at(due) + timedelta(hours=1))
    assert (second.sent, second.failed) == (1, 0)
    assert sorted(m["to"][0] for m in smtp.inbox.mails) == ["anna@example.org", "ben@example.org"]
    outbox.run(engine, march_config, mail_settings, now=at(due) + timedelta(hours=2))
    assert len(smtp.inbox.mails) == 2 and len(audited(engine)) == 2


def test_an_unreachable_server_keeps_everything_pending(engine, march_config, mail_settings):
    account(engine, "anna", "partner", "DO")
    dead = replace(mail_settings, smtp_url=f"smtp://127.0.0.1:{MailServer().port}")
    due = due_date(MARCH, march_config.report_due_day)
    summary = outbox.run(engine, march_config, dead, now=at(due))
    assert (summary.sent, summary.failed) == (0, 1)
    assert [r["state"] for r in queries.outbox_rows(engine)] == ["pending"]


def test_proof_deadlines_60_30_7_days_ahead(engine, config, mail_settings, smtp):
    fiona, other = account(engine, "fiona", "finance"), account(engine, "fiona2", "finance")
    kinds.set_modes(engine, fiona.id, "finance", {"budget": "off"})  # budget: its own test
    kinds.set_modes(engine, other.id, "finance", {"proof": "off", "budget": "off"})
    key, label, due = proof_deadlines(config)[0]
    for ahead in range(70, -2, -1):
        outbox.run(engine, config, mail_settings, now=at(due - timedelta(days=ahead)))
    subjects = [m["subject"] for m in smtp.inbox.mails if m["to"] == ["fiona@example.org"]]
    assert subjects == [f"{label} ist am {due:%d.%m.%Y} fällig (in {n} Tagen)" for n in (60, 30, 7)]
    assert all(m["to"] == ["fiona@example.org"] for m in smtp.inbox.mails)


def test_dry_run_stores_and_sends_nothing(engine, march_config, mail_settings, smtp):
    account(engine, "anna", "partner", "DO")
    due = due_date(MARCH, march_config.report_due_day)
    dry = outbox.run(engine, march_config, mail_settings, now=at(due), dry_run=True)
    assert [str(m["Subject"]) for m in dry.mails] == ["Monatsbericht März 2025 ist heute fällig"]
    assert queries.outbox_rows(engine) == [] and smtp.inbox.mails == []


def test_smtp_url_forms():
    assert mail.parse_url("smtps://u%40x:p%3Aw@mail.example.org")["port"] == 465
    parsed = mail.parse_url("smtp+starttls://user:pw@mail.example.org:2525")
    assert (parsed["host"], parsed["port"], parsed["user"], parsed["password"]) == (
        "mail.example.org",
        2525,
        "user",
        "pw",
    )
    with pytest.raises(mail.MailConfigError):
        mail.parse_url("http://mail.example.org")
