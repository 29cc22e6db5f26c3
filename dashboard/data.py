"""The pages' access to the warehouse: query results from etl.queries, cached per version.

A cached frame is keyed on the warehouse's latest upload id (one cheap ``max(id)`` query), so
every new file invalidates the cache and filter changes never touch the database twice.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

import pandas as pd
from flask_caching import Cache
from sqlalchemy import Engine

from dashboard.calc import activity, finance
from etl import db, queries
from etl.config import NetworkConfig, get_config
from etl.settings import get_settings

cache = Cache()

# Frames derived from a query result, cached like it: (source frame, pure function).
DERIVED: dict[str, tuple[str, Callable[[pd.DataFrame], pd.DataFrame]]] = {
    "activity_months": ("facts", activity.activity_months),
    "money_months": ("facts", finance.money_months),
}
LOADERS: dict[str, Callable[[Engine], pd.DataFrame]] = {
    "facts": queries.monthly_facts,
    "reach": queries.company_reach,
    "uploads": queries.uploads,
    "events": queries.event_rows,
    "coachings": queries.coaching_rows,
    "participations": queries.participation_rows,
    "personnel": queries.personnel_rows,
    "expenditure": queries.expenditure_rows,
}


def init_cache(server) -> None:
    """Attach the cache to the Flask server (in-process by default; CACHE_TYPE to change)."""
    cache.init_app(
        server,
        config={
            "CACHE_TYPE": os.environ.get("CACHE_TYPE", "SimpleCache"),
            "CACHE_DEFAULT_TIMEOUT": 24 * 3600,
            "CACHE_THRESHOLD": 500,
            "CACHE_DIR": os.environ.get("CACHE_DIR", ""),
            "CACHE_REDIS_URL": os.environ.get("CACHE_REDIS_URL", "redis://127.0.0.1:6379/0"),
        },
    )


def engine() -> Engine:
    """The warehouse engine from the settings."""
    return db.get_engine(get_settings().database_url)


def config() -> NetworkConfig:
    """The network configuration (re-read when its file changes)."""
    return get_config()


def today() -> date:
    """The day the dashboard stands at."""
    return date.today()


@cache.memoize()
def _load(name: str, url: str, stamp: int) -> pd.DataFrame:
    if name in DERIVED:
        source, derive = DERIVED[name]
        return derive(_load(source, url, stamp))
    return LOADERS[name](db.get_engine(url))


def frames(*names: str) -> tuple[pd.DataFrame, ...]:
    """The named query results (LOADERS) or derived frames (DERIVED) for the current
    warehouse version."""
    url = get_settings().database_url
    stamp = queries.latest_upload_id(db.get_engine(url))
    return tuple(_visible(_load(name, url, stamp)) for name in names)


def _visible(df: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of partners the logged-in user may see (all outside a web request)."""
    from dashboard.auth import partner_scope

    scope = partner_scope()
    if scope is None or "partner_code" not in df.columns:
        return df
    return df[df["partner_code"].isin(scope)]


def frame(name: str) -> pd.DataFrame:
    """One query result (see LOADERS) for the current warehouse version."""
    return frames(name)[0]


@cache.memoize()
def _unique_companies(url: str, stamp: int) -> int:
    return queries.unique_companies(db.get_engine(url))


def unique_companies() -> int:
    """Distinct companies reached in the whole grant (the EU output indicator)."""
    url = get_settings().database_url
    return _unique_companies(url, queries.latest_upload_id(db.get_engine(url)))
