"""Recovery: rebuild from the archive alone, and backups taken while uploads are written.

- The demo (Jan-Sep 2024, with rejected files and corrected versions) is loaded into
  warehouse A (SQLite, once per module); ``rebuild_from_archive`` replays A's archive into
  an empty warehouse B on each backend: same report, same history of loaded versions.
- The rebuild refuses a warehouse that has uploads and a damaged archive (nothing
  written), lists files whose processing was interrupted, and runs from the command line.
- SQLite: ``sqlite3 warehouse.db "VACUUM INTO 'backup.db'"`` taken repeatedly while another
  process uploads; every copy is consistent, holds exactly the first k uploads, and works
  as a restored warehouse with the archive copied after it.
- PostgreSQL: ``pg_dump -Fc`` while uploads run, restored with ``pg_restore`` into a new
  database: consistent.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from etl.core.settings import REPO_ROOT, settings_from_env
from etl.documents.report import build_report
from etl.intake.ingest import ingest_bytes
from etl.ops.demo import run_demo
from etl.ops.rebuild import RebuildError, rebuild_from_archive
from etl.warehouse import db
from tests.robustness.helpers import assert_consistent, clear_warehouse, outcome, uploads
from tests.robustness.reports import report_file
from tests.robustness.tally import count

DEMO_UNTIL = date(2024, 9, 1)


@pytest.fixture(scope="module")
def demo_a(tmp_path_factory, sqlite_template, config):
    """Warehouse A: the demo up to September 2024 on SQLite, with its archive."""
    folder = tmp_path_factory.mktemp("warehouse_a")
    shutil.copy(sqlite_template, folder / "a.db")
    engine = db.make_engine(f"sqlite:///{folder / 'a.db'}")
    settings = replace(
        settings_from_env({"DATA_DIR": str(folder / "data")}),
        database_url=str(engine.url),
    )
    results = run_demo(engine, config, settings, until=DEMO_UNTIL)
    yield engine, settings, results
    engine.dispose()


def history(engine) -> Counter:
    """The loaded versions: (partner, month, status, sha256, uploader, time) of each."""
    return Counter(
        (u.partner_code, u.month, u.status, u.sha256, u.uploaded_by, u.uploaded_at)
        for u in uploads(engine)
        if u.status in ("accepted", "superseded")
    )


def test_rebuild_from_archive_gives_the_same_figures(demo_a, engine, config):
    a_engine, a_settings, results = demo_a
    summary = rebuild_from_archive(engine, config, a_settings)
    statuses = Counter(r.status for r in results)
    count("rebuild", sum(summary.replayed.values()))
    assert summary.ok and summary.unfinished == [], summary.text()
    assert summary.found == len(results)
    assert summary.replayed == Counter({s: statuses[s] for s in ("accepted", "replaced")})
    assert summary.skipped == Counter(rejected=statuses["rejected"])
    assert statuses["rejected"] and statuses["replaced"]  # the demo has both stories
    assert build_report(engine, config) == build_report(a_engine, config)
    assert history(engine) == history(a_engine)
    assert_consistent(engine)
    for u in uploads(engine):  # rebuilt rows point at the original archived files
        data = (a_settings.archive_dir / u.archive_path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == u.sha256
    assert "Neuaufbau aus dem Archiv" in summary.text()


def test_rebuild_refuses_a_warehouse_with_uploads(demo_a, config):
    a_engine, a_settings, _results = demo_a
    with pytest.raises(RebuildError, match="enthält bereits .* Uploads.*leere"):
        rebuild_from_archive(a_engine, config, a_settings)


def _copy_archive(a_settings, tmp_path: Path):
    settings = replace(a_settings, data_dir=tmp_path / "copy")
    shutil.copytree(a_settings.archive_dir, settings.archive_dir)
    return settings


@pytest.fixture
def empty_b(tmp_path, sqlite_template):
    """An empty SQLite warehouse B."""
    shutil.copy(sqlite_template, tmp_path / "b.db")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    yield engine
    engine.dispose()


def _archive_contents(archive_dir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(archive_dir).as_posix(): p.read_bytes()
        for p in archive_dir.rglob("*")
        if p.is_file()
    }


def test_rebuild_refuses_a_damaged_archive(demo_a, empty_b, config, tmp_path):
    _a_engine, a_settings, results = demo_a
    settings = _copy_archive(a_settings, tmp_path)
    victim = settings.archive_dir / next(r.archive_path for r in results if r.status == "accepted")
    damaged = bytearray(victim.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    victim.write_bytes(bytes(damaged))
    with pytest.raises(RebuildError, match="passen nicht zu ihrer Prüfsumme") as info:
        rebuild_from_archive(empty_b, config, settings)
    assert victim.relative_to(settings.archive_dir).as_posix() in str(info.value)
    assert uploads(empty_b) == []


def test_rebuild_lists_interrupted_files_and_only_reads_the_archive(
    demo_a, empty_b, config, tmp_path
):
    a_engine, a_settings, results = demo_a
    settings = _copy_archive(a_settings, tmp_path)
    rejected = next(r.archive_path for r in results if r.status == "rejected")
    (settings.archive_dir / f"{rejected}.json").unlink()
    plan_file = settings.data_dir / "finanzplan" / "2024-05" / "plan.xlsx"  # a finance plan upload
    plan_file.parent.mkdir(parents=True)
    plan_file.write_bytes(b"plan")
    plan_file.with_name("plan.xlsx.json").write_text('{"status": "accepted"}')
    before = _archive_contents(settings.archive_dir)
    summary = rebuild_from_archive(empty_b, config, settings)
    assert summary.unfinished == [rejected]
    assert rejected in summary.text() and "ohne Ergebnisdatei" in summary.text()
    assert summary.plan_uploads == 1 and "Finanzplan-Fassungen" in summary.text()
    assert build_report(empty_b, config) == build_report(a_engine, config)
    assert _archive_contents(settings.archive_dir) == before  # outcome files untouched too


def test_rebuild_command_line(demo_a, tmp_path):
    _a_engine, a_settings, _results = demo_a
    target = f"sqlite:///{tmp_path / 'b.db'}"
    env = {**os.environ, "DATA_DIR": str(a_settings.data_dir)}

    def etl(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "etl", "--db", target, *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=REPO_ROOT,
        )

    first = etl("rebuild")
    assert first.returncode == 0, first.stderr
    assert "Neuaufbau aus dem Archiv" in first.stdout
    assert "Alle eingespielten Dateien endeten wie archiviert." in first.stdout
    assert "Förderfähig gesamt:" in first.stdout
    assert "Alle 5 Prüfungen bestanden." in first.stdout  # python -m etl check at the end
    again = etl("rebuild")
    assert again.returncode == 2
    assert "enthält bereits" in again.stderr


# --- backups while uploads are written --------------------------------------------------------

WRITER_FILES = [(p, date(2024, m, 1)) for m in range(1, 7) for p in ("DO", "BO", "HA", "UN")]
WRITER_AT = datetime(2024, 9, 20, 9, 0)


def _writer(url: str, data_dir: str, config, files: list[bytes]) -> None:
    engine = db.make_engine(url)
    settings = settings_from_env({"DATA_DIR": data_dir})
    for i, data in enumerate(files):
        at = WRITER_AT + timedelta(minutes=i)
        result = ingest_bytes(
            data, f"{i}.xlsx", engine=engine, config=config, settings=settings, received_at=at
        )
        assert result.status == "accepted", result.errors


def _start_writer(engine, config, data_dir: Path, files: list[bytes]):
    engine.dispose()
    ctx = multiprocessing.get_context("fork")
    url = engine.url.render_as_string(hide_password=False)
    proc = ctx.Process(target=_writer, args=(url, str(data_dir), config, files), daemon=True)
    proc.start()
    return proc


def _writer_files() -> list[bytes]:
    return [report_file(p, m) for p, m in WRITER_FILES]


def _assert_prefix(engine, files: list[bytes]) -> int:
    """The copy holds exactly the first k uploads of the writer; returns k."""
    shas = [u.sha256 for u in uploads(engine)]
    assert shas == [hashlib.sha256(f).hexdigest() for f in files[: len(shas)]]
    return len(shas)


def _vacuum_into(source: Path, target: Path) -> None:
    """The recommended online backup: one read transaction, a compact consistent copy.

    The busy timeout matters: when the application's last connection closes, SQLite
    checkpoints the WAL and briefly locks it; without a timeout the backup fails with
    "database is locked" (exit 5) instead of waiting a few milliseconds.
    """
    command = f"VACUUM INTO '{target}'"
    if shutil.which("sqlite3"):
        run = subprocess.run(
            ["sqlite3", "-cmd", ".timeout 30000", str(source), command],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
    else:  # the same SQL through Python's sqlite3 module
        import sqlite3

        with sqlite3.connect(source, timeout=30) as conn:
            conn.execute(command)


def _check_restored(backup: Path, archive_copy: Path, files: list[bytes]) -> int:
    """Restore = the copy as warehouse.db in a fresh folder (no -wal/-shm) + the archive."""
    folder = backup.parent / f"restored_{backup.stem}"
    folder.mkdir()
    shutil.copy(backup, folder / "warehouse.db")
    engine = db.make_engine(f"sqlite:///{folder / 'warehouse.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
        assert_consistent(engine)
        k = _assert_prefix(engine, files)
        for u in uploads(engine):
            assert (archive_copy / u.archive_path).exists()
            recorded = outcome(archive_copy, u.archive_path)  # None: copied before it was written
            assert recorded is None or recorded["upload_id"] == u.id
        return k
    finally:
        engine.dispose()


def test_sqlite_online_backup_while_uploading(empty_b, config, tmp_path):
    engine = empty_b
    source = Path(engine.url.database)
    files = _writer_files()
    writer = _start_writer(engine, config, tmp_path / "data", files)
    backups = []
    while writer.is_alive() or not backups:
        target = tmp_path / f"backup_{len(backups)}.db"
        _vacuum_into(source, target)
        archive_copy = tmp_path / f"archive_{len(backups)}"  # after the database, never before
        archive_copy.mkdir()
        if (tmp_path / "data" / "archive").exists():  # else the writer archived nothing yet
            shutil.copytree(
                tmp_path / "data" / "archive",
                archive_copy,
                ignore=shutil.ignore_patterns(".tmp-*"),
                dirs_exist_ok=True,
            )
        backups.append((target, archive_copy))
        writer.join(0.05)
    assert writer.exitcode == 0
    sizes = [_check_restored(b, a, files) for b, a in backups]
    count("backup", len(backups))
    print(f"{len(backups)} backups during {len(files)} uploads held {sizes} uploads")
    assert any(0 < k < len(files) for k in sizes), "no backup was taken while uploads ran"
    _restored_accepts_uploads(backups[-1][0], tmp_path, config)


def _restored_accepts_uploads(backup: Path, tmp_path: Path, config) -> None:
    shutil.copy(backup, tmp_path / "restored.db")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'restored.db'}")
    data = report_file("HAM", date(2024, 1, 1))
    settings = settings_from_env({"DATA_DIR": str(tmp_path / "restored_data")})
    result = ingest_bytes(data, "neu.xlsx", engine=engine, config=config, settings=settings)
    assert result.status == "accepted"
    engine.dispose()


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@pytest.fixture
def pg_engine(pg_database, config):
    """The session's PostgreSQL warehouse, emptied."""
    engine = db.make_engine(pg_database)
    clear_warehouse(engine, config)
    yield engine
    engine.dispose()


