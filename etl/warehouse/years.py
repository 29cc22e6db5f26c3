"""The project year in SQL: the twin of :func:`etl.core.years.year_of`, portable between
SQLite and PostgreSQL, and the network's first month of the year per warehouse.

Every query that groups or filters by year uses :func:`project_year`; the month project
years start in comes from the configuration, which :func:`etl.warehouse.db.sync_reference`
(run by ``prepare`` before any read or load) records per database URL with :func:`register`.
A warehouse never registered counts calendar years.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Integer, case, cast, func

_START: dict[str, int] = {}  # database URL -> month project years start in


def register(engine: Engine, start_month: int) -> None:
    """Record that the warehouse at ``engine``'s URL counts project years from ``start_month``."""
    _START[engine.url.render_as_string(hide_password=False)] = int(start_month)


def start_month(bind: Engine | Connection) -> int:
    """The month project years start in for the warehouse ``bind`` reads (1: calendar)."""
    engine = bind.engine if isinstance(bind, Connection) else bind
    return _START.get(engine.url.render_as_string(hide_password=False), 1)


def project_year(col, start: int = 1):
    """SQL: the project year of the date column ``col`` (integer), i.e. the calendar year
    less one for months before ``start``; just the calendar year when ``start`` is 1."""
    year = cast(func.extract("year", col), Integer)
    if start == 1:
        return year
    before = cast(func.extract("month", col), Integer) < start
    return year - case((before, 1), else_=0)
