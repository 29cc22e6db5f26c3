"""Time read / validate / load of monthly workbooks (run: ``python bench/ingest_timing.py``).

Measures a typical demo month (one partner), a whole demo month (all five partners), and
a large synthetic workbook, each on a fresh SQLite warehouse, median of several runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from etl import db  # noqa: E402
from etl.config import get_config  # noqa: E402
from etl.contract import validate_workbook  # noqa: E402
from etl.demo import build_demo  # noqa: E402
from etl.ingest import ingest_bytes  # noqa: E402
from etl.reader import read_workbook  # noqa: E402
from etl.settings import settings_from_env  # noqa: E402
from etl.workbook import report_bytes  # noqa: E402


def big_workbook(n_events: int) -> bytes:
    """One partner-month with ``n_events`` events, 2 participants each, and n receipts."""
    day = date(2025, 3, 10)
    events = [
        {
            "ID": f"V{i}",
            "Datum": day,
            "Titel": f"Veranstaltung {i}",
            "Modul": "Informieren",
            "Format": "Online",
            "Teilnehmende": 5,
            "davon Frauen": 2,
        }
        for i in range(n_events)
    ]
    parts = [
        {
            "Aktivität": f"V{i}",
            "Unternehmen": f"Firma {i % 5000} GmbH",
            "PLZ": "44135",
            "Größenklasse": "Klein",
            "Personen": 1,
        }
        for i in range(n_events)
        for _ in (0,)
    ]
    parts += [{**p, "Unternehmen": p["Unternehmen"].replace("Firma", "Betrieb")} for p in parts]
    receipts = [
        {"Belegnummer": f"B{i}", "Datum": day, "Kostenart": "Sachkosten", "Betrag": "12,34"}
        for i in range(n_events)
    ]
    return report_bytes(
        partner="DO",
        month="2025-03",
        sheets={"Veranstaltungen": events, "Teilnehmende": parts, "Ausgaben": receipts},
    )


def timed(fn, repeat: int = 5) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def fresh():
    tmp = Path(tempfile.mkdtemp())
    settings = settings_from_env({"DATA_DIR": str(tmp)})
    engine = db.make_engine(settings.database_url)
    config = get_config()
    db.prepare(engine, config)
    return engine, config, settings


def measure(label: str, files: list[bytes], repeat: int = 5) -> None:
    engine, config, settings = fresh()
    at = datetime(2025, 4, 5)
    read = timed(lambda: [read_workbook(f, "x.xlsx") for f in files], repeat)
    raws = [read_workbook(f, "x.xlsx") for f in files]
    check = timed(lambda: [validate_workbook(r, config, today=at.date()) for r in raws], repeat)

    loads = []
    for _ in range(max(1, repeat // 2)):
        engine, config, settings = fresh()
        start = time.perf_counter()
        for f in files:
            ingest_bytes(
                f, "x.xlsx", engine=engine, config=config, settings=settings, received_at=at
            )
        loads.append(time.perf_counter() - start)
    total = statistics.median(loads)
    rows = sum(sum(len(s.rows) - 1 for s in r.sheets if s.rows) for r in raws)
    print(
        f"{label:<38} {len(files):>3} file(s) {rows:>7} rows | read {read * 1000:8.1f} ms | "
        f"validate {check * 1000:8.1f} ms | ingest total {total * 1000:8.1f} ms"
    )


def main() -> None:
    config = get_config()
    demo = [
        u
        for u in build_demo(config, until=date(2025, 3, 1))
        if u.month == date(2025, 3, 1) and u.expect == "accepted"
    ]
    measure("demo month, one partner (DO)", [next(u.data for u in demo if u.partner == "DO")])
    measure("demo month, all partners", [u.data for u in demo])
    measure("synthetic: 10k events + 20k participants", [big_workbook(10_000)], repeat=3)


if __name__ == "__main__":
    main()
