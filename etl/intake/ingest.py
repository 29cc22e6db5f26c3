"""The one upload path: archive, read, validate, and load a workbook in one transaction.

Used by the CLI, the demo and the web upload alike. A workbook with any error changes no
fact row; a valid one for a partner-month that already has one replaces it (the old
upload is kept, marked ``superseded``); the identical file again changes nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.errors import Issue, WorkbookRejected
from etl.core.settings import Settings
from etl.intake import archive
from etl.intake.contract import Report, validate_workbook
from etl.intake.crosscheck import check_against_history, load_history
from etl.intake.load import write_facts
from etl.intake.outcome import FileOutcome
from etl.intake.reader import read_workbook
from etl.warehouse import audit, db
from etl.warehouse.store import months, uploads

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


@dataclass
class IngestResult(FileOutcome):
    """Outcome of one monthly report: accepted | replaced | unchanged | rejected, with located
    issues, its partner-month, its upload row and the one it replaced."""

    partner: str | None = None
    month: date | None = None
    upload_id: int | None = None
    previous_id: int | None = None
    # refused because the partner-month is approved and locked: correcting the file does not
    # help, finance or steering must reopen the month first (the upload page says so)
    locked: bool = False

    def as_dict(self) -> dict[str, object]:
        """What the outcome file and ``--json`` say about the file (month as ``YYYY-MM``)."""
        return {
            "file": self.file,
            "status": self.status,
            "partner": self.partner,
            "month": f"{self.month:%Y-%m}" if self.month else None,
            **self.issues_dict(),
        }


def outcome_record(result: IngestResult, user: str, received_at: datetime) -> dict:
    """What the outcome file beside an archived upload says (read by :mod:`etl.rebuild`)."""
    return {
        **result.as_dict(),
        "user": user,
        "received_at": received_at,
        "sha256": result.sha256,
        "upload_id": result.upload_id,
    }


def _parse(
    data: bytes, file_name: str, config: NetworkConfig, settings: Settings, today: date
) -> tuple[Report, str | None]:
    try:
        raw = read_workbook(
            data,
            file_name,
            max_bytes=settings.max_upload_bytes,
            max_unpacked_bytes=settings.max_unpacked_bytes,
        )
    except WorkbookRejected as exc:
        return Report(errors=[exc.issue]), None
    return validate_workbook(raw, config, today=today), raw.file_format


def _foreign_errors(report: Report, partner_scope: str | None) -> list[Issue]:
    """A partner user may only send its own partner's reports."""
    if partner_scope and report.partner and report.partner != partner_scope:
        return [
            Issue(
                "Meta",
                None,
                "Wert",
                f"Sie sind für den Partner {partner_scope} angemeldet, dieser Bericht ist "
                f"aber für {report.partner}. Bitte nur Berichte des eigenen Partners "
                "hochladen.",
            )
        ]
    return []


def _lock_errors(conn: Connection, report: Report) -> list[Issue]:
    """Nobody may replace the report of an approved (locked) partner-month."""
    if report.partner and report.month and months.lock_of(
        conn, partner=report.partner, month=report.month
    ):
        return [
            Issue(
                "Meta",
                None,
                "Wert",
                f"Der Berichtsmonat {report.month:%m/%Y} von {report.partner} ist "
                "freigegeben und gesperrt. Eine Korrektur ist erst möglich, wenn die "
                "Finanzabteilung oder die Projektsteuerung den Monat wieder öffnet.",
            )
        ]
    return []


def _decide(
    conn: Connection,
    report: Report,
    result: IngestResult,
    config: NetworkConfig,
    partner_scope: str | None,
):
    """Set the result's status; returns the cross-month history when the report is to be loaded."""
    foreign = _foreign_errors(report, partner_scope)
    locked = [] if foreign else _lock_errors(conn, report)
    result.locked = bool(locked)
    result.errors = foreign + locked + result.errors
    if result.errors or not (report.partner and report.month):
        result.status = "rejected"
        return None
    current = uploads.current(conn, partner=report.partner, month=report.month)
    if current and current.sha256 == result.sha256:
        result.status, result.previous_id = "unchanged", current.id
        return None
    history = load_history(conn, report.partner, report.month)
    result.errors = check_against_history(report, history, hours_cap=config.rules.hours_per_year)
    if result.errors:
        result.status = "rejected"
        return None
    result.status = "replaced" if current else "accepted"
    result.previous_id = current.id if current else None
    return history


