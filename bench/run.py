"""The benchmark: ``python -m bench [--sizes small,medium,large] [--backends sqlite,postgresql]``.

Builds the warehouses (bench/scale.py), measures ingest (bench/ingest_run.py, one process
per measurement), the dashboard's callbacks over HTTP and first page loads in headless
Chromium (bench/web.py), and peak memory; prints the tables and writes them to
``bench/results/<time>/`` (``results.json``, ``results.md``) and ``bench/results/latest.md``.

Needs Redis (``BENCH_REDIS_URL``, default redis://127.0.0.1:6379/0) and, for PostgreSQL, a
server (``BENCH_PG_URL`` or ``TEST_DATABASE_URL``, default
postgresql+psycopg://postgres@127.0.0.1:5432/test) on which it creates and drops the
databases ``fc_bench_*``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench import scale, web
from etl.core.config import load_config
from etl.core.settings import REPO_ROOT, settings_from_env
from etl.warehouse import db
from etl.warehouse import schema as s
from etl.workflow import users

RESULTS = REPO_ROOT / "bench" / "results"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BIG_EVENTS = 25_000  # the 100 k-row workbook: 25 k events, 50 k participants, 25 k receipts


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- warehouses ------------------------------------------------------------------------------


class Backends:
    """Creates and drops the benchmark's warehouses (SQLite files, PostgreSQL databases)."""

    def __init__(self, work: Path, pg_url: str):
        self.work = work
        self.pg_admin = make_url(pg_url)
        self.made: list[str] = []

    def url(self, backend: str, name: str) -> str:
        if backend == "sqlite":
            path = self.work / f"{name}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return f"sqlite:///{path}"
        dbname = f"fc_bench_{name}"
        self._admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{dbname}"')
        self.made.append(dbname)
        return self.pg_admin.set(database=dbname).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        if url.startswith("sqlite"):
            path = url.split("///", 1)[1]
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            return
        dbname = make_url(url).database
        self._admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        if dbname in self.made:
            self.made.remove(dbname)

    def drop_all(self) -> None:
        for dbname in list(self.made):
            self._admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        self.made.clear()

    def _admin(self, sql: str) -> None:
        engine = create_engine(self.pg_admin, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(sql))
        finally:
            engine.dispose()


def prepared(url: str, config) -> object:
    engine = db.make_engine(url)
    db.prepare(engine, config)
    return engine


def fact_rows(engine) -> int:
    with engine.connect() as conn:
        return sum(
            conn.execute(select(func.count()).select_from(t)).scalar_one() for t in s.FACT_TABLES
        )


# --- results ---------------------------------------------------------------------------------


@dataclass
class Results:
    machine: dict
    started: str
    ingest: list[dict] = field(default_factory=list)
    dashboard: list[dict] = field(default_factory=list)
    browser: list[dict] = field(default_factory=list)
    memory: list[dict] = field(default_factory=list)
    setup: list[dict] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> dict:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError, ValueError):
        mem = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024)
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem,
            "python": platform.python_version(), "system": platform.platform(),
            "postgresql": "-"}


# --- ingest ----------------------------------------------------------------------------------


