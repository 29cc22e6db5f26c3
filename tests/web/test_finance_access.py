"""Finance over HTTP: only finance writes plans and payment requests; the plan workbook is for
finance and steering; partner accounts export only their own partner's figures."""

from __future__ import annotations

import base64
import io
import json
from datetime import date

from openpyxl import load_workbook

from etl.core.config import get_config
from etl.warehouse import queries
from etl.workflow import payments, plan
from tests.plan_workbooks import move, to_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _callback(client, outputs: list[tuple[str, str]], inputs: list, state: list = ()):
    ids = "...".join(f"{i}.{p}" for i, p in outputs)
    body = {
        "output": f"..{ids}.." if len(outputs) > 1 else ids,
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1 else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
        "changedPropIds": [f"{inputs[0][0]}.{inputs[0][1]}"],
    }
    return client.post("/_dash-update-component", json=body)


def _edited_plan(client) -> str:
    data = client.get("/download/finanzplan").data
    wb = load_workbook(io.BytesIO(data))
    move(wb, ("DO", 2025, "personnel"), ("DO", 2025, "material"), 5_000)
    return f"data:{XLSX};base64," + base64.b64encode(to_bytes(wb)).decode()


def _upload_plan(client, contents: str):
    return _callback(client, [("plan-result", "children")],
                     [("plan-upload", "contents", contents)],
                     [("plan-upload", "filename", "Finanzplan.xlsx"),
                      ("plan-reason", "value", "Umschichtung DO 2025")])


def test_only_finance_uploads_a_plan(site, client_as, engine):
    config = get_config()
    contents = _edited_plan(client_as("finance"))
    steering = _upload_plan(client_as("steering"), contents)
    assert steering.status_code == 200
    assert "Nur die Finanzabteilung" in steering.get_data(as_text=True)
    for role in ("partner", "admin"):
        assert _upload_plan(client_as(role), contents).status_code == 403
    assert [v.id for v in plan.versions(engine, config)] == [1]
    done = _upload_plan(client_as("finance"), contents)
    assert "angenommen als Version 2" in done.get_data(as_text=True)
    [v2, _v1] = plan.versions(engine, config)
    assert (v2.created_by, v2.reason) == ("finanzen", "Umschichtung DO 2025")


def test_plan_workbook_is_for_finance_and_steering(client_as):
    for role, status in (("finance", 200), ("steering", 200), ("partner", 403), ("admin", 403)):
        resp = client_as(role).get("/download/finanzplan")
        assert resp.status_code == status, role
    resp = client_as("finance").get("/download/finanzplan?version=7")
    assert resp.status_code == 404


def _record(client):
    return _callback(client, [("payments-message", "children")],
                     [("payments-record", "n_clicks", 1)],
                     [("payments-partner", "value", "DO"),
                      ("payments-requested-date", "date", "2025-04-20"),
                      ("payments-from", "value", "2025-03"), ("payments-to", "value", "2025-03"),
                      ("payments-amount", "value", "5.000,00"), ("payments-note", "value", "")])


def test_only_finance_records_payment_requests(client_as, engine):
    for role in ("steering", "partner", "admin"):
        assert _record(client_as(role)).status_code == 403, role
    assert queries.payment_requests(engine).empty
    resp = _record(client_as("finance"))
    # parse the JSON: whether Dash escapes "ü" depends on its encoder (orjson or not)
    assert "Mittelabruf Nr. 1 für DO erfasst" in json.dumps(resp.get_json(), ensure_ascii=False)
    [row] = queries.payment_requests(engine).itertuples()
    assert (row.partner_code, row.requested_cents, row.created_by) == ("DO", 500000, "finanzen")
    step = _callback(client_as("steering"), [("payments-step-message", "children")],
                     [("payments-approve", "n_clicks", 1)],
                     [("payments-request", "value", "1"), ("payments-step-amount", "value", ""),
                      ("payments-step-date", "date", "2025-05-01")])
    assert step.status_code == 403


