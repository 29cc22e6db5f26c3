"""AG Grid rows are JSON-ready; every dataset's columns name the source of each row."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from dashboard.views import grids


def test_json_rows_convert_dates_decimals_and_missing_values():
    frame = pd.DataFrame([{"d": date(2025, 3, 14), "t": datetime(2025, 3, 14, 9, 30),
                           "h": Decimal("12.50"), "n": float("nan"), "i": 3}])
    assert grids.json_rows(frame, ["d", "t", "h", "n", "i"]) == [
        {"d": "2025-03-14", "t": "2025-03-14T09:30:00", "h": 12.5, "n": None, "i": 3}]


def test_every_dataset_shows_where_a_row_came_from():
    for dataset, columns in grids.RECORD_COLUMNS.items():
        fields = [c["field"] for c in columns]
        assert "partner_code" in fields
        assert "file_name" in fields, dataset
        if dataset != "eingaenge":
            assert {"sheet", "source_row"} <= set(fields), dataset


def test_budget_rows_keep_cents_and_show_labels():
    lines = pd.DataFrame([{"partner_code": "A", "year": 2025, "category": "material",
                           "plan": 10000, "compare": 10000, "actual": 12000,
                           "deviation": Fraction(1, 5), "flag": "flag", "direction": "over",
                           "at_stake": 2000}])
    assert grids.budget_rows(lines) == [{
        "partner": "A", "year": 2025, "year_label": "2025", "category": "Sachausgaben",
        "plan": 10000,
        "compare": 10000, "actual": 12000, "deviation": 20.0, "flag": "flag", "at_stake": 2000,
        "flag_label": "Zustimmung nötig"}]


def test_budget_rows_name_under_spending_and_years_not_begun():
    lines = pd.DataFrame([
        {"partner_code": "HA", "year": 2025, "category": "personnel", "plan": 10000,
         "compare": 10000, "actual": 6000, "deviation": Fraction(-2, 5), "flag": "flag",
         "direction": "under", "at_stake": 4000},
        {"partner_code": "HA", "year": 2026, "category": "personnel", "plan": 12000,
         "compare": 10000, "actual": 8400, "deviation": Fraction(-4, 25), "flag": "warn",
         "direction": "under", "at_stake": 1600},
        {"partner_code": "HA", "year": 2027, "category": "personnel", "plan": 12000,
         "compare": 0, "actual": 0, "deviation": None, "flag": "ok", "direction": "over",
         "at_stake": 0}])
    labels = [r["flag_label"] for r in grids.budget_rows(lines)]
    assert labels == ["Mittel gefährdet", "Warnung: unter Plan", "noch nicht begonnen"]


def test_money_columns_use_the_exact_cent_formatter():
    col = grids.money_col("amount_cents", "Betrag")
    assert col["valueFormatter"] == {"function": "eurCents(params.value)"}


def test_partner_and_module_columns_fit_the_networks_longest_names(config):
    """Short codes keep the defined widths; a 12-character code and a long module name widen
    their columns (and a staff code built from the partner code) instead of being cut."""
    from dataclasses import replace

    from dashboard.views.grids import RECORD_COLUMNS, fitted

    cols = RECORD_COLUMNS["kosten"]
    assert fitted(cols, config) == cols  # DO, BO, HA, HAM, UN: nothing changes
    long = replace(config, partners=(replace(config.partners[0], code="IHK-HANNOVER"),),
                   modules=("Digitale Transformation im Mittelstand",))
    width = {c["field"]: c.get("width") for c in fitted(cols, long)}
    assert width["partner_code"] == 12 * 10 + 40 > 110
    assert width["module"] == 38 * 8 + 40
    assert width["reference"] == 15 * 10 + 40
    assert width["amount_cents"] == 160 and cols[0]["width"] == 110  # others, originals kept
