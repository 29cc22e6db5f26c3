"""Uploads, marked error workbooks and month approval in a real browser, on a fresh warehouse
(so the demo figures other browser tests compare against stay untouched)."""

from __future__ import annotations

import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from etl.core.settings import REPO_ROOT
from tests.browser import review
from tests.browser.conftest import ACCOUNTS, App, _env, _free_port, _wait_until_up, password
from tests.factories import month_report, workbook

pytestmark = pytest.mark.browser
MONTH = "2026-11"  # the current month of the demo's calendar; nothing reported yet


@pytest.fixture(scope="module")
def fresh_server(browser, tmp_path_factory):
    """``python app.py`` on an empty warehouse with one account per role."""
    data_dir = tmp_path_factory.mktemp("fresh")
    run = lambda *a, **k: subprocess.run([sys.executable, "-m", "etl", *a], cwd=REPO_ROOT,  # noqa: E731
                                         env=_env(data_dir), check=True, capture_output=True,
                                         text=True, timeout=120, **k)
    run("migrate")
    for role, (username, partner) in ACCOUNTS.items():
        run("user", "add", username, "--role", role, "--password-stdin",
            *(["--partner", partner] if partner else []), input=password(username) + "\n")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "app.py"], cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL,
                            env=_env(data_dir, PORT=str(port), SEED_DEMO="0"))
    base = f"http://127.0.0.1:{port}"
    _wait_until_up(base + "/login", proc)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def login_as(browser, fresh_server):
    contexts = []

    def make(role: str) -> App:
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="de-DE",
                                      accept_downloads=True)
        contexts.append(context)
        app = App(context.new_page(), fresh_server)
        app.login(ACCOUNTS[role][0])
        return app

    yield make
    for context in contexts:
        context.close()


def _upload(app: App, path) -> str:
    """Drop one file on the upload page and return the text of its result card."""
    app.open("/hochladen", "#upload-history")
    before = app.page.locator(".upload-result").count()
    app.page.locator("#upload-files input[type=file]").set_input_files(str(path))
    # A function, not an expression string: Playwright evals strings, which the CSP forbids.
    app.page.wait_for_function(f"() => document.querySelectorAll('.upload-result').length"
                               f" > {before} || document.querySelectorAll('.upload-result')"
                               ".length > 0", timeout=30_000)
    return app.page.locator(".upload-result").first.text_content()


def _file(tmp_path, name: str, data: dict) -> object:
    path = tmp_path / name
    path.write_bytes(workbook("DO", MONTH, data=data))
    return path


def test_partner_uploads_valid_invalid_and_corrected_workbooks(login_as, tmp_path):
    partner = login_as("partner")
    good = month_report("DO", MONTH, n=2)
    text = _upload(partner, _file(tmp_path, "gut.xlsx", good))
    assert "angenommen" in text and "Partner DO, Berichtsmonat 11/2026" in text
    # a new month says what it counted and what comes next
    assert "Veranstaltungen2" in text.replace(" ", "") and "Personal" in text
    assert "Förderfähige Ausgaben (mit Gemeinkosten)" in text and "Nächster Schritt" in text

    bad = month_report("DO", MONTH, n=2)
    bad["Ausgaben"][0]["Betrag"] = "hundert"
    bad["Veranstaltungen"][1]["Datum"] = "01.01.2026"
    text = _upload(partner, _file(tmp_path, "falsch.xlsx", bad))
    assert "abgelehnt" in text and "2 Fehler" in text
    assert "'hundert' ist keine Zahl" in text and "nicht im Berichtsmonat" in text
    with partner.page.expect_download() as download:
        partner.page.click("text=Markierte Arbeitsmappe herunterladen")
    assert download.value.suggested_filename == "falsch_Fehler.xlsx"
    marked = load_workbook(BytesIO(Path(download.value.path()).read_bytes()))
    assert marked.sheetnames[0] == "Fehler" and marked["Fehler"].max_row == 3
    assert "keine Zahl" in marked["Ausgaben"]["D2"].comment.text
    assert "Berichtsmonat" in marked["Veranstaltungen"]["B3"].comment.text

    fixed = month_report("DO", MONTH, n=3)
    text = _upload(partner, _file(tmp_path, "korrigiert.xlsx", fixed))
    assert "ersetzt die vorige Fassung" in text
    assert "Veranstaltungen: 1 neu, 0 entfernt, 0 geändert" in text
    assert "Veranstaltungen: 2 → 3" in text
    partner.page.wait_for_function(
        "() => document.querySelector('#upload-history').textContent.includes('korrigiert.xlsx')")
    history = partner.text("#upload-history")
    assert "korrigiert.xlsx" in history and "falsch.xlsx" in history
    partner.assert_clean()


def test_finance_approves_and_reopens_a_month(login_as, tmp_path):
    finance = login_as("finance")
    key = f"DO|{MONTH}"
    review.open_queue(finance, "?partner=DO")
    review.show_month(finance, key)
    detail = finance.text("#approval-detail")
    assert "korrigiert.xlsx" in detail and "Änderungen gegenüber der vorigen Fassung" in detail
    review.tick(finance, key)
    finance.page.click("#approval-approve")
    assert "freigegeben und gesperrt" in review.message(finance, "freigegeben")

    partner = login_as("partner")
    again = month_report("DO", MONTH, n=4)
    text = _upload(partner, _file(tmp_path, "nachtrag.xlsx", again))
    assert "abgelehnt" in text and "gesperrt" in text
    # nothing to correct: who reopens the month, no correction text, no marked workbook
    assert "Finanzabteilung oder die Projektsteuerung" in text
    assert "Bitte korrigieren" not in text
    assert partner.page.locator("text=Markierte Arbeitsmappe herunterladen").count() == 0

    finance.page.fill("#approval-text", "Nachtrag einer Veranstaltung")
    finance.page.click("#approval-reopen")
    review.message(finance, "wieder geöffnet")
    text = _upload(partner, _file(tmp_path, "nachtrag2.xlsx", again))
    assert "ersetzt die vorige Fassung" in text

    finance.open("/protokoll", "#audit-grid .ag-row")
    audit = finance.text("#audit-grid")
    assert "Wiederöffnung" in audit and "Freigabe" in audit
    finance.assert_clean()
    partner.assert_clean()


def test_partner_cannot_open_the_approval_page(login_as):
    partner = login_as("partner")
    assert "Freigabe" not in partner.text(".main-nav")
    partner.open("/freigabe", "#no-access")
    assert "Kein Zugriff" in partner.text("#no-access")
