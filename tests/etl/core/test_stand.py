"""The Berichtsstand rule: the last month due, within the project period; what may be chosen."""

from dataclasses import replace
from datetime import date

import pytest

from etl.core import stand


def test_default_stand_is_the_last_month_past_its_due_day(config):
    # the configuration's reports are due on the 10th of the following month
    assert config.report_due_day == 10
    assert stand.default_stand(config, date(2026, 12, 4)) == date(2026, 10, 1)
    assert stand.default_stand(config, date(2026, 12, 10)) == date(2026, 11, 1)
    assert stand.default_stand(config, date(2026, 12, 11)) == date(2026, 11, 1)


def test_a_later_due_day_moves_the_stand_later(config):
    late = replace(config, report_due_day=20)
    assert stand.default_stand(late, date(2026, 12, 15)) == date(2026, 10, 1)
    assert stand.default_stand(late, date(2026, 12, 20)) == date(2026, 11, 1)


def test_a_finished_project_stands_at_its_last_month(config):
    ended = replace(config, start=date(2020, 1, 1), end=date(2022, 12, 31))
    assert stand.default_stand(ended, date(2026, 12, 4)) == date(2022, 12, 1)
    # right after the end, the last month is not yet due: its predecessor
    assert stand.default_stand(ended, date(2023, 1, 5)) == date(2022, 11, 1)
    assert stand.latest_stand(ended, date(2026, 12, 4)) == date(2022, 12, 1)
    assert stand.stand_choices(ended, date(2026, 12, 4))[0] == date(2022, 12, 1)
    assert len(stand.stand_choices(ended, date(2026, 12, 4))) == 36


def test_before_the_first_report_is_due_the_stand_precedes_the_project(config):
    assert stand.default_stand(config, date(2024, 2, 9)) == date(2023, 12, 1)
    assert stand.default_stand(config, date(2023, 6, 1)) == date(2023, 12, 1)
    assert stand.stand_choices(config, date(2024, 1, 15)) == []


def test_a_month_that_has_not_ended_cannot_be_chosen(config):
    today = date(2026, 12, 4)
    assert stand.latest_stand(config, today) == date(2026, 11, 1)
    assert stand.stand_error(config, date(2026, 11, 1), today) is None
    message = stand.stand_error(config, date(2026, 12, 1), today)
    assert "noch nicht abgeschlossen" in message and "31.12.2026" in message
    assert "außerhalb der Projektlaufzeit" in stand.stand_error(config, date(2027, 1, 1), today)
    assert "außerhalb der Projektlaufzeit" in stand.stand_error(config, date(2023, 12, 1), today)


@pytest.mark.parametrize(
    "chosen,expected",
    [
        (None, date(2026, 10, 1)),  # the default
        (date(2025, 3, 1), date(2025, 3, 1)),  # an earlier month as chosen
        (date(2026, 11, 1), date(2026, 11, 1)),  # ended, not yet due: may be chosen
        (date(2026, 12, 1), date(2026, 10, 1)),  # not ended: the default instead
    ],
)
def test_resolve_takes_the_chosen_stand_when_it_may_be_chosen(config, chosen, expected):
    assert stand.resolve(config, date(2026, 12, 4), chosen) == expected


def test_months_after_the_stand_are_provisional():
    assert stand.is_provisional(date(2026, 11, 1), date(2026, 10, 1))
    assert not stand.is_provisional(date(2026, 10, 31), date(2026, 10, 1))
