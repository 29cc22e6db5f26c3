"""Benachrichtigungen (/einstellungen): every user chooses, per kind of notification, how
mails come: at once, in a daily or weekly digest, or not at all."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, html

from dashboard import access, data
from etl.core.settings import get_settings
from etl.workflow.notify import kinds

dash.register_page(
    __name__,
    path="/einstellungen",
    name="Benachrichtigungen",
    title="Benachrichtigungen – Fördercockpit",
    order=10,
    nav=False,  # reached from the user menu
)

MODES = [{"label": label, "value": mode} for mode, label in kinds.MODE_LABELS.items()]


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H2("Benachrichtigungen"),
            html.P(
                "Wählen Sie, wie Sie über Neues im Fördercockpit per E-Mail informiert werden: "
                "sofort, einmal am Tag oder einmal in der Woche gesammelt, oder gar nicht.",
                className="text-muted",
            ),
            html.Div(id="settings-status"),
            html.Div(id="settings-body"),
            dbc.Button("Speichern", id="settings-save", color="primary", className="mt-3"),
            html.Div(id="settings-message", className="mt-3"),
        ],
        className="settings-page",
        style={"maxWidth": "52rem"},
    )


def _status(user) -> list:
    """Whether mail goes out at all, and to which address."""
    out = []
    if not get_settings().mail_enabled:
        out.append(
            dbc.Alert(
                "Der E-Mail-Versand ist nicht eingerichtet (SMTP_URL und MAIL_FROM fehlen): "
                "zurzeit werden keine Benachrichtigungen verschickt. Ihre Auswahl gilt, sobald "
                "er eingerichtet ist.",
                color="warning",
            )
        )
    if user.email:
        out.append(html.P(["E-Mails gehen an ", html.Strong(user.email), "."]))
    else:
        out.append(
            dbc.Alert(
                "Für Ihr Konto ist keine E-Mail-Adresse hinterlegt. Die Administration trägt sie "
                "auf der Seite Benutzer ein.",
                color="info",
            )
        )
    return out


def _kind_row(kind, mode: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3(kind.label, className="h6 mb-1"),
                html.P(kind.help, className="text-muted small mb-2"),
                dbc.RadioItems(
                    id={"type": "settings-mode", "kind": kind.key},
                    options=MODES,
                    value=mode,
                    inline=True,
                ),
            ]
        ),
        className="mb-2",
    )


@callback(
    Output("settings-status", "children"),
    Output("settings-body", "children"),
    Output("settings-save", "style"),
    Input("settings-body", "id"),
)
def show(_id):
    user = access.current_user
    modes = kinds.modes_of(data.engine(), user.id, user.role)
    rows = [_kind_row(k, modes[k.key]) for k in kinds.kinds_for(user.role)]
    if not rows:  # administration: nothing to choose, nothing to save
        none = html.P("Für Ihre Rolle gibt es keine Benachrichtigungen.")
        return _status(user), [none], {"display": "none"}
    return _status(user), rows, {}


@callback(
    Output("settings-message", "children"),
    Input("settings-save", "n_clicks"),
    State({"type": "settings-mode", "kind": ALL}, "value"),
    State({"type": "settings-mode", "kind": ALL}, "id"),
    prevent_initial_call=True,
)
def save(_n, values, ids):
    user = access.current_user
    chosen = {i["kind"]: v for i, v in zip(ids, values, strict=True)}
    try:
        kinds.set_modes(data.engine(), user.id, user.role, chosen)
    except ValueError:
        return dbc.Alert("Diese Auswahl ist nicht möglich.", color="danger")
    return dbc.Alert("Gespeichert.", color="success", duration=4000)
