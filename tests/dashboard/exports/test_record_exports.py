"""The Daten page's exports on factory data, on both backends: the Excel export of every
dataset (Coachings' hours summed exactly), and the CSV's text cells (Personal detail once,
formula-like text neutralised by the one rule of ``etl.documents.cells``)."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard.downloads import _csv_cell
from dashboard.exports import export_page
from dashboard.exports.source import direct_source
from dashboard.views.grids import RECORD_COLUMNS
from etl.documents.cells import UNSAFE_START, neutral_text
from tests.factories import sheets, workbook

ROOT = Path(__file__).resolve().parents[3]
HOSTILE = [
    '=HYPERLINK("http://example.org","klick")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def loaded(ingest):
    data = sheets()
    data["Coachings"].append({**data["Coachings"][0], "ID": "DO-C-02", "Stunden": "7,25"})
    result = ingest(workbook(data=data))
    assert result.status == "accepted", result.errors


def _sheet(engine, config, search: str):
    source = direct_source(engine, config, "finanzen", date(2025, 6, 20))
    return load_workbook(io.BytesIO(export_page("/daten", search, source=source)))


@pytest.mark.parametrize("dataset", ["veranstaltungen", "coachings", "teilnahmen", "kosten"])
def test_every_dataset_exports_with_exact_totals(engine, config, loaded, dataset):
    wb = _sheet(engine, config, f"?tabelle={dataset}")
    ws = wb.worksheets[1]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    totals = next(r for r in rows if r[0] == "Summe")
    if dataset == "coachings":
        hours = rows[0].index("Stunden")
        assert [r[hours] for r in rows[1:3]] == [12.5, 7.25]
        assert Decimal(str(totals[hours])) == Decimal("19.75")


@pytest.mark.parametrize("text", HOSTILE)
def test_text_for_csv_is_neutralised(text):
    assert neutral_text(text) == "'" + text
    assert neutral_text("Raummiete") == "Raummiete" and neutral_text("") == ""


def test_csv_cells_neutralise_text_but_not_numbers():
    text_col = next(c for c in RECORD_COLUMNS["kosten"] if c["field"] == "detail")
    money_col = next(c for c in RECORD_COLUMNS["kosten"] if c["field"] == "amount_cents")
    for text in HOSTILE:
        assert _csv_cell(text_col, text) == "'" + text
    assert _csv_cell(money_col, -123456) == "-1.234,56 €"  # a credit stays a number


def test_the_grid_export_applies_the_same_rule():
    """assets/dashAgGridFunctions.js neutralises with the same list of leading characters."""
    js = (ROOT / "assets" / "dashAgGridFunctions.js").read_text(encoding="utf-8")
    listed = re.search(r"var UNSAFE_START = (\[.*?\]);", js).group(1)
    assert tuple(json.loads(listed)) == UNSAFE_START


def test_protokoll_grid_exports_through_the_rule(dash_app):
    from dashboard.pages import audit

    grid = audit.layout().children[-1]
    params = grid.dashGridOptions["defaultCsvExportParams"]
    assert params["processCellCallback"] == {"function": "neutralCsvCell(params)"}
