"""The upload archive stores each distinct content once per partner, within a quota, and
refuses oversize files before storing anything; reconcile and rebuild keep working."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest
from sqlalchemy import select

from etl.intake import archive
from etl.intake.ingest import ingest_bytes
from etl.intake.reader.messages import _msg_too_large
from etl.ops.reconcile import reconcile
from etl.warehouse import schema as s
from tests.factories import month_report, workbook
from tests.robustness.helpers import archived_files, uploads

AT = datetime(2025, 6, 20, 9, 0)


def _inodes(settings, rows) -> set[int]:
    return {(settings.archive_dir / r.archive_path).stat().st_ino for r in rows}


def test_identical_bytes_are_stored_once_with_every_receipt_kept(ingest, engine, settings):
    data = workbook()
    first = ingest(data, "maerz.xlsx")
    again = ingest(data, "maerz-nochmal.xlsx", at=datetime(2025, 6, 21, 9, 0))
    assert (first.status, again.status) == ("accepted", "unchanged")
    rows = uploads(engine)
    assert len(rows) == 2 and rows[0].archive_path != rows[1].archive_path
    assert _inodes(settings, rows) and len(_inodes(settings, rows)) == 1  # one copy on disk
    for row in rows:
        assert (settings.archive_dir / row.archive_path).read_bytes() == data
    outcomes = [
        json.loads(archive.outcome_path(settings.archive_dir, r.archive_path).read_text())
        for r in rows
    ]
    assert [o["status"] for o in outcomes] == ["accepted", "unchanged"]
    assert archive.used_bytes(settings.archive_dir, "DO") == len(data)
    summary = reconcile(engine, settings.archive_dir)
    assert summary.ok and not summary.findings, summary.findings


def test_quota_refuses_new_content_and_stores_nothing(engine, config, settings):
    march = workbook(month="2025-03", data=month_report("DO", "2025-03"))
    april = workbook(month="2025-04", data=month_report("DO", "2025-04"))
    small = replace(settings, archive_quota_bytes=len(march) + len(april) // 2)
    common = {"engine": engine, "config": config, "settings": small, "received_at": AT}
    assert ingest_bytes(march, "m.xlsx", **common).status == "accepted"
    files = archived_files(settings.archive_dir)
    refused = ingest_bytes(april, "a.xlsx", **common)
    assert refused.status == "rejected" and refused.upload_id is None
    assert "Kontingent" in refused.errors[0].message and "DO" in refused.errors[0].message
    assert archived_files(settings.archive_dir) == files and len(uploads(engine)) == 1
    # the same bytes again cost nothing and are still received
    assert ingest_bytes(march, "m2.xlsx", **common).status == "unchanged"
    assert archive.used_bytes(settings.archive_dir, "DO") == len(march)
    # another partner has its own quota
    bo = workbook("BO", data=month_report("BO", "2025-03"))
    assert ingest_bytes(bo, "bo.xlsx", **common).status == "accepted"


def test_oversize_file_is_refused_before_anything_is_stored(engine, config, settings):
    data = workbook()
    tight = replace(settings, max_upload_bytes=len(data) - 1)
    result = ingest_bytes(
        data,
        "gross.xlsx",
        engine=engine,
        config=config,
        settings=tight,
        received_at=AT,
        user="partner-do",
    )
    assert [e.message for e in result.errors] == [_msg_too_large(len(data) - 1)]
    assert (result.status, result.upload_id, result.archive_path) == ("rejected", None, "")
    assert archived_files(settings.archive_dir) == [] and uploads(engine) == []
    with engine.connect() as conn:
        audit = conn.execute(select(s.audit_log.c.username, s.audit_log.c.detail)).all()
    assert [(a.username, json.loads(a.detail)["status"]) for a in audit] == [
        ("partner-do", "refused")
    ]


def test_store_without_owner_and_quota_names_each_receipt(tmp_path):
    folder = tmp_path / "archive"
    one = archive.store(folder, b"abc", "x.xlsx", "a" * 64, AT)
    two = archive.store(folder, b"abc", "x.xlsx", "a" * 64, AT)  # same microsecond
    assert one != two and two.endswith("-2.xlsx")
    assert (folder / one).stat().st_ino == (folder / two).stat().st_ino
    assert archive.archived_uploads(folder) == sorted([one, two])
    with pytest.raises(archive.QuotaExceeded):
        archive.store(folder, b"defg", "y.xlsx", "b" * 64, AT, quota_bytes=5)
    assert archive.archived_uploads(folder) == sorted([one, two])
