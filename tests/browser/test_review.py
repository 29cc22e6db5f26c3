"""The monthly review cycle in a real browser, on a fresh warehouse: upload, Rückfrage, answer
with a corrected upload, approval of three months in one action, Meldestand, proof of use."""

from __future__ import annotations

import pytest

from tests.browser import review
from tests.browser.test_uploads import _upload, fresh_server, login_as  # noqa: F401 - fixtures
from tests.factories import month_report, workbook

pytestmark = pytest.mark.browser
QUESTION = "Die Teilnehmendenzahl wirkt hoch. Bitte prüfen."


def _file(tmp_path, name: str, month: str, n: int = 1):
    path = tmp_path / name
    path.write_bytes(workbook("DO", month, data=month_report("DO", month, n=n)))
    return path


def _upload_with_note(app, path, note: str) -> str:
    app.open("/hochladen", "#upload-history")
    app.page.fill("#upload-note", note)
    app.page.locator("#upload-files input[type=file]").set_input_files(str(path))
    app.page.wait_for_selector("#upload-note-saved")
    return app.text("#upload-results")


def test_the_review_cycle(login_as, tmp_path):  # noqa: F811 - the fixture imported above
    partner = login_as("partner")
    for month in ("2025-01", "2025-02"):
        assert "angenommen" in _upload(partner, _file(tmp_path, f"{month}.xlsx", month))
    text = _upload_with_note(partner, _file(tmp_path, "maerz.xlsx", "2025-03"),
                             "Veranstaltung auf April verschoben")
    assert "Bemerkung gespeichert zu DO 03/2025" in text

    steering = login_as("steering")
    review.open_queue(steering, "?partner=DO")
    review.show_month(steering, "DO|2025-03")
    assert "Veranstaltung auf April verschoben" in steering.text("#approval-detail")
    assert "Ø Partner" in steering.text("#approval-comparison")
    steering.page.fill("#approval-text", QUESTION)
    steering.page.click("#approval-ask")
    review.message(steering, "Rückfrage zu DO")

    # the partner sees the question on Meldestand and answers with a corrected upload
    partner.open("/meldestand", "#reporting-matrix")
    partner.page.select_option("#reporting-note-month", "2025-03")
    partner.page.wait_for_function(
        "q => document.querySelector('#reporting-note-thread').textContent.includes(q)",
        arg=QUESTION)
    assert partner.page.locator("td[data-state=query]").count() == 1
    text = _upload_with_note(partner, _file(tmp_path, "maerz-neu.xlsx", "2025-03", n=2),
                             "Korrigiert: eine Veranstaltung war doppelt.")
    assert "ersetzt die vorige Fassung" in text

    review.open_queue(steering, "?partner=DO")
    steering.page.wait_for_function(
        "() => document.querySelector(\"#approval-queue .ag-row[row-id='DO|2025-03']\")"
        ".textContent.includes('eingereicht')")
    review.tick(steering, "DO|2025-01", "DO|2025-02", "DO|2025-03")
    steering.page.click("#approval-approve")
    assert "3 Monat(e) freigegeben" in review.message(steering, "freigegeben")

    steering.open("/meldestand?partner=DO&jahr=2025", "#reporting-matrix-2025")
    cells = steering.page.locator("#reporting-matrix-2025 td[data-state=approved]")
    assert cells.count() == 3
    assert "Status: freigegeben" in cells.nth(2).get_attribute("title")

    finance = login_as("finance")
    finance.open("/freigabe", "#approval-lead")
    finance.page.select_option("#approval-proof-partner", "DO")
    finance.page.select_option("#approval-proof-year", "2025")
    finance.page.click("#approval-proof")
    assert "Zwischennachweis 2025 für DO eingereicht" in review.message(finance, "Nachweis")

    text = _upload(partner, _file(tmp_path, "mai.xlsx", "2025-05"))
    assert "abgelehnt" in text and "Verwendungsnachweis" in text
    assert "wenn die Finanzabteilung den Monat wieder öffnet" in text
    for app in (partner, steering, finance):
        app.assert_clean()
