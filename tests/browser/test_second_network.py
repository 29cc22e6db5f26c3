"""The second example network (examples/weserleine) in a real browser: ``python app.py`` with
``NETWORK_CONFIG`` pointing at it starts on an empty data folder with demo data and demo
accounts bound to its own partners, and every page shows it without errors: long partner
codes and module names uncut, associated chambers without funding, the configured funding
source names, the months each partner must report. One server, one browser."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from etl.core.config import load_config
from etl.core.money import format_eur
from etl.core.settings import REPO_ROOT
from etl.core.stand import default_stand
from tests.browser.conftest import App, _env, _free_port, _wait_until_up

pytestmark = pytest.mark.browser

CONFIG = REPO_ROOT / "examples" / "weserleine" / "config.toml"
PASSWORDS = {"steuerung": "demo-steuerung-2026", "finanzen": "demo-finanzen-2026",
             "admin": "demo-admin-2026", "partner-hannover-imp": "demo-partner-2026"}
# every page each account may open: (path, heading)
STEERING_PAGES = [
    ("/", "Übersicht"), ("/aktivitaeten", "Aktivitäten"), ("/finanzen", "Finanzen"),
    ("/finanzplan", "Finanzplan"), ("/meldestand", "Meldestand"), ("/daten", "Daten"),
    ("/hochladen", "Monatsbericht hochladen"), ("/freigabe", "Freigabe"),
    ("/protokoll", "Protokoll"),
    ("/kennzahlen", "Kennzahlen"),
]
CUT = "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
DATA_DIRS: list = []  # the server's data folder
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "/tmp")) / "second-network"


@pytest.fixture(scope="module")
def server(browser, tmp_path_factory):
    """``python app.py`` on an empty data folder with the second network (demo seeded)."""
    data = tmp_path_factory.mktemp("weserleine")
    DATA_DIRS[:] = [data]  # for `python -m etl report` on the same warehouse
    port = _free_port()
    log = (data / "app.log").open("w")
    env = _env(data, PORT=str(port), HOST="127.0.0.1", NETWORK_CONFIG=str(CONFIG))
    env.pop("SEED_DEMO", None)  # the default: seed demo data and accounts
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, stdout=log,
                            stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/login", proc, timeout=600)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()
    assert "partner-hannover-imp / demo-partner-2026" in (data / "app.log").read_text()


@pytest.fixture
def login(browser, server):
    """``login(username, width)``: a page logged in with a demo account."""
    opened = []

    def make(username: str, width: int = 1440) -> App:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="de-DE")
        app = App(context.new_page(), server)
        app.page.goto(server + "/login")
        app.page.fill("#username", username)
        app.page.fill("#password", PASSWORDS[username])
        app.page.click("button[type=submit]")
        app.page.wait_for_url(lambda url: "/login" not in url)
        opened.append((context, app))
        return app

    yield make
    for context, app in opened:
        app.page.wait_for_load_state("networkidle")
        app.assert_clean()
        context.close()


def _visit(app: App, path: str, title: str) -> None:
    app.page.goto(app.base + path)
    app.page.wait_for_function(
        "t => (document.querySelector('h1') || document.querySelector('h2'))"
        "?.textContent.trim() === t", arg=title)
    app.page.wait_for_load_state("networkidle")
    assert "InnoNetz Weser-Leine" in app.text("nav")


def test_every_page_of_the_second_network(login):
    app = login("steuerung")
    for path, title in STEERING_PAGES:
        _visit(app, path, title)
    for username, path, title in (("finanzen", "/mittelabrufe", "Mittelabrufe"),
                                  ("admin", "/benutzer", "Benutzer")):
        _visit(login(username), path, title)
    partner = login("partner-hannover-imp")
    _visit(partner, "/", "Übersicht")
    assert "HANNOVER-IMP" in partner.page.locator("#_pages_content").inner_text()


def test_reporting_duty_and_long_codes_on_meldestand(login):
    app = login("steuerung")
    _visit(app, "/meldestand", "Meldestand")
    app.wait_text("#reporting-matrix-2026")
    # one table per project year (September to August), headed "2025/26"
    assert app.text("#reporting-matrix-2025 th") == "2025/26"
    row = "#reporting-matrix-{y} tr:has(th:text-is('{code}')) td"
    classes = "els => els.map(e => e.className)"
    cells = app.page.locator(row.format(y=2025, code="SCHAUMBURG"))  # joins in 01/2026
    assert cells.count() == 12
    shown = cells.evaluate_all(classes)
    assert all("rs-exempt" in c for c in shown[:4]) and "rs-exempt" not in shown[4]
    hwk = app.page.locator(row.format(y=2025, code="HWK-HANNOVER"))  # no duty: "freiwillig"
    assert any("rs-extra" in c for c in hwk.evaluate_all(classes))
    nienburg = app.page.locator(row.format(y=2025, code="NIENBURG"))  # leaves after 06/2026
    assert "rs-exempt" in nienburg.nth(10).get_attribute("class")
    assert "rs-exempt" not in nienburg.nth(9).get_attribute("class")
    assert app.page.locator(".report-matrix th[scope=row]").evaluate_all(CUT) == []
    assert app.page.locator("#reporting-rate-HWK-HANNOVER td").first.text_content() == (
        "HWK-HANNOVER")
    phone = login("steuerung", width=390)
    _visit(phone, "/meldestand", "Meldestand")
    phone.wait_text("#reporting-matrix-2026")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390


def test_funding_names_unfunded_chambers_and_uncut_grid_columns(login):
    app = login("finanzen")
    _visit(app, "/finanzen", "Finanzen")
    grant = app.wait_text("#finance-kpi-grant")
    assert "EU (EFRE Niedersachsen)" in grant and "Land Niedersachsen" in grant
    assert "IHK-HANNOVER: ohne Förderung" in grant and "HILDESHEIM: Höchstbetrag" in grant
    assert "Land NRW" not in app.page.locator("#_pages_content").inner_text()
    _visit(app, "/kennzahlen", "Kennzahlen")
    assert "EU (EFRE Niedersachsen)" in app.page.locator("#_pages_content").inner_text()
    _visit(app, "/daten", "Daten")
    first = "#records-grid .ag-center-cols-container .ag-row[row-index='0']:not(.ag-row-loading)"
    app.page.wait_for_selector(first)
    for col in ("partner_code", "module"):
        cells = app.page.locator(f"#records-grid .ag-cell[col-id={col}]")
        assert cells.count() > 0
        assert cells.evaluate_all(CUT) == [], col


# --- the configured voucher sheet (Beratungsgutscheine) -----------------------------------


def _report() -> dict:
    """``python -m etl report --json`` at the default Stand on the server's warehouse."""
    stand = default_stand(load_config(CONFIG), date.today())
    out = subprocess.run(
        [sys.executable, "-m", "etl", "report", "--json", "--stand", f"{stand:%Y-%m}"],
        cwd=REPO_ROOT, env=_env(DATA_DIRS[0], NETWORK_CONFIG=str(CONFIG)), check=True,
        capture_output=True, text=True, timeout=300)
    return json.loads(out.stdout)


