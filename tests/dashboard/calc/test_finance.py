"""Money per partner x year: eligible costs via etl.core.money, plan vs actual, deviation flags."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from dashboard.calc import finance
from etl.core.money import eligible_costs
from tests.dashboard.factories import facts

FACTS = facts([
    # A 2024: personnel 10.000,00 € + 0,03 €, expenditure 2.000,00 € (cents in the warehouse)
    ("A", "2024-01", "", "personnel_cents", 500000),
    ("A", "2024-02", "M1", "personnel_cents", 500003),
    ("A", "2024-02", "M1", "expenditure_cents", 200000),
    ("B", "2025-03", "", "personnel_cents", 100000),
    ("B", "2025-03", "M1", "events", 3),
])


def test_money_months_sums_integer_cents():
    money = finance.money_months(FACTS)
    assert money.to_dict("records") == [
        {"partner_code": "A", "year": 2024, "month": pd.Timestamp("2024-01-01"),
         "personnel": 500000, "expenditure": 0},
        {"partner_code": "A", "year": 2024, "month": pd.Timestamp("2024-02-01"),
         "personnel": 500003, "expenditure": 200000},
        {"partner_code": "B", "year": 2025, "month": pd.Timestamp("2025-03-01"),
         "personnel": 100000, "expenditure": 0},
    ]


def test_eligible_costs_per_partner_and_year_by_hand(small_config):
    table = finance.eligible_table(finance.money_months(FACTS), small_config, ("A", "B"),
                                   (2024, 2025))
    a24 = table[(table.partner_code == "A") & (table.year == 2024)].iloc[0]
    # personnel 1.000.003 ct; overheads 15 % = 150.000,45 -> 150.000; material 200.000
    # eligible 1.350.003; grant 80 % = 1.080.002,4 -> 1.080.002; EU 40 % = 540.001,2 -> 540.001
    assert (a24.personnel, a24.overheads, a24.material, a24.eligible) == (
        1000003, 150000, 200000, 1350003)
    assert (a24.grant, a24.eu, a24.state, a24.own) == (1080002, 540001, 540001, 270001)
    b25 = table[(table.partner_code == "B") & (table.year == 2025)].iloc[0]
    assert b25.eligible == 115000 and b25.grant == 103500  # 90 % funding rate
    assert len(table) == 4  # zeros included for A 2025 and B 2024
    same = eligible_costs(1000003, 200000, small_config.partner("A").funding_rate,
                          small_config.rules)
    assert a24.grant == same.grant
    assert finance.totals(table)["eligible"] == 1350003 + 115000


def test_budget_lines_in_cents(small_config):
    lines = finance.budget_lines(small_config, ("A",), (2024,))
    assert lines["plan"].tolist() == [100000, 15000, 35000]
    assert lines["category"].tolist() == ["personnel", "overheads", "material"]


def test_deviation_and_flags(small_config):
    rules = small_config.rules
    assert finance.deviation(120, 100) == Fraction(1, 5)
    assert finance.deviation(80, 100) == Fraction(-1, 5)
    assert finance.deviation(5, 0) is None
    assert finance.flag(Fraction(1, 5), rules) == "flag"          # 20 % over: consent needed
    assert finance.flag(Fraction(15, 100), rules) == "warn"       # from 15 %
    assert finance.flag(Fraction(149, 1000), rules) == "ok"
    assert finance.flag(Fraction(-1, 2), rules) == "ok"           # under plan is not flagged
    assert finance.flag(None, rules) == "ok"


def test_plan_vs_actual_flags_each_budget_line(small_config):
    eligible = pd.DataFrame([{"partner_code": "A", "year": 2024, "personnel": 120000,
                              "overheads": 17250, "material": 35000}])
    budget = finance.budget_lines(small_config, ("A",), (2024,))
    lines = finance.plan_vs_actual(eligible, budget, small_config.rules)
    # plan 1.000,00 / 150,00 / 350,00 €: +20 %, +15 %, 0 %
    assert lines["flag"].tolist() == ["flag", "warn", "ok"]
    assert lines["deviation"].tolist() == [Fraction(1, 5), Fraction(3, 20), Fraction(0)]


def test_monthly_eligible_adds_up_exactly_to_the_year(small_config):
    money = pd.DataFrame([
        {"partner_code": "A", "year": 2024, "month": pd.Timestamp("2024-01-01"),
         "personnel": 103, "expenditure": 0},
        {"partner_code": "A", "year": 2024, "month": pd.Timestamp("2024-02-01"),
         "personnel": 103, "expenditure": 0},
    ])
    monthly = finance.eligible_months(money, small_config)
    # Jan: 103 + round(15,45) = 118; Jan+Feb: 206 + round(30,9) = 237 -> Feb adds 119
    assert monthly["eligible"].tolist() == [118, 119]
    year = finance.eligible_table(money, small_config, ("A",), (2024,))
    assert int(year["eligible"].iloc[0]) == 237


def _reference_eligible_months(money, config):
    """The former per-row loop: rules on running sums within each partner x year."""
    rows = []
    for (code, _year), grp in money.sort_values("month").groupby(["partner_code", "year"]):
        rate, pers, exp, before = config.partner(code).funding_rate, 0, 0, 0
        for r in grp.itertuples(index=False):
            pers, exp = pers + int(r.personnel), exp + int(r.expenditure)
            running = eligible_costs(pers, exp, rate, config.rules).eligible
            rows.append((code, pd.Timestamp(r.month), running - before))
            before = running
    return rows


def test_vectorised_rules_equal_eligible_costs_cent_for_cent(small_config):
    import dataclasses
    import random
    from decimal import Decimal

    rng = random.Random(7)
    pers = [rng.randint(-10**7, 10**11) for _ in range(300)] + [1, 3, 5, 7, 10, 33, -33, 0]
    exp = [rng.randint(-10**6, 10**10) for _ in pers]
    flat = dataclasses.replace(small_config.rules, material_mode="flat",
                               material_flat_rate=Decimal("0.4"))
    for rules in (small_config.rules, flat):
        for rate in (Decimal("0.80"), Decimal("0.9"), Decimal("0.655")):
            num, den = rate.as_integer_ratio()
            got = finance.eligible_arrays(pers, exp, num, den, rules)
            for i, (p, e) in enumerate(zip(pers, exp, strict=True)):
                want = eligible_costs(p, e, rate, rules).as_dict()
                assert {k: int(v[i]) for k, v in got.items()} == want


def test_monthly_eligible_equals_the_running_sum_rules_for_many_partners(small_config):
    import random

    rng = random.Random(3)
    rows = [
        {"partner_code": code, "year": y, "month": pd.Timestamp(y, m, 1),
         "personnel": rng.randint(0, 10**7), "expenditure": rng.randint(0, 10**6)}
        for code in ("B", "A") for y in (2025, 2024) for m in (3, 1, 2, 7, 12)
        if rng.random() < 0.8
    ]
    money = pd.DataFrame(rows)
    monthly = finance.eligible_months(money, small_config)
    assert list(monthly.itertuples(index=False, name=None)) == _reference_eligible_months(
        money, small_config)
    # each year's months add up exactly to eligible_table
    table = finance.eligible_table(money, small_config, ("A", "B"), (2024, 2025))
    by_year = monthly.assign(year=monthly["month"].dt.year).groupby(
        ["partner_code", "year"])["eligible"].sum()
    for r in table.itertuples(index=False):
        assert int(by_year.get((r.partner_code, r.year), 0)) == r.eligible


def test_plan_vs_actual_aligns_lines_in_any_order(small_config):
    money = finance.money_months(FACTS)
    elig = finance.eligible_table(money, small_config, ("A", "B"), (2024, 2025))
    budget = finance.budget_lines(small_config, ("A", "B"), (2024, 2025))
    same = finance.plan_vs_actual(elig, budget, small_config.rules)
    shuffled = finance.plan_vs_actual(elig.iloc[::-1], budget.iloc[::-1], small_config.rules)
    key = ["partner_code", "year", "category"]
    left = same.sort_values(key).reset_index(drop=True)
    right = shuffled.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(left, right)
    a24 = same[(same.partner_code == "A") & (same.year == 2024)]
    assert a24["actual"].tolist() == [1000003, 150000, 200000]


def test_eligible_table_repeats_rows_for_repeated_labels(small_config):
    money = finance.money_months(FACTS)
    once = finance.eligible_table(money, small_config, ("A", "B"), (2024, 2025))
    twice = finance.eligible_table(money, small_config, ("A", "B", "A"), (2025, 2024, 2025))
    key = once.set_index(["partner_code", "year"])
    for r in twice.itertuples(index=False):
        assert r.eligible == key.loc[(r.partner_code, r.year), "eligible"]
    assert twice["partner_code"].tolist() == ["A"] * 3 + ["B"] * 3 + ["A"] * 3


def test_under_spending_is_flagged_like_over_spending(small_config):
    eligible = pd.DataFrame([{"partner_code": "A", "year": 2024, "personnel": 80000,
                              "overheads": 12900, "material": 35000}])
    budget = finance.budget_lines(small_config, ("A",), (2024,))
    lines = finance.plan_vs_actual(eligible, budget, small_config.rules)
    # plan 1.000,00 / 150,00 / 350,00 €: -20 %, -14 %, 0 %
    assert lines["flag"].tolist() == ["flag", "ok", "ok"]
    assert lines["direction"].tolist() == ["under", "under", "over"]
    assert lines["at_stake"].tolist() == [20000, 0, 0]  # only flagged lines are at stake
    assert finance.flag(Fraction(-1, 2), small_config.rules) == "ok"  # flag() stays one-way


def test_the_current_year_is_compared_pro_rata_to_the_stand(small_config):
    shares = finance.year_shares(small_config, (2024, 2025), date(2025, 3, 1))
    assert shares == {2024: 1, 2025: Fraction(3, 12)}
    eligible = pd.DataFrame([
        {"partner_code": "A", "year": 2024, "personnel": 100000, "overheads": 15000,
         "material": 35000},
        {"partner_code": "A", "year": 2025, "personnel": 50000, "overheads": 7500,
         "material": 8000}])
    budget = finance.budget_lines(small_config, ("A",), (2024, 2025))
    lines = finance.plan_vs_actual(eligible, budget, small_config.rules, shares)
    y25 = lines[lines["year"] == 2025]
    # 2025 plan 2.000,00 / 300,00 / 700,00 €, a quarter of it due by March: 500 / 75 / 175
    assert y25["compare"].tolist() == [50000, 7500, 17500]
    assert y25["flag"].tolist() == ["ok", "ok", "flag"]  # material 80,00 of 175,00: -54 %
    assert finance.by_risk(lines)[["year", "category"]].iloc[0].tolist() == [2025, "material"]


def test_lines_sort_by_euros_at_stake(small_config):
    lines = pd.DataFrame({
        "partner_code": ["A", "B", "C", "D"], "year": [2024] * 4,
        "category": ["personnel"] * 4, "plan": [100, 1000, 1000, 1000],
        "compare": [100, 1000, 1000, 1000], "actual": [200, 700, 1170, 1050],
        "flag": ["flag", "flag", "warn", "ok"], "at_stake": [100, 300, 170, 0]})
    assert finance.by_risk(lines)["partner_code"].tolist() == ["B", "C", "A", "D"]


def test_grant_ceiling_caps_the_table_whatever_years_are_shown(small_config):
    """A's grant is capped at 100,00 € over the project: 2024 takes it all, 2025 gets none;
    the monthly grants add up to the cap too (payment requests use them)."""
    from dataclasses import replace

    from etl.core.money import monthly_amounts

    a, b = small_config.partners
    config = replace(small_config, partners=(replace(a, grant_ceiling=Decimal("100.00")), b))
    money = pd.DataFrame([
        {"partner_code": "A", "year": y, "month": pd.Timestamp(f"{y}-0{m}-01"),
         "personnel": 10_000, "expenditure": 0}
        for y in (2024, 2025) for m in (1, 2)
    ])
    full = finance.eligible_table(money, config, ("A",), (2024, 2025))
    plain = finance.eligible_table(money, small_config, ("A",), (2024, 2025))
    # 2 x 100,00 € personnel + 15 % = 230,00 € eligible a year; 80 % = 184,00 € by the rate
    assert plain["grant"].tolist() == [18_400, 18_400]
    assert full["grant"].tolist() == [10_000, 0]
    assert (full["eu"] + full["state"]).tolist() == full["grant"].tolist()
    assert (full["eligible"] - full["grant"]).tolist() == full["own"].tolist()
    # the year 2025 alone still knows that 2024 used the ceiling
    assert finance.eligible_table(money, config, ("A",), (2025,))["grant"].tolist() == [0]
    monthly = monthly_amounts(money, config, ("eligible", "grant", "own"))
    assert int(monthly["grant"].sum()) == 10_000
    assert int(monthly["own"].sum()) == int(full["own"].sum())
    # Finanzen names the cap under the grant card
    from dashboard.views.tables import cap_notes

    caps = finance.grant_caps(money, config, ("A", "B"))
    assert caps == [("A", 10_000, 36_800)]
    assert cap_notes(caps) == [
        "A: gedeckelt auf den Höchstbetrag 100,00 € (nach Förderquote 368,00 €)"
    ]
    assert cap_notes([("B", 0, 5)]) == ["B: ohne Förderung (Zuwendung 0 €)"]
