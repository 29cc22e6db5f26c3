"""Freigabe: finance or steering approves a partner-month (locking it) or reopens it."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html
from flask import request

from dashboard import access, data
from dashboard.calc import periods
from etl.warehouse.queries import month_status
from etl.workflow import months

dash.register_page(
    __name__, path="/freigabe", name="Freigabe", order=6, roles=("finance", "steering")
)


def _default_month(config) -> str:
    """The latest month whose report is due (within the project period)."""
    return f"{max(periods.as_of_month(config, data.today()), config.start):%Y-%m}"


def layout(**_query) -> html.Div:
    config = data.config()
    months = [{"label": f"{m:%m/%Y}", "value": f"{m:%Y-%m}"} for m in config.months()]
    return html.Div(
        [
            html.H2("Monatsfreigabe"),
            html.P(
                "Ein freigegebener Monat ist gesperrt: neue Uploads werden abgelehnt, bis "
                "jemand den Monat mit Begründung wieder öffnet.",
                className="text-muted",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Partner"),
                            dbc.Select(
                                id="approval-partner",
                                value=config.partner_codes[0],
                                options=[
                                    {"label": f"{p.code} – {p.name}", "value": p.code}
                                    for p in config.partners
                                ],
                            ),
                        ],
                        md=5,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Berichtsmonat"),
                            dbc.Select(
                                id="approval-month",
                                options=months,
                                value=_default_month(config),
                            ),
                        ],
                        md=3,
                    ),
                ],
                className="g-3",
            ),
            html.Div(id="approval-status", className="mt-3"),
            dbc.Textarea(
                id="approval-reason",
                className="mt-3",
                placeholder="Begründung (nur für das Wiederöffnen nötig)",
            ),
            html.Div(
                [
                    dbc.Button(
                        "Monat freigeben", id="approval-approve", color="success", className="me-2"
                    ),
                    dbc.Button("Wieder öffnen", id="approval-reopen", color="warning"),
                ],
                className="mt-2",
            ),
            html.Div(id="approval-message", className="mt-3"),
        ]
    )


def _month(value: str) -> date:
    year, month = (int(x) for x in value.split("-"))
    return date(year, month, 1)


@callback(
    Output("approval-message", "children"),
    Input("approval-approve", "n_clicks"),
    Input("approval-reopen", "n_clicks"),
    State("approval-partner", "value"),
    State("approval-month", "value"),
    State("approval-reason", "value"),
    prevent_initial_call=True,
)
def act(_approve, _reopen, partner, month, reason):
    if access.current_role() not in ("finance", "steering"):  # the guard already refuses others
        return dbc.Alert("Keine Berechtigung.", color="danger")
    if not (partner and month):
        return dbc.Alert("Bitte Partner und Monat wählen.", color="danger")
    who, ip = access.current_user.username, request.remote_addr
    try:
        if ctx.triggered_id == "approval-approve":
            months.approve(data.engine(), partner, _month(month), by=who, ip=ip)
            return dbc.Alert(f"{partner} {month} ist freigegeben und gesperrt.", color="success")
        months.reopen(data.engine(), partner, _month(month), by=who, reason=reason or "", ip=ip)
        return dbc.Alert(f"{partner} {month} ist wieder geöffnet.", color="warning")
    except months.ApprovalError as exc:
        return dbc.Alert(str(exc), color="danger")


@callback(
    Output("approval-status", "children"),
    Input("approval-partner", "value"),
    Input("approval-month", "value"),
    Input("approval-message", "children"),
)
def status(partner, month, _message):
    if not (partner and month):
        return None
    st = month_status(data.engine(), partner=partner, month=_month(month))
    upload = (
        f"Angenommene Fassung: {st['file_name']}, eingegangen {st['uploaded_at']:%d.%m.%Y} "
        f"von {st['uploaded_by']}"
        if st["upload_id"]
        else "Noch kein angenommener Bericht."
    )
    lock = (
        f"Freigegeben am {st['approved_at']:%d.%m.%Y %H:%M} von {st['approved_by']}."
        if st["approved_at"]
        else "Nicht freigegeben."
    )
    color = "success" if st["approved_at"] else "light"
    return dbc.Alert([html.Div(upload), html.Strong(lock)], color=color, id="approval-state")
