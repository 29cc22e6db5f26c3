"""Protokoll: every upload, approval, reopening, login failure and user change."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import data
from etl.queries import audit_rows

dash.register_page(
    __name__, path="/protokoll", name="Protokoll", order=8, roles=("admin", "steering", "finance")
)

ACTIONS = {
    "upload": "Upload",
    "approve": "Freigabe",
    "reopen": "Wiederöffnung",
    "login": "Anmeldung",
    "login_failed": "Anmeldung fehlgeschlagen",
    "logout": "Abmeldung",
    "user_created": "Benutzer angelegt",
    "user_changed": "Benutzer geändert",
    "password_reset": "Passwort zurückgesetzt",
    "download": "Download",
}
COLUMNS = [
    {"field": "at", "headerName": "Zeitpunkt", "width": 160, "sort": "desc"},
    {"field": "action", "headerName": "Vorgang", "width": 200},
    {"field": "username", "headerName": "Benutzer", "width": 200},
    {"field": "partner", "headerName": "Partner", "width": 90},
    {"field": "month", "headerName": "Monat", "width": 95},
    {"field": "ip", "headerName": "IP", "width": 120},
    {"field": "detail", "headerName": "Details", "flex": 1},
]


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H2("Protokoll"),
            dbc.Button(
                "Als CSV exportieren", id="audit-export", color="secondary", className="mb-2"
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
                dashGridOptions={"pagination": True, "paginationPageSize": 25},
                csvExportParams={"fileName": "protokoll.csv", "columnSeparator": ";"},
                style={"height": "640px"},
                className="ag-theme-alpine",
            ),
        ]
    )


@callback(Output("audit-grid", "rowData"), Input("url", "pathname"))
def rows(_path):
    df = audit_rows(data.engine())
    return [
        {
            "at": f"{r.at:%d.%m.%Y %H:%M:%S}",
            "action": ACTIONS.get(r.action, r.action),
            "username": r.username or "–",
            "partner": r.partner_code or "–",
            "month": f"{r.month:%m/%Y}" if r.month else "–",
            "ip": r.ip or "–",
            "detail": r.detail,
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
