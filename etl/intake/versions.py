"""Versions of a partner-month sent again from the archive: a held replacement confirmed by
its sender, or a superseded version restored by finance or project steering.

Both re-apply the archived file, byte for byte, through the one upload path
(:func:`etl.intake.ingest.ingest_bytes`): the same checks, a new upload row, its own audit
entry. Nothing here writes to the database itself.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.settings import Settings
from etl.intake import archive
from etl.intake.ingest import IngestResult, Sender, ingest_bytes
from etl.warehouse import files
from etl.warehouse.store import months

if TYPE_CHECKING:
    from sqlalchemy import Engine


class VersionError(Exception):
    """The version cannot be applied; the message is German and says why."""


def _row(engine: Engine, upload_id: int, status: str, sender: Sender) -> files.UploadFile:
    row = files.upload_file(engine, upload_id)
    if row is None or row.status != status or row.partner_code is None or row.month is None:
        raise VersionError(f"Upload {upload_id} gibt es nicht (mehr) in diesem Zustand.")
    if sender.partner_scope is not None and row.partner_code != sender.partner_scope:
        raise VersionError(f"Upload {upload_id} gibt es nicht (mehr) in diesem Zustand.")
    return row


def _apply(row: files.UploadFile, sender: Sender, **ctx) -> IngestResult:
    data = archive.read(ctx["settings"].archive_dir, row.archive_path)
    return ingest_bytes(data, row.file_name, sender=sender, **ctx)


def confirm_held(
    upload_id: int,
    *,
    engine: Engine,
    config: NetworkConfig,
    settings: Settings,
    sender: Sender,
) -> IngestResult:
    """Apply the held upload ``upload_id`` after its sender confirmed what it removes.

    The confirmation holds only against the version shown when the file was held: if another
    version became current meanwhile, the file is held again with the new figures."""
    row = _row(engine, upload_id, "held", sender)
    confirmed = replace(
        sender, hold_drops=True, confirmed_against=row.previous_id, confirms=upload_id
    )
    return _apply(row, confirmed, engine=engine, config=config, settings=settings)


def restore(
    upload_id: int,
    *,
    engine: Engine,
    config: NetworkConfig,
    settings: Settings,
    sender: Sender,
) -> IngestResult:
    """Make the superseded upload ``upload_id`` the current version of its partner-month again.

    Only for staff (a sender without partner scope) and only while the month is not approved
    (locked); the file is applied whatever it removes from the version it replaces."""
    if sender.partner_scope is not None:
        raise VersionError("Frühere Fassungen kann nur die Finanzabteilung oder die "
                           "Projektsteuerung wiederherstellen.")
    row = _row(engine, upload_id, "superseded", sender)
    with engine.connect() as conn:
        locked = months.lock_of(conn, partner=row.partner_code, month=row.month)
    if locked:
        raise VersionError(
            f"Der Berichtsmonat {row.month:%m/%Y} von {row.partner_code} ist freigegeben und "
            "gesperrt. Bitte den Monat zuerst wieder öffnen (Seite Freigabe)."
        )
    restoring = replace(sender, hold_drops=False, confirmed_against=None, restores=upload_id)
    return _apply(row, restoring, engine=engine, config=config, settings=settings)
