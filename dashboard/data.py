"""The pages' access to the warehouse: query results from etl.warehouse.queries, cached per version.

Frames are keyed on the warehouse's version: the latest upload id (one cheap ``max(id)``
query per request) for the upload list, and the latest upload that loaded figures for the
fact frames (a rejected or unchanged file does not change a figure, so it keeps them). A new
file invalidates what it changes; filter changes never touch the database.

Two cache levels:

1. the flask-caching cache (``CACHE_TYPE``; Redis when several gunicorn workers run) holds each
   frame once per version, so one worker loads it from the warehouse and the others fetch it;
2. every process keeps the frames of the current version as objects, so a request does not
   unpickle them again (a new version replaces them).

The fact frames are loaded at the grain the pages use, aggregated in SQL (``fact_monthly``
pivoted to partner x month x module for activities and partner x month for money; companies
reached at partner x module x year x company), not as whole fact tables.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd
from flask_caching import Cache

from dashboard import access
from dashboard.derived import DERIVED
from etl.core.config import NetworkConfig, get_config
from etl.core.money import accepted_money, cut_reductions
from etl.core.settings import get_settings
from etl.warehouse import db, queries

if TYPE_CHECKING:
    from sqlalchemy import Engine

cache = Cache()

LOADERS: dict[str, Callable[[Engine], pd.DataFrame]] = {
    "facts": queries.monthly_facts,
    # the same frames as activity.activity_months / finance.money_months of "facts"
    "activity_months": queries.activity_months,
    "money_months": queries.money_months,
    # company_reach at partner x module x year x company (what the pages count)
    "reach": queries.company_reach_by_group,
    # the same with categorical codes and the first month (the Übersicht/Aktivitäten pages)
    "reach_coded": queries.company_reach_coded,
    # companies reported with conflicting SME classes (company x partner x class)
    "size_conflicts": queries.size_class_conflicts,
    "uploads": queries.uploads,
    "events": queries.event_rows,
    "event_counts": queries.event_counts,
    "coachings": queries.coaching_rows,
    "participations": queries.participation_rows,
    "personnel": queries.personnel_rows,
    "expenditure": queries.expenditure_rows,
    # the configured activity sheets' measures (partner x month x module x measure); only
    # read when the network configures sheets ([[activity_sheets]])
    "sheet_measures": lambda engine: queries.sheet_measures(engine, config()),
}
# Frames that change with every received file; all others only when figures were loaded.
EVERY_FILE = frozenset({"uploads"})


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
            "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "flask_cache_"),
        },
    )


def engine() -> Engine:
    """The warehouse engine from the settings."""
    return db.get_engine(get_settings().database_url)


def config() -> NetworkConfig:
    """The network configuration (re-read when its file changes)."""
    return get_config()


def year_label(year: int) -> str:
    """A year as the pages show it: "2025", or "2025/26" when the network counts project
    years (etl.core.years)."""
    return config().year_label(int(year))


def today() -> date:
    """The day the dashboard stands at."""
    return date.today()


@cache.memoize()
def _load(name: str, url: str, stamp: str) -> pd.DataFrame:
    if name in DERIVED:
        source, derive = DERIVED[name]
        return derive(_load(source, url, stamp))
    return LOADERS[name](db.get_engine(url))


# --- the process-local level -------------------------------------------------------------

_local: dict[tuple[str, str], tuple[str, pd.DataFrame]] = {}  # (name, url) -> (stamp, frame)
_stamps: dict[tuple[str, int], str] = {}  # (url, latest upload id) -> version of the figures
_lock = threading.Lock()


def _figures_version(url: str, latest: int) -> str:
    """Version of the fact frames: the latest upload that loaded figures (asked once per new
    upload id); with the id, the sha256 of that file, so a rebuilt warehouse never matches."""
    key = (url, latest)
    if key not in _stamps:
        loaded = queries.latest_loaded_upload(db.get_engine(url))
        with _lock:
            if len(_stamps) > 64:
                _stamps.clear()
            _stamps[key] = loaded
    return _stamps[key]


def _stamp(name: str, url: str, latest: int) -> str:
    figures = _figures_version(url, latest)
    return f"u{latest}|{figures}" if name in EVERY_FILE else figures


def _get(name: str, url: str, latest: int) -> pd.DataFrame:
    stamp = _stamp(name, url, latest)
    hit = _local.get((name, url))
    if hit is not None and hit[0] == stamp:
        return hit[1]
    frame = _load(name, url, stamp)
    with _lock:
        _local[(name, url)] = (stamp, frame)
    return frame


def clear() -> None:
    """Forget every cached frame (both levels)."""
    with _lock:
        _local.clear()
        _stamps.clear()
    cache.clear()


def frames(*names: str) -> tuple[pd.DataFrame, ...]:
    """The named query results (LOADERS) or derived frames (DERIVED) for the current
    warehouse version."""
    url = get_settings().database_url
    latest = queries.latest_upload_id(db.get_engine(url))
    return tuple(_visible(_get(name, url, latest)) for name in names)


def _visible(df: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of partners the logged-in user may see (all outside a web request)."""
    scope = access.partner_scope()
    if scope is None or "partner_code" not in df.columns:
        return df
    return df[df["partner_code"].isin(scope)]


