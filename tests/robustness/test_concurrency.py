"""Many uploads at once: 5 partners x 20 months from 6 parallel processes, on each backend.

Ten partner-months are uploaded twice at the same moment (the two copies wait for each
other on a barrier, in two different processes): five as the identical file, five as two
different versions. Companies are shared between partners, so concurrent transactions
insert the same company. Afterwards:

- no process saw an exception, the identical second copy is ``unchanged``;
- the warehouse invariants hold (:func:`assert_consistent`): exactly one accepted upload
  per partner-month, every accepted upload's rows present exactly once, ``fact_monthly``
  equal to them; no activity ID, receipt or company appears twice among the current rows;
- ``build_report`` equals the report of a serial run of the same files in one process
  (in file order; of two different versions of a month, the one that won the race last).
"""

from __future__ import annotations

import multiprocessing
import shutil
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

import pytest
from sqlalchemy import func, select, text

from etl.core.settings import settings_from_env
from etl.documents.report import build_report
from etl.documents.workbook import report_bytes
from etl.intake.ingest import ingest_bytes
from etl.warehouse import schema as s
from etl.warehouse.db import make_engine
from tests.robustness.helpers import assert_consistent, uploads
from tests.robustness.reports import report
from tests.robustness.tally import count

pytestmark = pytest.mark.slow

