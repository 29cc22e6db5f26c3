"""The calculations on a network whose project years start in September (examples/
weserleine): elapsed time, deadlines, prorated targets and attainment, the plan spread over
the months and the forecast all count September to August."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pandas as pd
import pytest

from dashboard.calc import activity, forecast, periods
from etl.core.config import load_config
from etl.core.settings import REPO_ROOT


@pytest.fixture(scope="module")
def wl():
    return load_config(REPO_ROOT / "examples" / "weserleine" / "config.toml")


def test_elapsed_time_per_project_year(wl):
    # Stand 02/2026: September to February are six of project year 2025/26's twelve months
    assert periods.year_elapsed(wl, 2025, date(2026, 2, 1)) == Fraction(6, 12)
    assert periods.year_elapsed(wl, 2025, date(2026, 8, 1)) == 1
    assert periods.year_elapsed(wl, 2026, date(2026, 8, 1)) == 0
    assert periods.year_elapsed(wl, 2026, date(2026, 9, 1)) == Fraction(1, 12)
    assert periods.elapsed_in(wl, (2025, 2026), date(2026, 11, 1)) == Fraction(15, 24)


def test_interim_proofs_per_project_year(wl):
    deadlines = periods.proof_deadlines(wl)
    assert [(d.label, d.due) for d in deadlines] == [
        ("Zwischennachweis 2025/26", date(2027, 5, 31)),
        ("Zwischennachweis 2026/27", date(2028, 5, 31)),
        ("Verwendungsnachweis (Schlussnachweis)", date(2028, 12, 31)),
    ]


def test_calendar_deadlines_unchanged(config):
    first = periods.proof_deadlines(config)[0]
    assert first.label == f"Zwischennachweis {config.years[0]}"
    assert first.due.year == config.years[0] + 1


def test_targets_prorated_and_attained_per_project_year(wl):
    targets = activity.targets_frame(wl)
    mine = targets[(targets["partner_code"] == "HANNOVER-IMP")
                   & (targets["module"] == "Gründen & Wachsen")]
    assert dict(zip(mine["year"], mine["events"], strict=True)) == {2025: 8, 2026: 8, 2027: 8}
    expected = activity.expected_by(mine, wl, date(2026, 2, 1), ["partner_code"])
    assert expected["events"].tolist() == [Fraction(4)]  # 6 of 12 months of 8 events
    actual = pd.DataFrame({"partner_code": ["HANNOVER-IMP"], "events": [3]})
    att = activity.partner_attainment(actual, expected, ("events",))
    assert att["attainment"].tolist() == [Fraction(3, 4)]


def test_monthly_target_spreads_a_project_year_over_its_months(wl):
    targets = activity.targets_frame(wl)
    mine = targets[targets["partner_code"] == "NIENBURG"]
    series = activity.monthly_target(mine, wl, "events", (2025,))
    assert series.index[0] == pd.Timestamp(2025, 9, 1)
    assert series.index[-1] == pd.Timestamp(2026, 8, 1)
    assert sum(series) == int(mine[mine["year"] == 2025]["events"].sum())


def test_plan_and_forecast_per_project_year(wl):
    months = [pd.Timestamp(m) for m in wl.months()]
    plan = forecast.plan_months({2025: 1200, 2026: 2400}, months, start=9)
    assert plan[pd.Timestamp(2026, 8, 1)] == 100 and plan[pd.Timestamp(2026, 9, 1)] == 200
    eligible = pd.DataFrame({
        "partner_code": ["HILDESHEIM"] * 2,
        "month": [pd.Timestamp(2026, 8, 1), pd.Timestamp(2026, 9, 1)],
        "eligible": [500, 700],
    })
    lines = pd.DataFrame({"partner_code": ["HILDESHEIM"] * 3, "year": [2025, 2026, 2027],
                          "plan": [1000, 1000, 1000]})
    fc = forecast.forecast_by_year(eligible, lines, ("HILDESHEIM",), months, start=9)
    assert fc["year"].tolist() == [2025, 2026, 2027]
    assert fc.set_index("year")["actual"].to_dict() == {2025: 500, 2026: 700, 2027: 0}
