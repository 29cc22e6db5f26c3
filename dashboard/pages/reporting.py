"""Meldestand: which monthly report arrived when – on time, late, missing or corrected – and
the on-time rate per partner."""

from __future__ import annotations

from datetime import date

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
        + [html.Span([html.Span("korr.", className="cell-mark me-1"), "später korrigiert"],
                     className="me-4")]
        + [html.Span([html.Span(className="legend-swatch report-provisional"),
                      "vorläufig (nach dem Berichtsstand, in keiner Kennzahl gezählt)"])],
        className="report-legend mb-3",
    )
    return html.Div(
        [
            ui.page_header("Meldestand", "reporting-lead"),
            ui.section(
                "Monatsberichte je Partner und Monat",
                legend,
                rv.state_legend(bool(data.config().review_steps)),
                html.Div(html.Div(id="reporting-matrix"), className="matrix-scroll"),
                hint="Datum = Eingang der ersten angenommenen Fassung; Farbe = Eingang, "
                "Symbol = Stand der Prüfung. Zelle anklicken: die Bemerkungen des Monats "
                "lesen und ergänzen, seine eingegangenen Dateien öffnen.",
            ),
            rv.note_dialog(),
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
    as_of = f.as_of(config, today)
    later = matrix["month"].map(lambda m: periods.is_provisional(m, as_of)).astype(bool)
    matrix = matrix.assign(provisional=matrix["first_at"].notna() & later)  # a report came
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
    """A cell opens the month's comment dialog on this page (the address fragment, so the
    filters and the matrix stay as they are)."""
    here = flt.href("/meldestand", f)

    def link(partner: str, month) -> str:
        return here + rv.note_hash(partner, month)

    return link


def _month_key(hash_: str | None) -> tuple[str, date] | None:
    """The partner-month named in the address fragment, if the user may see it."""
    key = rv.key_of_hash(hash_)
    try:
        partner, month = parse_key(key) if key else (None, None)
    except ValueError:
        return None
    config, scope = data.config(), access.partner_scope()
    if partner not in config.partner_codes or (scope is not None and partner not in scope):
        return None
    return (partner, month) if month in config.months() else None


def _save(partner: str, month: date, text: str | None) -> tuple[dbc.Alert, bool]:
    """Store a comment; the message and whether it was stored."""
    user = access.current_user
    actor = wf.Actor(user.username, access.current_role(), user.partner_code, request.remote_addr)
    try:
        kind = wf.comment(data.engine(), partner, month, text, actor)
    except wf.ApprovalError as exc:
        return dbc.Alert(str(exc), color="danger"), False
    said = (
        "Antwort gespeichert: der Monat ist wieder eingereicht."
        if kind == "answer"
        else "Bemerkung gespeichert."
    )
    return dbc.Alert(said, color="success"), True


@callback(
    Output("reporting-dialog", "is_open"),
    Output("reporting-dialog-title", "children"),
    Output("reporting-dialog-state", "children"),
    Output("reporting-dialog-thread", "children"),
    Output("reporting-dialog-files", "href"),
    Output("reporting-dialog-message", "children"),
    Output("reporting-dialog-text", "value"),
    Input("url", "hash"),
    Input("reporting-dialog-save", "n_clicks"),
    Input("reporting-dialog-close", "n_clicks"),
    State("reporting-dialog-text", "value"),
)
def dialog(hash_, _save_clicks, _close, text):
    """A cell's month: its state, comment thread and files; saving adds a comment."""
    found = _month_key(hash_)
    if found is None or ctx.triggered_id == "reporting-dialog-close":
        return (False, *[dash.no_update] * 6)
    partner, month = found
    message, value = None, ""
    if ctx.triggered_id == "reporting-dialog-save":
        message, stored = _save(partner, month, text)
        value = "" if stored else dash.no_update
    states = data.month_states()
    row = states[(states["partner_code"] == partner) & (states["month"] == month)]
    state = row["state"].iloc[0] if len(row) else "due"
    files = drill.records_href(flt.Filters((partner,)), "eingaenge", monat=f"{month:%Y-%m}")
    title = f"Bemerkungen · {partner} · {fmt.month_long(month)}"
    thread = rv.thread(data.month_comments(partner, month))
    return True, title, rv.state_badge(state), thread, files, message, value


@callback(
    Output("url", "hash"),
    Input("reporting-dialog", "is_open"),
    State("url", "hash"),
    prevent_initial_call=True,
)
def forget_month(is_open, hash_):
    """A closed dialog drops the fragment, so the same cell opens it again."""
    return "" if not is_open and rv.key_of_hash(hash_) else dash.no_update


def lead(config, f: flt.Filters, today) -> str:
    """Due day, today, the last month due (never past the project's end) and the Stand."""
    text = (
        f"Fällig jeweils am {config.report_due_day}. des Folgemonats · heute "
        f"{fmt.de_date(today)} · {due_text(config, today)} · "
        f"{ui.selection_text(config, flt.Filters(f.partners, (), f.years, f.stand))} · "
        f"{ui.stand_text(f.as_of(config, today))}"
    )
    if f.modules:
        text += " · Berichte gelten für alle Module: der Modulfilter gilt hier nicht"
    return text


def due_text(config, today) -> str:
    """"Berichte fällig bis <month>": the last month due by ``today`` within the project."""
    due = periods.default_stand(config, today)
    if due < config.start:
        return "noch kein Bericht fällig"
    return f"Berichte fällig bis {fmt.month_long(due)}"


def _note_panel() -> html.Div:
    config, today = data.config(), data.today()
    scope = access.partner_scope()
    partners = [
        {"label": f"{p.code} – {p.name}", "value": p.code}
        for p in config.partners
        if scope is None or p.code in scope
    ]
    due = periods.default_stand(config, today)
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
