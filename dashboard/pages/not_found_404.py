"""The German 404 page: Dash shows it for every address that is no page of the app."""

from __future__ import annotations

import dash
from dash import html

from dashboard.views import errors

dash.register_page(__name__, path="/404", name="Seite nicht gefunden", nav=False,
                   title="Seite nicht gefunden – Fördercockpit")


def layout(**_query) -> html.Div:
    return errors.panel(404)
