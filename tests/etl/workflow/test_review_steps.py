"""Two review steps per network ([review] steps): the first role checks a month, the second
approves it; the configuration key is optional (one step), on both backends."""

from __future__ import annotations

import copy
from datetime import date, datetime

import pytest
from sqlalchemy import select

from etl.core.config import ConfigError, parse_config
from etl.warehouse import schema as s
from etl.workflow import months
from etl.workflow.months import Actor, ApprovalError
from tests.dashboard.conftest import SMALL
from tests.factories import sheets, workbook

MARCH = date(2025, 3, 1)
STEPS = ("steering", "finance")
STEERING = Actor("steuerung", "steering")
FINANCE = Actor("finanzen", "finance")


def _state(engine) -> str:
    with engine.connect() as conn:
        return months.state(conn, "DO", MARCH)


def _approve(engine, actor: Actor) -> str:
    return months.approve(engine, "DO", MARCH, by=actor.by, role=actor.role, steps=STEPS)


def test_the_configuration_key_is_optional(config):
    assert config.review_steps == ()  # the first network: one step, as before
    raw = copy.deepcopy(SMALL)
    assert parse_config(raw).review_steps == ()
    raw["review"] = {"steps": ["finance", "steering"]}
    assert parse_config(raw).review_steps == ("finance", "steering")
    for wrong in (["steering"], ["steering", "steering"], ["steering", "partner"]):
        raw["review"] = {"steps": wrong}
        with pytest.raises(ConfigError, match="review.steps"):
            parse_config(raw)


def test_first_role_checks_second_approves(engine, ingest):
    ingest(workbook())
    with pytest.raises(ApprovalError, match="nur die Projektsteuerung als Erste prüfen"):
        _approve(engine, FINANCE)
    assert _approve(engine, STEERING) == months.CHECKED and _state(engine) == "checked"
    with pytest.raises(ApprovalError, match="nur die Finanzabteilung freigeben"):
        _approve(engine, STEERING)
    # a checked month is not locked: a corrected upload puts it back to eingereicht
    fixed = sheets()
    fixed["Ausgaben"][1]["Betrag"] = "100,00"
    assert ingest(workbook(data=fixed), at=datetime(2025, 6, 22)).status == "replaced"
    assert _state(engine) == "submitted"
    assert _approve(engine, STEERING) == "checked"
    assert _approve(engine, FINANCE) == "approved" and _state(engine) == "approved"
    with engine.connect() as conn:
        log = list(conn.execute(select(s.audit_log.c.action).order_by(s.audit_log.c.id)).scalars())
    assert [a for a in log if a in ("check", "approve")] == ["check", "check", "approve"]


def test_one_step_stays_as_before(engine, ingest):
    ingest(workbook())
    months.approve(engine, "DO", MARCH, by="finanzen", role="finance")
    assert _state(engine) == "approved"


def test_the_second_role_may_ask_on_a_checked_month(engine, ingest):
    ingest(workbook())
    _approve(engine, STEERING)
    months.ask(engine, "DO", MARCH, "Bitte Beleg 2 nachreichen.", FINANCE)
    assert _state(engine) == "query"
