"""Calendar arithmetic of the grant: months, report due dates, time elapsed, proof deadlines."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from etl.core.config import NetworkConfig


def first_of(day: date) -> date:
    """First day of ``day``'s month."""
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    """``day`` moved by ``n`` months; the day is clamped to the length of the target month."""
    index = day.year * 12 + day.month - 1 + n
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(month: date) -> date:
    """Last day of ``month``'s month."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def due_date(month: date, due_day: int) -> date:
    """The day a monthly report for ``month`` is due: ``due_day`` of the following month."""
    nxt = add_months(first_of(month), 1)
    return nxt.replace(day=min(due_day, calendar.monthrange(nxt.year, nxt.month)[1]))


def reported_through(today: date, due_day: int) -> date:
    """First day of the latest month whose report was due on or before ``today``."""
    month = add_months(first_of(today), -1)
    return month if due_date(month, due_day) <= today else add_months(month, -1)


def as_of_month(config: NetworkConfig, today: date) -> date:
    """The month the figures stand at: reports due by ``today``, within the project period."""
    month = reported_through(today, config.report_due_day)
    return min(max(month, add_months(first_of(config.start), -1)), first_of(config.end))


def months_elapsed(months: list[date], as_of: date) -> int:
    """How many of ``months`` (first days) lie on or before ``as_of``."""
    return sum(1 for m in months if m <= as_of)


def time_elapsed(config: NetworkConfig, as_of: date) -> Fraction:
    """Share of the project's months that have passed by the end of month ``as_of``."""
    months = config.months()
    return Fraction(months_elapsed(months, as_of), len(months))


def year_elapsed(config: NetworkConfig, year: int, as_of: date) -> Fraction:
    """Share of the project's months in ``year`` that have passed by the end of ``as_of``."""
    months = [m for m in config.months() if m.year == year]
    return Fraction(months_elapsed(months, as_of), len(months)) if months else Fraction(0)


@dataclass(frozen=True)
class Deadline:
    """A proof of use that falls due: interim (for one year) or final."""

    kind: str  # "interim" or "final"
    year: int | None
    due: date

    @property
    def label(self) -> str:
        if self.kind == "interim":
            return f"Zwischennachweis {self.year}"
        return "Verwendungsnachweis (Schlussnachweis)"


def proof_deadlines(config: NetworkConfig) -> list[Deadline]:
    """Interim proofs for every project year but the last, then the final proof of use."""
    month, day = config.rules.interim_proof_due
    interim = [
        Deadline("interim", y, date(y + 1, month, min(day, calendar.monthrange(y + 1, month)[1])))
        for y in config.years[:-1]
    ]
    final = Deadline("final", None, add_months(config.end, config.rules.final_proof_months))
    return [*interim, final]


def upcoming(deadlines: list[Deadline], today: date, n: int = 2) -> list[Deadline]:
    """The next ``n`` deadlines on or after ``today``, soonest first."""
    return sorted((d for d in deadlines if d.due >= today), key=lambda d: d.due)[:n]
