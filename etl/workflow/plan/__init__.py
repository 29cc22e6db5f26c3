"""The finance plan, kept in versions: budget lines, KPI targets and funding parameters.

Grain: a plan version holds one amount per partner x year x cost category (cents), one target
per partner x module x year x measure, one funding rate per partner, the material mode and
the unit-cost table. Version 1 is made from the configuration when the warehouse has none;
each accepted upload of the plan workbook (:mod:`etl.workflow.plan.upload`) adds the next
version with
who, when, why and the archived file. The configuration's plan is only the starting point.

:func:`current_config` is the one accessor for code that reads budget, targets or funding
parameters: it returns the configuration with those replaced by a plan version's, so every
function taking a ``NetworkConfig`` works unchanged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from etl.core.config import COST_CATEGORIES, TARGET_MEASURES, NetworkConfig
from etl.core.normalise import round_cents
from etl.warehouse import db, queries
from etl.warehouse.store import plans

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

INITIAL_REASON = "Ausgangsplan aus der Konfiguration (Zuwendungsbescheid)"


class PlanError(ValueError):
    """A plan version that does not exist or cannot be used; the message is German."""


@dataclass(frozen=True)
class PlanData:
    """The content of a plan version (money in cents)."""

    budget: dict[tuple[str, int, str], int]  # (partner, year, category) -> cents
    targets: dict[tuple[str, str, int, str], int]  # (partner, module, year, measure) -> n
    funding_rates: dict[str, Decimal]  # partner -> rate (0.80)
    material_mode: str  # 'actual' | 'flat'
    rate_table_from: date  # valid_from of the unit-cost table

    @property
    def total_cents(self) -> int:
        return sum(self.budget.values())


@dataclass(frozen=True)
class Version:
    """Who made a plan version, when, why, and from which file."""

    id: int
    created_at: datetime
    created_by: str
    reason: str
    source: str = "config"
    based_on: int | None = None
    file_name: str | None = None
    archive_path: str | None = None
    total_cents: int = 0
    sha256: str | None = None  # of the uploaded file (None for version 1)

    @property
    def label(self) -> str:
        """``'Version 3 vom 21.11.2026'``."""
        return f"Version {self.id} vom {self.created_at:%d.%m.%Y}"


@dataclass(frozen=True)
class Plan:
    version: Version
    data: PlanData = field(repr=False)


def from_config(config: NetworkConfig) -> PlanData:
    """The plan as the configuration states it (zeros for lines it leaves out)."""
    budget = {
        (p, y, c): round_cents(config.budget.get((p, y, c), Decimal(0)))
        for p in config.partner_codes
        for y in config.years
        for c in COST_CATEGORIES
    }
    targets = {
        (p, m, y, k): int(config.targets.get((p, m, y, k), 0))
        for p in config.partner_codes
        for m in config.modules
        for y in config.years
        for k in TARGET_MEASURES
    }
    return PlanData(
        budget=budget,
        targets=targets,
        funding_rates={p.code: p.funding_rate for p in config.partners},
        material_mode=config.rules.material_mode,
        rate_table_from=config.rate_table().valid_from,
    )


def apply(config: NetworkConfig, data: PlanData) -> NetworkConfig:
    """``config`` with budget, targets and funding parameters taken from ``data``."""
    partners = tuple(
        replace(p, funding_rate=data.funding_rates.get(p.code, p.funding_rate))
        for p in config.partners
    )
    return replace(
        config,
        partners=partners,
        rules=replace(config.rules, material_mode=data.material_mode),
        budget={k: Decimal(v) / 100 for k, v in data.budget.items()},
        # a configured sheet's targets come from the configuration (plans hold the built-in)
        targets={**{k: v for k, v in config.targets.items() if k[3] not in TARGET_MEASURES},
                 **data.targets},
        rate_table_from=data.rate_table_from,
    )


def _lock(conn: Connection) -> None:
    """Serialise writers of plan versions (SQLite: BEGIN IMMEDIATE already does)."""
    plans.lock_versions(conn)


def latest_id(conn: Connection) -> int:
    """The newest version number inside a transaction (0 when none)."""
    return plans.latest_id(conn)


def save_version(
    conn: Connection,
    data: PlanData,
    *,
    by: str,
    reason: str,
    at: datetime,
    source: str = "upload",
    based_on: int | None = None,
    file_name: str | None = None,
    archive_path: str | None = None,
    sha256: str | None = None,
) -> int:
    """Insert a plan version with its lines, targets and rates (caller's transaction, after
    :func:`_lock`); returns the new version number."""
    version_id = latest_id(conn) + 1
    plans.insert_version(
        conn,
        version_id=version_id,
        at=at,
        by=by[:100],
        reason=reason,
        source=source,
        based_on=based_on,
        file_name=file_name[:255] if file_name else None,
        archive_path=archive_path,
        sha256=sha256,
        material_mode=data.material_mode,
        rate_table_from=data.rate_table_from,
        total_cents=data.total_cents,
    )
    _insert_rows(conn, version_id, data)
    return version_id


def _insert_rows(conn: Connection, version_id: int, data: PlanData) -> None:
    """The version's lines, targets and rates, sorted by their keys."""
    plans.insert_content(
        conn,
        lines=[
            {
                "version_id": version_id,
                "partner_code": p,
                "year": y,
                "category": c,
                "amount_cents": v,
            }
            for (p, y, c), v in sorted(data.budget.items())
        ],
        targets=[
            {
                "version_id": version_id,
                "partner_code": p,
                "module": m,
                "year": y,
                "measure": k,
                "value": v,
            }
            for (p, m, y, k), v in sorted(data.targets.items())
        ],
        rates=[
            {"version_id": version_id, "partner_code": p, "funding_rate": r}
            for p, r in sorted(data.funding_rates.items())
        ],
    )


