"""Make the upload archive agree with the upload history (``python -m etl reconcile``).

An upload writes, in this order: the archived file, one database transaction (upload row,
fact rows), the outcome file ``<file>.json`` beside the archived file. A process that dies
between COMMIT and the outcome leaves an upload row whose file has no outcome; one that
dies before COMMIT leaves an archived file that no upload row references (an orphan).
The warehouse row is the record; the reconciliation, idempotent and never deleting:

- writes the missing outcome of every upload row, from the row (the same fields as
  :func:`etl.intake.ingest.outcome_record`, plus ``reconciled_at``), only where there is still
  none, so an outcome written meanwhile by a running upload is never overwritten;
- replaces an outcome ``failed`` whose upload row exists (the COMMIT went through after
  all), keeping the old outcome inside the new one (``previous_outcome``);
- only reports: orphans (nothing was loaded from them), upload rows whose archived file is
  missing or differs from its SHA-256, outcome files that contradict their row or cannot
  be read, and files whose outcome says loaded but that have no upload row (the warehouse
  is older than the archive, e.g. restored from a backup: upload them again).

It may run while uploads run: a file being uploaded is an orphan until its COMMIT.
Upload ids in outcome files are not compared: after ``python -m etl rebuild`` the outcome
files keep the ids of the original warehouse. Finance plan uploads (``finanzplan/``) are
not part of the upload archive and not checked here.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from etl.core.errors import Issue
from etl.intake import archive
from etl.intake.ingest import IngestResult, outcome_record
from etl.warehouse.store import uploads

if TYPE_CHECKING:
    from sqlalchemy import Engine

UNREADABLE = "unreadable"
LOADED = {"accepted", "superseded"}
# outcome status -> the upload row statuses it agrees with
ROW_STATUSES = {
    "accepted": LOADED,
    "replaced": LOADED,
    "rejected": {"rejected"},
    "unchanged": {"unchanged"},
    "held": {"held"},
}
HARMLESS_ORPHANS = {"failed", "rejected", "unchanged", "held"}  # nothing of them was loaded

# kind -> German heading; the last four are problems that need a person
KINDS = {
    "written": "Fehlende Ergebnisdatei aus der Upload-Historie ergänzt (Verarbeitung nach dem "
    "Speichern abgebrochen)",
    "repaired": "Ergebnis 'fehlgeschlagen' berichtigt: der Upload ist gespeichert",
    "orphan": "Archivierte Datei ohne Upload-Eintrag, nichts daraus geladen (Verarbeitung "
    "abgebrochen, fehlgeschlagen, oder nach einem Neuaufbau nicht eingespielt); bleibt im "
    "Archiv, bei Bedarf erneut hochladen",
    "unrecorded": "Laut Ergebnisdatei geladen, aber ohne Upload-Eintrag (Datenbank älter als "
    "das Archiv, z. B. aus einer Sicherung): bitte erneut hochladen",
    "missing": "Archivierte Datei fehlt: bitte aus der Datensicherung des Archivs wiederherstellen",
    "damaged": "Archivierte Datei passt nicht zu ihrer Prüfsumme: bitte aus der "
    "Datensicherung des Archivs wiederherstellen",
    "conflict": "Ergebnisdatei unlesbar oder im Widerspruch zur Upload-Historie: bitte prüfen "
    "(nicht verändert)",
}
PROBLEMS = ("unrecorded", "missing", "damaged", "conflict")
STATUS_LABELS = {
    "accepted": "angenommen",
    "replaced": "ersetzte die vorige Fassung",
    "superseded": "ersetzt",
    "rejected": "abgelehnt",
    "unchanged": "unverändert",
    "held": "zurückgehalten (Bestätigung nötig)",
    "failed": "fehlgeschlagen",
    UNREADABLE: "unlesbar",
    None: "keine",
}


@dataclass(frozen=True)
class Finding:
    """An archived file or upload row that did not agree, with the status of its upload row
    (None: no row) and what its outcome file said before (None: no outcome file)."""

    kind: str
    path: str
    upload_id: int | None = None
    status: str | None = None
    outcome: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "path": self.path,
            "upload_id": self.upload_id,
            "status": self.status,
            "outcome": self.outcome,
        }

    def __str__(self) -> str:
        upload = f"Upload {self.upload_id}: {_label(self.status)}, " if self.status else ""
        return f"{self.path} ({upload}Ergebnisdatei: {_label(self.outcome)})"


def _label(status: str | None) -> str:
    return STATUS_LABELS.get(status, str(status))


@dataclass
class ReconcileSummary:
    archive_dir: Path
    uploads: int = 0  # upload rows checked
    files: int = 0  # archived files found
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing is left that needs a person (orphans are expected after a crash)."""
        return not any(f.kind in PROBLEMS for f in self.findings)

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]

    def as_dict(self) -> dict[str, object]:
        return {
            "archive": str(self.archive_dir),
            "uploads": self.uploads,
            "files": self.files,
            "ok": self.ok,
            "counts": dict(Counter(f.kind for f in self.findings)),
            "findings": [f.as_dict() for f in self.findings],
        }

    def text(self) -> str:
        """The German summary printed by ``python -m etl reconcile``."""
        lines = [
            f"Abgleich von Archiv und Upload-Historie ({self.archive_dir}):",
            f"  {self.uploads} Uploads in der Historie, {self.files} Dateien im Archiv geprüft.",
        ]
        for kind, heading in KINDS.items():
            found = self.of(kind)
            if found:
                lines.append(f"  {len(found)} x {heading}:")
                lines += [f"    {f}" for f in found]
        if not self.findings:
            lines.append("  Archiv und Upload-Historie stimmen überein.")
        elif self.ok:
            lines.append("  Nichts mehr zu tun.")
        else:
            lines.append("  ACHTUNG: Es bleiben Abweichungen, die geprüft werden müssen (s. o.).")
        return "\n".join(lines)