PARTNERS = ("DO", "BO", "HA", "HAM", "UN")
MONTHS = [date(2024 + (m // 12), m % 12 + 1, 1) for m in range(20)]  # 2024-01 .. 2025-08
WORKERS = 6
SAME_FILE_PAIRS = 5
TWO_VERSION_PAIRS = 5
RECEIVED = datetime(2025, 9, 20, 9, 0)


@dataclass(frozen=True)
class Job:
    key: str
    partner: str
    month: date
    data: bytes
    pair: int | None = None  # both copies of a pair wait for each other
    version: int = 0


@cache
def jobs() -> tuple[Job, ...]:
    """The 100 monthly files, then 10 second copies (identical, or a second version)."""
    base = [
        Job(
            f"{p}-{m:%Y-%m}", p, m, report_bytes(partner=p, month=f"{m:%Y-%m}", sheets=report(p, m))
        )
        for p in PARTNERS
        for m in MONTHS
    ]
    chosen = base[3 :: len(base) // (SAME_FILE_PAIRS + TWO_VERSION_PAIRS)]
    pairs = []
    for n, job in enumerate(chosen[: SAME_FILE_PAIRS + TWO_VERSION_PAIRS]):
        version = 0 if n < SAME_FILE_PAIRS else 1
        data = job.data
        if version:
            sheets = report(job.partner, job.month, version)
            data = report_bytes(partner=job.partner, month=f"{job.month:%Y-%m}", sheets=sheets)
        first = Job(job.key, job.partner, job.month, job.data, n)
        pairs.append((first, Job(f"{job.key}#2", job.partner, job.month, data, n, version)))
    paired = {j.key for pair in pairs for j in pair}
    rest = [j for j in base if j.key not in paired]
    return tuple(j for pair in pairs for j in pair) + tuple(rest)


def assignment() -> list[list[Job]]:
    """Jobs per worker: pair copies first, each pair on two workers in the same order."""
    lists: list[list[Job]] = [[] for _ in range(WORKERS)]
    all_jobs = jobs()
    n_pairs = SAME_FILE_PAIRS + TWO_VERSION_PAIRS
    for n in range(n_pairs):
        first, second = all_jobs[2 * n], all_jobs[2 * n + 1]
        lists[(2 * n) % WORKERS].append(first)
        lists[(2 * n + 1) % WORKERS].append(second)
    for i, job in enumerate(all_jobs[2 * n_pairs :]):
        lists[i % WORKERS].append(job)
    return lists


def _worker(url: str, data_dir: str, config, my_jobs: list[Job], barriers, results) -> None:
    engine = make_engine(url)
    settings = settings_from_env({"DATA_DIR": data_dir})
    out = []
    for job in my_jobs:
        at = RECEIVED + timedelta(microseconds=1 if job.key.endswith("#2") else 0)
        if job.pair is not None:
            barriers[job.pair].wait(60)
        try:
            result = ingest_bytes(
                job.data,
                f"{job.key}.xlsx",
                engine=engine,
                config=config,
                settings=settings,
                received_at=at,
            )
            out.append((job.key, result.status, result.upload_id, None))
        except Exception as exc:  # reported to the parent, which fails the test
            out.append((job.key, "error", None, repr(exc)))
    results.put(out)


def run_parallel(engine, config, data_dir) -> dict[str, tuple]:
    engine.dispose()  # nothing pooled is inherited by the forked workers
    ctx = multiprocessing.get_context("fork")
    barriers = [ctx.Barrier(2) for _ in range(SAME_FILE_PAIRS + TWO_VERSION_PAIRS)]
    results = ctx.Queue()
    url = engine.url.render_as_string(hide_password=False)
    procs = [
        ctx.Process(target=_worker, args=(url, str(data_dir), config, js, barriers, results))
        for js in assignment()
    ]
    for p in procs:
        p.start()
    collected = [item for _ in procs for item in results.get(timeout=300)]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    return {key: (status, upload_id, error) for key, status, upload_id, error in collected}


def run_serial(url: str, config, data_dir, order: list[Job]):
    engine = make_engine(url)
    settings = settings_from_env({"DATA_DIR": str(data_dir)})
    for job in order:
        result = ingest_bytes(
            job.data,
            f"{job.key}.xlsx",
            engine=engine,
            config=config,
            settings=settings,
            received_at=RECEIVED,
        )
        assert result.status != "rejected", result.errors
    return engine


def _winners(engine) -> set[int]:
    """Upload ids of the accepted uploads (the version of each month that won)."""
    return {u.id for u in uploads(engine) if u.status == "accepted"}


def _serial_order(results: dict, winners: set[int]) -> list[Job]:
    """File order; of a month's two copies the one that ended up accepted goes last."""
    return sorted(jobs(), key=lambda j: (j.partner, j.month, results[j.key][1] in winners))


def _assert_no_duplicates(engine) -> None:
    current = select(s.uploads.c.id).where(s.uploads.c.status == "accepted")
    checks = [
        (s.events, s.events.c.event_id),
        (s.coachings, s.coachings.c.coaching_id),
        (s.expenditure, s.expenditure.c.receipt_no),
    ]
    with engine.connect() as conn:
        for table, key in checks:
            query = (
                select(table.c.partner_code, func.lower(key), func.count())
                .where(table.c.upload_id.in_(current))
                .group_by(table.c.partner_code, func.lower(key))
                .having(func.count() > 1)
            )
            assert conn.execute(query).all() == [], table.name
        query = (
            select(s.companies.c.name_key, s.companies.c.plz, func.count())
            .group_by(s.companies.c.name_key, s.companies.c.plz)
            .having(func.count() > 1)
        )
        assert conn.execute(query).all() == []


def _assert_statuses(results: dict) -> None:
    errors = {k: v[2] for k, v in results.items() if v[0] == "error"}
    assert not errors, errors
    assert len(results) == len(jobs())
    for job in jobs():
        if job.pair is None:
            assert results[job.key][0] == "accepted", (job.key, results[job.key])
        elif job.pair < SAME_FILE_PAIRS and job.key.endswith("#2"):
            first = results[job.key.removesuffix("#2")][0]
            assert sorted([first, results[job.key][0]]) == ["accepted", "unchanged"]
        elif job.key.endswith("#2"):
            first = results[job.key.removesuffix("#2")][0]
            assert sorted([first, results[job.key][0]]) == ["accepted", "replaced"]


def test_parallel_uploads_equal_a_serial_run(engine, config, tmp_path, sqlite_template):
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    results = run_parallel(engine, config, tmp_path / "data")
    count("concurrent", len(results))
    _assert_statuses(results)
    assert_consistent(engine)
    _assert_no_duplicates(engine)
    serial_db = tmp_path / "serial.db"
    shutil.copy(sqlite_template, serial_db)
    order = _serial_order(results, _winners(engine))
    serial = run_serial(f"sqlite:///{serial_db}", config, tmp_path / "serial", order)
    try:
        assert build_report(engine, config) == build_report(serial, config)
    finally:
        serial.dispose()
    assert len(_winners(engine)) == len(PARTNERS) * len(MONTHS)
