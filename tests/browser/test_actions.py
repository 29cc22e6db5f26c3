"""Meine Aufgaben and the Meldestand comment dialog in a real browser, on a fresh warehouse: a
partner sees its overdue months and a Rückfrage on Übersicht, follows the links, answers in the
dialog; steering sees the review queue; a matrix cell opens its month's comment thread."""

from __future__ import annotations

import pytest

from tests.browser import review
from tests.browser.test_uploads import _upload, fresh_server, login_as  # noqa: F401 - fixtures
from tests.factories import month_report, workbook

pytestmark = pytest.mark.browser
QUESTION = "Bitte die Zahl der Teilnehmenden prüfen."
ANSWER = "Geprüft: die Zahl stimmt, danke."
NOTE = "Im Januar fand keine Veranstaltung statt (Ferien)."


def _file(tmp_path, month: str):
    path = tmp_path / f"{month}.xlsx"
    path.write_bytes(workbook("DO", month, data=month_report("DO", month)))
    return path


def _dialog(app, words: str) -> str:
    """Wait until the Meldestand dialog is open and shows ``words``; returns its text."""
    app.page.wait_for_function(
        "w => { const e = document.querySelector('.modal.show');"
        " return e && e.textContent.includes(w); }", arg=words)
    return app.page.locator(".modal.show").text_content()


def _closed(app) -> None:
    app.page.click("#reporting-dialog-close")
    # gone from the page, not only hidden: until the fade-out ends, the dialog keeps the focus
    app.page.wait_for_function("() => !document.querySelector('.modal')")
    app.page.wait_for_function("() => !location.hash")


def test_partner_follows_its_tasks_and_answers_in_the_dialog(login_as, tmp_path):  # noqa: F811
    partner = login_as("partner")
    assert "angenommen" in _upload(partner, _file(tmp_path, "2025-03"))
    steering = login_as("steering")
    steering.open("/", "#overview-actions-list")
    line = steering.text("#overview-action-review-line")
    assert "1 Monat zu prüfen" in line and "DO 1" in line
    steering.page.get_by_role("link", name="DO 1").click()
    steering.page.wait_for_url("**/freigabe?partner=DO")
    review.open_queue(steering, "?partner=DO")
    review.show_month(steering, "DO|2025-03")
    steering.page.fill("#approval-text", QUESTION)
    steering.page.click("#approval-ask")
    review.message(steering, "Rückfrage zu DO")

    partner.open("/", "#overview-actions-list")
    items = partner.text("#overview-actions-list")
    assert f"Rückfrage zu DO · März 2025 beantworten: „{QUESTION}“" in items
    assert "Monatsberichte überfällig (Jan 2024, Feb 2024, Mär 2024 und" in items
    partner.page.click("#overview-action-query-0")
    partner.page.wait_for_url("**/meldestand?partner=DO&jahr=2025#bemerkung=DO%7C2025-03")
    assert "März 2025" in _dialog(partner, QUESTION)
    partner.page.fill("#reporting-dialog-text", ANSWER)
    partner.page.click("#reporting-dialog-save")
    assert "wieder eingereicht" in _dialog(partner, "Antwort gespeichert")
    assert ANSWER in partner.text("#reporting-dialog-thread")
    _closed(partner)

    partner.open("/", "#overview-actions-list")
    assert "Rückfrage" not in partner.text("#overview-actions-list")  # answered
    partner.page.click("#overview-action-overdue-0")
    partner.page.wait_for_url("**/hochladen")
    partner.wait_text("#upload-history")
    for app in (partner, steering):
        app.assert_clean()


def test_a_matrix_cell_opens_its_comment_thread(login_as):  # noqa: F811
    partner = login_as("partner")
    partner.open("/meldestand?jahr=2025", "#reporting-lead")
    cell = "#reporting-matrix-2025 tbody td:nth-child(2)"  # January 2025, no report
    partner.page.wait_for_selector(cell)
    partner.page.evaluate("() => { window.__marker = 'still here'; }")
    partner.page.click(cell)
    assert "Noch keine Bemerkung." in _dialog(partner, "DO · Januar 2025")
    assert partner.page.evaluate("() => window.__marker") == "still here"  # no reload
    partner.page.fill("#reporting-dialog-text", NOTE)
    partner.page.click("#reporting-dialog-save")
    _dialog(partner, "Bemerkung gespeichert")
    assert NOTE in partner.text("#reporting-dialog-thread")
    assert partner.page.input_value("#reporting-dialog-text") == ""
    _closed(partner)
    # the same cell opens the dialog again (Enter on the focused cell, as on a link)
    partner.page.focus(cell)
    partner.page.keyboard.press("Enter")
    _dialog(partner, NOTE)
    files = partner.page.get_attribute("#reporting-dialog-files", "href")
    assert files.startswith("/daten?") and "monat=2025-01" in files
    partner.assert_clean()
