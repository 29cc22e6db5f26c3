"""Meldestand: which monthly report arrived when – on time, late, missing or corrected – and
the on-time rate per partner."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, html
from flask import request

from dashboard import access, data, drill, fmt
from dashboard import filters as flt
from dashboard.calc import periods, reporting
from dashboard.calc.review import parse_key
from dashboard.figures import reporting as figs
from dashboard.theme import partner_colors
from dashboard.views import components as ui
from dashboard.views import review as rv
from dashboard.views import tables
from etl.workflow import months as wf

dash.register_page(
    __name__, path="/meldestand", name="Meldestand", title="Meldestand – Fördercockpit", order=3,
    filters=True,
)

LEGEND = (
    ("on_time", "rechtzeitig (Eingangsdatum)"),
    ("late", "verspätet"),
    ("missing", "fehlt"),
    ("open", "noch nicht fällig"),
    ("exempt", "kein Bericht nötig (vor Beitritt, nach Austritt, ohne Meldepflicht)"),
    ("extra", "freiwillig eingegangen"),
)


def layout(**_query) -> html.Div:
    legend = html.Div(
        [
            html.Span([html.Span(className=f"legend-swatch rs-{k}"), text], className="me-4")
            for k, text in LEGEND
        ]
        + [html.Span([html.Span("korr.", className="cell-mark me-1"), "später korrigiert"])],
        className="report-legend mb-3",
    )
    return html.Div(
        [
            ui.page_header("Meldestand", "reporting-lead"),
            ui.section(
                "Monatsberichte je Partner und Monat",
                legend,
                rv.state_legend(),
                html.Div(html.Div(id="reporting-matrix"), className="matrix-scroll"),
                hint="Datum = Eingang der ersten angenommenen Fassung; Farbe = Eingang, "
                "Symbol = Stand der Prüfung. Zelle anklicken: die eingegangenen Dateien "
                "dieses Monats.",
            ),
            ui.section(
                "Bemerkungen",
                _note_panel(),
                hint="Bemerkungen zu einem Monat lesen und ergänzen; sie gehen mit dem "
                "Monat in den Export.",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        ui.section(
                            "Pünktlichkeit je Partner",
                            ui.graph("reporting-rates", height=RATES_HEIGHT),
                        ),
                        xl=6,
                    ),
                    dbc.Col(ui.section("Zahlen je Partner", html.Div(id="reporting-table")), xl=6),
                ]
            ),
        ]
    )


@callback(
    Output("reporting-lead", "children"),
    Output("reporting-matrix", "children"),
    Output("reporting-rates", "figure"),
    Output("reporting-rates", "style"),
    Output("reporting-table", "children"),
    Input("url", "search"),
)
def update(search):
    config, today = data.config(), data.today()
    f = flt.from_search(search, config)
    years = f.year_list(config)
    matrix = reporting.matrix_for(
        data.frame("uploads"), config, f.partner_list(config), years, today
    )
    rates = reporting.on_time_rates(matrix)
    matrix, rates, note = reporting.focus(matrix, rates, TOP_PARTNERS)
    matrix = reporting.with_states(matrix, data.month_states(), data.month_comments())
    colors = partner_colors(config.partner_codes)
    if note:
        colors = {**colors, rates["partner_code"].iloc[-1]: OTHERS_COLOR}
    tables_ = [tables.report_matrix(matrix, y, cell_link(f)) for y in years]
    return (
        lead(config, f, today),
        ([html.P(note, className="text-muted small mb-2", id="reporting-focus")] if note else [])
        + tables_,
        figs.on_time(rates, colors, plain=True),
        rates_style(rates),
        tables.rates_table(rates),
    )


# More partners than this in view: the matrix, chart and table show the partners with the
# most missing or late reports and sum up all others in one row.
TOP_PARTNERS = 12
RATES_HEIGHT = 320  # px of the rates chart before it is drawn and for a few partners
OTHERS_COLOR = "#adb5bd"


def rates_style(rates) -> dict:
    """The rates chart as tall as its bars need (13 with many partners), at least as tall as
    the placeholder."""
    n_bars = int((rates["due"] > 0).sum())
    return {"height": f"{max(RATES_HEIGHT, figs.height(n_bars))}px"}


def cell_link(f: flt.Filters):
    def link(partner: str, month) -> str:
        return drill.records_href(
            flt.Filters((partner,), (), ()), "eingaenge", monat=f"{month:%Y-%m}"
        )

    return link


def lead(config, f: flt.Filters, today) -> str:
    text = (
        f"Fällig jeweils am {config.report_due_day}. des Folgemonats · heute "
        f"{fmt.de_date(today)} · Berichte fällig bis "
        f"{fmt.month_long(periods.reported_through(today, config.report_due_day))} · "
        f"{ui.selection_text(config, flt.Filters(f.partners, (), f.years))}"
    )
    if f.modules:
        text += " · Berichte gelten für alle Module: der Modulfilter gilt hier nicht"
    return text


def _note_panel() -> html.Div:
    config, today = data.config(), data.today()
    scope = access.partner_scope()
    partners = [
        {"label": f"{p.code} – {p.name}", "value": p.code}
        for p in config.partners
        if scope is None or p.code in scope
    ]
    due = periods.as_of_month(config, today)
    shown = [m for m in config.months() if m <= max(due, config.start)][::-1]
    options = [{"label": fmt.month_long(m), "value": f"{m:%Y-%m}"} for m in shown]
    return rv.note_panel(partners, options, options[0]["value"] if options else None)


@callback(
    Output("reporting-note-thread", "children"),
    Output("reporting-note-message", "children"),
    Input("reporting-note-partner", "value"),
    Input("reporting-note-month", "value"),
    Input("reporting-note-save", "n_clicks"),
    State("reporting-note-text", "value"),
)
def notes(partner, month, _save, text):
    if not (partner and month):
        return None, None
    key = f"{partner}|{month}"
    message = None
    if ctx.triggered_id == "reporting-note-save":
        user = access.current_user
        actor = wf.Actor(
            user.username, access.current_role(), user.partner_code, request.remote_addr
        )
        p, m = parse_key(key)
        try:
            kind = wf.comment(data.engine(), p, m, text, actor)
            said = (
                "Antwort gespeichert: der Monat ist wieder eingereicht."
                if kind == "answer"
                else ("Bemerkung gespeichert.")
            )
            message = dbc.Alert(said, color="success")
        except wf.ApprovalError as exc:
            message = dbc.Alert(str(exc), color="danger")
    return rv.thread(data.month_comments(*parse_key(key))), message
