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
                           "plan": 10000, "actual": 12000, "deviation": Fraction(1, 5),
                           "flag": "flag"}])
    assert grids.budget_rows(lines) == [{
        "partner": "A", "year": 2025, "category": "Sachausgaben", "plan": 10000,
        "actual": 12000, "deviation": 20.0, "flag": "flag", "flag_label": "Zustimmung nötig"}]


def test_money_columns_use_the_exact_cent_formatter():
    col = grids.money_col("amount_cents", "Betrag")
    assert col["valueFormatter"] == {"function": "eurCents(params.value)"}
