"""The dashboard in a real browser on the demo data: every page loads without errors, the
figures equal ``python -m etl report``, filters live in the URL and persist across pages,
and clicking a KPI or a bar opens exactly the rows behind it."""

from __future__ import annotations

import re
import sqlite3
import time
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from etl.core.money import format_eur
from tests.browser.conftest import cents

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "Übersicht", "#overview-kpi-events-value"),
    ("/aktivitaeten", "Aktivitäten", "#activities-lead"),
    ("/finanzen", "Finanzen", "#finance-kpi-eligible-value"),
    ("/meldestand", "Meldestand", "#reporting-lead"),
    ("/daten", "Daten", "[data-total=rows]"),
    ("/kennzahlen", "Kennzahlen", "tr.figure-row"),
    ("/indikatoren", "Indikatoren", "#indicators-total-RCO01"),
]
MONEY = re.compile(r"^-?\d{1,3}(\.\d{3})*,\d{2} €$")
DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")
# a row the server has filled (the infinite row model shows a loading row first)
FIRST_ROW = "#records-grid .ag-center-cols-container .ag-row[row-index='0']:not(.ag-row-loading)"


def de(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def total(report: dict, measure: str, **where) -> int:
    return sum(r[measure] for r in report["activities"]
               if all(r[k] == v for k, v in where.items()))


def eligible(report: dict, field: str, **where) -> int:
    return sum(cents(r[field]) for r in report["eligible"]
               if all(r[k] == v for k, v in where.items()))


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}


def click_point(app, selector: str) -> None:
    """Click the centre of a chart element (Plotly listens on the layer above it)."""
    point = app.page.locator(selector).first
    point.wait_for()
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    app.page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def choose(app, dropdown: str, option: str) -> None:
    app.page.click(dropdown)
    app.page.get_by_role("option", name=option).click()
    app.page.keyboard.press("Escape")


@pytest.mark.parametrize(("path", "title", "ready"), PAGES)
def test_every_page_loads(app, path, title, ready):
    app.open(path, ready)
    assert app.text("h1") == title
    assert app.page.locator("nav .nav-link.active").first.text_content() == title
    app.page.wait_for_load_state("networkidle")


def test_overview_equals_the_report(app, report):
    app.open("/", "#overview-kpi-events-value")
    assert app.text("#overview-kpi-events-value") == de(total(report, "events"))
    assert app.text("#overview-kpi-participants-value") == de(total(report, "participants"))
    assert app.text("#overview-kpi-coachings-value") == de(total(report, "coachings"))
    assert app.text("#overview-kpi-companies-value") == de(report["unique_companies"])
    money = cents(report["accepted"]["eligible_total"]["eligible_eur"])  # after the cuts
    assert app.text("#overview-kpi-money-value") == format_eur(money)


def test_finance_equals_the_report(app, report):
    app.open("/finanzen", "#finance-kpi-eligible-value")
    t = report["accepted"]["eligible_total"]  # Finanzen: after the funding body's cuts
    assert app.text("#finance-kpi-eligible-value") == format_eur(cents(t["eligible_eur"]))
    assert app.text("#finance-kpi-grant-value") == format_eur(cents(t["grant_eur"]))
    grant_card = app.text("#finance-kpi-grant")
    for key in ("eu_eur", "state_eur", "own_eur"):
        assert format_eur(cents(t[key])) in grant_card
    # the burn chart has drawn its four lines and the markers of the months with comments
    # (the demo comments on its last months), with German month names on the axis
    app.page.wait_for_selector("#finance-burn .scatterlayer .trace")
    assert app.page.locator("#finance-burn .scatterlayer .trace").count() == 4 + 1
    assert app.page.locator("#finance-burn .legendtext").all_text_contents()[-1] == "Bemerkung"
    ticks = " ".join(app.page.locator("#finance-burn .xtick text").all_text_contents())
    assert "Okt" in ticks and "Oct" not in ticks
    yticks = app.page.locator("#finance-burn .ytick text").all_text_contents()
    assert any("," in t for t in yticks)  # decimal comma: 0,5 1,0 ...


