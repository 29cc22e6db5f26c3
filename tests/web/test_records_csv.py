"""The Daten page's CSV download: every matching row streamed from SQL, German formatting
like the grid, clamped to the partner's own rows, audited; and the grid's row blocks."""

from __future__ import annotations

import csv
import io

from etl.warehouse import queries


def _csv(client, query: str) -> list[list[str]]:
    resp = client.get(f"/download/daten{query}")
    assert resp.status_code == 200, resp.status_code
    assert resp.headers["Content-Disposition"].endswith('filename="foerdercockpit-daten.csv"')
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_holds_every_row_in_german(client_as, engine):
    rows = _csv(client_as("steering"), "?tabelle=kosten")
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Partner", "Berichtsmonat", "Kostenart"]
    assert header[-3:] == ["Datei", "Blatt", "Zeile"]
    assert len(body) == queries.record_totals(engine, "kosten")["rows"]
    assert {r[0] for r in body} == {"DO", "BO"}
    amount = header.index("Betrag")
    assert all(r[amount].endswith(" €") and "," in r[amount] for r in body)
    assert "März 2025" in {r[1] for r in body}
    personnel = next(r for r in body if r[2] == "Personal")
    assert personnel[header.index("Angaben")].startswith("Leistungsgruppe ")
    actions = queries.audit_rows(engine)
    assert actions["detail"].str.contains('"what": "csv"').any()


def test_partner_csv_holds_only_its_partner(client_as):
    body = _csv(client_as("partner"), "?tabelle=kosten&partner=BO")[1:]
    assert body and {r[0] for r in body} == {"DO"}  # BO asked for, clamped to DO
    body = _csv(client_as("partner"), "?tabelle=veranstaltungen")[1:]
    assert body and {r[0] for r in body} == {"DO"}
    assert client_as(None).get("/download/daten?tabelle=kosten").status_code in (302, 401)


def test_grid_blocks_are_clamped(client_as):
    def block(client, search):
        body = {"output": "records-grid.getRowsResponse",
                "outputs": {"id": "records-grid", "property": "getRowsResponse"},
                "inputs": [{"id": "records-grid", "property": "getRowsRequest",
                            "value": {"startRow": 0, "endRow": 100, "sortModel": [],
                                      "filterModel": {}}}],
                "state": [{"id": "url", "property": "search", "value": search}],
                "changedPropIds": ["records-grid.getRowsRequest"]}
        resp = client.post("/_dash-update-component", json=body)
        assert resp.status_code == 200
        return resp.get_json()["response"]["records-grid"]["getRowsResponse"]

    mine = block(client_as("partner"), "?tabelle=veranstaltungen&partner=BO")
    assert {r["partner_code"] for r in mine["rowData"]} == {"DO"}
    assert mine["rowCount"] == len(mine["rowData"]) == 2
    everyone = block(client_as("steering"), "?tabelle=veranstaltungen")
    assert {r["partner_code"] for r in everyone["rowData"]} == {"DO", "BO"}
