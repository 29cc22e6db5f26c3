"""Fixtures: a fresh warehouse per test on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.

PostgreSQL tests run in a database created for this test session (dropped at the end),
so runs never see each other's rows; tables are emptied between tests.
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from etl.core.config import load_config
from etl.core.settings import REPO_ROOT, settings_from_env
from etl.warehouse import db
from etl.warehouse.schema import metadata
from tests.robustness import tally

PG_URL = os.environ.get("TEST_DATABASE_URL", "")
SECOND_NETWORK = REPO_ROOT / "examples" / "weserleine" / "config.toml"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(scope="session")
def dash_app():
    """The one Dash app of the test session (Dash keeps callbacks and pages process-global)."""
    os.environ.setdefault("SECRET_KEY", "test-session-secret")
    from dashboard import create_app

    return create_app()


@pytest.fixture(scope="session")
def config():
    return load_config(REPO_ROOT / "data" / "config.toml")


@pytest.fixture(scope="session")
def second_config():
    """The second example network (examples/weserleine): partners with quarterly or no
    reporting duty, one joining and one leaving, associated partners without funding."""
    return load_config(SECOND_NETWORK)


def _template(tmp_path_factory, config) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    engine = db.make_engine(f"sqlite:///{path}")
    db.prepare(engine, config)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory, config):
    """A migrated SQLite file that each test copies (migrating once is faster)."""
    return _template(tmp_path_factory, config)


@pytest.fixture(scope="session")
def second_template(tmp_path_factory, second_config):
    """:func:`sqlite_template` for the second network."""
    return _template(tmp_path_factory, second_config)


@contextmanager
def new_database(backend: str, folder: Path, config):
    """URL of a new, migrated warehouse of ``config``: a SQLite file in ``folder``, or a
    PostgreSQL database of its own (dropped afterwards; skips without TEST_DATABASE_URL)."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / 'warehouse.db'}"
        engine = db.make_engine(url)
        db.prepare(engine, config)
        engine.dispose()
        yield url
        return
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL tests skipped")
    name = f"fc_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_URL.rsplit("/", 1)[0] + f"/{name}"
    engine = db.make_engine(url)
    db.prepare(engine, config)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_database(config, tmp_path_factory):
    """URL of a PostgreSQL database made for this session (per xdist worker), migrated once."""
    with new_database("postgresql", tmp_path_factory.getbasetemp(), config) as url:
        yield url


def _truncate_pg(engine, config) -> None:
    """Empty the session's PostgreSQL database for the next test.

    Upload ids start at 1 again on the same URL, so the dashboard's frame cache (keyed by URL
    and latest upload) could hand a test the frames of an earlier test: it is cleared too."""
    names = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    db.sync_reference(engine, config)
    frames = sys.modules.get("dashboard.data")  # only once a test has used the dashboard
    if frames is not None and getattr(frames.cache, "app", None) is not None:
        frames.clear()


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "no_warehouse_check: the test leaves a deliberately broken warehouse (no invariant check)",
    )


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """``-n auto``: one worker per CPU this process may use; on a single CPU none, so the
    tests run in-process as with ``-n 0`` (one worker would only add its start-up).
    ``PYTEST_XDIST_AUTO_NUM_WORKERS`` still overrides."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return cpus if (cpus or 1) > 1 else 0


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadfile``, except that the browser tests form one unit: they share one demo
    warehouse, app server and Chromium per worker (tests/browser/conftest.py), so one worker
    builds them once instead of each worker building its own."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class BrowserTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/browser/"):
                return "tests/browser"
            return super()._split_scope(nodeid)

    return BrowserTogether(config, log)


def pytest_sessionfinish(session):
    """In an xdist worker: hand the robustness counts to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output[tally.WORKER_KEY] = dict(tally.COUNTS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist controller: add up the workers' robustness counts."""
    tally.COUNTS.update(getattr(node, "workeroutput", {}).get(tally.WORKER_KEY, {}))


def pytest_terminal_summary(terminalreporter):
    tally.write_summary(terminalreporter)


@pytest.fixture(autouse=True)
def _warehouse_invariants(request, config):
    """After every test that used ``engine`` and loaded an upload: ``python -m etl check``'s
    invariants must hold (keys, fact-upload links, pre-aggregates, money to the cent).

    The engine is requested here, before the test, so it is torn down after this check."""
    if "engine" not in request.fixturenames or request.node.get_closest_marker(
        "no_warehouse_check"
    ):
        yield
        return
    engine = request.getfixturevalue("engine")
    yield
    from etl.ops.check import run_checks

    if not db.is_empty(engine):
        summary = run_checks(engine, config)
        if not summary.ok:
            pytest.fail(summary.text(), pytrace=False)


def _empty_warehouse(request, tmp_path, config, template: str):
    """A migrated, empty warehouse of ``config`` on the backend ``request.param``."""
    if request.param == "sqlite":
        path = tmp_path / "warehouse.db"
        shutil.copy(request.getfixturevalue(template), path)
        return db.make_engine(f"sqlite:///{path}")
    eng = db.make_engine(request.getfixturevalue("pg_database"))
    _truncate_pg(eng, config)
    return eng


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path, config):
    """A migrated, empty warehouse with partners and modules, on each backend."""
    eng = _empty_warehouse(request, tmp_path, config, "sqlite_template")
    yield eng
    eng.dispose()


@pytest.fixture(params=BACKENDS)
def second_engine(request, tmp_path, second_config):
    """:func:`engine` for the second network (no invariant check after the test)."""
    eng = _empty_warehouse(request, tmp_path, second_config, "second_template")
    yield eng
    eng.dispose()


@pytest.fixture
def settings(tmp_path, engine):
    """Settings with a private data folder (archive) and the test's database."""
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    return replace(settings_from_env({"DATA_DIR": str(data)}), database_url=str(engine.url))


@pytest.fixture
def ingest(engine, config, settings):
    """Ingest workbook bytes as of a fixed date (default 2025-06-20) through the real path.

    Priced like the upload page and ``python -m etl ingest`` do: with the current plan's
    unit-cost table once the warehouse has a plan (none is created here)."""
    from etl.intake.ingest import ingest_bytes
    from etl.warehouse import queries
    from etl.workflow import plan

    def _ingest(
        data: bytes,
        name: str = "bericht.xlsx",
        *,
        user: str = "test",
        at: datetime = datetime(2025, 6, 20, 9, 0),
    ):
        has_plan = queries.latest_plan_version_id(engine) > 0
        priced = plan.current_config(engine, config) if has_plan else config
        return ingest_bytes(
            data, name, engine=engine, config=priced, settings=settings, user=user, received_at=at
        )

    return _ingest


@pytest.fixture(scope="session")
def soffice():
    """Convert files with LibreOffice (private profile): ``convert(src | [srcs], fmt, out_dir)``.

    Returns the converted path (or list of paths); one LibreOffice start per call. Skips the
    test when soffice is not installed.
    """
    import subprocess

    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = Path(f"/tmp/lo_{uuid.uuid4().hex}")

    def convert(sources, target_format: str, out_dir: Path):
        many = isinstance(sources, (list, tuple))
        paths = [Path(p) for p in (sources if many else [sources])]
        out_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                target_format,
                "--outdir",
                str(out_dir),
                *map(str, paths),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        results = [out_dir / f"{p.stem}.{target_format.split(':')[0]}" for p in paths]
        missing = [r for r in results if not r.exists()]
        assert not missing, f"LibreOffice did not write {missing}"
        return results if many else results[0]

    yield convert
    shutil.rmtree(profile, ignore_errors=True)
