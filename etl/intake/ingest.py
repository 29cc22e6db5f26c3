"""The one upload path: read, archive, validate, and load a workbook in one transaction.

A file over ``MAX_UPLOAD_MB``, or new content over the partner's archive quota, is refused
before anything is stored (no archived file, no upload row; the audit log records it).

Used by the CLI, the demo and the web upload alike. A workbook with any error changes no
fact row; a valid one for a partner-month that already has one replaces it (the old
upload is kept, marked ``superseded``); the identical file again changes nothing.

A replacement that would remove much of its month (see :func:`etl.intake.diff.measure_drop`)
is reported in ``drop``; a sender with ``hold_drops`` (the web upload) gets it ``held``: its
row is recorded, nothing else changes, until the same file comes again confirmed against the
version it was held against. The upload row of a file sent by a partner-bound account
belongs to that account's partner, whatever partner the file's content claims.
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
from etl.intake.diff import Drop, measure_drop
from etl.intake.load import company_issues, write_facts
from etl.intake.outcome import FileOutcome
from etl.intake.reader import read_workbook
from etl.intake.reader.messages import _msg_too_large
from etl.warehouse import audit, db
from etl.warehouse.store import months, uploads

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


@dataclass
class IngestResult(FileOutcome):
    """Outcome of one monthly report: accepted | replaced | unchanged | held | rejected, with
    located issues, its partner-month (the partner its upload row belongs to), its upload
    row, the one it replaced (or would replace, when held) and a large drop, if any."""

    partner: str | None = None
    month: date | None = None
    upload_id: int | None = None
    previous_id: int | None = None
    drop: Drop | None = None
    # refused because the partner-month is approved and locked: correcting the file does not
    # help, finance or steering must reopen the month first (the upload page says so)
    locked: bool = False

    def as_dict(self) -> dict[str, object]:
        """What the outcome file and ``--json`` say about the file (month as ``YYYY-MM``);
        ``drop`` only for a replacement that removes much of its month."""
        return {
            "file": self.file,
            "status": self.status,
            "partner": self.partner,
            "month": f"{self.month:%Y-%m}" if self.month else None,
            **self.issues_dict(),
            **({"drop": self.drop.as_dict()} if self.drop else {}),
        }


def outcome_record(result: IngestResult, user: str, received_at: datetime) -> dict:
    """What the outcome file beside an archived upload says (read by :mod:`etl.ops.rebuild`)."""
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
    """Nobody may replace the report of a locked partner-month (freigegeben, im Nachweis)."""
    lock = (
        months.lock_of(conn, partner=report.partner, month=report.month)
        if report.partner and report.month
        else None
    )
    if lock is not None:
        return [Issue("Meta", None, "Wert", locked_message(report.partner, report.month, lock))]
    return []


def locked_message(partner: str, month: date, lock) -> str:
    """Why an upload into a locked month is refused, and who can reopen it."""
    if lock.state == "proof":
        return (
            f"Der Berichtsmonat {month:%m/%Y} von {partner} ist im Verwendungsnachweis "
            "eingereicht und gesperrt. Eine Korrektur ist erst möglich, wenn die "
            "Finanzabteilung den Monat wieder öffnet."
        )
    return (
        f"Der Berichtsmonat {month:%m/%Y} von {partner} ist freigegeben und gesperrt. "
        "Eine Korrektur ist erst möglich, wenn die Finanzabteilung oder die "
        "Projektsteuerung den Monat wieder öffnet."
    )


def _decide(
    conn: Connection,
    report: Report,
    result: IngestResult,
    config: NetworkConfig,
    sender: Sender,
):
    """Set the result's status; returns the cross-month history when the report is to be loaded."""
    foreign = _foreign_errors(report, sender.partner_scope)
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
    history = load_history(conn, report.partner, report.month, bool(report.configured))
    result.errors = check_against_history(report, history, hours_cap=config.rules.hours_per_year)
    result.errors += company_issues(conn, report)
    if result.errors:
        result.status = "rejected"
        return None
    result.status = "replaced" if current else "accepted"
    result.previous_id = current.id if current else None
    return None if current and _held(conn, report, result, config, sender, current) else history


def _held(
    conn: Connection,
    report: Report,
    result: IngestResult,
    config: NetworkConfig,
    sender: Sender,
    current,
) -> bool:
    """Measure the replacement's drop; True (status ``held``) when it must wait for the
    sender's confirmation, given against exactly the version it would replace."""
    result.drop = measure_drop(conn, report, config, current)
    if result.drop is None or not sender.hold_drops or sender.confirmed_against == current.id:
        return False
    result.status = "held"
    return True