def _de(value, unit: str) -> str:
    """A report value as the cards show it: euros (text with two decimals) as 1.234,56 €."""
    if unit == "eur":
        return format_eur(int(Decimal(str(value)) * 100))
    return f"{int(value):,}".replace(",", ".")


def _sums(sheet: dict, key: str, partner: str | None = None) -> tuple[Decimal, Decimal]:
    rows = [r for r in sheet["rows"] if partner in (None, r["partner"])]
    return (sum(Decimal(str(r[key])) for r in rows),
            sum(Decimal(str(r["targets"].get(key, 0))) for r in rows))


def test_voucher_section_shows_the_figures_of_the_report(login):
    sheet = _report()["activity_sheets"][0]
    app = login("steuerung")
    _visit(app, "/aktivitaeten", "Aktivitäten")
    app.wait_text("#sheet-kpi-voucher_value-value")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for m in sheet["measures"]:
        actual, target = _sums(sheet, m["key"])
        assert actual > 0, m["key"]
        assert app.text(f"#sheet-kpi-{m['key']}-value") == _de(actual, m["unit"])
        assert f"Ziel {_de(target, m['unit'])}" in app.text(f"#sheet-kpi-{m['key']}")
    table = "#sheet-partners-vouchers tr:has(td:text-is('{}')) td"
    for code in ("HANNOVER-IMP", "HILDESHEIM", "NIENBURG"):
        cells = app.page.locator(table.format(code)).all_text_contents()[1:]
        for m, cell in zip(sheet["measures"], cells, strict=True):
            actual, target = _sums(sheet, m["key"], code)
            shown = _de(actual, m["unit"])
            assert cell == shown or f"({shown} von " in cell, (code, m["key"], cell)
    assert app.page.locator("#activities-sheet-vouchers .kpi-card *").evaluate_all(CUT) == []
    app.page.screenshot(path=str(SHOTS / "aktivitaeten-1440.png"), full_page=True)
    _visit(app, "/", "Übersicht")
    actual, _target = _sums(sheet, "vouchers_issued")
    assert app.wait_text("#sheet-kpi-vouchers_issued-value") == _de(actual, "count")
    phone = login("steuerung", width=390)
    _visit(phone, "/aktivitaeten", "Aktivitäten")
    phone.wait_text("#sheet-kpi-voucher_value-value")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.page.screenshot(path=str(SHOTS / "aktivitaeten-390.png"), full_page=True)


