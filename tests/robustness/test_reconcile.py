"""Reconciliation of archive and upload history (``etl.ops.reconcile``), on each backend.

A crash between COMMIT and the outcome write leaves upload rows without outcome file; the
reconciliation writes them from the rows, exactly as the upload would have, and reports
what it cannot repair without touching it. (The kill -9 test runs it after every kill.)
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timedelta

import pytest

from etl.intake import archive
from etl.ops.rebuild import rebuild_from_archive
from etl.ops.reconcile import reconcile
from tests.factories import month_report, sheets, workbook
from tests.robustness.helpers import archive_mismatches, outcome, uploads

AT = datetime(2025, 6, 20, 9, 0)


def _contents(folder) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def history(ingest):
    """Four uploads, one of each outcome: accepted, replaced, unchanged, rejected."""
    other = sheets()
    other["Ausgaben"][1]["Betrag"] = "100,00"
    broken = month_report("DO", "2025-04")
    broken["Ausgaben"][0]["Betrag"] = "1,234"
    files = [workbook(), workbook(data=other), workbook(data=other), workbook(data=broken)]
    results = [
        ingest(data, f"{i}.xlsx", at=AT + timedelta(minutes=i)) for i, data in enumerate(files)
    ]
    assert [r.status for r in results] == ["accepted", "replaced", "unchanged", "rejected"]
    return results


def test_missing_outcomes_are_written_as_the_upload_would_have(history, engine, settings):
    folder = settings.archive_dir
    originals = {r.archive_path: outcome(folder, r.archive_path) for r in history}
    for path in originals:
        archive.outcome_path(folder, path).unlink()
    summary = reconcile(engine, folder)
    assert [(f.kind, f.upload_id) for f in summary.findings] == [
        ("written", r.upload_id) for r in history
    ]
    assert summary.ok and (summary.uploads, summary.files) == (4, 4)
    for path, original in originals.items():
        written = outcome(folder, path)
        assert written.pop("reconciled_at")
        assert written == original
    assert archive_mismatches(engine, folder) == ([], [])


def test_reconcile_is_idempotent_and_deletes_nothing(history, engine, settings):
    folder = settings.archive_dir
    archive.outcome_path(folder, history[1].archive_path).unlink()
    assert [f.kind for f in reconcile(engine, folder).findings] == ["written"]
    before = _contents(folder)
    again = reconcile(engine, folder)
    assert again.findings == [] and again.ok
    assert "stimmen überein" in again.text()
    assert _contents(folder) == before


def test_orphans_are_reported_never_touched(history, engine, settings):
    folder = settings.archive_dir
    data = workbook(month="2025-05", data=month_report("DO", "2025-05"))
    interrupted = archive.store(folder, data, "abgebrochen.xlsx", "a" * 64, AT)
    failed = archive.store(folder, data, "fehler.xlsx", "b" * 64, AT)
    archive.write_outcome(folder, failed, {"status": "failed", "error": "OperationalError()"})
    before = _contents(folder)
    summary = reconcile(engine, folder)
    assert sorted((f.kind, f.path, f.status, f.outcome) for f in summary.findings) == [
        ("orphan", interrupted, None, None),
        ("orphan", failed, None, "failed"),
    ]
    assert summary.ok and "ohne Upload-Eintrag" in summary.text()
    assert _contents(folder) == before


def test_failed_outcome_of_a_committed_upload_is_corrected(history, engine, settings):
    folder = settings.archive_dir
    path = history[0].archive_path
    original = outcome(folder, path)
    failed = {"status": "failed", "error": "OperationalError('server closed the connection')"}
    archive.write_outcome(folder, path, failed)
    summary = reconcile(engine, folder)
    assert [(f.kind, f.path) for f in summary.findings] == [("repaired", path)]
    corrected = outcome(folder, path)
    assert corrected.pop("previous_outcome") == failed
    corrected.pop("reconciled_at")
    assert corrected == original
    assert archive_mismatches(engine, folder) == ([], [])


def test_what_cannot_be_repaired_is_reported_and_left_alone(history, engine, settings):
    folder = settings.archive_dir
    accepted, replaced, unchanged, rejected = (r.archive_path for r in history)
    (folder / accepted).unlink()
    # Receipts of the same bytes share one stored copy (hard links, etl.intake.archive):
    # damage this receipt through a new file, so that the receipt "unchanged" keeps its bytes.
    (folder / replaced).unlink()
    (folder / replaced).write_bytes(b"damaged")
    archive.outcome_path(folder, unchanged).write_text("{not json", "utf-8")
    archive.write_outcome(folder, rejected, {**outcome(folder, rejected), "status": "accepted"})
    lost = archive.store(folder, workbook(month="2025-05"), "neu.xlsx", "c" * 64, AT)
    archive.write_outcome(folder, lost, {"status": "accepted", "upload_id": 99})
    odd = archive.store(folder, b"odd", "odd.xlsx", "d" * 64, AT)
    archive.outcome_path(folder, odd).write_text("{}", "utf-8")
    before = _contents(folder)
    summary = reconcile(engine, folder)
    assert sorted((f.kind, f.path) for f in summary.findings) == sorted(
        [
            ("missing", accepted),
            ("damaged", replaced),
            ("conflict", unchanged),
            ("conflict", rejected),
            ("unrecorded", lost),
            ("conflict", odd),
        ]
    )
    assert not summary.ok and "ACHTUNG" in summary.text()
    assert _contents(folder) == before


def test_rebuild_replays_an_upload_whose_outcome_was_reconciled(
    history, engine, config, settings, sqlite_template, tmp_path
):
    """Without its outcome the rebuild could only list the file; reconciled, it is replayed."""
    from etl.warehouse import db

    folder = settings.archive_dir
    archive.outcome_path(folder, history[1].archive_path).unlink()
    reconcile(engine, folder)
    shutil.copy(sqlite_template, tmp_path / "b.db")
    target = db.make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        summary = rebuild_from_archive(target, config, settings)
        assert summary.unfinished == [] and summary.ok
        assert summary.replayed == {"accepted": 1, "replaced": 1}
        assert [(u.sha256, u.status) for u in uploads(target) if u.status != "superseded"] == [
            (history[1].sha256, "accepted")
        ]
    finally:
        target.dispose()


def test_outcome_files_keep_the_shape_rebuild_reads(history, engine, settings):
    folder = settings.archive_dir
    archive.outcome_path(folder, history[0].archive_path).unlink()
    reconcile(engine, folder)
    info = json.loads(archive.outcome_path(folder, history[0].archive_path).read_text("utf-8"))
    assert datetime.fromisoformat(info["received_at"]) == AT
    assert datetime.fromisoformat(info["reconciled_at"]) <= datetime.now()
