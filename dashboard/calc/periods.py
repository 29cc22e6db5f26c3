"""Calendar arithmetic of the grant: months, report due dates, time elapsed, proof deadlines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.calc import memo
from etl.core.config import NetworkConfig
from etl.core.stand import (  # noqa: F401  (re-exported: the calculations' month arithmetic)
    add_months,
    default_stand,
    due_date,
    first_of,
    is_provisional,
    latest_stand,
    month_end,
    reported_through,
    stand_choices,
)


@memo.per_frames
def settled(frame: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """The rows of ``frame`` whose month (column ``month``, else ``activity_date``) is not
    after the Stand ``as_of``: what every figure counts; later months are vorläufig. The
    frame itself when it has no later row (the same object: results cached on it stay
    valid)."""
    column = next((c for c in ("month", "activity_date") if c in frame.columns), None)
    if frame.empty or column is None:
        return frame
    inside = pd.to_datetime(frame[column]) < pd.Timestamp(add_months(first_of(as_of), 1))
    return frame if bool(inside.all()) else frame[inside.to_numpy()].reset_index(drop=True)


def elapsed_in(config: NetworkConfig, years, as_of: date) -> Fraction:
    """Share of the project's months in ``years`` that have passed by the end of ``as_of``
    (every project year: :func:`time_elapsed`); a closed year is 100 %."""
    months = [m for m in config.months() if config.year_of(m) in set(years)]
    return Fraction(months_elapsed(months, as_of), len(months)) if months else Fraction(0)


def months_elapsed(months: list[date], as_of: date) -> int:
    """How many of ``months`` (first days) lie on or before ``as_of``."""
    return sum(1 for m in months if m <= as_of)


def time_elapsed(config: NetworkConfig, as_of: date) -> Fraction:
    """Share of the project's months that have passed by the end of month ``as_of``."""
    months = config.months()
    return Fraction(months_elapsed(months, as_of), len(months))


def year_elapsed(config: NetworkConfig, year: int, as_of: date) -> Fraction:
    """Share of the project's months in project ``year`` that have passed by the end of
    ``as_of``."""
    months = config.year_months(year)
    return Fraction(months_elapsed(months, as_of), len(months)) if months else Fraction(0)


@dataclass(frozen=True)
class Deadline:
    """A proof of use that falls due: interim (for one year) or final."""

    kind: str  # "interim" or "final"
    year: int | None
    due: date
    year_label: str = ""  # how ``year`` is shown ("2025", "2025/26")

    @property
    def label(self) -> str:
        if self.kind == "interim":
            return f"Zwischennachweis {self.year_label or self.year}"
        return "Verwendungsnachweis (Schlussnachweis)"


def proof_deadlines(config: NetworkConfig) -> list[Deadline]:
    """Interim proofs for every project year but the last, then the final proof of use."""
    interim = [
        Deadline("interim", y, config.interim_due(y), config.year_label(y))
        for y in config.years[:-1]
    ]
    final = Deadline("final", None, add_months(config.end, config.rules.final_proof_months))
    return [*interim, final]


def upcoming(deadlines: list[Deadline], today: date, n: int = 2) -> list[Deadline]:
    """The next ``n`` deadlines on or after ``today``, soonest first."""
    return sorted((d for d in deadlines if d.due >= today), key=lambda d: d.due)[:n]