@dataclass(frozen=True)
class Sender:
    """Who sends a file, when, and (for partner accounts) which partner they may report for."""

    user: str = "system"
    received_at: datetime | None = None
    partner_scope: str | None = None
    ip: str | None = None


def _upload_row(
    result: IngestResult, report: Report, sender: Sender, at: datetime, file_format: str | None
) -> dict:
    counts = {
        f"n_{name}": len(report.rows(sheet))
        for name, sheet in (
            ("events", "Veranstaltungen"),
            ("coachings", "Coachings"),
            ("participants", "Teilnehmende"),
            ("personnel", "Personal"),
            ("expenditure", "Ausgaben"),
        )
    }
    return {
        "partner_code": report.partner,
        "month": report.month,
        "status": "accepted" if result.status == "replaced" else result.status,
        "sha256": result.sha256,
        "file_name": result.file.replace("\x00", "")[:255],
        "archive_path": result.archive_path,
        "uploaded_by": sender.user[:100],
        "uploaded_at": at,
        "file_format": file_format,
        "previous_id": result.previous_id,
        **counts,
        "n_errors": len(result.errors),
        "errors_json": json.dumps([e.as_dict() for e in result.errors], ensure_ascii=False),
        "notices_json": json.dumps([n.as_dict() for n in result.notices], ensure_ascii=False),
    }


def _record(
    conn: Connection,
    report: Report,
    result: IngestResult,
    config: NetworkConfig,
    sender: Sender,
    at: datetime,
    file_format: str | None,
) -> None:
    """The upload's transaction: partner lock, decision, upload row, facts, audit entry."""
    if report.partner and report.month:
        uploads.lock_partner(conn, partner=report.partner)
    history = _decide(conn, report, result, config, sender.partner_scope)
    if result.status == "replaced":
        uploads.supersede(conn, upload_id=result.previous_id)
    row = _upload_row(result, report, sender, at, file_format)
    result.upload_id = uploads.insert(conn, row=row)
    if history is not None:
        write_facts(
            conn,
            report,
            history,
            result.upload_id,
            config,
            replaces=result.status == "replaced",
        )
    _audit(conn, report, result, sender, at)


def _audit(
    conn: Connection, report: Report, result: IngestResult, sender: Sender, at: datetime
) -> None:
    """The audit entry of an upload, whatever its outcome."""
    audit.record(
        conn,
        "upload",
        username=sender.user,
        partner=report.partner,
        month=report.month,
        ip=sender.ip,
        at=at,
        detail={
            "file": result.file,
            "status": result.status,
            "upload_id": result.upload_id,
            "errors": len(result.errors),
        },
    )


def _record_failure(
    settings: Settings, result: IngestResult, sender: Sender, at: datetime, exc: Exception
) -> None:
    """The outcome file of an upload whose transaction failed (nothing of it was stored)."""
    failed = {"user": sender.user, "received_at": at, "sha256": result.sha256}
    archive.write_outcome(
        settings.archive_dir,
        result.archive_path,
        {**failed, "status": "failed", "error": repr(exc)},
    )


def ingest_bytes(
    data: bytes,
    file_name: str,
    *,
    engine: Engine,
    config: NetworkConfig,
    settings: Settings,
    user: str = "system",
    received_at: datetime | None = None,
    sender: Sender | None = None,
) -> IngestResult:
    """Archive, check and load one workbook; all or nothing.

    ``sender`` says who sends it (``user``/``received_at`` are shorthands for it).
    """
    sender = sender or Sender(user=user, received_at=received_at)
    at = sender.received_at or datetime.now()
    result = IngestResult(
        file=file_name, status="rejected", sha256=hashlib.sha256(data).hexdigest()
    )
    result.archive_path = archive.store(settings.archive_dir, data, file_name, result.sha256, at)
    report, file_format = _parse(data, file_name, config, settings, at.date())
    result.partner, result.month = report.partner, report.month
    result.errors, result.notices = list(report.errors), list(report.notices)
    try:
        with db.writing(engine) as conn:
            _record(conn, report, result, config, sender, at, file_format)
    except Exception as exc:
        _record_failure(settings, result, sender, at, exc)
        raise
    # A crash right here leaves the upload row without its outcome file: etl.reconcile
    # writes it from the row.
    archive.write_outcome(
        settings.archive_dir, result.archive_path, outcome_record(result, sender.user, at)
    )
    return result


def ingest_path(path: Path, **kwargs) -> IngestResult:
    """:func:`ingest_bytes` for a file on disk (the result names the file as given)."""
    return ingest_bytes(Path(path).read_bytes(), Path(path).name, **kwargs)
