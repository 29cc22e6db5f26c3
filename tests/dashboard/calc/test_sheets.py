"""Configured activity sheets on the dashboard: their measures against their targets, by
month and partner (dashboard.calc.sheets), the chart and the registry entries, with a
configuration parsed like the network's and frames shaped like queries.sheet_measures."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest

from dashboard import filters as flt
from dashboard.calc import records as rec
from dashboard.calc import sheets
from dashboard.figures import sheets as sheet_figs
from dashboard.views import sheet_grid
from etl.core import figures, sheet_figures
from etl.core.config import parse_config
from tests.dashboard.conftest import SMALL

SHEET = {
    "key": "vouchers", "sheet": "Gutscheine", "label": "Beratungsgutscheine",
    "date_column": "Datum", "id_column": "Nr.",
    "columns": [
        {"name": "Nr.", "type": "id"},
        {"name": "Vorgang", "type": "choice", "choices": ["Ausgabe", "Einlösung"]},
        {"name": "Datum", "type": "date"},
        {"name": "Modul", "type": "module"},
        {"name": "Wert", "type": "money"},
    ],
    "measures": [
        {"key": "vouchers_issued", "label": "Ausgegebene Gutscheine",
         "where": {"Vorgang": "Ausgabe"}},
        {"key": "voucher_value", "label": "Wert eingelöster Gutscheine", "sum": "Wert",
         "unit": "eur", "where": {"Vorgang": "Einlösung"}},
    ],
}


@pytest.fixture(scope="module")
def config():
    raw = copy.deepcopy(SMALL)
    raw["activity_sheets"] = [SHEET]
    raw["targets"]["A"]["M1"]["2025"] |= {"vouchers_issued": 12, "voucher_value": 6000}
    raw["targets"]["B"]["M1"]["2025"] |= {"vouchers_issued": 6}
    return parse_config(raw)


def measures(rows: list[tuple]) -> pd.DataFrame:
    """(partner, 'YYYY-MM', module, measure, value) as queries.sheet_measures gives them:
    counts int, euros Decimal."""
    frame = pd.DataFrame(rows, columns=["partner_code", "month", "module", "measure", "value"])
    frame["month"] = [date.fromisoformat(m + "-01") for m in frame["month"]]
    frame["sheet_key"] = "vouchers"
    return frame[sheets.COLUMNS]


FACTS = measures([
    ("A", "2025-01", "M1", "vouchers_issued", 2), ("A", "2025-02", "M1", "vouchers_issued", 1),
    ("A", "2025-02", "M1", "voucher_value", Decimal("1500.50")),
    ("B", "2025-03", "M1", "vouchers_issued", 3),
    ("A", "2025-05", "M1", "vouchers_issued", 4),  # after the Stand below: vorläufig
])
AS_OF = date(2025, 3, 1)


def test_targets_of_configured_measures_are_in_the_stored_unit(config):
    t = sheets.targets_frame(config).set_index(["partner_code", "module", "year"])
    assert int(t.loc[("A", "M1", 2025), "vouchers_issued"]) == 12
    assert int(t.loc[("A", "M1", 2025), "voucher_value"]) == 600_000  # 6.000 € in cents
    assert int(t["vouchers_issued"].sum()) == 18


def test_cards_count_to_the_stand_against_prorated_targets(config):
    sheet = config.activity_sheets[0]
    view = sheets.sheet_view(FACTS, sheet, config, flt.Filters(), AS_OF)
    issued, value = view.kpis["vouchers_issued"], view.kpis["voucher_value"]
    assert (issued.value, issued.target) == (6, 18)  # May is after the Stand
    assert issued.expected == Fraction(18 * 3, 12)
    assert issued.attainment == Fraction(1, 3) and issued.on_track == Fraction(6) / Fraction(9, 2)
    assert (value.value, value.target) == (150_050, 600_000)
    only_b = sheets.sheet_view(FACTS, sheet, config, flt.Filters(partners=("B",)), AS_OF)
    assert only_b.kpis["vouchers_issued"].value == 3
    assert only_b.kpis["voucher_value"].target == 0


def test_monthly_and_per_partner(config):
    sheet = config.activity_sheets[0]
    view = sheets.sheet_view(FACTS, sheet, config, flt.Filters(), AS_OF)
    issued = view.monthly[view.monthly["measure"] == "vouchers_issued"]
    assert list(issued["value"]) == [2, 1, 3]
    a = view.partners[(view.partners.partner_code == "A")].set_index("measure")
    assert int(a.loc["vouchers_issued", "actual"]) == 3
    assert a.loc["vouchers_issued", "attainment"] == Fraction(3, 3)  # 12 x 3/12 expected
    assert int(a.loc["voucher_value", "actual"]) == 150_050


def test_no_sheets_no_figures(small_config):
    assert sheet_figures.configured_figures(small_config) == []
    assert sheets.measure_units(small_config) == {}


def test_registry_names_and_defines_configured_measures(config):
    figs = {f.key: f for f in sheet_figures.configured_figures(config)}
    assert figs["voucher_value"].group == "Beratungsgutscheine"
    assert figures.configured_name("voucher_value", config) == "Wert eingelöster Gutscheine"
    assert "Summe der Spalte Wert" in figures.formula_text(figs["voucher_value"], config)
    assert "Vorgang = Einlösung" in figs["voucher_value"].formula


def test_trend_chart_draws_counts_as_bars_and_euros_on_the_right_axis(config):
    sheet = config.activity_sheets[0]
    view = sheets.sheet_view(FACTS, sheet, config, flt.Filters(), AS_OF)
    fig = sheet_figs.trend(view.monthly, [(m.key, m.label, m.unit) for m in sheet.measures],
                           sheet_label="Gutscheine", plain=True)
    kinds = {t["name"]: (t["type"], t.get("yaxis")) for t in fig["data"]}
    assert kinds["Ausgegebene Gutscheine"] == ("bar", None)
    assert kinds["Wert eingelöster Gutscheine (rechte Achse)"] == ("scatter", "y2")
    money = next(t for t in fig["data"] if t["type"] == "scatter")
    assert money["customdata"] == ["Wert eingelöster Gutscheine: 1.500,50 €"]


def test_sheet_rows_are_narrowed_sorted_and_paged(config):
    sheet = config.activity_sheets[0]
    rows = pd.DataFrame({
        "record_id": ["G1", "G2", "G1"], "partner_code": ["A", "B", "A"],
        "month": [date(2025, 1, 1), date(2025, 2, 1), date(2025, 2, 1)],
        "activity_date": [date(2025, 1, 5), date(2025, 2, 3), date(2025, 2, 9)],
        "module": ["M1", "M1", "M2"], "company_name": [None] * 3,
        "Nr.": ["G1", "G2", "G1"], "Vorgang": ["Ausgabe", "Ausgabe", "Einlösung"],
        "Datum": [date(2025, 1, 5), date(2025, 2, 3), date(2025, 2, 9)],
        "Modul": ["M1", "M1", "M2"], "Wert": [Decimal("100.00"), None, Decimal("99.99")],
    })
    feb = rec.sheet_records(rows, flt.Filters(), rec.Narrowing(month=date(2025, 2, 1)))
    assert list(feb["record_id"]) == ["G2", "G1"]
    assert rec.sheet_totals(feb, sheet) == {"rows": 2, "vouchers_issued": 1, "voucher_value": 9999}
    by_value = rec.sheet_page(rows, 0, 2, [("Wert", False)])
    assert list(by_value["Wert"]) == [Decimal("100.00"), Decimal("99.99")]
    shown = sheet_grid.rows(sheet, rows.iloc[:1])
    assert shown == [{"partner_code": "A", "month": "2025-01-01", "c0": "G1", "c1": "Ausgabe",
                      "c2": "2025-01-05", "c3": "M1", "c4": 10000}]
    assert [c["headerName"] for c in sheet_grid.columns(sheet)][2:] == [
        "Nr.", "Vorgang", "Datum", "Modul", "Wert"]