def test_filters_live_in_the_url_and_persist_across_pages(app, report):
    app.open("/", "#overview-kpi-events-value")
    before = app.text("#overview-kpi-events-value")
    choose(app, "#filter-partners", "HA – HAGEN.WIRTSCHAFTSENTWICKLUNG GmbH")
    assert app.wait_change("#overview-kpi-events-value", before) == de(
        total(report, "events", partner="HA"))
    assert query(app.page.url) == {"partner": "HA"}
    app.page.get_by_role("link", name="Finanzen").click()
    app.page.wait_for_url("**/finanzen?partner=HA")
    assert app.wait_text("#finance-kpi-eligible-value") and app.page.wait_for_function(
        "v => document.querySelector('#finance-kpi-eligible-value').textContent === v",
        arg=format_eur(eligible(report, "eligible_eur", partner="HA")))
    assert "HA –" in app.text("#filter-partners")
    # the link reproduces the view
    app.open("/finanzen?partner=HA&jahr=2025", "#finance-kpi-eligible-value")
    app.page.wait_for_function(
        "v => document.querySelector('#finance-kpi-eligible-value').textContent === v",
        arg=format_eur(eligible(report, "eligible_eur", partner="HA", year=2025)))
    app.page.click("#filter-reset")
    app.page.wait_for_url(re.compile(r".*/finanzen$"))


def test_activity_bars_against_targets(app, report):
    app.open("/aktivitaeten?partner=DO&modul=Informieren&jahr=2025", "#activities-lead")
    app.page.wait_for_selector("#activities-bars-card .annotation-text")
    label = app.text("#activities-bars-card .annotation-text")
    assert label.startswith(de(total(report, "events", partner="DO", module="Informieren",
                                     year=2025)) + " / Ziel")


def test_empty_selection_says_what_is_missing(app):
    app.open("/aktivitaeten?modul=Coachen", "#activities-lead")
    app.page.wait_for_selector("#activities-bars-card .annotation-text")
    assert "Keine Veranstaltungen" in app.text("#activities-bars-card .annotation-text")
    assert app.page.locator("#activities-bars-card .trace.bars").count() == 0


def test_kpi_card_opens_the_rows_behind_it(app, report):
    app.open("/?partner=BO&jahr=2025", "#overview-kpi-events-value")
    app.page.click("#overview-kpi-events")
    app.page.wait_for_url("**/daten?**")
    assert query(app.page.url) == {"partner": "BO", "jahr": "2025", "tabelle": "veranstaltungen"}
    app.page.wait_for_function(
        "v => { const e = document.querySelector('[data-total=rows]');"
        " return e && e.textContent === v; }", arg=de(total(report, "events", partner="BO",
                                                             year=2025)))
    assert app.text("[data-total=participants]") == de(
        total(report, "participants", partner="BO", year=2025))
    first = app.page.locator(f"{FIRST_ROW}")
    first.wait_for()
    # the block's cells are drawn just after the row leaves its loading state
    expect(first.locator("[col-id=file_name]")).to_have_text(
        re.compile(r"^Monatsbericht_BO_2025-"), timeout=30_000)
    assert first.locator("[col-id=sheet]").text_content() == "Veranstaltungen"
    assert DATE.match(first.locator("[col-id=event_date]").text_content())


