"""The warehouse answers for the web layer: an upload's archived file, failed logins."""

from __future__ import annotations

from datetime import datetime

from etl.intake import archive
from etl.warehouse import audit, db, files
from tests.factories import sheets, workbook


def test_upload_file_names_partner_and_archive(engine, settings, ingest):
    accepted = ingest(workbook(), user="anna")
    bad = sheets()
    bad["Ausgaben"][0]["Betrag"] = "viel"
    rejected = ingest(workbook(month="2025-04", data=bad))
    row = files.upload_file(engine, accepted.upload_id)
    assert (row.id, row.partner_code, row.status, row.uploaded_by) == (
        accepted.upload_id, "DO", "accepted", "anna")
    assert archive.read(settings.archive_dir, row.archive_path) == workbook()
    assert row.errors() == []
    findings = files.upload_file(engine, rejected.upload_id).errors()
    assert findings and any("viel" in str(f) or "Betrag" in str(f) for f in findings)
    assert files.upload_file(engine, 999_999) is None


def test_login_failures_count_per_name_and_address_since_the_last_success(engine):
    at = datetime(2025, 6, 20, 9, 0)
    with db.writing(engine) as conn:
        for minute, name, ip in [(0, "anna", "10.0.0.1"), (1, "anna", "10.0.0.1"),
                                 (2, "anna", "10.0.0.2"), (3, "bert", "10.0.0.1")]:
            audit.record(conn, "login_failed", username=name, ip=ip,
                         at=at.replace(minute=minute))
        audit.record(conn, "login_failed", username="anna", ip="10.0.0.1", at=datetime(2025, 6, 1))
    since = datetime(2025, 6, 20, 8, 45)
    latest = at.replace(minute=1)
    assert audit.login_failures(engine, username="anna", ip="10.0.0.1", since=since) == (2, latest)
    # another address's failures, or another name's, are not this pair's
    assert audit.login_failures(engine, username="anna", ip="10.0.0.9", since=since) == (0, None)
    assert audit.login_failures(engine, username="carl", ip="10.0.0.1", since=since) == (0, None)
    assert audit.login_failures(engine, username="anna", ip="10.0.0.1",
                                since=datetime(2025, 1, 1))[0] == 3
    assert audit.address_failures(engine, ip="10.0.0.1", since=since) == 3  # anna and bert
    assert audit.address_failures(engine, ip="10.0.0.2", since=since) == 1
    # a successful login of the pair starts its count afresh
    with db.writing(engine) as conn:
        audit.record(conn, "login", username="anna", ip="10.0.0.1", at=at.replace(minute=5))
        audit.record(conn, "login_failed", username="anna", ip="10.0.0.1",
                     at=at.replace(minute=6))
    assert audit.login_failures(engine, username="anna", ip="10.0.0.1", since=since) == (
        1, at.replace(minute=6))
    assert audit.address_failures(engine, ip="10.0.0.1", since=since) == 4
