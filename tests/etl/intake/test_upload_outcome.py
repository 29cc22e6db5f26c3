"""What the upload page reports about a file: the template's own sheets draw no notice, a
locked month is marked as such (not as an error to correct), and the totals of a new month."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from etl.documents.template import template_bytes
from etl.intake.diff import diff_uploads, upload_totals
from etl.intake.ingest import Sender, ingest_bytes
from etl.workflow import months
from tests.factories import sheets, workbook

MARCH = date(2025, 3, 1)


def _with_sheet(data: bytes, name: str) -> bytes:
    book = load_workbook(io.BytesIO(data))
    book.create_sheet(name)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_templates_own_sheets_draw_no_notice(config, ingest):
    blank = template_bytes(config, "DO", MARCH)
    result = ingest(blank, "Monatsbericht_DO_2025-03.xlsx")
    assert result.status == "accepted"
    assert [n for n in result.notices if "Blatt" in n.message] == []
    other = ingest(_with_sheet(workbook(month="2025-04"), "Notizen"))
    assert [(n.sheet, n.message) for n in other.notices] == [
        ("Notizen", "Zusätzliches Blatt wird ignoriert.")
    ]


def test_a_locked_month_is_marked_locked_not_wrong(engine, config, settings, ingest):
    ingest(workbook())
    months.approve(engine, "DO", MARCH, by="fin")
    refused = ingest(workbook(), at=datetime(2025, 6, 22))
    assert refused.status == "rejected" and refused.locked
    assert "Finanzabteilung oder die Projektsteuerung" in refused.errors[0].message
    foreign = ingest_bytes(workbook("BO"), "bo.xlsx", engine=engine, config=config,
                           settings=settings,
                           sender=Sender("anna", datetime(2025, 6, 20), partner_scope="DO"))
    assert foreign.status == "rejected" and not foreign.locked
    wrong = sheets()
    wrong["Ausgaben"][0]["Betrag"] = "viel"
    assert not ingest(workbook(month="2025-04", data=wrong)).locked


def test_totals_of_a_new_month(engine, ingest):
    result = ingest(workbook())
    totals = upload_totals(engine, result.upload_id)
    same = diff_uploads(engine, result.upload_id, result.upload_id).totals
    assert {k: v for k, v in totals.items() if k in same} == {k: v[1] for k, v in same.items()}
    assert totals["Personal (Zeilen)"] == Decimal(len(sheets()["Personal"]))
    assert totals["Veranstaltungen"] == Decimal(len(sheets()["Veranstaltungen"]))
