"""The finance pages' callbacks without a browser: plan as of a version on Finanzen, the payment
position, the Finanzplan page (upload, versions, diff) and the Mittelabrufe page."""

from __future__ import annotations

import base64
from datetime import date

import pytest
from flask_login import login_user

from dashboard import data
from dashboard.auth import SessionUser
from etl.core.settings import get_settings
from etl.warehouse import queries
from etl.workflow import plan
from tests.factories import workbook
from tests.plan_workbooks import downloaded, move, to_bytes

XLSX = "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"


@pytest.fixture
def finance_user(engine, tmp_path, monkeypatch, dash_app):
    """The dashboard on the test's warehouse, logged in as finance; 'today' is 20 June 2025."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NETWORK_CONFIG", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(data, "today", lambda: date(2025, 6, 20))
    with dash_app.server.test_request_context():
        login_user(SessionUser(1, "finanzen", "finance", None, True))
        yield
    get_settings.cache_clear()


def _new_version(engine, config) -> str:
    wb = downloaded(engine, config)
    move(wb, ("DO", 2024, "material"), ("DO", 2026, "material"), 30_000)
    return XLSX + base64.b64encode(to_bytes(wb)).decode()


def _line(rows, partner, year, category):
    return next(r for r in rows if (r["partner"], r["year"], r["category"]) == (
        partner, year, category))


def test_finance_shows_the_plan_as_of_a_version(finance_user, engine, config, ingest):
    from dashboard.pages import finance
    from dashboard.pages import plan as plan_page

    ingest(workbook())
    result = plan_page.upload(_new_version(engine, config), "Plan.xlsx", "Umschichtung DO")
    assert "angenommen als Version 2" in str(result)
    current = finance.update("?partner=DO")
    old = finance.update("?partner=DO&planstand=1")
    assert _line(current[-2], "DO", 2024, "Sachausgaben")["plan"] == 5_099_980
    assert _line(old[-2], "DO", 2024, "Sachausgaben")["plan"] == 8_099_980
    assert "Planstand Version 2" in current[0] and "Planstand Version 1" in old[0]
    options, value, note = finance.plan_versions("?planstand=1")
    assert [o["value"] for o in options] == ["2", "1"] and value == "1"
    assert "aktuell gilt Version 2" in note
    assert finance.choose_plan("1", "?partner=DO") == "?partner=DO&planstand=1"
    assert finance.choose_plan("2", "?partner=DO&planstand=1") == "?partner=DO"


def test_finance_shows_the_payment_position(finance_user, engine, config, ingest):
    from dashboard.pages import finance
    from etl.workflow import payments

    ingest(workbook())
    rid = payments.record_request(engine, config, partner="DO", requested_date=date(2025, 4, 15),
                                  period_start=date(2025, 3, 1), period_end=date(2025, 3, 1),
                                  amount_cents=7_000_00, by="finanzen")
    payments.approve(engine, rid, amount_cents=6_000_00, approved_date=date(2025, 5, 1), by="f")
    table, rows = finance.payment_position("?partner=DO")
    text = str(table)
    assert "9.092,85 €" in text and "7.274,28 €" in text  # eligible and grant due on them
    assert "7.000,00 €" in text and "6.000,00 €" in text  # requested, outstanding (approved)
    assert [(r["id"], r["status_label"], r["approved"]) for r in rows] == [
        (rid, "bewilligt", 600000)]


def test_plan_page_lists_versions_and_shows_the_diff(finance_user, engine, config):
    from dashboard.pages import plan as plan_page

    plan_page.upload(_new_version(engine, config), "Plan.xlsx", "Umschichtung DO")
    lead, rows, label = plan_page.versions(None, "/finanzplan")
    assert "Es gilt Version 2" in lead and "Version 2" in label
    assert [r["id"] for r in rows] == [2, 1] and rows[0]["created_by"] == "finanzen"
    diff = str(plan_page.show_diff("1", "2"))
    assert "Zustimmung des Fördergebers nötig" in diff and "-30.000,00 €" in diff
    assert plan_page.pickers("", None)[1::2] == ("1", "2")
    assert plan_page.choose("1", "2", "") is not None  # default pair: no_update
    rejected = plan_page.upload(XLSX + base64.b64encode(b"kaputt").decode(), "x.xlsx", "Test 1")
    assert "abgelehnt" in str(rejected)
    assert [v.id for v in plan.versions(engine, config)] == [2, 1]


def test_payments_page_records_approves_and_pays(finance_user, engine):
    from dashboard.pages import payments as page

    msg = page.record(1, "DO", "2025-04-20", "2025-03", "2025-03", "12.500,00", "erster Abruf")
    assert "Mittelabruf Nr. 1 für DO erfasst" in str(msg)
    bad = page.record(1, "DO", "2025-04-20", "2025-04", "2025-03", "100", "")
    assert "endet vor seinem Beginn" in str(bad)
    assert "keine Zahl" in str(page.record(1, "DO", "2025-04-20", "2025-03", "2025-03", "x", ""))
    rows, _position, options, lead = page.refresh(None, None, "/mittelabrufe")
    assert [o["value"] for o in options] == ["1"] and "1 Mittelabrufe" in lead
    assert "10.000,00 € bewilligt" in str(page.act("approve", "1", "10.000", "2025-05-02"))
    assert "nur ein bewilligter" not in str(page.act("pay", "1", "", "2025-05-20"))
    assert "bereits ausgezahlt" in str(page.act("approve", "1", "", "2025-05-21"))
    [row] = queries.payment_requests(engine).itertuples()
    assert (row.status, row.approved_cents, row.paid_cents) == ("paid", 1_000_000, 1_000_000)
    _rows, _position, options, _lead = page.refresh(None, None, "/mittelabrufe")
    assert options == []


def test_finance_links_the_proof_of_use(finance_user):
    from dashboard.pages import finance

    one = str(finance.proof_links("?partner=BO&jahr=2025"))
    assert "/download/nachweis?partner=BO&jahr=2024" in one and "(BO)" in one
    assert "/download/nachweis?partner=BO'" in one  # Verwendungsnachweis of BO
    every = str(finance.proof_links(""))
    assert "/download/nachweis?jahr=2025" in every and "gesamtes Projekt" in every
    # beside it, the Belegliste of every year and of the whole period
    assert "/download/belegliste?partner=BO&jahr=2026" in one and "Belegliste 2026" in one
    assert "/download/belegliste?partner=BO'" in one and "Belegliste gesamte Laufzeit" in one
    assert "/download/belegliste?jahr=2024" in every


def test_finance_links_staff_hours_and_sachbericht(finance_user):
    from dashboard.pages import finance

    one = str(finance.proof_links("?partner=BO&jahr=2025"))
    for year in (2024, 2025, 2026):
        assert f"/download/stunden?partner=BO&jahr={year}" in one
        assert f"/download/sachbericht?partner=BO&jahr={year}" in one
    assert "/download/sachbericht?partner=BO'" in one  # the whole period
    every = str(finance.proof_links(""))
    assert "/download/stunden?jahr=2026" in every and "/download/sachbericht'" in every