def test_daten_offers_the_voucher_rows(login):
    for width in (1440, 390):
        app = login("steuerung", width=width)
        _visit(app, "/daten?tabelle=blatt-vouchers", "Daten")
        first = ("#records-grid .ag-center-cols-container .ag-row[row-index='0']"
                 ":not(.ag-row-loading)")
        app.page.wait_for_selector(first)
        assert "Beratungsgutscheine ·" in app.wait_text("#records-lead")
        headers = app.page.locator("#records-grid .ag-header-cell-text").all_text_contents()
        assert {"Gutschein-Nr.", "Vorgang", "Wert"} <= set(headers)
        assert int(app.text("[data-total=rows]").replace(".", "")) > 0
        assert app.text("[data-total=voucher_value]").endswith(" €")
        assert app.page.evaluate("document.documentElement.scrollWidth") <= width
        app.page.screenshot(path=str(SHOTS / f"daten-vouchers-{width}.png"), full_page=True)


def test_project_years_on_finanzen_and_aktivitaeten(login, tmp_path_factory):
    """The year filter, the budget lines and the activities by year name the project years
    2025/26 to 2027/28; screenshots at 1440 and 390 px (kept in a temporary folder)."""
    shots = tmp_path_factory.mktemp("project-years")
    for width in (1440, 390):
        app = login("finanzen", width=width)
        _visit(app, "/finanzen", "Finanzen")
        app.page.click("#filter-years")
        options = app.page.get_by_role("option", name=re.compile(r"^20\d\d"))
        options.first.wait_for()
        assert [t.strip() for t in options.all_inner_texts()] == ["2025/26", "2026/27", "2027/28"]
        app.page.keyboard.press("Escape")
        app.page.wait_for_selector("#finance-lines .ag-cell[col-id=year]")
        years = app.page.locator("#finance-lines .ag-cell[col-id=year]").all_inner_texts()
        assert years and set(years) <= {"2025/26", "2026/27", "2027/28"}
        app.page.screenshot(path=str(shots / f"finanzen-{width}.png"), full_page=True)
        _visit(app, "/aktivitaeten", "Aktivitäten")
        app.page.click("#activities-group label:has-text('nach Jahr')")
        ticks = "#activities-bars-card .xtick text"
        app.page.wait_for_function(
            "s => Array.from(document.querySelectorAll(s)).some(e => e.textContent === '2026/27')",
            arg=ticks)
        texts = app.page.locator(ticks).evaluate_all("els => els.map(e => e.textContent)")
        assert texts == ["2025/26", "2026/27", "2027/28"]
        app.page.screenshot(path=str(shots / f"aktivitaeten-{width}.png"), full_page=True)
