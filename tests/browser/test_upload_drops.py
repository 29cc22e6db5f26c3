"""A blank template replacing an accepted month: held with what it would remove, applied only
after "Trotzdem übernehmen", and the replaced version restored by finance in one click
(issue 13, finding 5). On a fresh warehouse, like test_uploads."""

from __future__ import annotations

from datetime import date

import pytest

from etl.core.config import get_config
from etl.documents.template import template_bytes
from tests.browser.test_uploads import _upload, fresh_server, login_as  # noqa: F401
from tests.factories import month_report, workbook

pytestmark = pytest.mark.browser
MONTH = "2026-10"


def _history_has(app, text: str) -> None:
    app.page.wait_for_function(
        "t => document.querySelector('#upload-history').textContent.includes(t)", arg=text)


def test_blank_template_is_held_confirmed_and_restored(login_as, tmp_path):  # noqa: F811
    partner = login_as("partner")
    full = tmp_path / "oktober.xlsx"
    full.write_bytes(workbook("DO", MONTH, data=month_report("DO", MONTH, n=3)))
    text = _upload(partner, full)
    assert "angenommen" in text

    blank = tmp_path / "leer.xlsx"
    blank.write_bytes(template_bytes(get_config(), "DO", date(2026, 10, 1)))
    text = _upload(partner, blank)
    # 3 events; 5.530,00 € staff (LG 2, one month) + 15 % overheads 829,50 € + 100,00 €
    assert "nicht übernommen – Bestätigung nötig" in text
    assert ("Diese Fassung entfernt 3 Veranstaltungen und 6.459,50 € förderfähige Ausgaben "
            "gegenüber der geltenden Fassung vom") in text
    assert partner.page.locator("text=Trotzdem übernehmen").is_visible()
    _history_has(partner, "zurückgehalten")
    history = partner.text("#upload-history")
    assert "angenommen" in history and "ersetzt" not in history  # nothing changed yet
    assert partner.page.locator("#upload-history .restore-button").count() == 0

    partner.page.click("text=Trotzdem übernehmen")
    partner.page.wait_for_selector("#upload-result-replaced")
    done = partner.text("#upload-result-replaced")
    assert "ersetzt die vorige Fassung" in done and "Veranstaltungen: 0 neu, 3 entfernt" in done
    _history_has(partner, "ersetzt")
    assert partner.page.locator("#upload-history .restore-button").count() == 0  # staff only
    partner.assert_clean()

    finance = login_as("finance")
    finance.open("/hochladen", "#upload-history .restore-button")
    assert finance.page.locator("#upload-history .restore-button").count() == 1
    finance.page.click("#upload-history .restore-button")
    message = finance.wait_text("#upload-restore-done")
    assert "(oktober.xlsx) gilt wieder für DO 10/2026" in message
    finance.page.wait_for_function(
        "() => document.querySelectorAll('#upload-history .restore-button').length === 1"
        " && document.querySelector('#upload-history').textContent.includes('finanzen')")
    finance.open("/protokoll", "#audit-grid .ag-row")
    assert "Fassung wiederhergestellt" in finance.text("#audit-grid")
    finance.assert_clean()