def ensure_initial(engine: Engine, config: NetworkConfig) -> None:
    """Make version 1 from the configuration when the warehouse holds no plan yet."""
    if queries.latest_plan_version_id(engine):
        return
    with db.writing(engine) as conn:
        _lock(conn)
        if latest_id(conn) == 0:  # another process may have been first
            save_version(
                conn,
                from_config(config),
                by="system",
                reason=INITIAL_REASON,
                at=datetime.now(),
                source="config",
            )


def _none(value: object) -> object:
    """None for SQL NULL, also when a DataFrame turned it into NaN."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _version(row: dict) -> Version:
    based_on = _none(row["based_on"])
    return Version(
        id=int(row["id"]),
        created_at=pd.Timestamp(row["created_at"]).to_pydatetime(),
        created_by=row["created_by"],
        reason=row["reason"],
        source=row["source"],
        based_on=None if based_on is None else int(based_on),
        file_name=_none(row["file_name"]),
        archive_path=_none(row["archive_path"]),
        total_cents=int(row["total_cents"]),
        sha256=_none(row.get("sha256")),
    )


def _rate(value: object) -> Decimal:
    """A stored rate with at least two decimals: ``0.8000`` -> ``0.80``, ``0.8250`` -> ``0.825``."""
    rate = Decimal(str(value)).normalize()
    return rate.quantize(Decimal("0.01")) if rate.as_tuple().exponent > -2 else rate


def plan_as_of(engine: Engine, config: NetworkConfig, version_id: int) -> Plan:
    """Plan version ``version_id`` (PlanError when there is none)."""
    ensure_initial(engine, config)
    head = queries.plan_version(engine, version_id=version_id)
    if head is None:
        raise PlanError(f"Planfassung {version_id} gibt es nicht.")
    lines, targets, rates = queries.plan_content(engine, version_id=version_id)
    data = PlanData(
        budget={
            (r.partner_code, int(r.year), r.category): int(r.amount_cents)
            for r in lines.itertuples(index=False)
        },
        targets={
            (r.partner_code, r.module, int(r.year), r.measure): int(r.value)
            for r in targets.itertuples(index=False)
        },
        funding_rates={
            r.partner_code: _rate(r.funding_rate) for r in rates.itertuples(index=False)
        },
        material_mode=head["material_mode"],
        rate_table_from=head["rate_table_from"],
    )
    return Plan(_version(head), data)


def current_plan(engine: Engine, config: NetworkConfig) -> Plan:
    """The newest plan version (version 1 is made from the configuration when none exists)."""
    ensure_initial(engine, config)
    return plan_as_of(engine, config, queries.latest_plan_version_id(engine))


def current_config(
    engine: Engine, config: NetworkConfig, version_id: int | None = None
) -> NetworkConfig:
    """``config`` with the current plan version's (or ``version_id``'s) budget, targets and
    funding parameters: what the report, exports and charts compute with."""
    plan = (
        current_plan(engine, config)
        if version_id is None
        else plan_as_of(engine, config, version_id)
    )
    return apply(config, plan.data)


def versions(engine: Engine, config: NetworkConfig) -> list[Version]:
    """Every plan version, newest first."""
    ensure_initial(engine, config)
    return [_version(r) for r in queries.plan_versions(engine).to_dict("records")]
