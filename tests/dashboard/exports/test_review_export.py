"""The Meldestand export carries each month's review state and its comments."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from dashboard.exports import export_page
from dashboard.exports.source import direct_source
from etl.workflow import months
from tests.factories import month_report, workbook

MARCH = date(2025, 3, 1)


def test_meldestand_export_has_states_and_comments(engine, config, ingest):
    ingest(workbook())
    ingest(workbook("BO", data=month_report("BO", "2025-03")))
    steering = months.Actor("steuerung", "steering")
    months.ask(engine, "DO", MARCH, '=HYPERLINK("x") Bitte prüfen.', steering)
    months.approve(engine, "BO", MARCH, by="finanzen", role="finance")
    source = direct_source(engine, config, "test", date(2025, 6, 30))
    wb = load_workbook(io.BytesIO(export_page("/meldestand", "?jahr=2025", source=source)))
    rows = list(wb["Monatsberichte"].iter_rows(values_only=True))
    header = rows[0]
    at = {(r[0], r[1].date() if hasattr(r[1], "date") else r[1]): r for r in rows[1:] if r[0]}
    state, notes = header.index("Prüfstatus"), header.index("Bemerkungen")
    do, bo = at[("DO", MARCH)], at[("BO", MARCH)]
    assert (do[state], do[notes], bo[state], bo[notes]) == ("Rückfrage", 1, "freigegeben", 0)
    assert at[("DO", date(2025, 4, 1))][state] == "fällig"
    comments = list(wb["Bemerkungen"].iter_rows(values_only=True))
    assert comments[0][-1] == "Bemerkung" and comments[1][0] == "DO"
    assert comments[1][3:6] == ("steuerung", "Rückfrage", '=HYPERLINK("x") Bitte prüfen.')
    text = wb["Bemerkungen"].cell(row=2, column=6)
    assert text.data_type == "s" and text.quotePrefix  # shown as text, never a formula
