"""The overview's figures (dashboard.calc.overview) on a small network, by hand.

small_config: partners A (80 %) and B (90 %), modules M1/M2, 2024-2025 (24 months), reports
due on the 10th. Targets: A/M1 2024 12 events, 120 participants, 24 companies; A/M1 2025 24,
240, 48; A/M2 2025 12 coachings, 12 companies; B/M1 2025 12 events, 100 participants, 20
companies. Budget: A 1.500 € (2024) + 3.000 € (2025), B 1.000 € + 1.500 € = 7.000 €.
"""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import activity, finance, overview
from tests.dashboard.factories import facts, reach

FACTS = facts([
    ("A", "2025-01", "M1", "events", 2), ("A", "2025-01", "M1", "participants", 30),
    ("A", "2025-02", "M1", "events", 1), ("A", "2025-02", "M1", "participants", 12),
    ("A", "2025-02", "M2", "coachings", 1), ("A", "2025-02", "M2", "coaching_hours", "12.5"),
    ("B", "2025-02", "M1", "events", 1), ("B", "2025-02", "M1", "participants", 20),
    ("A", "2025-01", "", "personnel_cents", 100000),  # 1.000,00 €
    ("A", "2025-02", "M1", "expenditure_cents", 20000),  # 200,00 €
    ("B", "2025-02", "", "personnel_cents", 50000),  # 500,00 €
])
# company 1 (Klein) is reached by A/M1, A/M2 and B/M1; 2 (Groß) by A/M1; 3 (Mittel) by B/M1
REACH = reach([
    ("A", "M1", "2025-01-10", 1, "Klein"), ("A", "M1", "2025-02-03", 1, "Klein"),
    ("A", "M1", "2025-02-03", 2, "Groß"), ("A", "M2", "2025-02-12", 1, "Klein"),
    ("B", "M1", "2025-02-20", 3, "Mittel"), ("B", "M1", "2025-02-20", 1, "Klein"),
])
UPLOADS = pd.DataFrame(
    [("A", date(2025, 1, 1), "accepted", datetime(2025, 2, 5, 9, 0)),
     ("A", date(2025, 2, 1), "accepted", datetime(2025, 3, 3, 9, 0)),
     ("B", date(2025, 2, 1), "accepted", datetime(2025, 3, 9, 9, 0))],
    columns=["partner_code", "month", "status", "uploaded_at"],
)
# 15 March: February's reports were due on 10 March, so the figures stand at February 2025
TODAY = date(2025, 3, 15)


def _overview(f: flt.Filters, config) -> overview.Overview:
    months = activity.activity_months(FACTS)
    money = finance.money_months(FACTS)
    return overview.overview(months, money, REACH, UPLOADS, config, f, TODAY)


def test_unfiltered_kpis_against_prorated_targets(small_config):
    o = _overview(flt.Filters(), small_config)
    assert o.as_of == date(2025, 2, 1)
    assert o.elapsed == Fraction(14, 24)  # 12 months of 2024 + January and February 2025
    k = o.kpis
    # events 2 + 1 + 1 = 4 of 12 + 24 + 12 = 48; by now: 12 (2024 whole) + 24 x 2/12 + 12 x 2/12
    assert (k["events"].value, k["events"].target, k["events"].expected) == (4, 48, 18)
    # participants 30 + 12 + 20 = 62 of 460; by now 120 + 240/6 + 100/6 = 530/3
    assert (k["participants"].value, k["participants"].target) == (62, 460)
    assert k["participants"].expected == Fraction(530, 3)
    assert (k["coachings"].value, k["coachings"].target, k["coachings"].expected) == (1, 12, 2)
    # companies: 3 distinct, compared as 3 distinct; the small network sets no target for
    # distinct companies, so there is nothing to compare with (one count per card)
    c = k["companies"]
    assert (c.value, c.counted, c.target) == (3, 3, 0)
    assert c.attainment is None
    # contacts: 5 at the targets' grain (A/M1 {1, 2}, A/M2 {1}, B/M1 {1, 3}), against their
    # target 24 + 48 + 12 + 20 = 104, by now 24 + 48/6 + 12/6 + 20/6 = 112/3
    n = o.contacts
    assert (n.value, n.counted, n.target, n.expected) == (5, 5, 104, Fraction(112, 3))
    assert n.attainment == Fraction(5, 104) and n.on_track == Fraction(15, 112)
    assert o.hours == Decimal("12.5")
    assert (o.n_sme, o.sme_share) == (2, Fraction(2, 3))  # companies 1 and 3; 2 is Groß
    assert o.whole is None and o.whole_eligible is None  # no filter: nothing to compare with


def test_unfiltered_money(small_config):
    o = _overview(flt.Filters(), small_config)
    # A 2025: 1.000 personnel + 150 overheads + 200 material = 1.350,00 €, 80 % = 1.080,00 €
    # B 2025: 500 + 75 + 0 = 575,00 €, 90 % = 517,50 €
    assert o.eligible == 135000 + 57500
    assert o.grant == 108000 + 51750
    assert o.plan == 700000


def test_partner_attainment_and_who_is_behind(small_config):
    o = _overview(flt.Filters(), small_config)
    a = o.attain.set_index(["partner_code", "measure"])
    # A: 3 events of 16 expected (12 + 24 x 2/12); B: 1 of 2 (12 x 2/12)
    assert (a.loc[("A", "events"), "actual"], a.loc[("A", "events"), "expected"]) == (3, 16)
    assert a.loc[("A", "events"), "attainment"] == Fraction(3, 16)
    assert a.loc[("B", "events"), "attainment"] == Fraction(1, 2)
    assert a.loc[("A", "participants"), "attainment"] == Fraction(42, 160)  # 120 + 40
    assert o.items  # both partners are far behind: the attention list is not empty


def test_a_partner_filter_narrows_kpis_and_money_and_keeps_the_whole(small_config):
    o = _overview(flt.Filters(partners=("A",)), small_config)
    k = o.kpis
    assert (k["events"].value, k["events"].target, k["events"].expected) == (3, 36, 16)
    assert (k["participants"].value, k["coachings"].value) == (42, 1)
    assert (k["companies"].value, k["companies"].counted) == (2, 2)  # A's distinct: {1, 2}
    assert o.contacts.value == 3  # at the targets' grain: A/M1 {1, 2} + A/M2 {1}
    assert (o.eligible, o.grant, o.plan) == (135000, 108000, 450000)
    assert (o.n_sme, o.sme_share) == (1, Fraction(1, 2))
    assert o.whole["events"].value == 4 and o.whole["companies"].counted == 3
    assert o.whole_eligible == 192500


def test_a_module_filter_does_not_narrow_the_money(small_config):
    o = _overview(flt.Filters(modules=("M2",)), small_config)
    assert (o.kpis["events"].value, o.kpis["coachings"].value) == (0, 1)
    assert o.kpis["coachings"].expected == 2  # A/M2 2025: 12 x 2/12
    assert o.eligible == 192500  # costs are settled per partner and year, not per module


def test_a_past_year_counts_its_whole_target(small_config):
    o = _overview(flt.Filters(years=(2024,)), small_config)
    e = o.kpis["events"]
    assert (e.value, e.target, e.expected, e.on_track) == (0, 12, 12, 0)
    assert (o.eligible, o.plan) == (0, 250000)  # A 1.500 € + B 1.000 € planned for 2024
