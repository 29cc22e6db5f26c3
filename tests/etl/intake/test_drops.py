"""A replacement that removes much of an accepted month: reported (CLI), held until confirmed
(web), and the replaced version restorable (issue 13, finding 5)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from etl.core.settings import REPO_ROOT
from etl.documents.template import template_bytes
from etl.intake.ingest import Sender, ingest_bytes
from etl.intake.versions import VersionError, confirm_held, restore
from etl.warehouse import schema as s
from etl.workflow import months
from tests.factories import sheets, workbook

MARCH = date(2025, 3, 1)
# the base report: 2 events, 1 coaching; personnel 6.755,12 + 15 % overheads 1.013,27 +
# material 1.324,46 = 9.092,85 € eligible (tests/factories.EXPECTED)
BASE_DROP = {"events_removed": 2, "coachings_removed": 1, "eligible_cents_removed": 909285,
             "personnel_cents_removed": 675512, "expenditure_cents_removed": 132446,
             "all_rows_removed": True}


def _at(day: int) -> datetime:
    return datetime(2025, 6, day, 9, 0)


def _web(engine, config, settings, data: bytes, day: int, user="partner-do", scope="DO"):
    sender = Sender(user=user, received_at=_at(day), partner_scope=scope, hold_drops=True)
    return ingest_bytes(data, "leer.xlsx", engine=engine, config=config, settings=settings,
                        sender=sender)


def _facts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        current = select(s.uploads.c.id).where(s.uploads.c.status == "accepted")
        return {t.name: conn.execute(select(func.count()).select_from(t)
                                     .where(t.c.upload_id.in_(current))).scalar_one()
                for t in (s.events, s.coachings, s.personnel, s.expenditure)}


def _statuses(engine) -> dict[int, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(s.uploads.c.id, s.uploads.c.status)).all())


def _blank(config) -> bytes:
    return template_bytes(config, "DO", MARCH)


def test_cli_applies_a_blank_replacement_and_reports_the_drop(engine, config, ingest):
    first = ingest(workbook())
    blank = ingest(_blank(config), at=_at(21))
    assert blank.status == "replaced" and blank.ok
    assert blank.as_dict()["drop"] == {"previous_upload_id": first.upload_id,
                                       "previous_received_at": "2025-06-20T09:00", **BASE_DROP}
    assert _facts(engine) == {"events": 0, "coachings": 0, "personnel": 0, "expenditure": 0}


def test_small_correction_is_no_drop(engine, config, ingest, settings):
    ingest(workbook())
    fixed = sheets()
    fixed["Veranstaltungen"].pop()  # 3 activities -> 2: a third removed, not more than half
    result = _web(engine, config, settings, workbook(data=fixed), 21)
    assert result.status == "replaced" and result.drop is None
    assert "drop" not in result.as_dict()


def test_web_holds_a_large_drop_until_confirmed(engine, config, ingest, settings):
    first = ingest(workbook())
    before = _facts(engine)
    held = _web(engine, config, settings, _blank(config), 21)
    assert held.status == "held" and not held.ok
    assert held.previous_id == first.upload_id
    assert held.drop.events == 2 and held.drop.coachings == 1
    assert held.drop.eligible_cents == 909285 and held.drop.empty
    assert _facts(engine) == before  # nothing changed
    assert _statuses(engine) == {first.upload_id: "accepted", held.upload_id: "held"}
    outcome = json.loads((settings.archive_dir / f"{held.archive_path}.json").read_text())
    assert outcome["status"] == "held" and outcome["drop"]["events_removed"] == 2

    sender = Sender(user="partner-do", received_at=_at(22), partner_scope="DO")
    done = confirm_held(held.upload_id, engine=engine, config=config, settings=settings,
                        sender=sender)
    assert done.status == "replaced" and done.previous_id == first.upload_id
    assert done.drop.events == 2  # still reported
    assert _facts(engine) == {"events": 0, "coachings": 0, "personnel": 0, "expenditure": 0}
    assert _statuses(engine) == {first.upload_id: "superseded", held.upload_id: "held",
                                 done.upload_id: "accepted"}
    with pytest.raises(VersionError):  # another partner's account cannot confirm it
        confirm_held(held.upload_id, engine=engine, config=config, settings=settings,
                     sender=Sender(user="partner-bo", partner_scope="BO"))


def test_confirmation_holds_only_against_the_version_shown(engine, config, ingest, settings):
    ingest(workbook())
    held = _web(engine, config, settings, _blank(config), 21)
    fixed = sheets()
    fixed["Ausgaben"].pop()
    newer = ingest(workbook(data=fixed), at=_at(22))  # someone else corrected the month
    assert newer.status == "replaced"
    again = confirm_held(held.upload_id, engine=engine, config=config, settings=settings,
                         sender=Sender(user="partner-do", received_at=_at(23),
                                       partner_scope="DO"))
    assert again.status == "held" and again.previous_id == newer.upload_id
    assert _facts(engine)["events"] == 2


def test_finance_restores_the_superseded_version(engine, config, ingest, settings):
    first = ingest(workbook())
    before = _facts(engine)
    blank = ingest(_blank(config), at=_at(21))
    finance = Sender(user="finanzen", received_at=_at(22))
    with pytest.raises(VersionError, match="Finanzabteilung"):
        restore(first.upload_id, engine=engine, config=config, settings=settings,
                sender=Sender(user="partner-do", partner_scope="DO"))
    with pytest.raises(VersionError):  # the current version is not superseded
        restore(blank.upload_id, engine=engine, config=config, settings=settings, sender=finance)

    back = restore(first.upload_id, engine=engine, config=config, settings=settings,
                   sender=finance)
    assert back.status == "replaced" and back.previous_id == blank.upload_id
    assert _facts(engine) == before
    with engine.connect() as conn:
        action, detail = conn.execute(select(s.audit_log.c.action, s.audit_log.c.detail)
                                      .order_by(s.audit_log.c.id.desc())).first()
    assert action == "restore"
    assert json.loads(detail)["restored"] == first.upload_id


def test_no_restore_into_a_locked_month(engine, config, ingest, settings):
    first = ingest(workbook())
    blank = ingest(_blank(config), at=_at(21))
    assert blank.status == "replaced"  # the operator's path applies the drop
    months.approve(engine, "DO", MARCH, by="finanzen", role="finance")
    with pytest.raises(VersionError, match="gesperrt"):
        restore(first.upload_id, engine=engine, config=config, settings=settings,
                sender=Sender(user="finanzen", received_at=_at(23)))
    assert _facts(engine)["events"] == 0


def test_cli_json_names_the_drop(engine, settings, tmp_path, config, ingest):
    ingest(workbook())
    path = tmp_path / "leer.xlsx"
    path.write_bytes(_blank(config))
    env = {"DATA_DIR": str(settings.data_dir), "PATH": "/usr/bin:/bin",
           "DATABASE_URL": engine.url.render_as_string(hide_password=False),
           "PYTHONPATH": str(REPO_ROOT)}
    out = subprocess.run([sys.executable, "-m", "etl", "ingest", "--json", str(path)],
                         cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    (result,) = json.loads(out.stdout)
    assert result["status"] == "replaced"
    assert {k: result["drop"][k] for k in BASE_DROP} == BASE_DROP
