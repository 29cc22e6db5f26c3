"""Calendar arithmetic: due dates, reporting stand, time elapsed, proof-of-use deadlines."""

from datetime import date
from fractions import Fraction

from dashboard.calc import periods


def test_add_months_clamps_the_day():
    assert periods.add_months(date(2026, 12, 31), 6) == date(2027, 6, 30)
    assert periods.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert periods.add_months(date(2024, 3, 15), -3) == date(2023, 12, 15)


def test_report_is_due_on_the_due_day_of_the_following_month():
    assert periods.due_date(date(2025, 3, 1), 10) == date(2025, 4, 10)
    assert periods.due_date(date(2025, 12, 1), 10) == date(2026, 1, 10)
    assert periods.due_date(date(2025, 1, 1), 31) == date(2025, 2, 28)


def test_reported_through_counts_months_due_by_today():
    assert periods.reported_through(date(2026, 11, 21), 10) == date(2026, 10, 1)
    assert periods.reported_through(date(2026, 11, 10), 10) == date(2026, 10, 1)
    assert periods.reported_through(date(2026, 11, 9), 10) == date(2026, 9, 1)


def test_time_elapsed_in_months(small_config):
    # 24 project months; as of October 2025 22 have passed.
    assert periods.time_elapsed(small_config, date(2025, 10, 1)) == Fraction(22, 24)
    assert periods.default_stand(small_config, date(2023, 6, 1)) == date(2023, 12, 1)
    assert periods.time_elapsed(small_config, date(2023, 12, 1)) == 0
    assert periods.default_stand(small_config, date(2030, 1, 1)) == date(2025, 12, 1)


def test_share_of_a_year_elapsed(small_config):
    as_of = date(2025, 3, 1)
    assert periods.year_elapsed(small_config, 2025, as_of) == Fraction(3, 12)
    assert periods.year_elapsed(small_config, 2024, as_of) == 1
    assert periods.year_elapsed(small_config, 2026, as_of) == 0


def test_proof_of_use_deadlines(small_config):
    deadlines = periods.proof_deadlines(small_config)
    assert [(d.kind, d.year, d.due) for d in deadlines] == [
        ("interim", 2024, date(2025, 4, 30)),  # interim proof for 2024 by 30 April 2025
        ("final", None, date(2026, 6, 30)),    # six months after 31.12.2025
    ]
    assert periods.upcoming(deadlines, date(2025, 5, 1)) == [deadlines[1]]
    assert deadlines[0].label == "Zwischennachweis 2024"
