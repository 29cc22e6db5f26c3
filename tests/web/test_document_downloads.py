"""Downloads of the staff-hours records and the Sachbericht draft: partner scope on the
server (a partner gets only its own partner's), file names and types, audit rows."""

from __future__ import annotations

import io

from docx import Document
from openpyxl import load_workbook

from etl.warehouse import queries

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _partners(data: bytes, sheet: str) -> set:
    rows = list(load_workbook(io.BytesIO(data))[sheet].iter_rows(values_only=True))[1:]
    return {r[0] for r in rows if r[0] not in (None, "Summe") and len(str(r[0])) <= 3}


def test_partner_gets_only_its_own_staff_hours(client_as, engine):
    partner = client_as("partner")
    assert partner.get("/download/stunden?partner=BO&jahr=2025").status_code == 404
    resp = partner.get("/download/stunden?jahr=2025")
    assert resp.status_code == 200 and resp.mimetype == XLSX
    assert "Stundennachweise_DO_2025.xlsx" in resp.headers["Content-Disposition"]
    assert _partners(resp.data, "Monatsanteile") == {"DO"}
    assert "Stundennachweis DO-02 2025" in load_workbook(io.BytesIO(resp.data)).sheetnames
    full = client_as("finance").get("/download/stunden")
    assert "Stundennachweise_Projekt.xlsx" in full.headers["Content-Disposition"]
    assert _partners(full.data, "Monatsanteile") == {"DO", "BO"}
    assert client_as("finance").get("/download/stunden?jahr=2031").status_code == 404
    assert client_as(None).get("/download/stunden").status_code in (302, 401)
    detail = queries.audit_rows(engine)["detail"]
    assert detail.str.contains('"what": "stunden"').any()


def test_partner_gets_only_its_own_sachbericht(client_as, engine):
    partner = client_as("partner")
    assert partner.get("/download/sachbericht?partner=BO").status_code == 404
    resp = partner.get("/download/sachbericht?jahr=2025")
    assert resp.status_code == 200 and resp.mimetype == DOCX
    assert "Sachbericht_DO_2025.docx" in resp.headers["Content-Disposition"]
    doc = Document(io.BytesIO(resp.data))
    assert doc.paragraphs[0].text == "Sachbericht – DO – 2025"
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert "BO – Wirtschaftsförderung Bochum WiFö GmbH" not in cells
    full = client_as("steering").get("/download/sachbericht?jahr=2025")
    assert "Sachbericht_Projekt_2025.docx" in full.headers["Content-Disposition"]
    doc = Document(io.BytesIO(full.data))
    partners = next(
        r.cells[1].text for t in doc.tables for r in t.rows if r.cells[0].text == "Partner"
    )
    assert "DO – " in partners and "BO – " in partners
    detail = queries.audit_rows(engine)["detail"]
    assert detail.str.contains('"what": "sachbericht"').any()