def run_child(spec: dict, work: Path) -> dict:
    path = work / f"spec_{secrets.token_hex(4)}.json"
    path.write_text(json.dumps(spec))
    out = subprocess.run([sys.executable, "-m", "bench.ingest_run", str(path)], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=1800)
    if out.returncode != 0:
        raise RuntimeError(f"ingest child failed: {out.stderr[-3000:]}")
    if out.stderr.strip():
        log(f"ingest child said: {out.stderr.strip()[:500]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_files(files: list[tuple[str, bytes, datetime]], folder: Path) -> list[list[str]]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, data, at in files:
        path = folder / name
        path.write_bytes(data)
        out.append([str(path), name, at.isoformat()])
    return out


NAIVE_MAX_FILES = 24  # the naive baseline of a month: at most this many files (rows/s)
NAIVE_FRACTION = 0.25  # the naive baseline of the 100 k workbook: inserts a quarter (rows/s)


def ingest_case(res: Results, label: str, size: str, backend: str, spec_files, url: str,
                naive_url: str | None, config_path: Path, work: Path, *,
                fraction: float = 1.0) -> None:
    data_dir = work / f"data_{size}_{backend}"
    real = run_child({"mode": "real", "database_url": url, "config": str(config_path),
                      "data_dir": str(data_dir), "files": spec_files}, work)
    row = {"case": label, "size": size, "backend": backend, **real}
    if naive_url:
        naive = run_child({"mode": "naive", "database_url": naive_url,
                           "config": str(config_path), "data_dir": str(data_dir),
                           "files": spec_files[:NAIVE_MAX_FILES], "fraction": fraction}, work)
        # the same rows at the naive rates (equal to the measured time when all were done)
        scale_ = real["rows"] / naive["rows"] if naive["rows"] else 1.0
        naive["sampled"] = scale_ != 1.0 or fraction != 1.0
        for key in ("read", "load", "total"):
            naive[key] *= scale_
        row["naive"] = naive
    res.ingest.append(row)
    log(f"ingest {label} [{backend}]: {real['rows']} rows in {real['total']:.2f} s "
        f"(read {real['read']:.2f}, validate {real['validate']:.2f}, load {real['load']:.2f})"
        + (f"; naive {row['naive']['total']:.2f} s" if naive_url else "")
        + f"; statuses {real['statuses']}")


# --- sizes -----------------------------------------------------------------------------------


def build_small(backends: list[str], bk: Backends, config, today: date):
    """The demo through the real upload path, up to the month before the last complete one.
    Returns engines by backend and the last month's files (ingested by the benchmark)."""
    from etl.intake.ingest import ingest_bytes
    from etl.ops.demo import build_demo

    last = scale.last_complete_month(today)
    uploads = build_demo(config, until=last)
    before = [u for u in uploads if u.month < last]
    final = [(u.file_name, u.data, u.received_at) for u in uploads if u.month == last]
    engines = {}
    for backend in backends:
        url = bk.url(backend, "small")
        engine = prepared(url, config)
        settings = settings_from_env({"DATA_DIR": str(bk.work / f"data_small_{backend}"),
                                      "DATABASE_URL": url})
        for u in before:
            ingest_bytes(u.data, u.file_name, engine=engine, config=config, settings=settings,
                         user=u.user, received_at=u.received_at)
        engines[backend] = (url, engine)
    return engines, final


def build_scaled(size: scale.Size, backends: list[str], bk: Backends, config, today: date):
    last = scale.last_complete_month(today)
    engines = {b: (url := bk.url(b, size.name), prepared(url, config)) for b in backends}
    writer = scale.BulkWriter([e for _u, e in engines.values()])
    loader = scale.BulkLoader(size, config, writer)
    loader.run(scale.project_months(config, last)[:-1], today)
    final = [(name, data, at) for _c, name, data, at in scale.iter_month_files(size, config, last)]
    return engines, final, loader.stats


def check_bulk_equals_file(size: scale.Size, config, today: date, res: Results) -> None:
    """A sample partner-month: the bulk path's parsed rows equal the file path's."""
    from etl.intake.contract import validate_workbook
    from etl.intake.reader import read_workbook

    last = scale.last_complete_month(today)
    code = config.partner_codes[-1]
    sheets = scale.month_sheets(size, code, last)
    from_file = validate_workbook(
        read_workbook(scale.workbook_bytes(code, last, sheets), "x.xlsx"), config, today=today
    )
    in_memory = scale.report_of(code, last, sheets, config, today)
    ok = scale.same_rows(from_file, in_memory) and not from_file.errors
    res.checks.append(f"{size.name}: bulk path parses like the file path ({code} {last:%Y-%m}): "
                      f"{'ok' if ok else 'DIFFERENT'}")
    if not ok:
        raise AssertionError("bulk path and file path disagree")


# --- dashboard -------------------------------------------------------------------------------


def dashboard_case(res: Results, size: str, backend: str, url: str, config_path: Path,
                   codes: list[str], month: str, work: Path, redis_url: str, *, repeat: int,
                   baseline: bool, browser: bool, baseline_filters: int, budget_s: float,
                   browser_timeout: float) -> None:
    prefix = f"fcbench_{secrets.token_hex(4)}_"
    env = {"DATABASE_URL": url, "NETWORK_CONFIG": str(config_path),
           "DATA_DIR": str(work / f"app_{size}_{backend}"), "SEED_DEMO": "0",
           "SECRET_KEY": secrets.token_hex(16), "CACHE_TYPE": "RedisCache",
           "CACHE_REDIS_URL": redis_url, "CACHE_KEY_PREFIX": prefix}
    filters = web.filter_sets(codes, month)
    server = web.start_server(env, log_dir=work)
    try:
        timings, answers = web.bench_callbacks(server.base, filters, repeat=repeat,
                                               budget_s=budget_s)
        first = web.browser_first_loads(server.base, browser_timeout) if browser else {}
        app_rss = server.peak_rss_mb()
    finally:
        server.stop()
        _clear_redis(redis_url, prefix)
    base_t: dict = {}
    base_rss = None
    mismatches = []
    if baseline:
        short = {k: v[:baseline_filters] for k, v in filters.items()}
        env_b = {**env, "CACHE_TYPE": "NullCache", "DATA_DIR": str(work / f"base_{size}")}
        bserver = web.start_server(env_b, app="bench.baseline_app:server", workers=1,
                                   log_dir=work)
        try:
            base_t, base_answers = web.bench_callbacks(bserver.base, short, repeat=1,
                                                       warmup=0)
            base_rss = bserver.peak_rss_mb()
        finally:
            bserver.stop()
        for key, text_ in base_answers.items():
            if key in answers and not web.same_figures(text_, answers[key]):
                mismatches.append(f"{key[0]} {key[1] or '(kein Filter)'}")
        res.checks.append(
            f"{size} {backend}: app == baseline for {len(base_answers)} callback x filter: "
            + ("ok" if not mismatches else "DIFFERENT: " + "; ".join(mismatches))
        )
    for label, t in timings.items():
        b = base_t.get(label)
        res.dashboard.append({
            "size": size, "backend": backend, "callback": label, "n": len(t.samples),
            "p50": t.p50, "p95": t.p95, "max": max(t.samples), "cold": t.cold,
            "kb": round(t.bytes / 1024),
            "base_n": len(b.samples) if b else 0,
            "base_p50": b.p50 if b else None, "base_p95": b.p95 if b else None,
            # every sample in ms, in the order taken (results.json only): where a p95 comes
            # from one slow request, it shows
            "samples_ms": [round(x * 1000, 1) for x in t.samples],
        })
    for label, (seconds, answered) in first.items():
        res.browser.append({"size": size, "backend": backend, "page": label, "s": seconds,
                            "callbacks_s": answered})
    res.memory.append({"size": size, "backend": backend, "what": "app worker (gunicorn)",
                       "peak_mb": app_rss})
    if base_rss is not None:
        res.memory.append({"size": size, "backend": backend, "what": "baseline app",
                           "peak_mb": base_rss})
    worst = max(timings.values(), key=lambda t: t.p95)
    log(f"dashboard {size} [{backend}]: worst p95 {worst.p95 * 1000:.0f} ms ({worst.label}); "
        f"app peak RSS {app_rss:.0f} MB" + (f"; mismatches {mismatches}" if mismatches else ""))


def _clear_redis(url: str, prefix: str) -> None:
    try:
        import redis

        client = redis.Redis.from_url(url)
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        for i in range(0, len(keys), 500):
            client.delete(*keys[i : i + 500])
    except Exception as exc:  # noqa: BLE001 - cleanup only
        log(f"redis cleanup failed: {exc}")


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="small,medium,large",
                        help="any of small, medium, large, dense (dense: not by default)")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=0, help="timed rounds per filter "
                        "(default: 5 small/medium, 3 large)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the naive baselines")
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium first loads")
    parser.add_argument("--no-big", action="store_true", help="skip the 100 k-row workbook")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    args = parser.parse_args(argv)
    sizes = [x for x in args.sizes.split(",") if x]
    backends = [x for x in args.backends.split(",") if x]
    pg_url = os.environ.get("BENCH_PG_URL") or os.environ.get("TEST_DATABASE_URL") or PG_DEFAULT
    redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
    work = Path(tempfile.mkdtemp(prefix="fc_bench_"))
    bk = Backends(work, pg_url)
    res = Results(machine=machine(), started=datetime.now().isoformat(timespec="seconds"))
    if "postgresql" in backends:
        eng = create_engine(pg_url)
        with eng.connect() as conn:
            res.machine["postgresql"] = conn.execute(text("SHOW server_version")).scalar()
        eng.dispose()
    today = date.today()
    res.machine["load_start"] = _loadavg()
    t_start = time.perf_counter()
    try:
        if not args.no_big:
            big_workbook(res, backends, bk, work, today, baseline=not args.no_baseline)
        for name in sizes:
            one_size(res, scale.SIZES[name], backends, bk, work, today, args, redis_url)
    finally:
        bk.drop_all()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    res.machine["runtime_s"] = round(time.perf_counter() - t_start)
    res.machine["load_end"] = _loadavg()
    from bench.report import render, write

    text_ = render(res)
    print(text_)
    folder = write(res, text_, RESULTS)
    log(f"results in {folder}")
    return 0


