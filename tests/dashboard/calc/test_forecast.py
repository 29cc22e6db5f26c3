"""Burn curve, run-rate forecast and money at risk, with hand-computed cents."""

from fractions import Fraction

import pandas as pd

from dashboard.calc import forecast

MONTHS_2024 = [pd.Timestamp(2024, m, 1) for m in range(1, 13)]


def test_round_half_up():
    assert forecast.round_half_up(Fraction(5, 2)) == 3
    assert forecast.round_half_up(Fraction(-5, 2)) == -3
    assert forecast.round_half_up(Fraction(7, 3)) == 2


def test_spread_adds_up_exactly():
    assert forecast.spread(100, 3) == [34, 33, 33]
    assert forecast.spread(0, 2) == [0, 0]
    plan = forecast.plan_months({2024: 1200}, MONTHS_2024)
    assert plan.tolist() == [100] * 12


def test_run_rate_averages_the_recent_months_with_gaps_as_zero():
    incr = pd.Series({MONTHS_2024[i]: (i + 1) * 100 for i in range(6)})  # Jan..Jun 100..600
    assert forecast.run_rate(incr, MONTHS_2024, MONTHS_2024[5], window=3) == 500
    gap = incr.drop(MONTHS_2024[4])  # nothing booked in May
    assert forecast.run_rate(gap, MONTHS_2024, MONTHS_2024[5], window=3) == Fraction(1000, 3)
    # at the start of the project fewer months are averaged
    assert forecast.run_rate(incr, MONTHS_2024, MONTHS_2024[1], window=6) == 150
    assert forecast.run_rate(incr, MONTHS_2024, None) == 0


def _monthly(partner: str, values: dict[pd.Timestamp, int]) -> pd.DataFrame:
    return pd.DataFrame([{"partner_code": partner, "month": m, "eligible": v}
                         for m, v in values.items()])


def test_forecast_and_money_at_risk_per_year():
    months = [pd.Timestamp(y, m, 1) for y in (2024, 2025) for m in range(1, 13)]
    # A spends 100 ct every month up to October 2025
    monthly = _monthly("A", {m: 100 for m in months if m <= pd.Timestamp(2025, 10, 1)})
    plan = pd.DataFrame([{"partner_code": "A", "year": 2024, "plan": 1000},
                         {"partner_code": "A", "year": 2025, "plan": 1500}])
    fc = forecast.forecast_by_year(monthly, plan, ("A",), months, window=6)
    assert fc.to_dict("records") == [
        {"partner_code": "A", "year": 2024, "plan": 1000, "actual": 1200, "forecast": 1200,
         "at_risk": 0},
        # 10 months actual + 2 months at the run-rate of 100 = 1.200; 300 of 1.500 at risk
        {"partner_code": "A", "year": 2025, "plan": 1500, "actual": 1000, "forecast": 1200,
         "at_risk": 300},
    ]


def test_forecast_rounds_once_at_the_end():
    months = MONTHS_2024[:4]
    monthly = _monthly("A", {months[0]: 100, months[1]: 101})
    plan = pd.DataFrame([{"partner_code": "A", "year": 2024, "plan": 500}])
    fc = forecast.forecast_by_year(monthly, plan, ("A",), months, window=2)
    # run-rate 100,5 for March and April: 201 + 201 = 402
    assert fc["forecast"].tolist() == [402]
    assert fc["at_risk"].tolist() == [98]


def test_burn_curve_by_hand():
    months = MONTHS_2024[:4]
    monthly = _monthly("A", {months[0]: 50, months[1]: 150})
    curve = forecast.burn_curve(monthly, {2024: 400}, ("A",), months, window=2)
    assert curve["plan"].tolist() == [100, 200, 300, 400]
    assert curve["linear"].tolist() == [100, 200, 300, 400]
    assert curve["actual"].tolist()[:2] == [50, 200]
    assert curve["actual"].isna().tolist() == [False, False, True, True]
    # run-rate (50 + 150) / 2 = 100 from March; the forecast line starts at the last actual
    assert curve["forecast"].tolist()[1:] == [200, 300, 400]
    assert pd.isna(curve["forecast"].iloc[0])


def test_burn_curve_starts_the_forecast_at_the_partner_reporting_last():
    months = MONTHS_2024[:3]
    monthly = pd.concat([_monthly("A", {months[0]: 10, months[1]: 10}),
                         _monthly("B", {months[0]: 20})])
    curve = forecast.burn_curve(monthly, {2024: 90}, ("A", "B"), months, window=1)
    # B has nothing for February yet: its run-rate (20) fills in from February
    assert curve["forecast"].tolist() == [30, 60, 90]
    assert curve["actual"].iloc[:2].tolist() == [30, 40]
    assert pd.isna(curve["actual"].iloc[2])


def test_burn_curve_without_money():
    empty = pd.DataFrame(columns=["partner_code", "month", "eligible"])
    curve = forecast.burn_curve(empty, {2024: 1200}, ("A",), MONTHS_2024)
    assert curve["actual"].isna().all()
    assert curve["forecast"].isna().all()
    assert curve["plan"].iloc[-1] == 1200


def test_run_rates_equal_the_projection_of_each_partner():
    import random

    rng = random.Random(11)
    months = [pd.Timestamp(y, m, 1) for y in (2024, 2025) for m in range(1, 13)]
    rows = []
    for code, stop in (("A", 20), ("B", 3), ("C", 0), ("D", 24)):
        for m in months[:stop]:
            if rng.random() < 0.7:
                rows.append({"partner_code": code, "month": m, "eligible": rng.randint(-50, 999)})
    monthly = pd.DataFrame(rows)
    partners = ("A", "B", "C", "D", "E")  # C and E without money
    expected = forecast.partner_projections(monthly, partners, months, window=6)
    rr = forecast.run_rates(monthly, partners, months, window=6)
    mask = rr.actual_mask()
    for i, code in enumerate(partners):
        got = [Fraction(int(rr.increments[i, j])) if mask[i, j]
               else Fraction(int(rr.rate_sum[i]), int(rr.rate_n[i])) for j in range(len(months))]
        assert got == expected[code].tolist()
    # forecast_by_year rounds each partner x year sum of the projection once
    plan = pd.DataFrame([{"partner_code": c, "year": y, "plan": 5000}
                         for c in partners for y in (2024, 2025)])
    fc = forecast.forecast_by_year(monthly, plan, partners, months, window=6)
    for r in fc.itertuples(index=False):
        series = expected[r.partner_code]
        total = sum((v for m, v in series.items() if m.year == r.year), Fraction(0))
        assert r.forecast == forecast.round_half_up(total)
        assert r.at_risk == max(0, 5000 - r.forecast)
    # the burn curve's forecast is the sum over partners, rounded once per month
    curve = forecast.burn_curve(monthly, {2024: 100, 2025: 100}, partners, months, window=6)
    cum = Fraction(0)
    for j, m in enumerate(months):
        cum += sum((expected[c][m] for c in partners), Fraction(0))
        assert curve["forecast"].iloc[j] == forecast.round_half_up(cum)  # C: starts at once
