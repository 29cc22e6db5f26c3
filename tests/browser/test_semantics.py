"""One meaning per number, in a real browser on the demo data: the companies card's number,
bar and percentage are one count; HA's under-spent budget lines are flagged and come first;
the page Kennzahlen lists every registered figure; ⓘ carry the registered definitions."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from etl.core import figures
from tests.browser.test_dashboard import de

pytestmark = pytest.mark.browser

ROWS = "#finance-lines .ag-center-cols-container .ag-row"


def test_companies_card_number_bar_and_percentage_are_one_count(app, report, config):
    app.open("/", "#overview-kpi-companies-value")
    value = app.text("#overview-kpi-companies-value")
    assert value == de(report["unique_companies"])
    target = config.network_unique_target
    share = Fraction(report["unique_companies"], target)
    goal = app.text("#overview-companies-goal")
    assert goal == f"Ziel {de(target)} eindeutige · erreicht {round(share * 100)} %"
    width = app.page.locator("#overview-kpi-companies .kpi-progress-bar").get_attribute("style")
    assert float(re.search(r"width:\s*([\d.]+)%", width).group(1)) == pytest.approx(
        float(share * 100), abs=0.06)
    # the per-module-and-year sum is labelled as what it is, on its own line
    contacts = app.text("#overview-companies-contacts")
    assert contacts.startswith("Unternehmenskontakte: ")
    summed = sum(r["companies"] for r in report["activities"])
    assert de(summed) in contacts
    info = app.page.locator("#overview-kpi-companies [data-figure=unique_companies]")
    assert info.get_attribute("title") == figures.definition("unique_companies")


def test_ha_under_spending_is_flagged_and_sorted_first(app):
    app.open("/finanzen", "#finance-kpi-eligible-value")
    app.page.wait_for_selector(f"{ROWS}[row-index='8']")
    rows = []
    for i in range(9):
        row = app.page.locator(f"{ROWS}[row-index='{i}']")
        rows.append((
            row.locator("[col-id=partner]").text_content().strip(),
            row.locator("[col-id=flag_label]").text_content().strip(),
            row.locator("[col-id=deviation]").text_content().strip(),
        ))
    assert {p for p, _s, _d in rows} == {"HA"}, rows
    assert {s for _p, s, _d in rows} == {"Mittel gefährdet"}, rows
    for _p, _s, dev in rows:  # "-38,5 %": a third to two fifths under the plan to date
        assert -45 < float(dev.replace(" %", "").replace(",", ".")) < -32, rows
    note = app.text("#finance-at-risk-note")
    assert "je Partner und Jahr max(0, Plan − Prognose)" in note
    assert "Plan − Prognose insgesamt wären" in note


def test_kennzahlen_lists_every_figure_with_its_rule(app, config):
    app.open("/kennzahlen", "#definitions-tables")
    app.page.wait_for_selector("tr.figure-row")
    listed = len(figures.FIGURES) + len(figures.indicator_figures(config))  # + EU indicators
    assert app.page.locator("tr.figure-row").count() == listed
    overheads = app.text("tr#overheads")
    assert "Gemeinkosten" in overheads and "15 % der Personalausgaben" in overheads
    companies = app.text("tr#unique_companies")
    assert "Erreichte Unternehmen (eindeutig)" in companies and "Teilnehmende" in companies
    assert "Σ je Partner und Jahr max(0, Plan − Prognose)" in app.text("tr#at_risk")


def test_a_partner_sees_its_own_total_named_so(app_as):
    app = app_as("partner")
    app.open("/?jahr=2025", "#overview-kpi-events-value")
    card = app.wait_text("#overview-kpi-events")
    assert "Gesamt (Partner DO)" in card and "Gesamtes Projekt" not in card
