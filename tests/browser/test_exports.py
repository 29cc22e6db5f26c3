"""Excel export from a page in a real browser: the button downloads the page's workbook with
the filters of the address, and its figures equal ``python -m etl report``."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import cents

pytestmark = pytest.mark.browser


def _download(app, path: str, ready: str, tmp_path):
    app.open(path, ready)
    app.page.wait_for_function(  # the button's link follows the address (page and filters)
        "p => { const a = document.querySelector('#filter-export');"
        " return a && decodeURIComponent(a.getAttribute('href')).includes(p); }",
        arg="seite=" + path.replace("?", "&"), timeout=15_000)
    with app.page.expect_download() as info:
        app.page.click("#filter-export")
    download = info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return download.suggested_filename, load_workbook(target)


def test_finance_page_downloads_its_workbook(app_as, report, tmp_path):
    app = app_as("finance")
    name, wb = _download(app, "/finanzen?partner=DO&jahr=2025", "#finance-kpi-eligible-value",
                         tmp_path)
    assert name.startswith("Export_Finanzen_") and name.endswith(".xlsx")
    cover = {r[0]: r[1] for r in wb["Deckblatt"].iter_rows(values_only=True) if r[0]}
    assert cover["Partner"] == "DO" and cover["Jahre"] == "2025"
    assert cover["Exportiert von"] == "finanzen"
    row = next(r for r in report["eligible"] if (r["partner"], r["year"]) == ("DO", 2025))
    shown = app.text("#finance-kpi-eligible-value")
    exported = int((Decimal(str(wb["Kennzahlen"]["A2"].value)) * 100).quantize(Decimal(1)))
    assert exported == cents(row["eligible_eur"])
    assert shown.replace(".", "").replace(",", "").rstrip(" €") == str(exported)
    assert wb["Kennzahlen"]["A2"].number_format == '#,##0.00 "€"'
    assert wb["Budgetzeilen"].freeze_panes == "A2"


def test_partner_download_holds_only_its_partner(app_as, tmp_path):
    app = app_as("partner")
    _name, wb = _download(app, "/daten?tabelle=kosten&partner=BO", "[data-total=rows]", tmp_path)
    ws = wb["Kosten"]
    partners = {r[0] for r in ws.iter_rows(min_row=2, values_only=True)
                if r[0] and r[0] != "Summe"}
    assert partners == {"DO"}
