"""Übersicht: the grant at a glance (placeholder until the full pages land)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard.data import overview_figures

dash.register_page(__name__, path="/", name="Übersicht", order=0)


def layout(**_query) -> html.Div:
    return html.Div([
        html.H2("Übersicht"),
        dbc.Row(id="overview-cards", className="g-3"),
        html.Div(id="overview-trigger"),
    ])


def _card(label: str, value: str) -> dbc.Col:
    return dbc.Col(dbc.Card(dbc.CardBody([html.Div(label, className="text-muted small"),
                                          html.Div(value, className="fs-3 fw-bold")])), md=3)


@callback(Output("overview-cards", "children"), Input("overview-trigger", "id"))
def show_cards(_trigger):
    figures = overview_figures()
    return [_card(label, value) for label, value in figures]
