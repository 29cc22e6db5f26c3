"""How many robustness cases ran in this session (printed at the end of the run, also when
the tests run in several xdist workers: each worker hands its counts to the controller)."""

from __future__ import annotations

from collections import Counter

COUNTS: Counter[str] = Counter()
WORKER_KEY = "robustness_counts"  # in an xdist worker's ``workeroutput``

LABELS = {
    "hostile": "hostile/broken files ingested",
    "property": "generated workbooks ingested (hypothesis examples)",
    "property_accepted": "  of which accepted",
    "property_rejected": "  of which rejected",
    "kill": "ingest processes killed with SIGKILL",
    "concurrent": "uploads from parallel processes",
    "backup": "online backups checked",
    "rebuild": "archived files replayed by rebuild",
}


def count(kind: str, n: int = 1) -> None:
    COUNTS[kind] += n


def write_summary(terminalreporter) -> None:
    """The "robustness cases" section (nothing when no robustness test ran)."""
    if not COUNTS:
        return
    terminalreporter.section("robustness cases")
    for key, label in LABELS.items():
        if COUNTS.get(key):
            terminalreporter.write_line(f"{COUNTS[key]:>6}  {label}")
