"""Configured activity sheets on the pages, without a browser: vouchers go in through the
real upload path (a first-network configuration plus a voucher sheet with targets), the
callbacks run on that warehouse, and the voucher figures are the ones loaded. The first
network (no sheets) shows nothing new."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from dashboard import data, planning
from dashboard import filters as flt
from dashboard.exports import analysis
from dashboard.exports.source import web_source
from etl.core.activity_sheets import parse_activity_sheets
from etl.core.config import load_config
from etl.core.settings import REPO_ROOT
from tests.dashboard.test_pages import find, warehouse  # noqa: F401  (fixture)
from tests.etl.intake.test_activity_sheets import VOUCHERS, report, voucher


@pytest.fixture(scope="session")
def config():
    """The first network with a voucher sheet and voucher targets for DO/Coachen 2025."""
    base = load_config(REPO_ROOT / "data" / "config.toml")
    targets = {**base.targets, ("DO", "Coachen", 2025, "vouchers_issued"): 12,
               ("DO", "Coachen", 2025, "voucher_value"): 30000}
    return replace(base, activity_sheets=parse_activity_sheets([VOUCHERS]), targets=targets)


@pytest.fixture
def vouchers(warehouse, ingest, config, monkeypatch):  # noqa: F811
    monkeypatch.setattr(data, "config", lambda: config)
    monkeypatch.setattr(planning, "config", lambda version_id=None: config)
    issued = [voucher("G-1", "Ausgabe", date(2025, 3, 3)),
              voucher("G-2", "Ausgabe", date(2025, 3, 4), "1000.00")]
    assert ingest(report(config, issued)).status == "accepted"
    redeem = [voucher("G-1", "Einlösung", date(2025, 4, 10), "2400.50")]
    assert ingest(report(config, redeem, "2025-04")).status == "accepted"
    data.clear()
    yield config
    data.clear()


def value(tree, key: str):
    return find(tree, f"sheet-kpi-{key}-value").children


def test_activities_show_the_loaded_vouchers_against_targets(vouchers):
    from dashboard.pages import activities

    section = activities.update_sheets("")
    assert [value(section, k) for k in ("vouchers_issued", "vouchers_redeemed", "voucher_value")
            ] == ["2", "1", "2.400,50 €"]
    card = find(section, "sheet-kpi-voucher_value")
    assert card.href == "/daten?tabelle=blatt-vouchers"
    assert "Ziel 30.000,00 € · erreicht 8 %" in str(card)  # 2.400,50 of 30.000 €
    assert activities.update_sheets("?partner=BO") is not None
    assert value(activities.update_sheets("?partner=BO"), "vouchers_issued") == "0"


def test_overview_shows_cards_of_measures_with_targets(vouchers):
    from dashboard.pages import overview

    cards = overview.update("")[1]
    assert value(cards, "vouchers_issued") == "2"
    assert find(cards, "sheet-kpi-vouchers_redeemed") is None  # no target for it


def test_records_offer_the_sheet_rows(vouchers):
    from dashboard.pages import records

    cols, summary, _chips, lead, csv, _rules = records.show_rows("?tabelle=blatt-vouchers")
    assert [c["headerName"] for c in cols][:3] == ["Partner", "Berichtsmonat", "Gutschein-Nr."]
    assert lead.startswith("Beratungsgutscheine · alle Partner")
    shown = {s.children[1].children for s in summary}
    assert {"3", "2", "1", "2.400,50 €"} <= shown
    block = records.rows_block({"startRow": 0, "endRow": 100,
                                "sortModel": [{"colId": "c6", "sort": "desc"}]},
                               "?tabelle=blatt-vouchers&monat=2025-03")
    assert block["rowCount"] == 2
    assert [r["c6"] for r in block["rowData"]] == [250000, 100000]


def test_activities_export_holds_the_sheet(vouchers):
    with_sheet = analysis.activities(web_source(), {}, flt.Filters())
    names = [t.sheet for t in with_sheet.tables]
    assert "Beratungsgutscheine Ist und Ziel" in names
    table = next(t for t in with_sheet.tables if t.sheet == "Beratungsgutscheine Ist und Ziel")
    do = [r for r in table.rows if r[0] == "DO" and r[1] == "Coachen" and r[2] == 2025][0]
    assert do[3:9] == [2, 1, 240050, 12, 0, 3000000]


def test_first_network_shows_nothing_new(warehouse, monkeypatch):  # noqa: F811
    from dashboard import drill
    from dashboard.pages import activities, definitions, overview

    first = load_config(REPO_ROOT / "data" / "config.toml")
    monkeypatch.setattr(data, "config", lambda: first)
    monkeypatch.setattr(planning, "config", lambda version_id=None: first)
    assert activities.update_sheets("") is None
    assert drill.datasets(first) == drill.DATASETS
    cards = overview.update("")[1]
    assert len(cards) == 4 and find(cards, "overview-sheet-vouchers") is None
    groups = [c.children[0].children[0].children for c in definitions.update("/")[1]]
    assert groups == ["Aktivitäten", "Finanzen", "Meldestand", "Zeit", "EU-Indikatoren"]


def test_daten_export_and_csv_hold_the_sheet_rows(vouchers, dash_app):
    from dashboard.exports import lists

    export = lists.records(web_source(), {"tabelle": "blatt-vouchers"}, flt.Filters())
    (table,) = export.tables
    assert table.sheet == "Beratungsgutscheine"
    assert [c.header for c in table.columns][:4] == ["Partner", "Berichtsmonat",
                                                      "Gutschein-Nr.", "Vorgang"]
    wert = [c.header for c in table.columns].index("Wert")
    assert table.columns[wert].kind == "money"
    assert sorted(r[wert] for r in table.rows) == [100000, 240050, 250000]
    with dash_app.server.test_request_context("/download/daten?tabelle=blatt-vouchers"):
        from dashboard.downloads import records_csv

        body = "".join(records_csv().response)
    assert '"Gutschein-Nr."' in body and '"2.400,50 €"' in body


def test_overview_lists_partners_behind_in_vouchers_and_exports_the_cards(vouchers):
    # DO: 2 of 12 vouchers issued in 2025, 5/12 of the year expected by May: behind
    export = analysis.overview(web_source(), {}, flt.Filters())
    table = next(t for t in export.tables if t.sheet == "Beratungsgutscheine Kennzahlen")
    assert [r[:4] for r in table.rows] == [
        ["Ausgegeben", "Anzahl", 2, 12], ["Eingelöst", "Anzahl", 1, 0],
        ["Wert", "Euro", Decimal("2400.50"), Decimal("30000")]]
    attention = next(t for t in export.tables if t.sheet == "Aufmerksamkeit")
    (do,) = [r[1] for r in attention.rows if r[1].startswith("DO liegt hinter")]
    assert do.endswith(", Ausgegeben 40 %, Wert 19 %")  # after the built-in ones, one item
