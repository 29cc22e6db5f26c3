"""Print and phone in a real browser: Finanzen printed (Chromium's PDF, print media) carries
the Stand line and page numbers, no navigation or filter bar, on fewer than four A4 sheets;
at 390 px no page is wider than the screen and the navbar folds into a menu; partner
accounts see their own partner fixed; the 404 and 403 pages are German."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.browser.conftest import App

pytestmark = pytest.mark.browser

PHONE_PAGES = [
    ("/", "#overview-kpi-events-value"),
    ("/aktivitaeten", "#activities-lead"),
    ("/finanzen", "#finance-kpi-eligible-value"),
    ("/meldestand", "#reporting-lead"),
    ("/daten", "[data-total=rows]"),
    ("/hochladen", "#upload-history"),
]
NAV_TEXT = ("Meldestand", "Hochladen", "Protokoll", "Filter zurücksetzen", "Excel-Export")


@pytest.fixture
def phone_as(browser, server, accounts):
    """``phone_as(role)``: a page logged in at 390 x 844 (an iPhone's screen)."""
    contexts = []

    def make(role: str) -> App:
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="de-DE",
                                      is_mobile=True, has_touch=True)
        contexts.append(context)
        app = App(context.new_page(), server)
        app.login(accounts[role])
        return app

    yield make
    for context in contexts:
        context.close()


@pytest.mark.parametrize("role", ["steering", "partner"])
def test_no_page_is_wider_than_a_phone(phone_as, role):
    app = phone_as(role)
    for path, ready in PHONE_PAGES:
        app.open(path, ready)
        app.page.wait_for_load_state("networkidle")
        width = app.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide at 390 px ({role})"
    app.assert_clean()


def test_phone_navbar_folds_and_still_names_the_network(phone_as):
    app = phone_as("steering")
    app.open("/finanzen", "#finance-kpi-eligible-value")
    assert not app.page.locator("#nav-collapse .nav-link").first.is_visible()
    assert app.text(".brand-network")  # the network's short name stays in the bar
    app.page.click("#nav-toggle")
    app.page.get_by_role("link", name="Meldestand").click()
    app.wait_text("#reporting-lead")
    assert app.page.url.split("?")[0].endswith("/meldestand")
    app.assert_clean()


def test_finance_prints_with_its_stand_and_without_the_navbar(app, tmp_path):
    if not (shutil.which("pdftotext") and shutil.which("pdfinfo")):
        pytest.skip("poppler-utils (pdftotext) not installed")
    app.open("/finanzen", "#finance-kpi-eligible-value")
    app.page.wait_for_load_state("networkidle")
    app.page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # as print does
    app.page.emulate_media(media="print")
    pdf = tmp_path / "finanzen.pdf"
    app.page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                          check=True).stdout
    pages = int(info.split("Pages:")[1].split()[0])
    assert "Stand: Monatsberichte bis" in text and "Finanzen" in text
    assert "Filter: alle Partner" in text and "Seite 1 von" in text
    assert not [t for t in NAV_TEXT if t in text], "navigation or filter bar printed"
    assert pages < 4, f"Finanzen printed on {pages} A4 pages"


def test_filter_bar_only_where_it_acts(app):
    app.open("/finanzen", "#finance-kpi-eligible-value")
    assert app.page.locator("#filter-partners").is_visible()
    app.page.click("#nav-collapse >> text=Freigabe")
    app.wait_text("#approval-detail")
    assert not app.page.locator("#filter-partners").is_visible()
    assert app.page.locator("#filter-export").is_visible()  # the page's export stays


def test_partner_sees_its_own_partner_fixed(app_as):
    partner = app_as("partner")
    partner.open("/finanzen?partner=BO", "#finance-kpi-eligible-value")
    box = partner.page.locator("#filter-partners")
    assert "DO" in box.text_content() and "BO" not in box.text_content()
    assert "Ihr Konto zeigt nur die Zahlen von DO" in partner.wait_text("#filter-note")
    partner.open("/hochladen", "#upload-history")
    select = partner.page.locator("#upload-template-partner")
    assert select.is_disabled() and select.input_value() == "DO"
    values = partner.page.eval_on_selector_all(
        "#upload-template-partner option", "els => els.map(e => e.value).filter(v => v)")
    assert values == ["DO"]  # no other partner offered


def test_template_button_without_a_partner_says_what_is_missing(app):
    app.open("/hochladen", "#upload-history")
    app.page.click("#upload-template-link")
    assert app.wait_text("#upload-template-hint") == "Bitte zuerst den Partner wählen."


def test_error_pages_are_german_inside_the_shell(app_as):
    partner = app_as("partner")
    resp = partner.page.goto(partner.base + "/gibt-es-nicht")
    assert resp.status == 404
    assert partner.wait_text("#not-found").startswith("Seite nicht gefunden")
    assert partner.page.locator(".app-navbar").is_visible()
    resp = partner.page.goto(partner.base + "/freigabe")
    assert resp.status == 403
    assert "Kein Zugriff" in partner.wait_text("#no-access")
    resp = partner.page.goto(partner.base + "/download/template?partner=BO&month=2025-03")
    assert resp.status == 403
    assert "Kein Zugriff" in partner.text("#no-access")
    assert "Forbidden" not in partner.page.content()
    # the browser logs each refused page load; nothing else may fail
    expected = "Failed to load resource: the server responded with a status of"
    partner.errors[:] = [e for e in partner.errors if expected not in e]
    assert len(partner.errors) == 0
