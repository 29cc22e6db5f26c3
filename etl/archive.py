"""The upload archive: every received file kept unchanged, with its outcome beside it."""

from __future__ import annotations

import json
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path


def safe_name(file_name: str) -> str:
    """The file name without folders and with only harmless characters."""
    base = re.split(r"[\\/]", file_name or "")[-1]
    cleaned = re.sub(r"[^\w.\-äöüÄÖÜß ]+", "_", base).strip(" .") or "upload"
    return cleaned[:120]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def store(
    archive_dir: Path, data: bytes, file_name: str, sha256: str, received_at: datetime
) -> str:
    """Write the file unchanged into the archive; returns its path relative to ``archive_dir``."""
    rel = (
        Path(f"{received_at:%Y-%m}")
        / f"{received_at:%Y%m%dT%H%M%S%f}_{sha256[:12]}_{safe_name(file_name)}"
    )
    _atomic_write(archive_dir / rel, data)
    return rel.as_posix()


def write_outcome(archive_dir: Path, rel_path: str, outcome: dict) -> None:
    """Record the outcome of an archived file in ``<file>.json`` beside it."""
    payload = json.dumps(outcome, ensure_ascii=False, indent=2, default=str).encode("utf-8")
    _atomic_write(archive_dir / f"{rel_path}.json", payload)


def read(archive_dir: Path, rel_path: str) -> bytes:
    """The archived file's bytes (refuses paths that leave the archive)."""
    path = (archive_dir / rel_path).resolve()
    if archive_dir.resolve() not in path.parents:
        raise ValueError("path outside the archive")
    return path.read_bytes()
