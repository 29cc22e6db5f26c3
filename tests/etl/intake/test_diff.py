"""The replacement diff shown after a corrected upload."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from etl.intake.diff import diff_uploads
from tests.factories import sheets, workbook


def test_diff_counts_rows_and_totals(engine, ingest):
    first = ingest(workbook())
    fixed = sheets()
    fixed["Veranstaltungen"].pop(1)  # removed: DO-V-02 (12 participants)
    fixed["Veranstaltungen"][0]["Teilnehmende"] = 32  # changed
    fixed["Ausgaben"].append(
        {
            "Belegnummer": "DO-2025-0003",
            "Datum": "20.03.2025",
            "Kostenart": "Sachkosten",
            "Betrag": "10,00",
        }
    )  # added
    second = ingest(workbook(data=fixed), at=datetime(2025, 6, 21))
    assert second.status == "replaced"
    d = diff_uploads(engine, first.upload_id, second.upload_id)
    by_sheet = {x.sheet: (x.added, x.removed, x.changed) for x in d.sheets}
    assert by_sheet == {
        "Veranstaltungen": (0, 1, 1),
        "Coachings": (0, 0, 0),
        "Teilnehmende": (0, 0, 0),
        "Personal": (0, 0, 0),
        "Ausgaben": (1, 0, 0),
    }
    assert d.totals["Veranstaltungen"] == (Decimal(2), Decimal(1))
    assert d.totals["Teilnehmende (Personen)"] == (Decimal(42), Decimal(32))
    assert d.totals["Sachausgaben (Cent)"] == (Decimal(132446), Decimal(133446))
    assert not d.unchanged
