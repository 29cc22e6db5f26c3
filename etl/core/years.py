"""The project year of a date: the one definition every grouping or filter by year uses.

A network runs its budgets and targets per project year, which starts in month
``[network] year_start_month`` (1 = calendar years, the default). A project year is named by
the calendar year in which it starts: with ``year_start_month = 9``, project year 2025 runs
from September 2025 to August 2026 and is labelled "2025/26". The SQL twin of
:func:`year_of` is :func:`etl.warehouse.years.project_year`.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np
import pandas as pd


def year_of(day: date, start_month: int = 1) -> int:
    """The project year of ``day``: the calendar year in which its project year starts."""
    return day.year - (1 if day.month < start_month else 0)


def year_label(year: int, start_month: int = 1) -> str:
    """``"2025"`` for a calendar year, ``"2025/26"`` for a project year starting in 2025."""
    return str(year) if start_month == 1 else f"{year}/{(year + 1) % 100:02d}"


def year_first(year: int, start_month: int = 1) -> date:
    """The first day of project year ``year``."""
    return date(year, start_month, 1)


def year_last(year: int, start_month: int = 1) -> date:
    """The last day of project year ``year``."""
    y, m = (year, 12) if start_month == 1 else (year + 1, start_month - 1)
    return date(y, m, calendar.monthrange(y, m)[1])


def years_of(values, start_month: int = 1) -> pd.Series:
    """:func:`year_of` of every date (or timestamp) in ``values``, as an int64 Series with
    the index of ``values`` when it has one."""
    stamps = pd.to_datetime(pd.Series(values) if not isinstance(values, pd.Series) else values)
    shift = (stamps.dt.month < start_month).astype(np.int64)
    return (stamps.dt.year.astype(np.int64) - shift).rename(None)


class ProjectYears:
    """The project-year methods of :class:`etl.core.config.NetworkConfig` (which holds
    ``start``, ``end``, ``year_start_month`` and ``months()``)."""

    start: date
    end: date
    year_start_month: int

    def months(self) -> list[date]:  # pragma: no cover - NetworkConfig defines it
        raise NotImplementedError

    @property
    def years(self) -> tuple[int, ...]:
        """The project years the project period touches (see :mod:`etl.core.years`)."""
        return tuple(range(self.year_of(self.start), self.year_of(self.end) + 1))

    def year_of(self, day: date) -> int:
        """The project year of ``day`` (calendar year when years start in January)."""
        return year_of(day, self.year_start_month)

    def year_label(self, year: int) -> str:
        """How a year is shown: "2025", or "2025/26" for a project year."""
        return year_label(year, self.year_start_month)

    def year_span(self, year: int) -> tuple[date, date]:
        """First and last day of project year ``year`` (not clipped to the project period)."""
        m = self.year_start_month
        return year_first(year, m), year_last(year, m)

    def years_of(self, values):  # -> pd.Series of int
        """:meth:`year_of` of every date in ``values``."""
        return years_of(values, self.year_start_month)

    def year_months(self, year: int) -> list[date]:
        """The months of the project period that fall in project year ``year``."""
        return [m for m in self.months() if self.year_of(m) == year]

    def years_span(self, years) -> tuple[date, date]:
        """First and last day of the project ``years`` (sorted, whole years)."""
        return self.year_span(years[0])[0], self.year_span(years[-1])[1]

    def years_period(self, years) -> tuple[date, date]:
        """First and last day of the project ``years`` (sorted), clipped to the period."""
        first, last = self.years_span(years)
        return max(first, self.start), min(last, self.end)

    def interim_due(self, year: int) -> date:
        """When the interim proof of use (Zwischennachweis) for project ``year`` is due:
        ``rules.interim_proof_due`` (month-day) in the calendar year after the one the
        project year ends in (calendar year 2025: 30.04.2026; project year 2025/26, which
        ends in August 2026: 30.04.2027)."""
        month, day = self.rules.interim_proof_due  # type: ignore[attr-defined]
        y = self.year_span(year)[1].year + 1
        return date(y, month, min(day, calendar.monthrange(y, month)[1]))

    def year_cell(self, year: int) -> int | str:
        """A year in a table cell: the number for calendar years (as before), "2025/26" for
        a project year."""
        return int(year) if self.year_start_month == 1 else self.year_label(year)
