"""Pages end to end without a browser: a workbook goes in through the real upload path, the
callbacks run against that warehouse, and the shown figures are checked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from flask_login import login_user

from dashboard import data
from dashboard.auth import SessionUser
from etl.core.settings import get_settings
from tests.dashboard.views.test_tables import components
from tests.factories import EXPECTED, month_report, workbook


@pytest.fixture
def warehouse(engine, tmp_path, monkeypatch, dash_app):
    """Point the dashboard at the test's warehouse; 'today' is 20 June 2025."""
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NETWORK_CONFIG", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(data, "today", lambda: date(2025, 6, 20))
    with dash_app.server.test_request_context():
        login_user(SessionUser(1, "steuerung", "steering", None, True))
        yield
    get_settings.cache_clear()


def find(component, component_id):
    """The component with ``component_id`` inside a layout tree (or None)."""
    if getattr(component, "id", None) == component_id:
        return component
    children = getattr(component, "children", None)
    if isinstance(component, list | tuple):
        children = component
    if isinstance(children, list | tuple):
        for child in children:
            hit = find(child, component_id)
            if hit is not None:
                return hit
    elif children is not None and not isinstance(children, str | int | float):
        return find(children, component_id)
    return None


def text(component, component_id) -> str:
    return find(component, component_id).children


def test_every_layout_needs_no_arguments_and_no_database(dash_app):
    import dash

    for page in dash.page_registry.values():
        assert page["layout"]() is not None, page["path"]


def test_overview_shows_the_report(warehouse, ingest):
    from dashboard.pages import overview

    ingest(workbook())
    lead, cards, budget, _attention, _table = overview.update("")
    assert text(cards, "overview-kpi-events-value") == "2"
    assert text(cards, "overview-kpi-participants-value") == "42"
    assert text(cards, "overview-kpi-coachings-value") == "1"
    # Müller Metallbau twice (spelt differently) and Schulte Logistik: two companies
    assert text(cards, "overview-kpi-companies-value") == "2"
    assert text(budget, "overview-kpi-money-value") == "9.092,85 €"
    assert "Mai 2025" in lead  # reports due by 20 June 2025: up to May


def test_finance_shows_eligible_costs_and_financing(warehouse, ingest):
    from dashboard.pages import finance

    ingest(workbook())
    out = finance.update("?partner=DO&jahr=2025")
    cards = out[1]
    assert EXPECTED["eligible"] == Decimal("9092.85")
    assert text(cards, "finance-kpi-eligible-value") == "9.092,85 €"
    assert text(cards, "finance-kpi-grant-value") == "7.274,28 €"
    rows, hint = out[-2], out[-1]
    assert hint.startswith("Warnung ab 15 %, Zustimmung des Fördergebers nötig ab 20 %")
    material = next(r for r in rows if r["category"] == "Sachausgaben")
    assert material["actual"] == 132446  # 1.234,56 + 89,90 in cents


def test_records_show_the_cost_rows_behind_a_bar(warehouse, ingest):
    from dashboard.pages import records

    ingest(workbook())
    search = "?tabelle=kosten&partner=DO&jahr=2025&kategorie=personal"
    columns, summary, chips, _lead, csv, _classes = records.show_rows(search)
    block = records.rows_block({"startRow": 0, "endRow": 100}, search)
    rows = block["rowData"]
    assert block["rowCount"] == 2
    assert csv == "/download/daten" + search
    assert [r["reference"] for r in rows] == ["DO-01", "DO-02"]
    assert {r["sheet"] for r in rows} == {"Personal"}
    assert [r["source_row"] for r in rows] == [2, 3]
    assert sum(r["amount_cents"] for r in rows) == 675512
    assert "Personal" in str(summary) and "6.755,12 €" in str(summary)
    assert "Kostenart: Personal" in str(chips)
    assert [c["field"] for c in columns][-3:] == ["file_name", "sheet", "source_row"]


def test_reporting_marks_a_late_report(warehouse, ingest):
    from dashboard.pages import reporting

    ingest(workbook())  # March 2025, uploaded 20 June 2025: due 10 April -> late
    _lead, matrix, _fig, _style, table = reporting.update("?partner=DO&jahr=2025")
    cell = str(matrix[0])
    assert "rs-late" in cell and "20.06." in cell
    assert "rs-missing" in cell  # January, February, April are due and missing
    assert "0 %" in str(table)
    # the cell is the link to the month's comment dialog (which links to its files): one
    # component per cell, no dcc.Link inside
    march = matrix[0].children[1].children[0]["props"]["children"][3]
    assert march["props"]["className"] == "rs rs-late"
    assert march["props"]["data-href"] == "/meldestand?partner=DO&jahr=2025#bemerkung=DO%7C2025-03"
    assert "'Link'" not in cell
    assert components(matrix) == 3 + 13 + 1 + 2 + 12  # head, Tbody, row DO: 12 cells


def test_new_upload_invalidates_the_cache(warehouse, ingest):
    from dashboard.pages import overview

    ingest(workbook())
    first = overview.update("")[1]
    assert text(first, "overview-kpi-events-value") == "2"
    ingest(workbook("DO", "2025-04", data=month_report("DO", "2025-04", n=3)))
    second = overview.update("")[1]
    assert text(second, "overview-kpi-events-value") == "5"


def test_activities_and_filters(warehouse, ingest):
    from dashboard.pages import activities

    ingest(workbook())
    bars, monthly, cumulative, lead = activities.update_trend("?modul=Coachen", "coachings",
                                                              "partner_code")
    bars = go.Figure(bars)  # the page sends plain figure dicts; validate them here
    coach = next(t for t in bars.data if t.name == "Coachen")
    assert list(coach.y)[0] == 1
    assert coach.customdata[0][0] == ("/daten?partner=DO&modul=Coachen&tabelle=coachings")
    assert "Module: Coachen" in lead
    sizes, formats, sme = activities.update_mix("")
    assert list(go.Figure(sizes).data[0].y) == [0, 1, 1, 0]  # Klein (Müller), Mittel (Schulte)
    assert sme == "2 eindeutige Unternehmen, davon 2 KMU (100 %)"
