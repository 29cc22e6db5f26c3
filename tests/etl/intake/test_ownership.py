"""A rejected file belongs to the account that sent it: a partner-bound sender's file that
claims another partner is never recorded in that partner's history (issue 13, finding 4)."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import select

from dashboard.calc.reporting import report_matrix
from etl.intake.ingest import Sender, ingest_bytes
from etl.warehouse import queries
from etl.warehouse import schema as s
from tests.factories import month_report, sheets, workbook

AT = datetime(2025, 6, 20, 9, 0)


def _send(engine, config, settings, data: bytes, sender: Sender):
    return ingest_bytes(data, "bericht.xlsx", engine=engine, config=config, settings=settings,
                        sender=sender)


def _audit_rows(engine) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(s.audit_log.c.action, s.audit_log.c.partner_code,
                                        s.audit_log.c.detail).order_by(s.audit_log.c.id)))


def test_partner_file_claiming_another_partner_stays_with_its_sender(engine, config, settings):
    do_user = Sender(user="partner-do", received_at=AT, partner_scope="DO")
    bo_file = workbook("BO", data=month_report("BO", "2025-03"))
    result = _send(engine, config, settings, bo_file, do_user)

    assert result.status == "rejected"
    assert "für den Partner DO angemeldet" in result.errors[0].message
    assert result.partner == "DO"
    bo_history = queries.uploads(engine, partners=("BO",), uploaded_by="partner-bo")
    assert bo_history.empty  # not in BO's history (nor downloadable by BO: same rule)
    do_history = queries.uploads(engine, partners=("DO",), uploaded_by="partner-do")
    assert list(do_history["id"]) == [result.upload_id]
    assert do_history.iloc[0]["partner_code"] == "DO"
    assert do_history.iloc[0]["month"] == date(2025, 3, 1)

    matrix = report_matrix(queries.uploads(engine), ("DO", "BO"), [date(2025, 3, 1)], 10,
                           date(2025, 6, 20))
    assert dict(zip(matrix["partner_code"], matrix["n_rejected"], strict=True)) == {
        "DO": 1, "BO": 0}

    action, partner, detail = _audit_rows(engine)[-1]
    assert (action, partner) == ("upload", "DO")
    assert json.loads(detail)["claimed_partner"] == "BO"
    outcome = json.loads((settings.archive_dir / f"{result.archive_path}.json").read_text())
    assert outcome["partner"] == "DO" and outcome["status"] == "rejected"


def test_partner_sender_owns_its_unreadable_and_faulty_files(engine, config, settings):
    do_user = Sender(user="partner-do", received_at=AT, partner_scope="DO")
    junk = _send(engine, config, settings, b"not a workbook", do_user)
    bad = sheets()
    bad["Ausgaben"][0]["Betrag"] = "viel"
    faulty = _send(engine, config, settings, workbook(data=bad), do_user)
    with engine.connect() as conn:
        owners = dict(conn.execute(select(s.uploads.c.id, s.uploads.c.partner_code)).all())
    assert owners == {junk.upload_id: "DO", faulty.upload_id: "DO"}


def test_staff_upload_keeps_the_partner_the_file_names(engine, config, settings, ingest):
    bad = month_report("BO", "2025-03")
    bad["Ausgaben"][0]["Betrag"] = "viel"
    result = ingest(workbook("BO", data=bad))
    assert result.status == "rejected" and result.partner == "BO"
    assert list(queries.uploads(engine, partners=("BO",))["id"]) == [result.upload_id]
    staff = Sender(user="finanzen", received_at=AT)
    good = _send(engine, config, settings, workbook("BO", data=month_report("BO", "2025-03")),
                 staff)
    assert good.status == "accepted" and good.partner == "BO"


def test_migration_moves_rows_planted_before(engine, ingest):
    """Migration 0006: a partner account's rejected file recorded under the partner its Meta
    claimed (as every upload did before) moves to the account's partner; staff files stay."""

    from etl.warehouse import db
    from etl.workflow import users

    users.create_user(engine, "partner-do", "partner-do-passwort", "partner", "DO")
    bad = month_report("BO", "2025-03")
    bad["Ausgaben"][0]["Betrag"] = "viel"
    planted = ingest(workbook("BO", data=bad), user="partner-do")  # recorded as before: BO
    staff = ingest(workbook("BO", data=bad), user="finanzen")
    junk = ingest(b"kaputt", user="partner-do")
    with engine.begin() as conn:
        conn.execute(s.uploads.update().where(s.uploads.c.id == junk.upload_id)
                     .values(partner_code=None))
    db.downgrade(engine, "0005")
    db.upgrade(engine)
    with engine.connect() as conn:
        owners = dict(conn.execute(select(s.uploads.c.id, s.uploads.c.partner_code)).all())
    assert owners == {planted.upload_id: "DO", staff.upload_id: "BO", junk.upload_id: "DO"}
