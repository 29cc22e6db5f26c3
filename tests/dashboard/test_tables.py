"""The Meldestand matrix cells, built as plain component dicts (see tables.node)."""

from datetime import date

import pandas as pd
from dash import html

from dashboard import tables


def test_report_matrix_cells_are_components_dash_can_send():
    month = [date(2025, m, 1) for m in (1, 2, 3)]
    matrix = pd.DataFrame([
        {"partner_code": "A", "month": month[0], "due": date(2025, 2, 10),
         "first_at": pd.Timestamp(2025, 2, 20), "status": "late", "corrected": True,
         "n_rejected": 0},
        {"partner_code": "A", "month": month[1], "due": date(2025, 3, 10), "first_at": None,
         "status": "missing", "corrected": False, "n_rejected": 1},
        {"partner_code": "A", "month": month[2], "due": date(2025, 4, 10), "first_at": None,
         "status": "future", "corrected": False, "n_rejected": 0},
    ])
    table = tables.report_matrix(matrix, 2025, lambda p, m: f"/daten?partner={p}&m={m:%m}")
    assert isinstance(table, html.Table)
    row = table.children[1].children[0]
    head, late, missing, future = row["props"]["children"]
    assert head == {"type": "Th", "namespace": "dash_html_components",
                    "props": {"children": "A", "scope": "row"}}
    assert late["props"]["className"] == "rs rs-late"
    link = late["props"]["children"]
    assert (link["type"], link["namespace"]) == ("Link", "dash_core_components")
    assert link["props"]["href"] == "/daten?partner=A&m=01"
    label, mark = link["props"]["children"]
    assert label == "20.02." and mark["props"] == {"children": "korr.", "className": "cell-mark"}
    assert "später korrigiert" in late["props"]["title"]
    assert missing["props"]["children"]["props"]["children"] == "fehlt"
    assert "1 abgelehnte Datei(en)" in missing["props"]["title"]
    assert future["props"]["children"] == ""  # not due yet: no link
