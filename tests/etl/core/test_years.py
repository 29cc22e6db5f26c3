"""Project years (etl.core.years): the one definition of the year of a date, its label, its
span, the interim proof's due date, and the configuration key that sets it."""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from etl.core.config import load_config, parse_config
from etl.core.config_values import ConfigError
from etl.core.settings import REPO_ROOT
from etl.core.years import year_first, year_label, year_last, year_of, years_of

WESERLEINE = REPO_ROOT / "examples" / "weserleine" / "config.toml"


def test_calendar_years_by_default():
    assert year_of(date(2026, 1, 1)) == year_of(date(2026, 12, 31)) == 2026
    assert year_label(2026) == "2026"
    assert (year_first(2026), year_last(2026)) == (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2025, 9, 1), 2025), (date(2026, 8, 31), 2025), (date(2026, 9, 1), 2026),
     (date(2026, 1, 15), 2025), (date(2025, 8, 31), 2024)],
)
def test_project_year_of_a_date_starting_in_september(day, year):
    assert year_of(day, 9) == year


def test_labels_and_spans_of_project_years():
    assert year_label(2025, 9) == "2025/26"
    assert year_label(2099, 9) == "2099/00"
    assert (year_first(2025, 9), year_last(2025, 9)) == (date(2025, 9, 1), date(2026, 8, 31))
    assert year_last(2025, 2) == date(2026, 1, 31)
    assert year_last(2027, 3) == date(2028, 2, 29)  # a leap February ends the year


def test_years_of_a_column_matches_year_of():
    days = [date(2025, 12, 1), date(2026, 8, 1), date(2026, 9, 1)]
    assert years_of(days, 9).tolist() == [year_of(d, 9) for d in days] == [2025, 2025, 2026]
    assert years_of(pd.Series(pd.to_datetime(days)), 1).tolist() == [2025, 2026, 2026]
    assert years_of(pd.Series([], dtype="datetime64[ns]"), 9).tolist() == []


def test_the_second_network_counts_project_years():
    config = load_config(WESERLEINE)
    assert config.year_start_month == 9
    assert config.years == (2025, 2026, 2027)
    assert [config.year_label(y) for y in config.years] == ["2025/26", "2026/27", "2027/28"]
    assert config.year_months(2025)[0] == date(2025, 9, 1)
    assert config.year_months(2025)[-1] == date(2026, 8, 1) and len(config.year_months(2025)) == 12
    assert config.year_of(date(2026, 8, 1)) != config.year_of(date(2026, 9, 1))
    # budgets per project year add up to the total
    assert sum(config.budget.values()) == config.total_budget
    assert {y for (_p, y, _c) in config.budget} == {2025, 2026, 2027}


def test_interim_proof_due_after_the_project_year_ends():
    """Due on rules.interim_proof_due in the calendar year after the one the (project) year
    ends in: calendar year 2025 -> 2026, project year 2025/26 (ends 08/2026) -> 2027."""
    config = load_config(WESERLEINE)  # interim_proof_due = "05-31"
    assert config.interim_due(2025) == date(2027, 5, 31)
    assert config.interim_due(2026) == date(2028, 5, 31)
    calendar = replace(config, year_start_month=1)
    assert calendar.interim_due(2025) == date(2026, 5, 31)


def test_the_first_network_keeps_calendar_years(config):
    assert config.year_start_month == 1
    assert config.years == tuple(range(config.start.year, config.end.year + 1))
    assert [config.year_label(y) for y in config.years] == [str(y) for y in config.years]


def _raw() -> dict:
    with open(WESERLEINE, "rb") as fh:
        return tomllib.load(fh)


@pytest.mark.parametrize(
    ("value", "message"),
    [(0, "0 ist kein Monat (1 bis 12 erlaubt)"), (13, "13 ist kein Monat"),
     ("September", "'September' ist keine Zahl")],
)
def test_year_start_month_is_a_month(value, message):
    raw = _raw()
    raw["network"]["year_start_month"] = value
    with pytest.raises(ConfigError, match=re.escape("network.year_start_month: " + message)):
        parse_config(raw)


def test_budget_keys_name_project_years():
    raw = _raw()
    raw["budget"]["NIENBURG"]["2028"] = {"personnel": "1.00"}  # project year 2028/29: outside
    with pytest.raises(ConfigError, match="budget.NIENBURG.2028: Jahr liegt außerhalb"):
        parse_config(raw)


def test_cells_and_periods_of_project_years(config):
    wl = load_config(WESERLEINE)
    assert wl.year_cell(2025) == "2025/26" and config.year_cell(2025) == 2025
    assert wl.years_period((2025,)) == (date(2025, 9, 1), date(2026, 8, 31))
    assert wl.years_period(wl.years) == (wl.start, wl.end)
    assert config.years_span(config.years) == (
        date(config.years[0], 1, 1), date(config.years[-1], 12, 31))