@dataclass(frozen=True)
class Sender:
    """Who sends a file, when, (for partner accounts) which partner they may report for, and
    how a large drop is handled: applied and reported (default: CLI, rebuild), or held until
    confirmed (``hold_drops``: the web upload). ``confirmed_against``: the current upload
    the sender confirmed the drop against; ``confirms`` / ``restores``: the held or
    superseded upload this file comes from (for the audit log)."""

    user: str = "system"
    received_at: datetime | None = None
    partner_scope: str | None = None
    ip: str | None = None
    hold_drops: bool = False
    confirmed_against: int | None = None
    confirms: int | None = None
    restores: int | None = None

    def owner(self, report: Report) -> str | None:
        """The partner the upload row belongs to: a partner-bound sender's own partner (a
        file claiming another partner is its sender's, never planted in that partner's
        history); otherwise the partner the file names."""
        return self.partner_scope or report.partner


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
        "partner_code": sender.owner(report),
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
    if sender.owner(report) and report.month:
        uploads.lock_partner(conn, partner=sender.owner(report))
    history = _decide(conn, report, result, config, sender)
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
        # an accepted version puts the month under review (from fällig or Rückfrage)
        months.set_state(
            conn,
            partner=report.partner,
            month=report.month,
            state="submitted",
            by=sender.user,
            at=at,
            upload_id=result.upload_id,
        )
    _audit(conn, report, result, sender, at)


def _audit(
    conn: Connection, report: Report, result: IngestResult, sender: Sender, at: datetime
) -> None:
    """The audit entry of an upload, whatever its outcome (``restore``: a superseded version
    applied again); it names the partner the file claimed when that is not its owner."""
    detail = {
        "file": result.file,
        "status": result.status,
        "upload_id": result.upload_id,
        "errors": len(result.errors),
        **({"state": "submitted"} if result.status in ("accepted", "replaced") else {}),
    }
    extra = {
        "claimed_partner": report.partner if report.partner != sender.owner(report) else None,
        "restored": sender.restores,
        "confirmed": sender.confirms,
    }
    audit.record(
        conn,
        "restore" if sender.restores else "upload",
        username=sender.user,
        partner=sender.owner(report),
        month=report.month,
        ip=sender.ip,
        at=at,
        detail={**detail, **{k: v for k, v in extra.items() if v is not None}},
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
    if len(data) > settings.max_upload_bytes:  # before anything is stored
        return _refuse(engine, result, sender, at, _msg_too_large(settings.max_upload_bytes))
    report, file_format = _parse(data, file_name, config, settings, at.date())
    owner = sender.owner(report)
    try:
        result.archive_path = archive.store(
            settings.archive_dir, data, file_name, result.sha256, at,
            owner=owner, quota_bytes=settings.archive_quota_bytes,
        )  # fmt: skip
    except archive.QuotaExceeded as exc:
        return _refuse(engine, result, sender, at, exc.message, partner=owner)
    result.partner, result.month = owner, report.month
    result.errors, result.notices = list(report.errors), list(report.notices)
    try:
        with db.writing(engine) as conn:
            _record(conn, report, result, config, sender, at, file_format)
    except Exception as exc:
        _record_failure(settings, result, sender, at, exc)
        raise
    # A crash right here leaves the upload row without its outcome file: etl.ops.reconcile
    # writes it from the row.
    archive.write_outcome(
        settings.archive_dir, result.archive_path, outcome_record(result, sender.user, at)
    )
    return result


def _refuse(
    engine: Engine,
    result: IngestResult,
    sender: Sender,
    at: datetime,
    message: str,
    partner: str | None = None,
) -> IngestResult:
    """Refused before anything is stored (no archived file, no upload row): audit log only."""
    result.errors = [Issue(None, None, None, message)]
    detail = {"file": result.file, "status": "refused", "sha256": result.sha256, "reason": message}
    with db.writing(engine) as conn:
        audit.record(conn, "upload", username=sender.user, partner=partner, ip=sender.ip, at=at,
                     detail=detail)  # fmt: skip
    return result


def ingest_path(path: Path, **kwargs) -> IngestResult:
    """:func:`ingest_bytes` for a file on disk (the result names the file as given)."""
    return ingest_bytes(Path(path).read_bytes(), Path(path).name, **kwargs)
