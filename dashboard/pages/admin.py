"""Benutzer: the admin creates accounts, resets passwords, sets e-mail addresses (for
notifications), and disables accounts."""

from __future__ import annotations

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html

from dashboard import access, data
from dashboard.views import grids
from etl.workflow import users

dash.register_page(__name__, path="/benutzer", name="Benutzer", order=9, roles=("admin",))

ROLE_LABELS = access.ROLE_LABELS


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H2("Benutzer"),
            dbc.Row(
                [
                    dbc.Col(dbc.Card(dbc.CardBody(_account_form(data.config()))), md=5),
                    dbc.Col(_account_grid(), md=7),
                ],
                className="g-3",
            ),
        ]
    )


def _account_form(config) -> list:
    """Name, role, partner and password fields, the action buttons and the message line."""
    return [
        html.H5("Benutzer anlegen oder Passwort setzen"),
        dbc.Input(id="admin-username", placeholder="Benutzername (E-Mail)"),
        dbc.Input(
            id="admin-email",
            type="email",
            className="mt-2",
            placeholder="E-Mail-Adresse für Benachrichtigungen (optional)",
        ),
        dbc.Label("Rolle", html_for="admin-role", className="mt-2"),
        dbc.Select(
            id="admin-role",
            className="mt-2",
            value="partner",
            options=[{"label": ROLE_LABELS[r], "value": r} for r in access.ROLES],
        ),
        dbc.Label(
            "Partner (nur für die Rolle Partner)", html_for="admin-partner", className="mt-2"
        ),
        dbc.Select(
            id="admin-partner",
            placeholder="–",
            options=[{"label": p.code, "value": p.code} for p in config.partners],
        ),
        dbc.Input(
            id="admin-password",
            type="password",
            className="mt-2",
            placeholder="Passwort (mindestens 10 Zeichen)",
        ),
        html.Div(_action_buttons(), className="mt-3"),
        html.Div(id="admin-message", className="mt-3"),
    ]


def _action_buttons() -> list:
    return [
        dbc.Button("Anlegen", id="admin-create", color="primary", className="me-2"),
        dbc.Button(
            "Passwort setzen", id="admin-reset", color="primary", outline=True, className="me-2"
        ),
        dbc.Button(
            "E-Mail setzen", id="admin-email-set", color="primary", outline=True, className="me-2"
        ),
        dbc.Button("Sperren", id="admin-disable", color="danger", outline=True, className="me-2"),
        dbc.Button("Entsperren", id="admin-enable", color="success", outline=True),
    ]


def _account_grid() -> dag.AgGrid:
    """Every account with role, partner and state (filled by the callback)."""
    return dag.AgGrid(
        id="admin-users",
        rowData=[],
        columnDefs=[
            {"field": "username", "headerName": "Benutzer", "flex": 1, "minWidth": 170},
            {"field": "email", "headerName": "E-Mail", "minWidth": 170},
            {"field": "role", "headerName": "Rolle"},
            {"field": "partner", "headerName": "Partner", "width": 100},
            {"field": "state", "headerName": "Status", "width": 110},
        ],
        dashGridOptions=grids.paged(15),
                className="ag-theme-alpine",
    )


def _do(action: str, username: str, role: str, partner: str | None, password: str, email) -> str:
    engine, by = data.engine(), access.current_user.username
    if action == "admin-create":
        users.check_email(email)  # before the account exists
        users.create_user(
            engine, username, password or "", role, partner if role == "partner" else None, by=by
        )
        if email:
            users.set_email(engine, username, email, by=by)
        return f"Benutzer '{username}' angelegt."
    if action == "admin-email-set":
        users.set_email(engine, username, email, by=by)
        return f"E-Mail-Adresse von '{username}': {email or '(keine)'}."
    if action == "admin-reset":
        users.set_password(engine, username, password or "", by=by)
        return f"Passwort von '{username}' gesetzt."
    users.set_active(engine, username, action == "admin-enable", by=by)
    return f"Benutzer '{username}' {'entsperrt' if action == 'admin-enable' else 'gesperrt'}."


@callback(
    Output("admin-message", "children"),
    Input("admin-create", "n_clicks"),
    Input("admin-reset", "n_clicks"),
    Input("admin-disable", "n_clicks"),
    Input("admin-enable", "n_clicks"),
    Input("admin-email-set", "n_clicks"),
    State("admin-username", "value"),
    State("admin-role", "value"),
    State("admin-partner", "value"),
    State("admin-password", "value"),
    State("admin-email", "value"),
    prevent_initial_call=True,
)
def manage(_c, _r, _d, _e, _m, username, role, partner, password, email):
    if access.current_role() != "admin":
        return dbc.Alert("Keine Berechtigung.", color="danger")
    if not username:
        return dbc.Alert("Bitte einen Benutzernamen eingeben.", color="danger")
    try:
        done = _do(ctx.triggered_id, username, role, partner, password, email)
        return dbc.Alert(done, color="success")
    except users.UserError as exc:
        return dbc.Alert(str(exc), color="danger")


@callback(Output("admin-users", "rowData"), Input("admin-message", "children"))
def user_rows(_message):
    return [
        {
            "username": u.username,
            "role": ROLE_LABELS[u.role],
            "partner": u.partner_code or "–",
            "email": u.email or "–",
            "state": "aktiv" if u.is_active else "gesperrt",
        }
        for u in users.list_users(data.engine())
    ]
