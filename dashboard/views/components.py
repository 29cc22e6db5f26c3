"""Reusable layout pieces: graphs with the German locale, KPI cards, sections, notes."""

from __future__ import annotations

from fractions import Fraction

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import data, fmt
from dashboard.theme import GRAPH_CONFIG
from etl.core import figures
from etl.core.errors import Issue


def drill_id(name: str) -> dict[str, str]:
    """The id of a chart whose points open the rows behind them (see shell.follow_click)."""
    return {"type": "drill-graph", "id": name}


def graph(graph_id: str, *, drill: bool = False, height: int = 420) -> dcc.Graph:
    """A chart placeholder; ``drill`` makes its points open the rows behind them on click."""
    gid = drill_id(graph_id) if drill else graph_id
    return dcc.Graph(
        id=gid,
        config=GRAPH_CONFIG,
        style={"height": f"{height}px"},
        className="drill-graph" if drill else "",
    )


def section(title: str, *children, hint: str | None = None, **card) -> dbc.Card:
    """A titled card around a chart or table."""
    header = [html.H3(title, className="h5 mb-0")]
    if hint:
        header.append(html.Div(hint, className="text-muted small mt-1"))
    return dbc.Card(
        [dbc.CardHeader(header, className="bg-white"), dbc.CardBody(list(children))],
        className="mb-4 shadow-sm",
        **card,
    )


def page_header(title: str, lead_id: str | None = None) -> html.Div:
    """The page title and a line (filled by a callback) saying what the figures stand at."""
    return html.Div(
        [
            html.H1(title, className="h2 mb-1"),
            html.Div(id=lead_id, className="text-muted") if lead_id else None,
        ],
        className="mb-3",
    )


def progress(
    share: Fraction | None, marker: Fraction | None = None, marker_label: str = ""
) -> html.Div:
    """A progress bar (share of target) with an optional tick (e.g. time elapsed)."""
    pct = 0 if share is None else min(float(share) * 100, 100)
    children = [html.Div(className="kpi-progress-bar", style={"width": f"{pct:.1f}%"})]
    if marker is not None:
        left = min(float(marker) * 100, 100)
        children.append(
            html.Div(
                className="kpi-progress-marker", title=marker_label, style={"left": f"{left:.1f}%"}
            )
        )
    return html.Div(children, className="kpi-progress")


def kpi_card(
    card_id: str, label: str, value: str, lines: list, href: str | None, bar: html.Div | None = None
) -> dbc.Col:
    """A KPI card: label, big value, progress bar, detail lines; clickable when ``href``."""
    body = dbc.Card(
        dbc.CardBody(
            [
                html.Div(label, className="kpi-label"),
                html.Div(value, className="kpi-value", id=f"{card_id}-value"),
                bar,
                *[html.Div(line, className="kpi-line") for line in lines],
            ]
        ),
        className="kpi-card h-100 shadow-sm",
    )
    content = (
        dcc.Link(body, href=href, className="kpi-link", id=card_id)
        if href
        else html.Div(body, id=card_id)
    )
    return dbc.Col(content, xs=12, md=6, xl=4, xxl=True, className="mb-3")


def info(key: str, fig: figures.Figure | None = None) -> html.Span:
    """An ⓘ whose tooltip (title) is the registered definition of figure ``key`` (``fig``: a
    figure of the network's configuration, etl.core.sheet_figures); the page Kennzahlen
    holds the formula, the sheets and the rule."""
    text = fig.definition if fig is not None else figures.definition(key)
    # a circled "i" drawn by CSS (.fig-info): the ⓘ character is missing from many fonts
    return html.Span(
        "i",
        title=text,
        className="fig-info",
        role="img",
        tabIndex=0,
        **{"aria-label": f"Definition: {text}", "data-figure": key},
    )


def with_info(label: str, key: str, fig: figures.Figure | None = None) -> list:
    """A label followed by the ⓘ of figure ``key`` (``fig``: a configured one)."""
    return [label, " ", info(key, fig)]


def selection_text(config, f) -> str:
    """The filters in words: ``'Partner: DO, BO · alle Module · Jahr: 2025'``."""
    parts = [
        f"Partner: {', '.join(f.partners)}" if f.partners else "alle Partner",
        f"Module: {', '.join(f.modules)}" if f.modules else "alle Module",
        f"Jahre: {', '.join(config.year_label(y) for y in f.years)}" if f.years else "alle Jahre",
    ]
    return " · ".join(parts)


def stand_text(as_of) -> str:
    """The Berichtsstand in words, and what it means for later months."""
    return (
        f"Stand: {fmt.month_long(as_of)} (spätere Monate vorläufig, in keiner Kennzahl gezählt)"
    )


def issue_table(issues: list[Issue], kind: str) -> dbc.Table:
    """Located issues (of a monthly report or a finance plan): sheet, row, column, message."""
    head = html.Thead(html.Tr([html.Th(h) for h in ("Blatt", "Zeile", "Spalte", kind)]))
    body = html.Tbody(
        [
            html.Tr(
                [
                    html.Td(i.sheet or "–"),
                    html.Td(i.row or "–"),
                    html.Td(i.column or "–"),
                    html.Td(i.message),
                ]
            )
            for i in issues
        ]
    )
    return dbc.Table([head, body], hover=True, size="sm", striped=True, className="upload-issues")


def year_text(year: int) -> str:
    """A project year as shown: "2025", or "2025/26" when the network's years start later
    than January (etl.core.years)."""
    return data.year_label(year)