@pytest.mark.postgresql
def test_postgresql_dump_restore_while_uploading(pg_engine, config, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("pg_dump/pg_restore not installed")
    engine = pg_engine
    url = engine.url.render_as_string(hide_password=False)
    files = _writer_files()
    writer = _start_writer(engine, config, tmp_path / "data", files)
    dumps = []
    while writer.is_alive() or not dumps:
        dump = tmp_path / f"warehouse_{len(dumps)}.dump"
        subprocess.run(
            ["pg_dump", "-Fc", "-f", str(dump), "-d", _libpq(url)], check=True, timeout=120
        )
        dumps.append(dump)
        writer.join(0.1)
    assert writer.exitcode == 0
    chosen = {dumps[len(dumps) // 2], dumps[-1]}  # one taken mid-way, the last one
    sizes = [_check_pg_restore(url, dump, files) for dump in sorted(chosen)]
    count("backup", len(sizes))
    print(f"{len(dumps)} dumps during {len(files)} uploads; restored ones held {sizes} uploads")


def _check_pg_restore(url: str, dump: Path, files: list[bytes]) -> int:
    name = f"fc_restore_{uuid.uuid4().hex[:8]}"
    server = url.rsplit("/", 1)[0]
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        target = f"{server}/{name}"
        subprocess.run(
            ["pg_restore", "--no-owner", "-d", _libpq(target), str(dump)], check=True, timeout=120
        )
        restored = db.make_engine(target)
        try:
            assert_consistent(restored)
            return _assert_prefix(restored, files)
        finally:
            restored.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