def test_bar_opens_the_rows_behind_it(app, report):
    app.open("/aktivitaeten", "#activities-lead")
    # the first network configures no activity sheets: nothing of them on the page
    assert "activity_sheets" not in report
    app.page.wait_for_load_state("networkidle")  # every callback of the page answered
    assert app.page.locator("#activities-sheets").inner_html() == ""
    assert app.page.locator("#records-dataset, .activity-sheet").count() == 0
    # first trace = first module (Informieren), first point = first partner (DO)
    click_point(app, "#activities-bars-card .trace.bars .point path")
    app.page.wait_for_url("**/daten?**")
    assert query(app.page.url) == {"partner": "DO", "modul": "Informieren",
                                   "tabelle": "veranstaltungen"}
    app.page.wait_for_function(
        "v => { const e = document.querySelector('[data-total=rows]');"
        " return e && e.textContent === v; }",
        arg=de(total(report, "events", partner="DO", module="Informieren")))
    assert "DO" in app.text("#filter-partners")


def test_finance_bar_opens_the_cost_rows(app, report):
    app.open("/finanzen", "#finance-kpi-eligible-value")
    # first trace = personnel, first point = first partner's first year (DO 2024)
    click_point(app, "#finance-plan-card .trace.bars .point path")
    app.page.wait_for_url("**/daten?**")
    assert query(app.page.url) == {"partner": "DO", "jahr": "2024", "tabelle": "kosten",
                                   "kategorie": "personal"}
    personnel = eligible(report, "personnel_eur", partner="DO", year=2024)
    app.page.wait_for_function(
        "v => { const e = document.querySelector('[data-total=personnel]');"
        " return e && e.textContent === v; }", arg=format_eur(personnel))
    app.page.wait_for_load_state("networkidle")
    assert app.text("[data-total=expenditure]") == format_eur(0)  # personnel rows only
    assert app.text("[data-total=total]") == format_eur(personnel)
    assert query(app.page.url)["kategorie"] == "personal"  # the link survives the page load
    assert "Kostenart: Personal" in app.text("#records-chips")
    amount = app.page.locator(f"{FIRST_ROW} [col-id=amount_cents]")
    assert MONEY.match(amount.text_content())


def test_cost_rows_add_up_to_the_report(app, report):
    app.open("/daten?tabelle=kosten", "[data-total=total]")
    personnel = sum(cents(r["amount_eur"]) for r in report["personnel"])
    booked = sum(cents(r["amount_eur"]) for r in report["expenditure"])
    assert app.text("[data-total=personnel]") == format_eur(personnel)
    assert app.text("[data-total=total]") == format_eur(personnel + booked)
    assert personnel == cents(report["eligible_total"]["personnel_eur"])


def test_dataset_switch_keeps_the_filters(app, report):
    app.open("/daten?partner=UN&jahr=2026", "[data-total=rows]")
    app.page.get_by_text("Coachings", exact=True).click()
    app.page.wait_for_function("() => location.search.includes('tabelle=coachings')")
    assert query(app.page.url) == {"partner": "UN", "jahr": "2026", "tabelle": "coachings"}
    app.page.wait_for_function(
        "v => { const e = document.querySelector('[data-total=rows]');"
        " return e && e.textContent === v; }",
        arg=de(total(report, "coachings", partner="UN", year=2026)))


def test_reporting_matrix(app, demo_dir):
    app.open("/meldestand", "#reporting-lead")
    app.page.wait_for_selector("#reporting-matrix-2024")
    with sqlite3.connect(demo_dir / "warehouse.db") as db:
        corrected = db.execute("SELECT COUNT(DISTINCT partner_code || month) FROM uploads "
                               "WHERE status = 'superseded'").fetchone()[0]
    assert app.page.locator(".report-matrix .cell-mark").count() == corrected
    late_cells = app.page.locator(".report-matrix td.rs-late").count()
    late_total = sum(int(t) for t in app.page.locator(
        "#reporting-table tbody tr td:nth-child(4)").all_text_contents())
    assert late_cells == late_total > 0
    assert app.page.locator(".report-matrix a").count() == 0  # the cells are the links
    cell = app.page.locator("#reporting-matrix-2025 td.rs-late").first
    cell.click()  # opens the month's comment dialog, which links to its files
    app.page.wait_for_selector(".modal.show #reporting-dialog-files")
    app.page.wait_for_function(
        "() => document.querySelector('#reporting-dialog-files').getAttribute('href')"
        ".includes('monat=')")
    href = app.page.get_attribute("#reporting-dialog-files", "href")
    app.page.click("#reporting-dialog-files")
    app.page.wait_for_url("**/daten?**")
    assert query(app.page.url) == query(href)
    assert query(app.page.url)["tabelle"] == "eingaenge"
    assert int(app.wait_text("[data-total=rows]")) >= 1
    assert app.text("#records-chips").startswith("Monat: ")


