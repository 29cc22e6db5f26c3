"""The page Kürzungen's callbacks without a browser: finance records and removes a cut, other
roles are refused; the lists and Finanzen follow the accepted amounts."""

from __future__ import annotations

from datetime import date

import pytest
from flask_login import login_user

from dashboard import data
from dashboard.auth import SessionUser
from etl.core.settings import get_settings
from etl.warehouse import queries
from tests.factories import workbook


@pytest.fixture
def web(engine, tmp_path, monkeypatch, dash_app, ingest):
    """The dashboard on the test's warehouse with the factory report of DO 03/2025."""
    assert ingest(workbook()).status == "accepted"
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NETWORK_CONFIG", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(data, "today", lambda: date(2025, 10, 1))
    with dash_app.server.test_request_context():
        yield lambda user: login_user(user)
    get_settings.cache_clear()


FINANCE = SessionUser(1, "finanzen", "finance", None, True)
STEERING = SessionUser(2, "steuerung", "steering", None, True)
PARTNER_BO = SessionUser(3, "partner-bo", "partner", "BO", True)
FORM = ("DO", "2025-03", "Ausgaben", "DO-2025-0001", "1.000,00", "nicht belegt", "2025-09-30")


def test_finance_records_and_removes_a_cut(web):
    from dashboard.pages import cuts, finance

    web(FINANCE)
    options = cuts.row_choices("DO", "2025-03", "Ausgaben")
    assert [o["value"] for o in options] == ["DO-2025-0001", "DO-2025-0002"]
    assert "1.234,56 €" in options[0]["label"]
    message = cuts.act("save", *FORM)
    assert "gespeichert" in str(message)
    lead, compare, listed = cuts.update("", None)
    assert lead.startswith("1 Kürzung · gekürzt 234,56 €")
    assert "DO-2025-0001" in str(listed) and "234,56 €" in str(compare)
    assert "Nach Kürzungen des Fördergebers" in str(finance.cut_note(""))
    message = cuts.act("remove", *FORM)
    assert "aufgehoben" in str(message) and queries.audit_cuts(data.engine()).empty


@pytest.mark.parametrize("user", [STEERING, PARTNER_BO])
def test_only_finance_records_cuts(web, user):
    from dashboard.pages import cuts

    web(user)
    message = cuts.act("save", *FORM)
    assert "nur die Finanzabteilung" in str(message)
    assert queries.audit_cuts(data.engine()).empty


def test_finanzplan_files_and_decides_a_change_request(web):
    from dashboard.pages import plan

    web(STEERING)
    plan.change_list(None, None, "/finanzplan")  # opening the page makes plan version 1
    form = {
        "base": "1",
        "day": "2025-04-02",
        "text": "DO Sachausgaben 2024 nach 2026",
        "pick": None,
        "decision": "approved",
        "decided": "2025-05-02",
        "version": None,
        "note": "",
    }
    assert "nur die Finanzabteilung" in str(plan.change_act("file", **form))
    web(FINANCE)
    assert "Nr. 1 erfasst" in str(plan.change_act("file", **form))
    assert "gespeichert" in str(plan.change_act("decide", **{**form, "pick": "1"}))
    table, bases, _versions, picks = plan.change_list(None, None, "/finanzplan")
    assert "genehmigt" in str(table) and "DO Sachausgaben 2024 nach 2026" in str(table)
    assert picks == [{"label": "Nr. 1 (genehmigt)", "value": "1"}]
    assert bases[0]["value"] == "1"
