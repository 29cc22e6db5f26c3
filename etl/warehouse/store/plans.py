"""Finance plan versions: one head row per version, with its budget lines (partner x year x
category), KPI targets (partner x module x year x measure) and funding rates (partner)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Connection, func, select, text

from etl.warehouse import schema as s


def lock_versions(conn: Connection) -> None:
    """Serialise writers of plan versions (SQLite: BEGIN IMMEDIATE already does)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(4711003)"))


def latest_id(conn: Connection) -> int:
    """The newest version number inside a transaction (0 when none)."""
    return int(conn.execute(select(func.max(s.plan_versions.c.id))).scalar() or 0)


def insert_version(
    conn: Connection,
    *,
    version_id: int,
    at: datetime,
    by: str,
    reason: str,
    source: str,
    based_on: int | None,
    file_name: str | None,
    archive_path: str | None,
    sha256: str | None,
    material_mode: str,
    rate_table_from: date,
    total_cents: int,
) -> None:
    """Insert the head row of one plan version."""
    conn.execute(
        s.plan_versions.insert().values(
            id=version_id,
            created_at=at,
            created_by=by,
            reason=reason,
            source=source,
            based_on=based_on,
            file_name=file_name,
            archive_path=archive_path,
            sha256=sha256,
            material_mode=material_mode,
            rate_table_from=rate_table_from,
            total_cents=total_cents,
        )
    )


def insert_content(
    conn: Connection,
    *,
    lines: list[dict],
    targets: list[dict],
    rates: list[dict],
) -> None:
    """Insert a version's budget lines, targets and funding rates (one dict per row each)."""
    conn.execute(s.plan_lines.insert(), lines)
    conn.execute(s.plan_targets.insert(), targets)
    conn.execute(s.plan_funding_rates.insert(), rates)
