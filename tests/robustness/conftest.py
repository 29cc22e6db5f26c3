"""Robustness suite: prints how many hostile files, generated workbooks, kills and
concurrent uploads were exercised (the figures for the README)."""

from __future__ import annotations

from tests.robustness.tally import COUNTS

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


def pytest_terminal_summary(terminalreporter):
    if not COUNTS:
        return
    terminalreporter.section("robustness cases")
    for key, label in LABELS.items():
        if COUNTS.get(key):
            terminalreporter.write_line(f"{COUNTS[key]:>6}  {label}")