# --- the outcome of an upload row ---------------------------------------------------------


def _outcome_status(row) -> str:
    if row.status in LOADED:
        return "replaced" if row.previous_id else "accepted"
    return row.status


def outcome_of_row(row) -> dict:
    """The outcome file the upload of ``row`` would have written."""
    result = IngestResult(
        file=row.file_name,
        status=_outcome_status(row),
        partner=row.partner_code,
        month=row.month,
        errors=[Issue(**e) for e in json.loads(row.errors_json or "[]")],
        notices=[Issue(**n) for n in json.loads(row.notices_json or "[]")],
        upload_id=row.id,
        sha256=row.sha256,
    )
    return outcome_record(result, row.uploaded_by, row.uploaded_at)


def _read_outcome(archive_dir: Path, rel: str) -> dict | None:
    """The outcome beside ``rel``; None when there is none; status ``unreadable`` when broken."""
    try:
        info = json.loads(archive.outcome_path(archive_dir, rel).read_text("utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"status": UNREADABLE}
    if not isinstance(info, dict) or not isinstance(info.get("status"), str | None):
        return {"status": UNREADABLE}
    return info


# --- checks -------------------------------------------------------------------------------


def _check_row(archive_dir: Path, row, now: datetime) -> Finding | None:
    """Check one upload row against its archived file and outcome; write what is missing."""

    def finding(kind: str, info: dict | None = None) -> Finding:
        outcome = None if info is None else info.get("status")
        return Finding(kind, row.archive_path, row.id, row.status, outcome)

    path = archive_dir / row.archive_path
    if not path.is_file():
        return finding("missing")
    if hashlib.sha256(path.read_bytes()).hexdigest() != row.sha256:
        return finding("damaged")
    info = _read_outcome(archive_dir, row.archive_path)
    record = {**outcome_of_row(row), "reconciled_at": now}
    if info is None:
        written = archive.write_outcome(archive_dir, row.archive_path, record, exclusive=True)
        return finding("written") if written else None  # else: written meanwhile
    if info.get("status") == "failed":
        archive.write_outcome(archive_dir, row.archive_path, {**record, "previous_outcome": info})
        return finding("repaired", info)
    if row.status not in ROW_STATUSES.get(info.get("status"), ()):
        return finding("conflict", info)
    return None


def _check_orphan(archive_dir: Path, rel: str) -> Finding:
    """An archived file that no upload row references."""
    info = _read_outcome(archive_dir, rel)
    if info is None:  # interrupted before COMMIT
        return Finding("orphan", rel)
    status, upload_id = info.get("status"), info.get("upload_id")
    if status in HARMLESS_ORPHANS:
        kind = "orphan"
    elif status in ROW_STATUSES:
        kind = "unrecorded"
    else:
        kind = "conflict"
    return Finding(kind, rel, upload_id if isinstance(upload_id, int) else None, None, status)


def reconcile(engine: Engine, archive_dir: Path) -> ReconcileSummary:
    """Bring the outcome files of ``archive_dir`` in line with the upload rows of ``engine``.

    Idempotent: a second run finds nothing to write. Nothing is ever deleted.
    """
    files = archive.archived_uploads(archive_dir)  # before the rows: fewer false orphans
    rows = uploads.all_rows(engine)
    summary = ReconcileSummary(archive_dir, uploads=len(rows), files=len(files))
    now = datetime.now().replace(microsecond=0)
    checked = (_check_row(archive_dir, row, now) for row in rows)
    summary.findings = [f for f in checked if f is not None]
    referenced = {row.archive_path for row in rows}
    summary.findings += [_check_orphan(archive_dir, rel) for rel in files if rel not in referenced]
    return summary
