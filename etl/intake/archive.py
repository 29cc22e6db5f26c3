"""The upload archive: every received file kept unchanged, with its outcome beside it.

Each distinct content is stored once per partner: every receipt keeps its own name in the
archive (so that ``uploads.archive_path``, the outcome file beside it, :mod:`etl.ops.reconcile`
and :mod:`etl.ops.rebuild` work as before), but a receipt of bytes the partner sent before is
a hard link to the same data, which costs no disk. The content index that finds them lies
beside the archive folder (``<archive>-content/<partner>/<sha256>``, one more hard link per
content), so the archive itself holds receipts and outcomes only. Where the file system has
no hard links, receipts are full copies, as before. Backups must keep hard links (``tar``
does; ``rsync`` needs ``-H``) or they grow by the repeats.

Each partner has a quota (:func:`store`'s ``quota_bytes``, ``ARCHIVE_QUOTA_MB``, default 500):
the distinct contents in its index may not exceed it; a new content beyond it is refused with
:class:`QuotaExceeded` (German message) and nothing is stored. Repeats of stored content are
always accepted (they cost nothing). Uploads archived before the index existed do not count.

Files appear whole or not at all: each is written to a ``.tmp-`` file in the same folder,
flushed to disk, and only then given its name. An archived upload never overwrites another
one (:func:`store` picks a free name), and a missing outcome added later never overwrites
one written meanwhile (:func:`write_outcome` with ``exclusive``).
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from itertools import count
from pathlib import Path

TMP_PREFIX = ".tmp-"
OUTCOME_SUFFIX = ".json"
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOSYS, errno.EXDEV, errno.EMLINK}


def safe_name(file_name: str) -> str:
    """The file name without folders and with only harmless characters."""
    base = re.split(r"[\\/]", file_name or "")[-1]
    cleaned = re.sub(r"[^\w.\-äöüÄÖÜß ]+", "_", base).strip(" .") or "upload"
    return cleaned[:120]


def _fsync_dir(folder: Path) -> None:
    """Make a new name in ``folder`` durable (POSIX; a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _temp_copy(folder: Path, data: bytes) -> str:
    """A ``.tmp-`` file in ``folder`` holding ``data``, flushed to disk; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all, replacing what was there."""
    tmp = _temp_copy(path.parent, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _create_exclusive(path: Path, data: bytes) -> bool:
    """Create ``path`` whole or not at all; False (nothing written) when it exists already.

    The complete temporary file is hard-linked to its name, which fails if the name is
    taken. Where the file system has no hard links, the name is created with O_EXCL and
    written in place (still exclusive, but a crash may leave a partly written file).
    """
    tmp = _temp_copy(path.parent, data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        return _create_in_place(path, data)
    finally:
        Path(tmp).unlink(missing_ok=True)
    _fsync_dir(path.parent)
    return True


def _create_in_place(path: Path, data: bytes) -> bool:
    try:
        with open(path, "xb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except FileExistsError:
        return False
    _fsync_dir(path.parent)
    return True


def _candidates(name: str) -> Iterator[str]:
    """``name``, then ``name`` with ``-2``, ``-3``, ... before its extension (endless)."""
    yield name
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, f"{dot}{ext}") if stem else (name, "")
    yield from (f"{stem}-{n}{ext}" for n in count(2))


NO_OWNER = "_ohne-Partner"  # content index folder of files whose partner is unknown


class QuotaExceeded(Exception):
    """Storing the file would take the partner's archive over its quota (nothing stored)."""

    def __init__(self, owner: str, quota_bytes: int):
        mb = f"{quota_bytes / 2**20:,.0f}".replace(",", ".")
        self.message = (
            f"Das Upload-Archiv für {owner} hat sein Kontingent von {mb} MB erreicht; die Datei "
            "wurde deshalb nicht gespeichert und nicht verarbeitet. Bereits hochgeladene Dateien "
            "können unverändert erneut gesendet werden. Bitte die Projektsteuerung bitten, das "
            "Kontingent zu erhöhen."
        )
        super().__init__(self.message)


def content_dir(archive_dir: Path, owner: str | None) -> Path:
    """The folder of ``owner``'s content index (one hard link per distinct content)."""
    return archive_dir.parent / f"{archive_dir.name}-content" / safe_name(owner or NO_OWNER)


def used_bytes(archive_dir: Path, owner: str | None) -> int:
    """Disk that ``owner``'s distinct archived contents take (sum of their sizes)."""
    folder = content_dir(archive_dir, owner)
    if not folder.is_dir():
        return 0
    return sum(e.stat().st_size for e in os.scandir(folder) if e.is_file() and _is_content(e.name))


def _is_content(name: str) -> bool:
    return not name.startswith(TMP_PREFIX)


def _link_exclusive(source: Path, path: Path) -> bool | None:
    """Hard-link ``source`` to the new name ``path``: True, False (name taken) or None (the
    file system has no hard links, or ``source`` is gone)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, path)
    except FileExistsError:
        return False
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        return None
    _fsync_dir(path.parent)
    return True


def store(
    archive_dir: Path,
    data: bytes,
    file_name: str,
    sha256: str,
    received_at: datetime,
    *,
    owner: str | None = None,
    quota_bytes: int | None = None,
) -> str:
    """Write the file unchanged into the archive; returns its path relative to ``archive_dir``.

    The name holds the time of receipt (to the microsecond), the start of the SHA-256 and
    the file name; should that name be taken (the same file in the same microsecond), a
    number is added. An archived file is never overwritten. Bytes ``owner`` sent before
    become a hard link to them; new bytes over ``quota_bytes`` raise :class:`QuotaExceeded`.
    """
    folder = Path(f"{received_at:%Y-%m}")
    name = f"{received_at:%Y%m%dT%H%M%S%f}_{sha256[:12]}_{safe_name(file_name)}"
    known = content_dir(archive_dir, owner) / sha256
    for candidate in _candidates(name):
        linked = _link_exclusive(known, archive_dir / folder / candidate)
        if linked is None:
            break  # new content (or no hard links): write it
        if linked:
            return (folder / candidate).as_posix()
    else:  # pragma: no cover - _candidates is endless
        raise AssertionError
    if quota_bytes is not None and used_bytes(archive_dir, owner) + len(data) > quota_bytes:
        raise QuotaExceeded(owner or "Dateien ohne Partner", quota_bytes)
    free = next(c for c in _candidates(name) if _create_exclusive(archive_dir / folder / c, data))
    _link_exclusive(archive_dir / folder / free, known)  # index it (a race may have done so)
    return (folder / free).as_posix()


def outcome_path(archive_dir: Path, rel_path: str) -> Path:
    """Where the outcome of the archived file ``rel_path`` is recorded."""
    return archive_dir / f"{rel_path}{OUTCOME_SUFFIX}"


def write_outcome(
    archive_dir: Path, rel_path: str, outcome: dict, *, exclusive: bool = False
) -> bool:
    """Record the outcome of an archived file in ``<file>.json`` beside it.

    ``exclusive``: only if there is none yet (returns False and writes nothing otherwise).
    """
    payload = json.dumps(outcome, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    path = outcome_path(archive_dir, rel_path)
    if exclusive:
        return _create_exclusive(path, payload)
    _atomic_write(path, payload)
    return True


def archived_uploads(archive_dir: Path) -> list[str]:
    """Paths (relative, sorted) of the archived files: no outcome files, no temporary files."""
    if not archive_dir.is_dir():
        return []
    return sorted(
        p.relative_to(archive_dir).as_posix()
        for p in archive_dir.rglob("*")
        if p.is_file() and p.suffix != OUTCOME_SUFFIX and not p.name.startswith(TMP_PREFIX)
    )


def read(archive_dir: Path, rel_path: str) -> bytes:
    """The archived file's bytes (refuses paths that leave the archive)."""
    path = (archive_dir / rel_path).resolve()
    if archive_dir.resolve() not in path.parents:
        raise ValueError("path outside the archive")
    return path.read_bytes()
