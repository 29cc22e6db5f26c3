"""Protokoll: every upload, approval, reopening, login failure and user change."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import data
from dashboard.views import grids
from dashboard.views.audit_text import ACTIONS, describe

dash.register_page(
    __name__, path="/protokoll", name="Protokoll", order=8, roles=("admin", "steering", "finance")
)

COLUMNS = [
    grids.date_col("at", "Zeitpunkt", with_time=True, width=160, sort="desc"),
    grids.text_col("action", "Vorgang", width=210),
    grids.text_col("username", "Benutzer", width=220, tooltipField="username"),
    grids.text_col("partner", "Partner", width=100),
    grids.month_col("month", "Monat", width=135),
    grids.text_col("ip", "IP", width=120),
    grids.text_col("detail", "Details", flex=1, tooltipField="detail"),
]

# The client-side CSV export puts every cell through the rule of etl.documents.cells.neutral_text
# (assets/dashAgGridFunctions.js).
CSV_CELL = {"function": "neutralCsvCell(params)"}


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H2("Protokoll"),
            dbc.Button(
                "Als CSV exportieren",
                id="audit-export",
                color="primary",
                outline=True,
                className="mb-2",
            ),
            dag.AgGrid(
                id="audit-grid",
                columnDefs=COLUMNS,
                rowData=[],
                defaultColDef={
                    "sortable": True,
                    "filter": True,
                    "resizable": True,
                    "floatingFilter": True,
                },
                dashGridOptions={
                    **grids.paged(25),
                    # user names and file names are untrusted: no formula in the CSV
                    "defaultCsvExportParams": {"processCellCallback": CSV_CELL},
                },
                csvExportParams={"fileName": "protokoll.csv", "columnSeparator": ";"},
                                className="ag-theme-alpine",
            ),
        ]
    )


@callback(Output("audit-grid", "rowData"), Input("url", "pathname"))
def rows(_path):
    df = data.audit_rows()
    return [
        {
            "at": r.at.isoformat(),
            "action": ACTIONS.get(r.action, r.action),
            "username": r.username or "–",
            "partner": r.partner_code or "–",
            "month": r.month.isoformat() if r.month else None,
            "ip": r.ip or "–",
            "detail": describe(r.detail),
        }
        for r in df.itertuples(index=False)
    ]


@callback(
    Output("audit-grid", "exportDataAsCsv"),
    Input("audit-export", "n_clicks"),
    prevent_initial_call=True,
)
def export(_n):
    return True