def frame(name: str) -> pd.DataFrame:
    """One query result (see LOADERS) for the current warehouse version."""
    return frames(name)[0]


@cache.memoize()
def _unique_companies(url: str, stamp: str) -> int:
    return queries.unique_companies(db.get_engine(url))


def unique_companies() -> int:
    """Distinct companies reached in the whole grant (the EU output indicator)."""
    url = get_settings().database_url
    latest = queries.latest_upload_id(db.get_engine(url))
    return _unique_companies(url, _figures_version(url, latest))


# --- the Daten page: rows narrowed and paged in SQL, never whole tables ----------------------


def record_scope() -> tuple[str, ...] | None:
    """The partner clamp for SQL (None: all partners), as :func:`_visible` applies to frames."""
    scope = access.partner_scope()
    return None if scope is None else tuple(scope)


@cache.memoize()
def _record_totals(url: str, stamp: str, dataset: str, key: tuple) -> dict:
    return queries.record_totals(db.get_engine(url), dataset, **dict(key))


@cache.memoize()
def _record_count(url: str, stamp: str, dataset: str, key: tuple, filters: str) -> int:
    import json

    return queries.record_count(
        db.get_engine(url), dataset, filters=json.loads(filters), **dict(key)
    )


def _record_stamp(url: str, dataset: str) -> str:
    latest = queries.latest_upload_id(db.get_engine(url))
    return _stamp("uploads" if dataset == "eingaenge" else "facts", url, latest)


def record_totals(dataset: str, narrowing: dict) -> dict:
    """Totals of a Daten dataset inside ``narrowing`` (clamped), cached per warehouse version."""
    url = get_settings().database_url
    key = tuple(sorted({**narrowing, "scope": record_scope()}.items()))
    return _record_totals(url, _record_stamp(url, dataset), dataset, key)


def record_count(dataset: str, narrowing: dict, filters: dict | None) -> int:
    """Rows of a Daten dataset with the grid's column filters (clamped), cached per version."""
    import json

    url = get_settings().database_url
    key = tuple(sorted({**narrowing, "scope": record_scope()}.items()))
    if not filters:
        return _record_totals(url, _record_stamp(url, dataset), dataset, key)["rows"]
    text = json.dumps(filters, sort_keys=True)
    return _record_count(url, _record_stamp(url, dataset), dataset, key, text)


def record_page(dataset: str, narrowing: dict, *, start: int, end: int, sort=None, filters=None):
    """Rows ``start``..``end`` of a Daten dataset (clamped to the user's partners)."""
    return queries.record_page(
        engine(),
        dataset,
        start=start,
        end=end,
        sort=sort,
        filters=filters,
        scope=record_scope(),
        **narrowing,
    )


@cache.memoize()
def _sheet_rows(url: str, stamp: str, sheet_key: str) -> pd.DataFrame:
    return queries.sheet_rows(db.get_engine(url), sheet_key, config=config())


def sheet_rows(sheet_key: str) -> pd.DataFrame:
    """The stored rows of a configured activity sheet the user may see (all partners' rows
    cached per warehouse version, then clamped like every frame)."""
    url = get_settings().database_url
    latest = queries.latest_upload_id(db.get_engine(url))
    return _visible(_sheet_rows(url, _figures_version(url, latest), sheet_key))


# --- live reads (not cached: they change with every approval, request or login) -----------


def payment_requests(partners: list[str] | None = None) -> pd.DataFrame:
    """One row per payment request (of ``partners``, default all), straight from the warehouse."""
    return queries.payment_requests(engine(), partners=partners)


def audit_cuts() -> pd.DataFrame:
    """The cuts of the funding body's check the user may see, with the amounts claimed (a
    small table, read fresh: recording a cut loads no upload)."""
    return queries.audit_cuts(engine(), partners=access.partner_scope())


def change_requests() -> pd.DataFrame:
    """Every change request (Änderungsantrag) for a plan reallocation, newest first."""
    return queries.change_requests(engine())


def accepted_money_months() -> pd.DataFrame:
    """The ``money_months`` frame with the cuts taken off: the accepted amounts, on which
    Finanzen computes the grant (the same frame when nothing is cut)."""
    return accepted_money(frame("money_months"), cut_reductions(audit_cuts()))


def month_status(partner: str, month: date) -> dict:
    """The current upload and lock of one partner-month."""
    return queries.month_status(engine(), partner=partner, month=month)


def audit_rows() -> pd.DataFrame:
    """The audit log, newest first (one row per entry)."""
    return queries.audit_rows(engine())


# --- the month review: small tables read fresh (a state change keeps the upload id) --------


def month_states() -> pd.DataFrame:
    """The state of every partner-month the user may see that left 'fällig'."""
    return queries.month_states(engine(), partners=access.partner_scope())


def month_comments(partner: str | None = None, month: date | None = None) -> pd.DataFrame:
    """Comments the user may see: all, or those of one partner-month."""
    scope = access.partner_scope()
    if partner is not None and scope is not None and partner not in scope:
        return queries.month_comments(engine(), partners=())
    return queries.month_comments(engine(), partners=scope, partner=partner, month=month)