def test_matrix_cell_navigates_without_reloading(app):
    """A click and Enter on a focused cell both open the month's comment dialog inside the
    single-page app (assets/matrix-links.js, the address fragment): the page is not reloaded,
    a marker set on window survives; future months are no link; the dialog's link to the
    month's files switches to the Daten page without reloading either."""
    app.open("/meldestand?jahr=2025", "#reporting-lead")
    matrix = "#reporting-matrix-2025"
    app.page.wait_for_selector(f"{matrix} td[data-href]")
    linked = app.page.locator(f"{matrix} td[data-href]")
    assert linked.count() == app.page.locator(f"{matrix} td:not(.rs-future)").count()
    assert app.page.locator(f"{matrix} td.rs-future[data-href], {matrix} td.rs-future[role],"
                            f" {matrix} td.rs-future[tabindex]").count() == 0
    cell = linked.first
    assert (cell.get_attribute("role"), cell.get_attribute("tabindex")) == ("link", "0")
    assert cell.evaluate("e => getComputedStyle(e).cursor") == "pointer"
    app.page.evaluate("() => { window.__marker = 'still here'; }")

    href = cell.get_attribute("data-href")
    assert "#bemerkung=" in href
    cell.click()
    app.page.wait_for_function("h => location.href.endsWith(h)", arg=href)
    app.wait_text(".modal.show #reporting-dialog-title")
    assert app.page.evaluate("() => window.__marker") == "still here"
    app.page.click("#reporting-dialog-close")
    # gone from the page, not only hidden: until the fade-out ends, the dialog keeps the focus
    app.page.wait_for_function("() => !document.querySelector('.modal')")

    cell = app.page.locator(f"{matrix} td[data-href]").last
    href = cell.get_attribute("data-href")
    cell.focus()
    assert app.page.evaluate("() => document.activeElement.dataset.href") == href
    app.page.keyboard.press("Enter")
    app.page.wait_for_function("h => location.href.endsWith(h)", arg=href)
    app.wait_text(".modal.show #reporting-dialog-title")
    app.page.click("#reporting-dialog-files")
    app.page.wait_for_url("**/daten?**")
    app.wait_text("[data-total=rows]")
    assert app.page.evaluate("() => window.__marker") == "still here"


def test_filter_change_answers_quickly(app):
    app.open("/", "#overview-kpi-events-value")
    app.page.wait_for_load_state("networkidle")
    before = app.text("#overview-kpi-events-value")
    app.page.click("#filter-years")
    start = time.perf_counter()
    app.page.get_by_role("option", name="2025").click()
    app.wait_change("#overview-kpi-events-value", before)
    elapsed = time.perf_counter() - start
    print(f"filter change answered in {elapsed * 1000:.0f} ms")
    app.page.keyboard.press("Escape")
    assert elapsed < 1.5


def test_sme_class_bar_opens_its_companies(app):
    app.open("/aktivitaeten?jahr=2025", "#activities-lead")
    bar = "#activities-sizes-card .trace.bars .point path"
    app.page.locator(bar).first.wait_for()
    shown = app.page.locator("#activities-sizes-card .trace.bars text").nth(1).text_content()
    click_point(app, f"{bar} >> nth=1")  # second class: Klein
    app.page.wait_for_url("**/daten?**")
    assert query(app.page.url) == {"jahr": "2025", "tabelle": "teilnahmen", "groesse": "Klein"}
    companies = shown.split(" ")[0]  # "118 (30 %)" -> "118"
    app.page.wait_for_function(
        "v => { const e = document.querySelector('[data-total=companies]');"
        " return e && e.textContent === v; }", arg=companies)
    app.page.wait_for_load_state("networkidle")
    assert query(app.page.url)["groesse"] == "Klein"
    assert "Größenklasse: Klein" in app.text("#records-chips")


