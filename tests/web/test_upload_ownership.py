"""Over HTTP: a file a partner account sent for another partner is its sender's (history,
downloads), and only finance or project steering may restore a version (issue 13, 4 and 5)."""

from __future__ import annotations

from datetime import datetime

from etl.core.settings import get_settings
from etl.intake.ingest import Sender, ingest_bytes
from etl.workflow import users
from tests.factories import month_report, workbook
from tests.web.conftest import login, send_csrf_header


def _restore_request(upload_id: int) -> dict:
    clicked = {"value": upload_id, "colId": "restore", "rowIndex": 0, "timestamp": 1}
    return {
        "output": "upload-restore-message.children",
        "outputs": {"id": "upload-restore-message", "property": "children"},
        "inputs": [{"id": "upload-history", "property": "cellRendererData", "value": clicked}],
        "changedPropIds": ["upload-history.cellRendererData"],
    }


def _message(resp) -> str:
    assert resp.status_code == 200
    return resp.get_json()["response"]["upload-restore-message"]["children"]["props"]["children"]


def test_planted_file_is_downloadable_by_its_sender_only(site, client_as, engine, config):
    users.create_user(engine, "partner-bo", "partner-bo-passwort", "partner", "BO")
    sender = Sender(user="partner-do", received_at=datetime(2025, 6, 22), partner_scope="DO")
    planted = ingest_bytes(workbook("BO", data=month_report("BO", "2025-03")), "bo.xlsx",
                           engine=engine, config=config, settings=get_settings(),
                           sender=sender)
    assert planted.status == "rejected"
    bo = site.test_client()
    assert login(bo, "partner-bo").status_code == 302
    assert bo.get(f"/download/original/{planted.upload_id}").status_code == 404
    assert bo.get(f"/download/marked/{planted.upload_id}").status_code == 404
    assert bo.get(f"/download/original/{site.upload_ids['bo']}").status_code == 200
    do = client_as("partner")
    assert do.get(f"/download/original/{planted.upload_id}").status_code == 200
    assert do.get(f"/download/marked/{planted.upload_id}").status_code == 200


def test_only_staff_may_restore_a_version(site, client_as, ingest):
    first = site.upload_ids["do"]
    fixed = month_report("DO", "2025-03", n=2)
    assert ingest(workbook(data=fixed), at=datetime(2025, 6, 22)).status == "replaced"
    partner = client_as("partner")
    resp = partner.post("/_dash-update-component", json=_restore_request(first))
    assert "nur die Finanzabteilung" in _message(resp)
    finance = site.test_client()
    login(finance, "finanzen")
    send_csrf_header(finance)
    resp = finance.post("/_dash-update-component", json=_restore_request(first))
    assert "gilt wieder für DO 03/2025" in _message(resp)
