"""The pages Indikatoren and Kürzungen in a real browser on the demo data: the indicators
equal ``report --json``, a partner sees its own; finance records a cut, Finanzen follows the
accepted amounts, and removes it again (other tests share the warehouse)."""

from __future__ import annotations

import pytest

from etl.core.money import format_eur
from tests.browser.conftest import cents

pytestmark = pytest.mark.browser


def de(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def test_indicators_equal_the_report(app_as, report):
    steering = app_as("steering")
    steering.open("/indikatoren", "#indicators-total-RCO01")
    for ind in report["indicators"]:
        total = steering.text(f"#indicators-total-{ind['code']}")
        assert total.startswith(f"{de(ind['total']['actual'])} von {de(ind['total']['target'])}")
        rows = steering.page.locator(f"#indicators-table-{ind['code']} tbody tr")
        assert rows.count() == len(ind["years"])
    partner = app_as("partner")
    partner.open("/indikatoren", "#indicators-total-RCO01")
    assert "Partner DO" in partner.text("#indicators-lead")
    assert "(ohne Ziel)" in partner.text("#indicators-total-RCO01")


def _eligible_kpi(app) -> str:
    app.open("/finanzen", "#finance-kpi-eligible-value")
    return app.text("#finance-kpi-eligible-value")


def test_finance_records_a_cut_and_finance_follows_it(app_as, report):
    app = app_as("finance")
    before = _eligible_kpi(app)
    assert before == format_eur(cents(report["accepted"]["eligible_total"]["eligible_eur"]))
    app.open("/kuerzungen", "#cuts-lead")
    page = app.page
    page.select_option("#cuts-partner", "HAM")
    page.select_option("#cuts-month", "2025-03")
    page.wait_for_function("() => document.querySelectorAll('#cuts-row option').length > 1")
    option = page.locator("#cuts-row option").nth(1)
    receipt, label = option.get_attribute("value"), option.text_content()
    page.select_option("#cuts-row", receipt)
    page.fill("#cuts-amount", "0,00")
    page.fill("#cuts-reason", "Beleg ohne Zahlungsnachweis")
    page.click("#cuts-save")
    assert "gespeichert" in app.wait_text("#cuts-message .alert")
    page.wait_for_function(
        "r => { const e = document.querySelector('#cuts-list');"
        " return e && e.textContent.includes(r); }",
        arg=receipt,
    )
    claimed = int(label.rsplit(" · ", 1)[1].replace(" €", "").replace(".", "").replace(",", ""))
    # material as booked: the eligible costs fall by exactly the receipt
    assert _eligible_kpi(app) == format_eur(
        cents(report["accepted"]["eligible_total"]["eligible_eur"]) - claimed
    )
    assert "Nach Kürzungen des Fördergebers" in app.text("#finance-cuts")
    app.open("/kuerzungen", "#cuts-lead")
    page.select_option("#cuts-partner", "HAM")
    page.select_option("#cuts-month", "2025-03")
    page.wait_for_function("() => document.querySelectorAll('#cuts-row option').length > 1")
    page.select_option("#cuts-row", receipt)
    page.click("#cuts-remove")
    assert "aufgehoben" in app.wait_text("#cuts-message .alert")
    assert _eligible_kpi(app) == before


def test_a_partner_sees_its_own_cuts_without_the_form(app_as):
    partner = app_as("partner")
    partner.open("/kuerzungen", "#cuts-lead")
    assert not partner.page.locator("#cuts-form").is_visible()
    partner.page.wait_for_selector("#cuts-list, #cuts-empty")
    cells = partner.page.locator("#cuts-list tbody td[data-label=Partner]").all_text_contents()
    assert set(cells) <= {"DO"}
