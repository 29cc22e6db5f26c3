"""The Daten CSV over HTTP on both backends: text from uploads comes out neutralised (no
formula runs when the file is opened in a spreadsheet), numbers stay numbers, and the Personal
detail names its quantity once."""

from __future__ import annotations

import csv
import io

from tests.factories import sheets, workbook

# ("=..." cannot be written as text by the test workbooks' writer: the unit tests and the
# browser test cover it)
HOSTILE = {"DO-2025-0001": "+cmd|' /C calc'!A0", "DO-2025-0002": "@HYPERLINK(\"http://x\")"}


def _rows(client, query: str) -> tuple[list[str], list[list[str]]]:
    resp = client.get(f"/download/daten{query}")
    assert resp.status_code == 200
    rows = list(csv.reader(io.StringIO(resp.get_data(as_text=True)[1:]), delimiter=";"))
    return rows[0], rows[1:]


def test_csv_text_is_neutralised_and_the_detail_is_shown_once(site, client_as, ingest):
    data = sheets()
    for row in data["Ausgaben"]:
        row["Beschreibung"] = HOSTILE[row["Belegnummer"]]
        row["Belegnummer"] = "@SUM(A1)" if row["Belegnummer"].endswith("1") else "-1+1"
    data["Ausgaben"][1]["Betrag"] = "-89,90"  # a credit: its amount stays a number
    result = ingest(workbook(data=data))  # replaces DO's March report
    assert result.status == "replaced", result.errors
    header, body = _rows(client_as("steering"), "?tabelle=kosten&partner=DO&monat=2025-03")
    ref, detail, amount = (header.index(h) for h in ("Kürzel / Beleg", "Angaben", "Betrag"))
    receipts = {r[ref]: r for r in body if r[2] != "Personal"}
    assert set(receipts) == {"'@SUM(A1)", "'-1+1"}
    assert {r[detail] for r in receipts.values()} == {"'" + t for t in HOSTILE.values()}
    assert receipts["'-1+1"][amount] == "-89,90 €"
    details = sorted(r[detail] for r in body if r[2] == "Personal")
    assert details == ["Leistungsgruppe 2, Monat: 1", "Leistungsgruppe 3, Stunden: 40"]
