"""The finance page's figures (dashboard.calc.spending) on a small network, by hand.

small_config: A (80 %) and B (90 %), 2024-2025, 15 % overheads, material as booked, EU 40 %.
Budget per partner x year (personnel / overheads / material): A 2024 1.000 / 150 / 350,
A 2025 2.000 / 300 / 700, B 2024 500 / 75 / 425, B 2025 1.000 / 150 / 350 (EUR).
"""

from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import finance, spending
from tests.dashboard.factories import facts

MONEY = finance.money_months(facts([
    ("A", "2025-01", "", "personnel_cents", 100000),  # 1.000,00 €
    ("A", "2025-02", "M1", "expenditure_cents", 20000),  # 200,00 €
    ("B", "2025-02", "", "personnel_cents", 50000),  # 500,00 €
]))
TODAY = date(2025, 3, 15)  # February's reports were due on 10 March


def _row(frame: pd.DataFrame, **keys) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for k, v in keys.items():
        mask &= frame[k] == v
    [i] = frame.index[mask]
    return frame.loc[i]


def test_eligible_costs_and_financing(small_config):
    s = spending.spending(MONEY, small_config, flt.Filters(), TODAY)
    assert s.as_of == date(2025, 2, 1)
    assert len(s.eligible) == 4  # A and B x 2024 and 2025, zeros included
    a = _row(s.eligible, partner_code="A", year=2025)
    # 1.000 + 15 % = 150 + 200 booked = 1.350 €; grant 80 % 1.080; EU 40 % 540; state 540
    assert (a.personnel, a.overheads, a.material, a.eligible) == (100000, 15000, 20000, 135000)
    assert (a.grant, a.eu, a.state, a.own) == (108000, 54000, 54000, 27000)
    b = _row(s.eligible, partner_code="B", year=2025)
    # 500 + 75 = 575 €; grant 90 % 517,50; EU 40 % 230; state 287,50; own 57,50
    assert (b.eligible, b.grant, b.eu, b.state, b.own) == (57500, 51750, 23000, 28750, 5750)
    assert s.totals["eligible"] == 192500 and s.totals["grant"] == 159750
    assert s.plan == 700000  # 1.500 + 3.000 + 1.000 + 1.500 €


def test_budget_lines_against_plan(small_config):
    s = spending.spending(MONEY, small_config, flt.Filters(), TODAY)
    line = _row(s.lines, partner_code="A", year=2025, category="personnel")
    # the running year is compared pro rata to the Stand: 2 of 12 months of the 2.000 € plan
    # are 333,33 €; 1.000 € spent is 200 % over that: flagged over-spend
    assert (line.plan, line.actual, line["compare"]) == (200000, 100000, 33333)
    assert (line.deviation, line.flag) == (Fraction(66667, 33333), "flag")
    # B 2025 overheads: 75 € of 150 € planned; B 2024 material: nothing of 425 €
    assert _row(s.lines, partner_code="B", year=2025, category="overheads").actual == 7500
    assert _row(s.lines, partner_code="B", year=2024, category="material").deviation == -1


def test_forecast_and_money_at_risk(small_config):
    s = spending.spending(MONEY, small_config, flt.Filters(), TODAY)
    # A's monthly increments: January 1.150 € (1.000 + 150), February 200 €; the run-rate
    # is the last six project months (Sep 2024 - Feb 2025): 1.350 / 6 = 225 € a month,
    # so 2025 ends at 1.350 + 10 x 225 = 3.600 € (plan 3.000: nothing at risk)
    a25 = _row(s.forecast, partner_code="A", year=2025)
    assert (a25.plan, a25.actual, a25.forecast, a25.at_risk) == (300000, 135000, 360000, 0)
    # 2024 is over with nothing spent: its whole plan is at risk
    a24 = _row(s.forecast, partner_code="A", year=2024)
    assert (a24.plan, a24.forecast, a24.at_risk) == (150000, 0, 150000)
    # B: 575 + 10 x 575/6 = 1.533,333... -> 1.533,33 €
    assert _row(s.forecast, partner_code="B", year=2025).forecast == 153333


def test_burn_curve(small_config):
    s = spending.spending(MONEY, small_config, flt.Filters(), TODAY)
    assert len(s.burn) == 24
    feb = _row(s.burn, month=pd.Timestamp("2025-02-01"))
    assert feb.actual == 192500  # 1.150 + 200 + 575 €
    march = _row(s.burn, month=pd.Timestamp("2025-03-01"))
    assert pd.isna(march.actual)  # no data yet
    # the forecast runs on from February: 1.925 + 225 (A) + 95,833... (B) = 2.245,83 €
    assert march.forecast == 224583
    assert pd.isna(_row(s.burn, month=pd.Timestamp("2025-01-01")).forecast)  # before its start
    dec = _row(s.burn, month=pd.Timestamp("2025-12-01"))
    assert dec.plan == 700000 and dec.linear == 700000
    assert dec.forecast == 360000 + 153333  # A's and B's forecasts (2024 is zero)
    # linear: 7.000 € over 24 months; after the first 7 months 7 x 291,666... = 2.041,67 €
    assert _row(s.burn, month=pd.Timestamp("2024-07-01")).linear == 204167


def test_filters_partner_and_year_and_ignore_modules(small_config):
    a = spending.spending(MONEY, small_config, flt.Filters(partners=("A",), years=(2025,)), TODAY)
    assert a.eligible["partner_code"].tolist() == ["A"]
    assert a.totals["eligible"] == 135000 and a.plan == 300000
    assert len(a.burn) == 12 and a.forecast["year"].tolist() == [2025]
    m2 = spending.spending(MONEY, small_config, flt.Filters(modules=("M2",)), TODAY)
    assert m2.totals["eligible"] == 192500  # modules do not apply to money


def test_proof_deadlines(small_config):
    s = spending.spending(MONEY, small_config, flt.Filters(), TODAY)
    # interim proof for 2024 by 30 April 2025; final proof 6 months after 31.12.2025
    assert [(d.kind, d.year, d.due) for d in s.deadlines] == [
        ("interim", 2024, date(2025, 4, 30)),
        ("final", None, date(2026, 6, 30)),
    ]
