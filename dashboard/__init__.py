"""The Dash app: pages, callbacks, figures. Reads the warehouse only through etl.queries."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from etl.config import get_config


def _navbar() -> dbc.Navbar:
    config = get_config()
    links = [
        dbc.NavItem(dbc.NavLink(page["name"], href=page["relative_path"], active="exact"))
        for page in dash.page_registry.values()
    ]
    return dbc.Navbar(
        dbc.Container([
            dbc.NavbarBrand(config.short_name, href="/"),
            dbc.Nav(links, navbar=True),
        ], fluid=True),
        color="primary", dark=True, className="mb-3",
    )


def create_app() -> dash.Dash:
    """Build the Dash app with every page under ``dashboard/pages``."""
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="pages",
        external_stylesheets=[dbc.themes.FLATLY],
        suppress_callback_exceptions=True,
        title="Fördercockpit",
        update_title=None,
    )
    app.layout = html.Div([
        dcc.Location(id="url"),
        _navbar(),
        dbc.Container(dash.page_container, fluid=True),
    ])
    return app
