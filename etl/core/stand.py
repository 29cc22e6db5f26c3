"""The Berichtsstand (the month every figure stands at) and the month arithmetic it needs.

Pure, no database: the dashboard (``dashboard.calc.periods``), the exports and
``python -m etl report`` all take the Stand from here, so they agree.
"""

from __future__ import annotations

import calendar
from datetime import date

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


def default_stand(config: NetworkConfig, today: date) -> date:
    """The Berichtsstand (first day of a month) when none is chosen: the last month whose
    report is due by ``today`` (past ``report_due_day`` of the following month), never after
    the project's last month (a finished project stands at its end) and, before the first
    report is due, the month before the project starts. The one rule for every page,
    export and ``report``."""
    month = reported_through(today, config.report_due_day)
    return min(max(month, add_months(first_of(config.start), -1)), first_of(config.end))


def latest_stand(config: NetworkConfig, today: date) -> date:
    """The latest Stand one may choose: the last month that has ended by ``today`` (its
    reports may still be arriving), within the project period."""
    ended = add_months(first_of(today), -1)
    return min(max(ended, add_months(first_of(config.start), -1)), first_of(config.end))


def stand_choices(config: NetworkConfig, today: date) -> list[date]:
    """The months one may choose as Stand, latest first: project months up to
    :func:`latest_stand`."""
    last = latest_stand(config, today)
    return [m for m in config.months() if m <= last][::-1]


def is_provisional(month: date, stand: date) -> bool:
    """A month after the Stand is "vorläufig": shown as such, counted in no figure."""
    return first_of(month) > first_of(stand)


def stand_error(config: NetworkConfig, month: date, today: date) -> str | None:
    """Why ``month`` cannot be chosen as Stand on ``today`` (German), or None: a month that
    has not ended has no complete reports, and the Stand lies within the project period."""
    month = first_of(month)
    if not first_of(config.start) <= month <= first_of(config.end):
        return (
            f"Der Berichtsstand {month:%m/%Y} liegt außerhalb der Projektlaufzeit "
            f"({config.start:%m/%Y} bis {config.end:%m/%Y})."
        )
    if month > latest_stand(config, today):
        return (
            f"Der Berichtsstand {month:%m/%Y} ist noch nicht abgeschlossen: der Monat endet "
            f"am {month_end(month):%d.%m.%Y}. Wählen Sie einen abgeschlossenen Monat "
            f"(spätestens {latest_stand(config, today):%m/%Y})."
        )
    return None


def resolve(config: NetworkConfig, today: date, chosen: date | None = None) -> date:
    """The Stand in force: ``chosen`` when it may be chosen (:func:`stand_error`), else
    :func:`default_stand`."""
    if chosen is not None and stand_error(config, chosen, today) is None:
        return first_of(chosen)
    return default_stand(config, today)
