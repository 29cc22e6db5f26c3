"""What the robustness tests check the warehouse and the archive against.

- :func:`fact_snapshot`: every fact row, to show that a rejected file changed nothing;
- :func:`assert_consistent`: the invariants that must hold after any crash or race:
  at most one accepted upload per partner-month, fact rows exactly for accepted and
  superseded uploads (as many as the upload counted), and ``fact_monthly`` equal to the
  accepted upload's rows;
- :func:`archive_mismatches`: archive and upload history agree.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from etl.core.config import NetworkConfig
from etl.warehouse import db
from etl.warehouse import schema as s

COUNT_COLUMNS = {
    "events": "n_events",
    "coachings": "n_coachings",
    "participations": "n_participants",
    "personnel": "n_personnel",
    "expenditure": "n_expenditure",
}
WITH_FACTS = ("accepted", "superseded")
# outcome JSON status -> upload row statuses it may belong to
OUTCOME_ROWS = {
    "accepted": {"accepted", "superseded"},
    "replaced": {"accepted", "superseded"},
    "rejected": {"rejected"},
    "unchanged": {"unchanged"},
}


def fact_snapshot(engine: Engine) -> dict[str, list[tuple]]:
    """All rows of the fact tables, the pre-aggregate and the companies, sorted."""
    with engine.connect() as conn:
        return {
            t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
            for t in (*s.FACT_TABLES, s.fact_monthly, s.companies)
        }


def uploads(engine: Engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(s.uploads).order_by(s.uploads.c.id)))


def _fact_counts(conn) -> dict[tuple[str, int], int]:
    counts = {}
    for table in s.FACT_TABLES:
        query = select(table.c.upload_id, func.count()).group_by(table.c.upload_id)
        counts.update({(table.name, uid): n for uid, n in conn.execute(query)})
    return counts


def _monthly(conn) -> dict[tuple, Decimal]:
    """(partner, month, measure, upload_id) -> value of fact_monthly, summed over modules."""
    fm = s.fact_monthly.c
    query = select(fm.partner_code, fm.month, fm.measure, fm.upload_id, func.sum(fm.value))
    query = query.group_by(fm.partner_code, fm.month, fm.measure, fm.upload_id)
    return {tuple(r[:4]): Decimal(r[4]) for r in conn.execute(query)}


def _recomputed(conn, upload_id: int) -> dict[str, Decimal]:
    """Four measures of one upload recomputed from its fact rows."""

    def one(query) -> Decimal:
        return Decimal(conn.execute(query).scalar_one() or 0)

    return {
        "events": one(select(func.count()).where(s.events.c.upload_id == upload_id)),
        "participants": one(
            select(func.sum(s.events.c.n_participants)).where(s.events.c.upload_id == upload_id)
        ),
        "personnel_cents": one(
            select(func.sum(s.personnel.c.amount_cents)).where(s.personnel.c.upload_id == upload_id)
        ),
        "expenditure_cents": one(
            select(func.sum(s.expenditure.c.amount_cents)).where(
                s.expenditure.c.upload_id == upload_id
            )
        ),
    }


def _check_uploads(rows, facts: dict) -> list[str]:
    problems = []
    accepted = Counter((r.partner_code, r.month) for r in rows if r.status == "accepted")
    problems += [f"{k}: {n} accepted uploads" for k, n in accepted.items() if n > 1]
    months_with_history = {(r.partner_code, r.month) for r in rows if r.status == "superseded"}
    problems += [f"{k}: superseded but none accepted" for k in months_with_history - set(accepted)]
    for r in rows:
        for table, column in COUNT_COLUMNS.items():
            want = getattr(r, column) if r.status in WITH_FACTS else 0
            have = facts.get((table, r.id), 0)
            if have != want:
                problems.append(f"upload {r.id} ({r.status}): {have} {table} rows, expected {want}")
    return problems


def _check_monthly(conn, rows) -> list[str]:
    current = {(r.partner_code, r.month): r.id for r in rows if r.status == "accepted"}
    monthly = _monthly(conn)
    problems = [
        f"fact_monthly {key[:3]} belongs to upload {key[3]}, not the accepted one"
        for key in monthly
        if current.get(key[:2]) != key[3]
    ]
    by_month: dict[tuple, dict[str, Decimal]] = defaultdict(dict)
    for (partner, month, measure, _uid), value in monthly.items():
        by_month[(partner, month)][measure] = value
    for key, upload_id in current.items():
        for measure, value in _recomputed(conn, upload_id).items():
            if by_month[key].get(measure, Decimal(0)) != value:
                problems.append(f"fact_monthly {key} {measure} differs from upload {upload_id}")
    return problems


def consistency_problems(engine: Engine) -> list[str]:
    """Every violation of the warehouse invariants (empty when consistent)."""
    with engine.connect() as conn:
        rows = list(conn.execute(select(s.uploads)))
        return _check_uploads(rows, _fact_counts(conn)) + _check_monthly(conn, rows)


def assert_consistent(engine: Engine) -> None:
    problems = consistency_problems(engine)
    assert not problems, "\n".join(problems[:20])


def outcome(archive_dir: Path, rel_path: str) -> dict | None:
    path = archive_dir / f"{rel_path}.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else None


def archived_files(archive_dir: Path) -> list[str]:
    """Relative paths of the archived uploads (without outcome files and temp files)."""
    return sorted(
        p.relative_to(archive_dir).as_posix()
        for p in archive_dir.rglob("*")
        if p.is_file() and p.suffix != ".json" and not p.name.startswith(".tmp-")
    )


def archive_mismatches(engine: Engine, archive_dir: Path) -> tuple[list[str], list[int]]:
    """(problems, ids of upload rows whose outcome file is missing).

    Problems: an upload row whose archived file is missing or has other bytes; an outcome
    file that contradicts its upload row; an archived file without upload row whose outcome
    says it was recorded (only a missing outcome or ``failed`` may lack a row).
    """
    problems: list[str] = []
    missing_outcome: list[int] = []
    rows = uploads(engine)
    for r in rows:
        path = archive_dir / r.archive_path
        if not path.exists():
            problems.append(f"upload {r.id}: archived file {r.archive_path} missing")
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() != r.sha256:
            problems.append(f"upload {r.id}: archived file differs from its sha256")
        info = outcome(archive_dir, r.archive_path)
        if info is None:
            missing_outcome.append(r.id)
        elif r.status not in OUTCOME_ROWS.get(info["status"], set()):
            problems.append(f"upload {r.id} is {r.status}, its outcome file says {info['status']}")
        elif info.get("upload_id") != r.id:
            problems.append(f"upload {r.id}: outcome file names upload {info.get('upload_id')}")
    recorded = {r.archive_path for r in rows}
    for rel in archived_files(archive_dir):
        info = outcome(archive_dir, rel)
        if rel not in recorded and info is not None and info["status"] != "failed":
            problems.append(f"{rel}: outcome {info['status']} but no upload row")
    return problems, missing_outcome


def clear_warehouse(engine: Engine, config: NetworkConfig) -> None:
    """Delete every row (ids restart on PostgreSQL), then restore partners and modules."""
    tables = list(reversed(s.metadata.sorted_tables))
    with db.writing(engine) as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())
    db.sync_reference(engine, config)