def big_workbook(res: Results, backends, bk: Backends, work: Path, today: date, *,
                 baseline: bool) -> None:
    config_path = REPO_ROOT / "data" / "config.toml"
    config = load_config(config_path)
    last = scale.last_complete_month(today)
    t0 = time.perf_counter()
    sheets = scale.big_sheets("DO", last, BIG_EVENTS)
    data = scale.workbook_bytes("DO", last, sheets)
    files = write_files([(f"Monatsbericht_DO_{last:%Y-%m}_gross.xlsx", data,
                          datetime.combine(today, datetime.min.time()))], work / "big")
    res.setup.append({"what": f"100k workbook written ({len(data) // 1024} KB)",
                      "s": time.perf_counter() - t0})
    for backend in backends:
        url = bk.url(backend, "ingest")
        prepared(url, config).dispose()
        naive_url = None
        if baseline:
            naive_url = bk.url(backend, "naive")
            prepared(naive_url, config).dispose()
        ingest_case(res, f"1 workbook, {scale.data_rows(sheets):,} rows", "-", backend, files,
                    url, naive_url, config_path, work, fraction=NAIVE_FRACTION)
        bk.drop(url)
        if naive_url:
            bk.drop(naive_url)


def one_size(res: Results, size: scale.Size, backends, bk: Backends, work: Path, today: date,
             args, redis_url: str) -> None:
    log(f"size {size.name}: building")
    t0 = time.perf_counter()
    if size.networks == 0:
        config_path = REPO_ROOT / "data" / "config.toml"
        config = load_config(config_path)
        engines, final = build_small(backends, bk, config, today)
        how = "demo through the real upload path"
    else:
        config_path = scale.write_config(size, work)
        config = load_config(config_path)
        check_bulk_equals_file(size, config, today, res)
        engines, final, stats = build_scaled(size, backends, bk, config, today)
        how = f"bulk path, {stats.partner_months} partner-months"
    res.setup.append({"what": f"{size.name}: warehouse(s) built ({how})",
                      "s": time.perf_counter() - t0})
    last = scale.last_complete_month(today)
    spec_files = write_files(final, work / f"month_{size.name}")
    for backend, (url, engine) in engines.items():
        naive_url = None
        if not args.no_baseline:
            naive_url = bk.url(backend, "naive")
            prepared(naive_url, config).dispose()
        ingest_case(res, f"{size.name}: month {last:%Y-%m}, all {len(config.partners)} partners",
                    size.name, backend, spec_files, url, naive_url, config_path, work)
        if naive_url:
            bk.drop(naive_url)
        users.create_user(engine, web.USER, web.PASSWORD, "steering", None, by="bench")
        n = fact_rows(engine)
        res.setup.append({"what": f"{size.name} [{backend}]: {n:,} fact rows", "s": 0.0,
                          "fact_rows": n})
        ingest_row = res.ingest[-1]
        res.memory.append({"size": size.name, "backend": backend,
                           "what": f"ingest ({ingest_row['files']} files)",
                           "peak_mb": ingest_row["peak_rss_mb"]})
        engine.dispose()
    large = size.name in ("large", "dense")
    for backend, (url, _engine) in engines.items():
        dashboard_case(
            res, size.name, backend, url, config_path, list(config.partner_codes),
            f"{last:%Y-%m}", work, redis_url,
            repeat=args.repeat or (3 if large else 5), baseline=not args.no_baseline,
            browser=not args.no_browser, baseline_filters=1 if large else 6,
            budget_s=15 if large else 60, browser_timeout=30 if large else 60,
        )
    for _backend, (url, _engine) in engines.items():
        bk.drop(url)


if __name__ == "__main__":
    sys.exit(main())
