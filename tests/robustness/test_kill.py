"""Atomicity under ``kill -9``: an ingest process killed at any point leaves the warehouse with
the old or the new version of the month, never a mix, and archive and history agreeing.

Each attempt forks a child process from this (already importing) test process; the child
makes its own engine and uploads a different version of DO, March 2025 through
``ingest_bytes``. Test-only hooks, installed in the child by monkeypatching (production code
is unchanged), stop it at a named point and tell the parent, which sends SIGKILL:

==================  =========================================================================
``start``           before anything (nothing archived)
``archived``        file archived, no transaction yet
``in_transaction``  transaction begun, just before the partner lock; nothing written
``mid_facts``       in the transaction, after the first fact table's rows were inserted
``facts_written``   in the transaction, all fact rows and ``fact_monthly`` written
``before_commit``   in the transaction, audit row written, just before COMMIT
``committed``       after COMMIT, before the outcome file is written
``outcome_written`` after everything
``random``          no hook: every SQL statement is slowed down and the child is killed
                    after a random delay (seeded), wherever it happens to be
==================  =========================================================================

After every kill the test checks: the invariants of :func:`assert_consistent` (exactly one
accepted upload per partner-month, fact rows only and exactly for accepted/superseded
uploads, ``fact_monthly`` equal to the accepted upload's rows), that the month holds the
old version (killed before COMMIT) or the new one (killed after), and that archive and
history agree. What archive/history may legitimately show after a crash:

- every upload row has its archived file with the recorded SHA-256;
- an archived file without upload row is allowed only when its outcome file is missing
  (killed between archiving and COMMIT) or says ``failed``;
- an upload row without outcome file occurs only after a kill between COMMIT and the
  outcome write (``committed``, or ``random`` landing there): the warehouse row is the
  record; the archive lacks the outcome (``etl.ops.rebuild`` lists such files, not replaying them).

Then :func:`etl.ops.reconcile.reconcile` runs after every kill, as an operator would after a
crash: it writes exactly the missing outcome files (from the upload rows), after which every
upload row has its outcome; the file of a child killed before COMMIT is reported as an
orphan and kept; nothing is deleted; and a second run changes nothing.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from etl.core.settings import settings_from_env
from etl.intake.ingest import ingest_bytes
from etl.ops.reconcile import reconcile
from etl.warehouse import schema as s
from tests.factories import month_report, sheets, workbook
from tests.robustness.helpers import archive_mismatches, archived_files, assert_consistent, outcome
from tests.robustness.tally import count

pytestmark = pytest.mark.slow

HOOKS = (
    "start",
    "archived",
    "in_transaction",
    "mid_facts",
    "facts_written",
    "before_commit",
    "committed",
    "outcome_written",
)
BEFORE_COMMIT = {
    "start",
    "archived",
    "in_transaction",
    "mid_facts",
    "facts_written",
    "before_commit",
}
HOOK_ROUNDS = 2
RANDOM_KILLS = 12  # 2 x 8 hooks + 12 random = 28 kills per backend
SEED = 20250620
SLOW_STATEMENT_S = 0.004
START = datetime(2025, 6, 20, 9, 0)


def versions() -> list[bytes]:
    """Three different versions of DO, March 2025 (different amounts and events)."""
    out = []
    for extra in range(3):
        data = sheets()
        data["Ausgaben"][1]["Betrag"] = f"{100 + extra},00"
        if extra == 2:
            data["Veranstaltungen"].pop(1)
        out.append(workbook(data=data))
    return out


# --- the child ----------------------------------------------------------------------------


def _pause(pipe, name: str) -> None:
    pipe.send(("hook", name))
    time.sleep(60)


def _wrap(module, attr: str, signal_: Callable[[], None], *, before: bool, only_rows=False):
    """Call ``signal_`` before or after ``module.attr`` (``only_rows``: non-empty inserts)."""
    original = getattr(module, attr)

    def wrapper(*args, **kwargs):
        if before:
            signal_()
        result = original(*args, **kwargs)
        if not before and (not only_rows or args[2]):
            signal_()
        return result

    setattr(module, attr, wrapper)


def _points():
    from etl.intake import archive, ingest
    from etl.warehouse import audit, db
    from etl.warehouse.store import bulk

    return {
        "archived": (archive, "store", False),
        "in_transaction": (db, "lock_partner", True),
        "mid_facts": (bulk, "insert_rows", False),
        "facts_written": (ingest, "write_facts", False),
        "before_commit": (audit, "record", False),
        "committed": (archive, "write_outcome", True),
        "outcome_written": (archive, "write_outcome", False),
    }


def _install(hook: str, pipe, engine) -> None:
    """Stop at ``hook``; in ``random`` mode slow every statement and report each stage."""
    if hook == "random":
        event.listen(engine, "before_cursor_execute", lambda *a: time.sleep(SLOW_STATEMENT_S))
        for name, (module, attr, before) in _points().items():
            if name != "mid_facts":
                _wrap(module, attr, partial(pipe.send, ("stage", name)), before=before)
    elif hook in _points():
        module, attr, before = _points()[hook]
        pause = partial(_pause, pipe, hook)
        _wrap(module, attr, pause, before=before, only_rows=hook == "mid_facts")


def _child(pipe, url: str, data_dir: str, config, data: bytes, at: datetime, hook: str) -> None:
    from etl.warehouse.db import make_engine

    engine = make_engine(url)
    _install(hook, pipe, engine)
    if hook == "start":
        _pause(pipe, hook)
    settings = settings_from_env({"DATA_DIR": data_dir})
    result = ingest_bytes(
        data, "maerz.xlsx", engine=engine, config=config, settings=settings, received_at=at
    )
    pipe.send(("done", result.status))


# --- the parent ---------------------------------------------------------------------------


class Warehouse:
    """The warehouse under attack and the parent's view of it."""

    def __init__(self, engine, config, data_dir: Path):
        self.engine, self.config, self.data_dir = engine, config, data_dir
        self.archive = data_dir / "archive"
        self.url = engine.url.render_as_string(hide_password=False)

    def current_sha(self) -> str:
        with self.engine.connect() as conn:
            return conn.execute(
                select(s.uploads.c.sha256).where(
                    s.uploads.c.partner_code == "DO",
                    s.uploads.c.month == datetime(2025, 3, 1).date(),
                    s.uploads.c.status == "accepted",
                )
            ).scalar_one()

    def n_uploads(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT COUNT(*) FROM uploads")).scalar_one()

    def attack(self, data: bytes, at: datetime, hook: str, delay: float | None) -> str:
        """Run one child; kill it at ``hook`` (or after ``delay`` s). Returns what happened."""
        self.engine.dispose()  # no pooled connection is inherited by the child
        ctx = multiprocessing.get_context("fork")
        parent_end, child_end = ctx.Pipe()
        args = (child_end, self.url, str(self.data_dir), self.config, data, at, hook)
        proc = ctx.Process(target=_child, args=args, daemon=True)
        proc.start()
        try:
            return self._kill(proc, parent_end, delay)
        finally:
            proc.join(10)

    @staticmethod
    def _kill(proc, pipe, delay: float | None) -> str:
        """Kill the child at its hook or after ``delay``; returns the last stage it reached."""
        if delay is None:
            assert pipe.poll(30), "the child never reached its hook"
            kind, name = pipe.recv()
            assert kind == "hook", (kind, name)
        else:
            proc.join(delay)
        if proc.exitcode is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.join(10)
        assert proc.exitcode in (0, -signal.SIGKILL), proc.exitcode  # 0: it had just finished
        stage = "started"
        while pipe.poll():
            kind, name = pipe.recv()
            stage = name if kind == "stage" else stage
        return stage if proc.exitcode else "finished"


def _check_after(w: Warehouse, hook: str, before_sha: str, new_sha: str, n_before: int):
    """Old or new version, consistent; returns the upload ids that lack an outcome file."""
    assert_consistent(w.engine)
    sha, n_after = w.current_sha(), w.n_uploads()
    assert sha in (before_sha, new_sha), "the month holds neither the old nor the new version"
    assert n_after == n_before + (sha == new_sha), "an upload row without its version"
    if hook in BEFORE_COMMIT:
        assert (sha, n_after) == (before_sha, n_before), f"killed at {hook}: must be unchanged"
    elif hook in ("committed", "outcome_written"):
        assert (sha, n_after) == (new_sha, n_before + 1), f"killed at {hook}: must be committed"
    problems, missing = archive_mismatches(w.engine, w.archive)
    assert not problems, problems
    return missing


def _assert_archive_state(w: Warehouse, hook: str, new_missing: set[int], n_files_before: int):
    allowed = {"committed", "random"}
    assert not new_missing or hook in allowed, f"upload rows {new_missing} lack an outcome file"
    files = archived_files(w.archive)
    if hook == "random":
        return
    if hook == "start":
        assert len(files) == n_files_before
    else:
        assert len(files) == n_files_before + 1
        newest = max(files)
        if hook in BEFORE_COMMIT - {"start"}:
            assert outcome(w.archive, newest) is None


def _assert_reconciled(w: Warehouse, hook: str, missing: set[int]) -> None:
    """Reconcile after the kill: the missing outcomes written, the rest reported, idempotent."""
    files = archived_files(w.archive)
    summary = reconcile(w.engine, w.archive)
    assert summary.ok, summary.text()
    assert {f.upload_id for f in summary.of("written")} == missing
    assert {f.kind for f in summary.findings} <= {"written", "orphan"}
    assert archive_mismatches(w.engine, w.archive) == ([], [])
    if hook in BEFORE_COMMIT - {"start"}:  # the killed child's file: kept, reported
        assert max(files) in {f.path for f in summary.of("orphan")}
    assert archived_files(w.archive) == files
    again = reconcile(w.engine, w.archive)
    assert again.findings == summary.of("orphan"), again.text()


def _seed(w: Warehouse, first: bytes) -> None:
    kwargs = {"engine": w.engine, "config": w.config, "received_at": START - timedelta(days=1)}
    settings = settings_from_env({"DATA_DIR": str(w.data_dir)})
    for data in (
        workbook(month="2025-02", data=month_report("DO", "2025-02")),
        workbook("BO", month="2025-03", data=month_report("BO", "2025-03")),
        first,
    ):
        assert ingest_bytes(data, "seed.xlsx", settings=settings, **kwargs).ok


def _plan(rng: random.Random, typical: float) -> list[tuple[str, float | None]]:
    plan = [(hook, None) for hook in HOOKS * HOOK_ROUNDS]
    plan += [("random", rng.uniform(0.0, 0.8 * typical)) for _ in range(RANDOM_KILLS)]
    rng.shuffle(plan)
    return plan


def _typical_duration(w: Warehouse, data: bytes, at: datetime) -> float:
    """How long a slowed-down child takes from start to end (it is not killed)."""
    start = time.perf_counter()
    assert w.attack(data, at, "random", delay=30) == "finished"
    return time.perf_counter() - start


def test_kill_9_at_any_point_leaves_old_or_new_version(engine, config, tmp_path):
    w = Warehouse(engine, config, tmp_path / "data")
    rng = random.Random(SEED)
    files = versions()
    _seed(w, files[0])
    typical = _typical_duration(w, files[1], START)
    kills, stages = 0, Counter()
    for i, (hook, delay) in enumerate(_plan(rng, typical)):
        before_sha, n_before = w.current_sha(), w.n_uploads()
        n_files = len(archived_files(w.archive))
        data = rng.choice([f for f in files if _sha(f) != before_sha])
        new_sha = _sha(data)
        stage = w.attack(data, START + timedelta(minutes=i + 1), hook, delay)
        kills += stage != "finished"
        if hook == "random":
            stages[stage] += 1
        missing = set(_check_after(w, hook, before_sha, new_sha, n_before))
        _assert_archive_state(w, hook, missing, n_files)
        _assert_reconciled(w, hook, missing)
    count("kill", kills)
    print(f"{kills} kills; a child runs {typical:.2f} s; random kills after stage: {stages}")
    assert kills >= 20
    _assert_recovers(w, files)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _assert_recovers(w: Warehouse, files: list[bytes]) -> None:
    """After all the kills: no lock is left behind and the next upload goes through."""
    if w.engine.dialect.name == "sqlite":
        with w.engine.connect() as conn:
            assert conn.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    current = w.current_sha()
    data = next(f for f in files if _sha(f) != current)
    result = ingest_bytes(
        data,
        "danach.xlsx",
        engine=w.engine,
        config=w.config,
        settings=settings_from_env({"DATA_DIR": str(w.data_dir)}),
        received_at=START + timedelta(days=1),
    )
    assert result.status == "replaced"
    assert_consistent(w.engine)
