"""The one path for a new plan version: archive the file, read it, check it against the
current version, and store it with who, when and why — or change nothing."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.errors import Issue, WorkbookRejected
from etl.core.settings import Settings
from etl.intake import archive
from etl.intake.outcome import FileOutcome
from etl.intake.reader import read_workbook
from etl.warehouse import audit, db, queries
from etl.workflow.plan import (
    Plan,
    PlanData,
    _lock,
    ensure_initial,
    latest_id,
    plan_as_of,
    save_version,
)
from etl.workflow.plan import sheets as sh
from etl.workflow.plan.contract import PlanReading, Rules, read_plan
from etl.workflow.plan.diff import PlanDiff, diff

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# Beside the upload archive, not in it: the archive holds monthly reports only (etl.ops.rebuild
# replays everything in it). Paths in plan_versions are relative to DATA_DIR.
ARCHIVE_FOLDER = "finanzplan"
MIN_REASON = 5


@dataclass
class PlanResult(FileOutcome):
    """Outcome of one plan upload: accepted (a new version), unchanged, or rejected, with the
    version it made (or found unchanged), the version it was based on and what it changed."""

    version_id: int | None = None
    based_on: int | None = None
    diff: PlanDiff | None = None

    def as_dict(self) -> dict[str, object]:
        """What the outcome file beside the archived plan says about it."""
        return {
            "file": self.file,
            "status": self.status,
            "version": self.version_id,
            "based_on": self.based_on,
            **self.issues_dict(),
        }


def _read(data: bytes, file_name: str, settings: Settings):
    try:
        return read_workbook(
            data,
            file_name,
            max_bytes=settings.max_upload_bytes,
            max_unpacked_bytes=settings.max_unpacked_bytes,
        )
    except WorkbookRejected as exc:
        return exc.issue


def _reason_errors(reason: str) -> list[Issue]:
    if len(reason) >= MIN_REASON:
        return []
    return [
        Issue(
            sh.PARAMETERS,
            None,
            sh.REASON_FIELD,
            "Bitte eine Begründung für die neue Planfassung angeben (Feld 'Begründung' oder "
            "beim Hochladen), z. B. 'Umschichtung Personal 2025 zu Sachausgaben 2026'.",
        )
    ]


def _store(
    conn: Connection, result: PlanResult, data: PlanData, reason: str, who: str, at: datetime
) -> None:
    result.version_id = save_version(
        conn,
        data,
        by=who,
        reason=reason,
        at=at,
        based_on=result.based_on,
        file_name=result.file,
        archive_path=result.archive_path,
        sha256=result.sha256,
    )
    result.status = "accepted"


def _decide(
    conn: Connection, engine: Engine, config: NetworkConfig, raw, reason: str | None
) -> tuple:
    """(reading, current plan) checked inside the writers' lock."""
    current = plan_as_of(engine, config, latest_id(conn))
    rules = Rules(config, current, queries.personnel_recorded(engine))
    reading = raw if isinstance(raw, PlanReading) else read_plan(raw, rules)
    text = (reason or reading.reason or "").strip()
    if reading.errors or reading.data != current.data:  # an unchanged plan needs no reason
        reading.errors += _reason_errors(text)
    return reading, current, text


def _settle(
    conn: Connection,
    result: PlanResult,
    reading: PlanReading,
    current: Plan,
    config: NetworkConfig,
    *,
    text: str,
    who: str,
    at: datetime,
) -> None:
    """Set the result from the checked reading; a changed plan becomes the next version."""
    result.errors, result.notices = reading.errors, reading.notices
    result.based_on = reading.based_on
    if not reading.errors and reading.data is not None:
        if reading.data == current.data:
            result.status, result.version_id = "unchanged", current.version.id
        else:
            result.diff = diff(current.data, reading.data, config)
            _store(conn, result, reading.data, text, who, at)


def _audit(
    conn: Connection, result: PlanResult, *, text: str, who: str, ip: str | None, at: datetime
) -> None:
    """The audit entry of a plan upload, whatever its outcome."""
    audit.record(
        conn,
        "plan_upload",
        username=who,
        ip=ip,
        at=at,
        detail={
            "file": result.file,
            "status": result.status,
            "version": result.version_id,
            "errors": len(result.errors),
            "reason": text,
        },
    )


def upload_plan(
    data: bytes,
    file_name: str,
    *,
    engine: Engine,
    config: NetworkConfig,
    settings: Settings,
    user: str,
    reason: str | None = None,
    ip: str | None = None,
    at: datetime | None = None,
) -> PlanResult:
    """Check an uploaded plan workbook and store it as the next version; all or nothing."""
    at = at or datetime.now()
    result = PlanResult(file=file_name, sha256=hashlib.sha256(data).hexdigest())
    rel = archive.store(settings.data_dir / ARCHIVE_FOLDER, data, file_name, result.sha256, at)
    result.archive_path = f"{ARCHIVE_FOLDER}/{rel}"
    raw = _read(data, file_name, settings)
    if isinstance(raw, Issue):
        raw = PlanReading(errors=[raw])
    ensure_initial(engine, config)
    with db.writing(engine) as conn:
        _lock(conn)
        reading, current, text = _decide(conn, engine, config, raw, reason)
        _settle(conn, result, reading, current, config, text=text, who=user, at=at)
        _audit(conn, result, text=text, who=user, ip=ip, at=at)
    archive.write_outcome(
        settings.data_dir, result.archive_path, {**result.as_dict(), "user": user, "at": at}
    )
    return result
