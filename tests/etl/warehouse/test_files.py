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


def test_failed_logins_count_by_name_or_address_since(engine):
    at = datetime(2025, 6, 20, 9, 0)
    with db.writing(engine) as conn:
        audit.record(conn, "login_failed", username="anna", ip="10.0.0.1", at=at)
        audit.record(conn, "login_failed", username="bert", ip="10.0.0.2", at=at)
        audit.record(conn, "login_failed", username="anna", ip="10.0.0.3", at=datetime(2025, 6, 1))
        audit.record(conn, "login", username="anna", ip="10.0.0.1", at=at)
    since = datetime(2025, 6, 20, 8, 45)
    assert audit.failed_logins(engine, username="anna", ip="10.0.0.9", since=since) == 1
    assert audit.failed_logins(engine, username="anna", ip="10.0.0.2", since=since) == 2
    assert audit.failed_logins(engine, username="carl", ip="10.0.0.9", since=since) == 0
    assert audit.failed_logins(engine, username="anna", ip="", since=datetime(2025, 1, 1)) == 2
