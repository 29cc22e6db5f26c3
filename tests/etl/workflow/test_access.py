"""Accounts, month approval and the upload checks that depend on them (both backends)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime

import pytest
from sqlalchemy import select

from etl.intake.ingest import Sender, ingest_bytes
from etl.warehouse import schema as s
from etl.workflow import months, users
from tests.factories import sheets, workbook

MARCH = date(2025, 3, 1)


def audit_actions(engine) -> list[tuple]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                s.audit_log.c.action, s.audit_log.c.username, s.audit_log.c.partner_code
            ).order_by(s.audit_log.c.id)
        )
        return [tuple(r) for r in rows]


def test_accounts_hash_passwords_and_authenticate(engine):
    u = users.create_user(engine, "Anna@WiFo-Dortmund.de", "geheim-und-lang", "partner", "do")
    assert (u.username, u.role, u.partner_code) == ("anna@wifo-dortmund.de", "partner", "DO")
    with engine.connect() as conn:
        stored = conn.execute(select(s.users.c.password_hash)).scalar_one()
    assert "geheim" not in stored and stored.startswith("scrypt:")
    assert users.authenticate(engine, "anna@wifo-dortmund.de", "geheim-und-lang") == u
    assert users.authenticate(engine, "anna@wifo-dortmund.de", "falsch-falsch") is None
    assert users.authenticate(engine, "niemand", "geheim-und-lang") is None
    users.set_active(engine, "anna@wifo-dortmund.de", False, by="admin")
    assert users.authenticate(engine, "anna@wifo-dortmund.de", "geheim-und-lang") is None
    users.set_active(engine, "anna@wifo-dortmund.de", True, by="admin")
    users.set_password(engine, "anna@wifo-dortmund.de", "ein-neues-passwort", by="admin")
    assert users.authenticate(engine, "anna@wifo-dortmund.de", "ein-neues-passwort")
    assert [a[0] for a in audit_actions(engine)] == [
        "user_created",
        "user_changed",
        "user_changed",
        "password_reset",
    ]


def test_every_change_to_an_account_ends_its_sessions(engine):
    """The session generation goes up with each change that must end the account's sessions
    (the web layer accepts a session only while it matches); nothing else changes it."""
    name = "anna@wifo-dortmund.de"
    assert users.create_user(engine, name, "geheim-und-lang", "finance").session_generation == 0
    changes = [
        lambda: users.set_password(engine, name, "ein-neues-passwort", by="admin"),
        lambda: users.set_active(engine, name, False, by="admin"),
        lambda: users.set_active(engine, name, True, by="admin"),
        lambda: users.set_role(engine, name, "partner", "do", by="admin"),
        lambda: users.log_out(engine, name, ip="10.0.0.1"),
    ]
    for n, change in enumerate(changes, start=1):
        change()
        assert users.get_user(engine, name).session_generation == n
    assert users.authenticate(engine, name, "ein-neues-passwort").session_generation == 5
    assert users.get_user(engine, name).partner_code == "DO"
    assert [a[:2] for a in audit_actions(engine)][-2:] == [
        ("user_changed", "admin"), ("logout", name),
    ]
    with pytest.raises(users.UserError, match="genau einen Partner"):
        users.set_role(engine, name, "partner")
    with pytest.raises(users.UserError, match="gibt es nicht"):
        users.set_role(engine, "niemand", "finance")


@pytest.mark.parametrize(
    "args,words",
    [
        (("x", "kurz", "admin"), "mindestens 10"),
        (("x", "lang-genug-123", "boss"), "Unbekannte Rolle"),
        (("x", "lang-genug-123", "partner"), "genau einen Partner"),
        (("x", "lang-genug-123", "finance", "DO"), "genau einen Partner"),
        (("x", "lang-genug-123", "partner", "XX"), "Unbekannter Partner"),
    ],
)
def test_account_rules(engine, args, words):
    with pytest.raises(users.UserError, match=words):
        users.create_user(engine, *args)


def test_partner_may_only_upload_for_itself(engine, config, settings):
    result = ingest_bytes(
        workbook("BO", data={k: [] for k in sheets()}),
        "bo.xlsx",
        engine=engine,
        config=config,
        settings=settings,
        sender=Sender("anna", datetime(2025, 6, 20), partner_scope="DO"),
    )
    assert result.status == "rejected"
    assert "für den Partner DO angemeldet" in result.errors[0].message


def test_approved_month_is_locked_until_reopened(engine, config, settings, ingest):
    with pytest.raises(months.ApprovalError, match="kein angenommener"):
        months.approve(engine, "DO", MARCH, by="fin")
    first = ingest(workbook())
    months.approve(engine, "DO", MARCH, by="fin")
    with pytest.raises(months.ApprovalError, match="bereits freigegeben"):
        months.approve(engine, "DO", MARCH, by="fin")
    fixed = sheets()
    fixed["Ausgaben"][1]["Betrag"] = "100,00"
    refused = ingest(workbook(data=fixed), at=datetime(2025, 6, 22))
    assert refused.status == "rejected" and "gesperrt" in refused.errors[0].message
    with pytest.raises(months.ApprovalError, match="Grund"):
        months.reopen(engine, "DO", MARCH, by="fin", reason="")
    months.reopen(engine, "DO", MARCH, by="fin", reason="Betrag korrigiert (Beleg 2)")
    again = ingest(workbook(data=fixed), at=datetime(2025, 6, 23))
    assert again.status == "replaced" and again.previous_id == first.upload_id
    with engine.connect() as conn:
        reason = conn.execute(
            select(s.audit_log.c.detail).where(s.audit_log.c.action == "reopen")
        ).scalar_one()
    assert "Betrag korrigiert" in reason
    assert [a[0] for a in audit_actions(engine)] == [
        "upload",
        "approve",
        "upload",
        "reopen",
        "upload",
    ]


def test_user_cli(engine, tmp_path):
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "DATA_DIR": str(tmp_path), "DATABASE_URL": url}

    def run(*args, stdin=""):
        return subprocess.run(
            [sys.executable, "-m", "etl", "user", *args],
            input=stdin,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    made = run("add", "chef", "--role", "admin", "--password-stdin", stdin="sehr-geheim-123\n")
    assert made.returncode == 0, made.stderr
    assert users.authenticate(engine, "chef", "sehr-geheim-123").role == "admin"
    dup = run("add", "chef", "--role", "admin", "--password-stdin", stdin="sehr-geheim-123\n")
    assert dup.returncode == 2 and "gibt es schon" in dup.stderr
    assert run("passwd", "chef", "--password-stdin", stdin="anderes-geheim-1\n").returncode == 0
    assert users.authenticate(engine, "chef", "anderes-geheim-1")
    moved = run("role", "chef", "--role", "partner", "--partner", "do")
    assert moved.returncode == 0, moved.stderr
    assert users.get_user(engine, "chef").partner_code == "DO"
    listed = run("list")
    assert "chef" in listed.stdout and "partner" in listed.stdout
