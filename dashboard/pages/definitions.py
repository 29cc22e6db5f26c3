"""Kennzahlen: every figure the cockpit shows, with its definition, formula, source sheets
and the rule in force, generated from the registry of figures (etl.core.figures)."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import planning
from dashboard.views import components as ui
from etl.core import figures, sheet_figures

dash.register_page(
    __name__,
    path="/kennzahlen",
    name="Kennzahlen",
    title="Kennzahlen – Fördercockpit",
    order=10,
)

COLUMNS = ("Kennzahl", "Definition", "Formel", "Quelle", "Regel")


def layout(**_query) -> html.Div:
    return html.Div(
        [
            ui.page_header("Kennzahlen", "definitions-lead"),
            html.Div(id="definitions-tables"),
        ]
    )


@callback(
    Output("definitions-lead", "children"),
    Output("definitions-tables", "children"),
    Input("url", "pathname"),
)
def update(_pathname):
    """The registry as one table per group, the rules filled in from the current plan."""
    config = planning.config()
    lead = [
        "Was jede Zahl des Cockpits bedeutet: Definition, Formel, die Blätter des "
        "Monatsberichts, aus denen sie stammt, und die geltende Regel (aus Konfiguration und "
        "Finanzplan). Das ",
        html.Span("i", className="fig-info"),
        " an Karten und Spalten zeigt die Definition von hier.",
    ]
    sections = [group_section(group, config) for group in figures.GROUPS]
    indicators = figures.indicator_figures(config)
    configured = sheet_figures.configured_figures(config)  # none in a network without sheets
    sheets = [group_section(g, config, configured) for g in sheet_figures.configured_groups(config)]
    return lead, [
        *sections, *sheets, group_section(figures.INDICATOR_GROUP, config, indicators)
    ]


def group_section(group: str, config, listed=None) -> dbc.Card:
    """One card with the figures of ``group`` (``listed``: these instead of the registry's)."""
    listed = figures.FIGURES.values() if listed is None else listed
    rows = [figure_row(f, config) for f in listed if f.group == group]
    head = html.Thead(html.Tr([html.Th(c) for c in COLUMNS]))
    table = html.Table(
        [head, html.Tbody(rows)],
        className="table table-sm figures-table mb-0",
        id=f"definitions-{group.lower().replace(' ', '-')}",
    )
    return ui.section(group, html.Div(table, className="figures-wrap"))


def figure_row(fig: figures.Figure, config) -> html.Tr:
    """A figure's row; its key is the row's anchor (``/kennzahlen#at_risk``)."""
    cells = [
        [
            html.Strong(figures.configured_name(fig.key, config)),
            html.Div(fig.key, className="fig-key"),
        ],
        fig.definition,
        figures.formula_text(fig, config),
        ", ".join(fig.sources),
        figures.rule_text(fig, config) or "–",
    ]
    empty = {"className": "fig-none"}  # no rule: left out on a phone
    return html.Tr(
        [
            html.Td(c, **{"data-label": h}, **(empty if c == "–" else {}))
            for h, c in zip(COLUMNS, cells, strict=True)
        ],
        id=fig.key,
        className="figure-row",
    )
