"""Frames derived from a query frame and cached like it (see :data:`DERIVED`).

Pure pandas below the cache layer: :mod:`dashboard.data` caches these derivations per
warehouse version, and :mod:`dashboard.calc` builds on them, so the cache never imports calc.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from etl.core.years import years_of


def with_year(rows: pd.DataFrame, column: str = "month", start: int = 1) -> pd.DataFrame:
    """``rows`` with a ``year`` column: the project year (starting in month ``start``,
    etl.core.years) of a date column."""
    years = years_of(rows[column], start).to_numpy() if not rows.empty else []
    return rows.assign(year=pd.Series(years, index=rows.index, dtype="int64"))


def event_formats(events: pd.DataFrame) -> pd.DataFrame:
    """Events counted per partner x module x year x format (column ``n``): the grain the
    format chart filters on, derived once per warehouse version instead of per request.
    ``events``: event rows, or rows already counted at a finer grain (with a column ``n``
    and the project ``year``, as etl.warehouse.queries.event_counts gives)."""
    cols = ["partner_code", "module", "year", "format"]
    if events.empty:
        return pd.DataFrame({**{c: [] for c in cols}, "n": pd.Series(dtype="int64")})
    dated = events if "year" in events else with_year(events)
    groups = dated.groupby(cols, dropna=False, observed=True)
    counts = groups["n"].sum() if "n" in events else groups.size()
    return counts.astype("int64").reset_index(name="n")


# Frames derived from another frame, cached like it: (source frame, pure function).
DERIVED: dict[str, tuple[str, Callable[[pd.DataFrame], pd.DataFrame]]] = {
    # events per partner x module x year x format (the Aktivitäten format chart)
    "event_formats": ("event_counts", event_formats),
}