def _sheet_partners(data: bytes, sheet: str) -> set[str]:
    """The values of column 'Partner' of an export sheet (totals row left out)."""
    rows = list(load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True))
    col, out = list(rows[0]).index("Partner"), set()
    for r in rows[1:]:
        if r[0] in ("Summe", "Gesamt", None):  # the totals row or the blank row ends the table
            break
        out.add(r[col])
    return out


def test_partner_exports_only_its_own_partner(client_as, engine):
    config = get_config()
    payments.record_request(engine, config, partner="BO", requested_date=date(2025, 4, 20),
                            period_start=date(2025, 3, 1), period_end=date(2025, 3, 1),
                            amount_cents=1_000_00, by="finanzen")
    partner = client_as("partner")
    resp = partner.get("/download/export?seite=/finanzen&partner=BO")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    for sheet in ("Budgetzeilen", "Förderfähig", "Zahlungsstand"):
        assert _sheet_partners(resp.data, sheet) == {"DO"}, sheet
    assert _sheet_partners(resp.data, "Mittelabrufe") == set()  # BO's request stays hidden
    resp = partner.get("/download/export?seite=/daten&tabelle=kosten")
    assert _sheet_partners(resp.data, "Kosten") == {"DO"}
    full = client_as("steering").get("/download/export?seite=/finanzen").data
    assert _sheet_partners(full, "Budgetzeilen") == set(config.partner_codes)
    assert _sheet_partners(full, "Mittelabrufe") == {"BO"}
    for path in ("/protokoll", "/benutzer", "/mittelabrufe", "/finanzplan", "/freigabe"):
        assert partner.get(f"/download/export?seite={path}").status_code == 403, path
    assert partner.get("/download/export?seite=/gibtsnicht").status_code == 404
    actions = queries.audit_rows(engine)
    assert (actions["action"] == "download").any()
    assert actions["detail"].str.contains('"page": "/finanzen"').any()


def test_partner_gets_only_its_own_proof_of_use(client_as):
    partner = client_as("partner")
    assert partner.get("/download/nachweis?partner=BO&jahr=2025").status_code == 404
    resp = partner.get("/download/nachweis?jahr=2025")
    assert resp.status_code == 200
    assert "Zwischennachweis_DO_2025.xlsx" in resp.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.data))
    assert _sheet_partners(resp.data, "Finanzierung") == {"DO"}
    assert wb["Deckblatt"]["A1"].value == "Zwischennachweis 2025 – DO"
    resp = client_as("finance").get("/download/nachweis")
    assert "Verwendungsnachweis_Projekt.xlsx" in resp.headers["Content-Disposition"]
    assert client_as("finance").get("/download/nachweis?partner=XX").status_code == 404


def _overview_partners(data: bytes) -> set[str]:
    rows = load_workbook(io.BytesIO(data))["Übersicht"].iter_rows(min_row=2, values_only=True)
    return {r[0] for r in rows if r[0] and r[1]}  # partner rows carry a year; totals do not


def test_partner_gets_only_its_own_belegliste(client_as, engine):
    partner = client_as("partner")
    assert partner.get("/download/belegliste?partner=BO&jahr=2025").status_code == 404
    resp = partner.get("/download/belegliste?jahr=2025")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert "Belegliste_DO_2025.xlsx" in resp.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(resp.data))
    assert wb["Deckblatt"]["A1"].value == "Belegliste DO – 2025"
    assert _overview_partners(resp.data) == {"DO"}
    assert wb["Sachkosten"]["A2"].value == "DO-2025-0001"
    finance = client_as("finance")
    every = finance.get("/download/belegliste?von=2025-03&bis=2025-03")
    assert "Belegliste_Projekt_2025-03_bis_2025-03.xlsx" in every.headers["Content-Disposition"]
    assert _overview_partners(every.data) == {"DO", "BO", "HA", "HAM", "UN"}
    listed = load_workbook(io.BytesIO(every.data))["Sachkosten"].iter_rows(min_row=2, max_col=1)
    assert {c.value for (c,) in listed} >= {"DO", "BO"}
    for bad in ("partner=XX", "jahr=2030", "von=Mai"):
        assert finance.get(f"/download/belegliste?{bad}").status_code == 404, bad
    details = queries.audit_rows(engine)["detail"]
    assert details.str.contains('"what": "belegliste"').any()
