"""The Meldestand matrix cells, built as plain component dicts (see tables.node)."""

from datetime import date

import pandas as pd
from dash import html

from dashboard.views import tables


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
    assert late["type"] == "Td" and late["props"]["className"] == "rs rs-late"
    # the cell itself is the link (assets/matrix-links.js navigates), no dcc.Link inside
    assert late["props"]["data-href"] == "/daten?partner=A&m=01"
    assert (late["props"]["role"], late["props"]["tabIndex"]) == ("link", 0)
    label, mark = late["props"]["children"]
    assert label == "20.02." and mark == {"type": "Span", "namespace": "dash_html_components",
                                          "props": {"children": "korr.",
                                                    "className": "cell-mark"}}
    assert "später korrigiert" in late["props"]["title"]
    assert missing["props"]["children"] == "fehlt"
    assert missing["props"]["data-href"] == "/daten?partner=A&m=02"
    assert "1 abgelehnte Datei(en)" in missing["props"]["title"]
    assert future["props"] == {"children": "", "className": "rs rs-future",
                               "title": future["props"]["title"]}  # not due yet: no link


def test_cell_props_are_what_html_td_accepts():
    """The plain-dict cell equals what the validating html.Td class would send."""
    matrix = pd.DataFrame([{"partner_code": "A", "month": date(2025, 1, 1),
                            "due": date(2025, 2, 10), "first_at": None, "status": "missing",
                            "corrected": False, "n_rejected": 0}])
    table = tables.report_matrix(matrix, 2025, lambda p, m: f"/daten?partner={p}")
    cell = table.children[1].children[0]["props"]["children"][1]
    p = cell["props"]
    built = html.Td(p["children"], className=p["className"], title=p["title"], role=p["role"],
                    tabIndex=p["tabIndex"], **{"data-href": p["data-href"]})
    assert built.to_plotly_json() == cell


def components(tree) -> int:
    """Dash components in a tree of component objects and plain component dicts (what
    dash-renderer mounts one by one); text children are not components."""
    if isinstance(tree, list | tuple):
        return sum(components(c) for c in tree)
    if isinstance(tree, dict):
        return 1 + components(tree["props"].get("children"))
    if hasattr(tree, "to_plotly_json"):
        return 1 + components(getattr(tree, "children", None))
    return 0


def _matrix(n_partners: int, months: list[date], *, corrected_every: int = 0) -> pd.DataFrame:
    rows = []
    for i in range(n_partners):
        for k, m in enumerate(months):
            n = i * len(months) + k
            rows.append({"partner_code": f"P{i:02d}", "month": m, "due": date(2025, 1, 10),
                         "first_at": pd.Timestamp(2025, 1, 5), "status": "on_time",
                         "corrected": bool(corrected_every and n % corrected_every == 0),
                         "n_rejected": 0})
    return pd.DataFrame(rows)


def test_a_cell_is_one_component():
    """12 partners x 12 months: one component per cell (plus the 'korr.' marker where a
    report was corrected). dash-renderer 4.x mounts a callback's components in time growing
    about quadratically with their number: a dcc.Link inside every cell doubled the count."""
    months = [date(2025, m, 1) for m in range(1, 13)]
    table = tables.report_matrix(_matrix(12, months), 2025, lambda p, m: "/daten")
    head = 3 + 1 + len(months)  # Table, Thead, Tr, a Th per column
    body = 1 + 12 * 2 + 12 * 12  # Tbody, a Tr and a Th per partner, the cells
    assert components(table) == head + body == 185  # with a dcc.Link per cell: 329
    marked = tables.report_matrix(_matrix(12, months, corrected_every=10), 2025,
                                  lambda p, m: "/daten")
    assert components(marked) == 185 + 15  # cells 0, 10, ..., 140 carry a 'korr.' Span