def test_records_grid_pages_rows_from_the_server(app):
    """The Daten grid gets its rows a block at a time: scrolling to the end loads the last
    block, and sorting by a column asks the server for a sorted first block."""
    app.open("/daten?tabelle=teilnahmen", "[data-total=rows]")
    app.page.wait_for_function(
        "() => { const e = document.querySelector('[data-total=rows]');"
        " return e && e.textContent !== '0'; }")
    n = int(app.text("[data-total=rows]").replace(".", ""))
    assert n > 100  # more than one block
    app.page.locator(FIRST_ROW).wait_for()
    assert app.page.locator("#records-grid .ag-center-cols-container .ag-row").count() < n
    viewport = app.page.locator("#records-grid .ag-body-viewport")
    last = app.page.locator(
        f"#records-grid .ag-center-cols-container .ag-row[row-index='{n - 1}'] [col-id=sheet]")
    for _ in range(20):
        viewport.evaluate("e => { e.scrollTop = e.scrollHeight; }")
        if last.count() and last.text_content() == "Teilnehmende":
            break
        app.page.wait_for_timeout(250)
    assert last.text_content() == "Teilnehmende"
    viewport.evaluate("e => { e.scrollTop = 0; }")
    header = app.page.locator("#records-grid [role=columnheader][col-id=n_persons]")
    header.click()  # ascending
    header.click()  # descending
    # the first block again, sorted by the server: wait until its rows are drawn
    values = app.page.wait_for_function(
        """() => {
            const h = document.querySelector(
                '#records-grid [role=columnheader][col-id=n_persons]');
            const cells = [0, 1].map(i => document.querySelector(
                `#records-grid .ag-center-cols-container .ag-row[row-index='${i}']`
                + ':not(.ag-row-loading) [col-id=n_persons]'));
            if (!h || h.getAttribute('aria-sort') !== 'descending') { return null; }
            if (cells.some(c => !c || !c.textContent)) { return null; }
            // the header turns before the server's sorted block is drawn: until then the
            // ascending rows (1, 1, ...) are still on screen
            if (parseInt(cells[0].textContent.replace('.', ''), 10) <= 1) { return null; }
            return cells.map(c => c.textContent);
        }""").json_value()
    top, second = (int(v.replace(".", "")) for v in values)
    assert top >= second and top > 1
    # another dataset: the grid drops its blocks and asks for the new rows
    app.page.get_by_text("Coachings", exact=True).click()
    app.page.wait_for_function(
        "() => { const c = document.querySelector("
        "`#records-grid .ag-center-cols-container .ag-row[row-index='0']` + "
        "':not(.ag-row-loading) [col-id=sheet]'); return c && c.textContent === 'Coachings'; }")


def test_records_csv_download_holds_every_row(app, tmp_path):
    app.open("/daten?tabelle=kosten&partner=DO", "[data-total=rows]")
    app.page.wait_for_function(
        "() => { const e = document.querySelector('[data-total=rows]');"
        " return e && e.textContent !== '0'; }")
    n = int(app.text("[data-total=rows]").replace(".", ""))
    with app.page.expect_download() as download:
        app.page.click("#records-csv")
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "foerdercockpit-daten.csv"
    lines = path.read_text(encoding="utf-8-sig").strip().splitlines()
    assert len(lines) == n + 1
    assert lines[0].startswith('"Partner";"Berichtsmonat";"Kostenart"')
    assert all(line.startswith('"DO";') for line in lines[1:])
