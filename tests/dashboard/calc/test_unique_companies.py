"""Distinct companies: one count for the companies card's number, bar and percentage, against
the distinct-companies target; the per-module-and-year sum only as Unternehmenskontakte."""

from __future__ import annotations

import copy
from datetime import date
from fractions import Fraction

import pytest

from dashboard import filters as flt
from dashboard.calc import activity
from dashboard.calc import overview as ov
from etl.core.config import ConfigError, parse_config
from tests.dashboard.calc.test_activity import FACTS, REACH
from tests.dashboard.conftest import SMALL

AS_OF = date(2025, 5, 1)  # 17 of 24 project months elapsed


@pytest.fixture(scope="module")
def config():
    raw = copy.deepcopy(SMALL)
    raw["unique_company_targets"] = {"network": 4, "A": 3, "B": 2}
    return parse_config(raw)


def _kpis(config, f: flt.Filters):
    months = activity.activity_months(FACTS)
    grain = activity.totals(months, REACH, list(activity.KEYS))
    sel_months, sel_reach = ov.selection(months, REACH, f)
    sel_grain = flt.apply(grain, f).reset_index(drop=True)
    return ov.kpis(sel_months, sel_reach, config, f, AS_OF, sel_grain), sel_grain


def test_the_network_card_counts_each_company_once_against_the_network_target(config):
    kpis, grain = _kpis(config, flt.Filters())
    k = kpis["companies"]
    # companies 1, 2 (A) and 3, 1 (B): 3 distinct across partners
    assert (k.value, k.counted, k.target) == (3, 3, 4)
    assert k.attainment == Fraction(3, 4)
    assert k.expected == Fraction(4) * Fraction(17, 24)
    # the per partner x module x year sum is another figure: A-M1 {1, 2}, A-M2 {1}, B-M1 {3, 1}
    contacts = ov.contacts_kpi(grain, config, flt.Filters(), AS_OF)
    assert contacts.value == 5 and contacts.target == 24 + 48 + 12 + 20


def test_a_partner_counts_its_own_companies_against_its_own_target(config):
    k = _kpis(config, flt.Filters(partners=("B",)))[0]["companies"]
    assert (k.value, k.target, k.per_partner) == (2, 2, False)
    both = _kpis(config, flt.Filters(partners=("A", "B")))[0]["companies"]
    assert (both.value, both.target) == (3, 4)  # all partners: the network's count and target


def test_no_target_to_compare_with_under_a_year_or_module_filter(config):
    k = _kpis(config, flt.Filters(years=(2025,)))[0]["companies"]
    assert k.value == 3 and k.target == 0 and k.attainment is None


def test_partner_attainment_compares_each_partners_distinct_companies(config):
    months = activity.activity_months(FACTS)
    attain = ov.partner_attainment(months, REACH, config, flt.Filters(), AS_OF)
    rows = attain[attain["measure"] == "companies"].set_index("partner_code")
    assert rows.loc["A", "actual"] == 2 and rows.loc["B", "actual"] == 2
    assert rows.loc["A", "attainment"] == Fraction(2) / (Fraction(3) * Fraction(17, 24))


def test_unique_targets_name_known_partners():
    raw = copy.deepcopy(SMALL)
    raw["unique_company_targets"] = {"X": 3}
    with pytest.raises(ConfigError, match="unique_company_targets.X: unbekannter Partner"):
        parse_config(raw)
