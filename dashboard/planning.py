"""The pages' access to the finance plan: the configuration with a plan version's budget,
targets and funding parameters (etl.workflow.plan), cached per version.

A version never changes once stored, so its content is cached under its number and time;
only the cheap list of versions is read on every call.
"""

from __future__ import annotations

import threading

from dashboard import data
from etl.core.config import NetworkConfig
from etl.core.settings import get_settings
from etl.warehouse import queries
from etl.workflow import plan

PLAN_KEY = "planstand"  # query parameter of the Finanzen page: the plan version shown


@data.cache.memoize()
def _content(url: str, version_id: int, stamp: str) -> plan.PlanData:
    return plan.plan_as_of(data.engine(), data.config(), version_id).data


def versions() -> list[plan.Version]:
    """Every plan version, newest first (version 1 is made from the configuration if none)."""
    return plan.versions(data.engine(), data.config())


def chosen(version_id: int | None = None) -> plan.Version:
    """The version ``version_id`` if it exists, else the current one."""
    all_versions = versions()
    return next((v for v in all_versions if v.id == version_id), all_versions[0])


def version_from(query: dict[str, str]) -> int | None:
    """The plan version named in the page's query (``planstand=3``), or None."""
    value = query.get(PLAN_KEY, "")
    return int(value) if value.isdigit() else None


# The applied configuration per version, kept as an object in the process (the shared cache
# returns a fresh unpickled plan per call, and applying it copies every target): key ->
# (configuration it was applied to, result). Pages do not modify a configuration.
_applied: dict[tuple, tuple[NetworkConfig, NetworkConfig]] = {}
_lock = threading.Lock()


def config(version_id: int | None = None) -> NetworkConfig:
    """The configuration with the plan of ``version_id`` (default: the current version); the
    same object while neither the version nor the configuration file changes."""
    version = chosen(version_id)
    url = get_settings().database_url
    stamp = f"{version.created_at.isoformat()}|{version.total_cents}|{version.sha256}"
    base = data.config()
    key = (url, version.id, stamp)
    hit = _applied.get(key)
    if hit is not None and hit[0] is base:
        return hit[1]
    applied = plan.apply(base, _content(url, version.id, stamp))
    with _lock:
        if len(_applied) > 32:
            _applied.clear()
        _applied[key] = (base, applied)
    return applied


def latest_id() -> int:
    """The current plan version's number."""
    return queries.latest_plan_version_id(data.engine()) or chosen().id


def version_pair(versions: list[plan.Version], query: dict) -> tuple[int, int]:
    """(from, to) version numbers of the diff shown: ``?von=1&bis=3``, else previous -> current."""
    ids = [v.id for v in versions]
    newest = ids[0]
    to = (
        int(query["bis"]) if query.get("bis", "").isdigit() and int(query["bis"]) in ids else newest
    )
    before = [i for i in ids if i < to]
    default = before[0] if before else to
    frm = query.get("von", "")
    return (int(frm) if frm.isdigit() and int(frm) in ids else default), to
