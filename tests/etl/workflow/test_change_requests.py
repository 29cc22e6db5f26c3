"""Change requests (Änderungsanträge): a reallocation that needs the funding body's consent is
requested, decided and linked to the plan version it became; finance only, audited."""

from __future__ import annotations

from datetime import date

import pytest

from etl.warehouse import queries
from etl.workflow import change_requests as cr
from etl.workflow import plan
from tests.plan_workbooks import downloaded, move, upload

TEXT = "DO: 30.000 € Sachausgaben 2024 nach 2026 (Veranstaltungen verschoben)"


def _file(engine, **kw):
    args = {
        "based_on": 1,
        "description": TEXT,
        "requested_on": date(2025, 4, 2),
        "by": "finanzen",
    } | kw
    return cr.file_request(engine, **args)


def test_a_request_is_decided_and_linked_to_its_version(engine, config, settings):
    plan.current_plan(engine, config)  # version 1 from the configuration
    rid = _file(engine)
    cr.decide(
        engine,
        rid,
        approved=True,
        decided_on=date(2025, 5, 15),
        note="Bescheid vom 15.5.",
        by="finanzen",
    )
    with pytest.raises(cr.ChangeRequestError, match="nach Fassung 1"):
        cr.link(engine, rid, version_id=1, by="finanzen")
    wb = downloaded(engine, config)
    move(wb, ("DO", 2024, "material"), ("DO", 2026, "material"), 30_000)
    assert upload(engine, config, settings, wb, reason="Umschichtung laut Antrag").version_id == 2
    cr.link(engine, rid, version_id=2, by="finanzen")
    row = queries.change_requests(engine).iloc[0]
    assert (row["status"], row["decided_on"], row["plan_version_id"]) == (
        "approved",
        date(2025, 5, 15),
        2,
    )
    assert row["requested_on"] == date(2025, 4, 2) and row["description"] == TEXT
    actions = queries.audit_rows(engine)["action"].tolist()
    assert {"change_requested", "change_decided", "change_linked"} <= set(actions)


def test_rules_of_change_requests(engine, config):
    plan.current_plan(engine, config)
    with pytest.raises(cr.ChangeRequestError, match="nur die Finanzabteilung"):
        _file(engine, role="steering")
    with pytest.raises(cr.ChangeRequestError, match="Planfassung 9"):
        _file(engine, based_on=9)
    with pytest.raises(cr.ChangeRequestError, match="beschreiben"):
        _file(engine, description="x")
    rid = _file(engine)
    with pytest.raises(cr.ChangeRequestError, match="genehmigter"):
        cr.link(engine, rid, version_id=1, by="finanzen")
    with pytest.raises(cr.ChangeRequestError, match="zwischen Antrag und heute"):
        cr.decide(engine, rid, approved=False, decided_on=date(2025, 1, 1), by="finanzen")
    cr.decide(engine, rid, approved=False, decided_on=date(2025, 4, 30), by="finanzen")
    with pytest.raises(cr.ChangeRequestError, match="schon abgelehnt"):
        cr.decide(engine, rid, approved=True, decided_on=date(2025, 5, 1), by="finanzen")
    assert queries.change_requests(engine)["status"].tolist() == ["rejected"]
