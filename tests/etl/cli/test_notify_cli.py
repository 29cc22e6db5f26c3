"""``python -m etl notify`` and ``user email`` as an operator runs them (separate processes),
and the demo: its accounts have addresses, so notify has something to send."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime

import pytest

from etl.ops.demo import create_demo_accounts, run_demo, run_review_demo
from etl.warehouse import queries
from etl.workflow.notify import outbox
from tests.etl.workflow.mailserver import MailServer


@pytest.fixture
def smtp():
    with MailServer() as server:
        yield server


@pytest.fixture
def etl(engine, tmp_path):
    """``python -m etl ARGS`` against the test's warehouse, with extra environment."""
    url = engine.url.render_as_string(hide_password=False)
    base = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url}
    for name in ("SMTP_URL", "MAIL_FROM", "PUBLIC_URL"):
        base.pop(name, None)

    def run(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "etl", *args],
            env={**base, **env},
            input=stdin,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


def test_notify_is_off_without_smtp_and_sends_with_it(etl, smtp):
    made = etl(
        "user",
        "add",
        "anna",
        "--role",
        "partner",
        "--partner",
        "DO",
        "--email",
        "anna@example.org",
        "--password-stdin",
        stdin="geheim-genug-123\n",
    )
    assert made.returncode == 0, made.stderr
    assert "anna@example.org" in etl("user", "list").stdout
    off = etl("notify", "--today", "2025-04-10")
    assert off.returncode == 0 and "ausgeschaltet" in off.stdout and smtp.inbox.mails == []
    dry = etl("notify", "--dry-run", "--today", "2025-04-10")
    assert "An: anna@example.org" in dry.stdout and "Nichts gespeichert" in dry.stdout
    env = {"SMTP_URL": smtp.url, "MAIL_FROM": "cockpit@example.org"}
    sent = etl("notify", "--today", "2025-04-10", **env)
    assert sent.returncode == 0, sent.stderr
    # every month of 2024 .. March 2025 is missing; the windows hold March (due today) and
    # the reminders of February (+30) only, each its own mail (anna gets them at once)
    assert sorted(m["subject"] for m in smtp.inbox.mails) == [
        "Erinnerung: Monatsbericht Februar 2025 ist seit 31 Tagen überfällig",
        "Monatsbericht März 2025 ist heute fällig",
    ]
    again = etl("notify", "--today", "2025-04-10", **env)
    assert "0 E-Mails versendet" in again.stdout and len(smtp.inbox.mails) == 2
    assert etl("user", "email", "anna", "--email", "kein-at").returncode == 2


def test_a_fresh_demo_has_mail_to_send(engine, config, settings, smtp):
    from dataclasses import replace

    create_demo_accounts(engine, config)
    run_demo(engine, config, settings, until=date(2024, 9, 1))
    run_review_demo(engine, config)
    assert {u["email"] for u in queries.mail_recipients(engine)} >= {
        "steuerung@example.org",
        "finanzen@example.org",
        "partner-do@example.org",
    }
    live = replace(settings, smtp_url=smtp.url, mail_from="cockpit@example.org")
    summary = outbox.run(engine, config, live, now=datetime(2024, 10, 1, 7, 0))
    assert summary.sent == len(smtp.inbox.mails) > 0
    to_steering = [m for m in smtp.inbox.mails if m["to"] == ["steuerung@example.org"]]
    assert len(to_steering) == 1 and "wartet auf Freigabe" in to_steering[0]["body"]
