"""Rebuild the warehouse from the upload archive alone (``python -m etl rebuild``).

Every received file lies unchanged in the archive, with an outcome file ``<file>.json``
beside it (status, uploader, time of receipt, SHA-256, upload id). The rebuild replays the
files that were loaded, i.e. whose outcome is ``accepted`` or ``replaced`` (superseded
versions included, so the history of versions is rebuilt too), through the one upload path
:func:`etl.intake.ingest.ingest_bytes`, with the original uploader and time of receipt, into an
EMPTY warehouse. The same files in the same order through the same rules give the same
figures.

- Order: the original upload id (the order in which the warehouse applied the files; it
  equals the order of receipt except where two uploads raced). When the outcome files do not
  carry distinct upload ids (e.g. an archive shared by two warehouses), the time of receipt.
- Not replayed: ``rejected`` and ``unchanged`` files changed no figure; replaying them
  could even change figures, because a rejection may have depended on something the
  archive does not hold (the uploader's partner account, a month locked at the time).
  Files whose outcome is ``failed`` never reached the warehouse. Files without outcome file
  were interrupted (server crash) before or just after their transaction; the archive alone
  cannot tell which, so they are listed in the summary, not replayed.
- The archive is only read: the replay archives into a scratch folder that is deleted
  afterwards. The rebuilt upload rows point at the original archived files (same relative
  path); the outcome files keep the upload ids of the original warehouse.
- Before anything is written, every file to replay is checked against the SHA-256 in its
  outcome file; a damaged archive is refused as a whole.
- Not in the archive, hence not rebuilt: user accounts, month approvals (locks), payment
  requests, the audit log other than the uploads, and finance plan versions after version 1
  (their files lie in ``$DATA_DIR/finanzplan/``; the summary warns when there are any,
  because funding rates and budget come from the plan). Restore them from a database backup.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.settings import Settings
from etl.warehouse.store import uploads

if TYPE_CHECKING:
    from sqlalchemy import Engine

LOADED = ("accepted", "replaced")
# etl.workflow.plan.upload.ARCHIVE_FOLDER: plan uploads, not replayed here
PLAN_FOLDER = "finanzplan"
SKIP_LABELS = {
    "rejected": "abgelehnt",
    "unchanged": "unverändert (identische Datei)",
    "held": "zurückgehalten (Bestätigung nötig)",
    "failed": "technisch fehlgeschlagen",
}


class RebuildError(Exception):
    """The rebuild cannot start; the message is German and says what to do."""


@dataclass(frozen=True)
class ArchivedFile:
    """One archived upload with what its outcome file says (``status`` None: no outcome)."""

    path: str  # relative to the archive folder
    status: str | None = None
    file_name: str = ""
    user: str = "system"
    received_at: datetime | None = None
    sha256: str = ""
    upload_id: int | None = None


@dataclass
class RebuildSummary:
    archive_dir: Path
    found: int = 0
    replayed: Counter = field(default_factory=Counter)  # replay status -> n
    skipped: Counter = field(default_factory=Counter)  # archived status -> n
    unfinished: list[str] = field(default_factory=list)  # archived files without outcome
    differing: list[str] = field(default_factory=list)  # replay ended otherwise than archived
    plan_uploads: int = 0  # accepted finance plan uploads (not replayed)

    @property
    def ok(self) -> bool:
        return not self.differing

    def text(self) -> str:
        """The German summary printed by ``python -m etl rebuild``."""
        loaded = sum(self.replayed.values())
        lines = [
            f"Neuaufbau aus dem Archiv {self.archive_dir}:",
            f"  {self.found} archivierte Dateien gefunden.",
            f"  {loaded} geladene Dateien in der ursprünglichen Reihenfolge eingespielt "
            f"({self.replayed['accepted']} angenommen, {self.replayed['replaced']} ersetzten "
            "eine frühere Fassung).",
        ]
        if self.skipped:
            parts = ", ".join(
                f"{n} {SKIP_LABELS.get(k, k)}" for k, n in sorted(self.skipped.items())
            )
            lines.append(f"  Nicht eingespielt (änderten keine Zahl): {parts}.")
        if self.unfinished:
            lines.append(
                f"  {len(self.unfinished)} Dateien ohne Ergebnisdatei (Verarbeitung abgebrochen) "
                "wurden nicht eingespielt; ob sie geladen waren, zeigt nur die Upload-Historie "
                "einer Datensicherung. Bitte prüfen und die Datei gegebenenfalls erneut "
                "hochladen:"
            )
            lines += [f"    {path}" for path in self.unfinished]
        if self.plan_uploads:
            lines.append(
                f"  Hinweis: {self.plan_uploads} angenommene Finanzplan-Fassungen (Ordner "
                f"{PLAN_FOLDER}) sind nicht Teil des Neuaufbaus; Budget, Ziele und Förderquoten "
                "stehen auf Fassung 1 aus config.toml. Bitte den Finanzplan aus der "
                "Datensicherung wiederherstellen oder die aktuelle Fassung erneut hochladen."
            )
        if self.differing:
            lines.append(
                f"  ACHTUNG: {len(self.differing)} Dateien endeten beim Einspielen anders als "
                "archiviert (z. B. weil sich die Konfiguration geändert hat):"
            )
            lines += [f"    {entry}" for entry in self.differing]
        else:
            lines.append("  Alle eingespielten Dateien endeten wie archiviert.")
        return "\n".join(lines)


# --- reading the archive ------------------------------------------------------------------


def _is_upload(path: Path) -> bool:
    return path.is_file() and path.suffix != ".json" and not path.name.startswith(".tmp-")


def _parse_time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _read_outcome(archive_dir: Path, rel: str) -> ArchivedFile:
    outcome_path = archive_dir / f"{rel}.json"
    if not outcome_path.exists():
        return ArchivedFile(rel)
    try:
        info = json.loads(outcome_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise RebuildError(
            f"Die Ergebnisdatei {rel}.json im Archiv ist nicht lesbar ({exc}). Bitte aus der "
            "Datensicherung wiederherstellen und den Neuaufbau erneut starten."
        ) from None
    upload_id = info.get("upload_id")
    return ArchivedFile(
        path=rel,
        status=str(info.get("status")),
        file_name=str(info.get("file") or Path(rel).name),
        user=str(info.get("user") or "system"),
        received_at=_parse_time(info.get("received_at")),
        sha256=str(info.get("sha256") or ""),
        upload_id=upload_id if isinstance(upload_id, int) else None,
    )


def scan_archive(archive_dir: Path) -> list[ArchivedFile]:
    """Every archived upload with its recorded outcome, sorted by path."""
    if not archive_dir.is_dir():
        raise RebuildError(
            f"Das Archiv {archive_dir} gibt es nicht. Bitte DATA_DIR auf den Datenordner setzen, "
            "dessen Unterordner 'archive' die hochgeladenen Dateien enthält."
        )
    paths = sorted(
        p.relative_to(archive_dir).as_posix() for p in archive_dir.rglob("*") if _is_upload(p)
    )
    return [_read_outcome(archive_dir, rel) for rel in paths]


def replay_order(files: list[ArchivedFile]) -> list[ArchivedFile]:
    """The loaded files in the order the warehouse applied them (see the module text)."""
    loaded = [f for f in files if f.status in LOADED]
    ids = [f.upload_id for f in loaded]
    if None not in ids and len(set(ids)) == len(ids):
        return sorted(loaded, key=lambda f: f.upload_id)
    return sorted(loaded, key=lambda f: (f.received_at or datetime.min, f.path))


def _check_hashes(archive_dir: Path, files: list[ArchivedFile]) -> dict[str, bytes]:
    contents, damaged = {}, []
    for f in files:
        data = (archive_dir / f.path).read_bytes()
        if f.received_at is None or hashlib.sha256(data).hexdigest() != f.sha256:
            damaged.append(f.path)
        contents[f.path] = data
    if damaged:
        listed = "\n".join(f"  {path}" for path in damaged)
        raise RebuildError(
            f"{len(damaged)} archivierte Dateien passen nicht zu ihrer Prüfsumme oder ihrem "
            f"Ergebnis; es wurde nichts eingespielt:\n{listed}\nBitte diese Dateien aus der "
            "Datensicherung des Archivs wiederherstellen und den Neuaufbau erneut starten."
        )
    return contents


def _accepted_plan_uploads(data_dir: Path) -> int:
    folder = data_dir / PLAN_FOLDER
    if not folder.is_dir():
        return 0
    return sum(
        1
        for p in folder.rglob("*")
        if _is_upload(p)
        and _read_outcome(data_dir, p.relative_to(data_dir).as_posix()).status == "accepted"
    )


def _refuse_unless_empty(engine: Engine) -> None:
    n = uploads.count(engine)
    if n:
        raise RebuildError(
            f"Das Ziel-Warehouse enthält bereits {n} Uploads. Der Neuaufbau aus dem Archiv "
            "schreibt nur in ein leeres Warehouse; bitte eine neue, leere Datenbank angeben "
            "(z. B. python -m etl rebuild --db sqlite:///neu.db)."
        )


# --- replay -------------------------------------------------------------------------------


def rebuild_from_archive(
    engine: Engine, config: NetworkConfig, settings: Settings
) -> RebuildSummary:
    """Replay the loaded files of ``settings.archive_dir`` into the empty warehouse ``engine``.

    Raises :class:`RebuildError` (nothing written) when the warehouse is not empty or the
    archive is damaged. The returned summary says what was replayed and skipped.
    """
    from etl.intake.ingest import ingest_bytes

    _refuse_unless_empty(engine)
    archive_dir = settings.archive_dir
    files = scan_archive(archive_dir)
    order = replay_order(files)
    contents = _check_hashes(archive_dir, order)
    summary = RebuildSummary(archive_dir, found=len(files))
    summary.unfinished = [f.path for f in files if f.status is None]
    summary.skipped = Counter(f.status for f in files if f.status and f.status not in LOADED)
    summary.plan_uploads = _accepted_plan_uploads(settings.data_dir)
    with tempfile.TemporaryDirectory(prefix="rebuild-") as scratch:
        # the replay re-archives files already kept: no archive quota applies to it
        scratch_settings = replace(settings, data_dir=Path(scratch), archive_quota_bytes=None)
        for f in order:
            result = ingest_bytes(
                contents[f.path],
                f.file_name,
                engine=engine,
                config=config,
                settings=scratch_settings,
                user=f.user,
                received_at=f.received_at,
            )
            summary.replayed[result.status] += 1
            if result.status != f.status or result.archive_path != f.path:
                summary.differing.append(f"{f.path}: archiviert {f.status}, jetzt {result.status}")
    return summary
