"""Peak resident memory from /proc (Linux)."""

from __future__ import annotations

from pathlib import Path


def _status(pid: int | str, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024  # kB -> MB
    except OSError:
        pass
    return 0.0


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident set size (VmHWM) of a process in MB."""
    return round(_status(pid, "VmHWM"), 1)


def rss_mb(pid: int | str = "self") -> float:
    """Current resident set size (VmRSS) of a process in MB."""
    return round(_status(pid, "VmRSS"), 1)


def children(pid: int) -> list[int]:
    """Direct child process ids (e.g. the gunicorn workers of the master)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(x) for x in text.split()]
