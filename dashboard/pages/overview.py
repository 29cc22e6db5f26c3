"""Übersicht: the grant at a glance – KPIs against targets, budget against time, attention."""

from __future__ import annotations

from fractions import Fraction

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import components as ui
from dashboard import data, drill, fmt, planning
from dashboard import filters as flt
from dashboard.calc import overview as ov
from dashboard.calc.activity import MEASURES, attainment_flag
from dashboard.labels import MEASURE_LABELS

dash.register_page(__name__, path="/", name="Übersicht", title="Übersicht – Fördercockpit", order=0)

CARD_DATASET = {
    "events": "veranstaltungen",
    "participants": "veranstaltungen",
    "coachings": "coachings",
    "companies": "teilnahmen",
}


def layout(**_query) -> html.Div:
    return html.Div(
        [
            ui.page_header("Übersicht", "overview-lead"),
            dbc.Row(id="overview-cards", className="g-3"),
            dbc.Row(
                [
                    dbc.Col(html.Div(id="overview-budget"), xl=5, className="mb-3"),
                    dbc.Col(
                        ui.section(
                            "Was Aufmerksamkeit braucht",
                            html.Div(id="overview-attention"),
                            hint="Partner hinter dem zeitanteiligen Ziel, Budgetzeilen über "
                            "Plan, fehlende Monatsberichte",
                        ),
                        xl=7,
                    ),
                ],
                className="g-3",
            ),
            ui.section(
                "Zielerreichung je Partner",
                html.Div(id="overview-partners"),
                hint="Ist im Verhältnis zum zeitanteilig erwarteten Ziel (Ziele je Partner, "
                "Modul und Jahr, anteilig bis zum Berichtsstand)",
            ),
        ]
    )


@callback(
    Output("overview-lead", "children"),
    Output("overview-cards", "children"),
    Output("overview-budget", "children"),
    Output("overview-attention", "children"),
    Output("overview-partners", "children"),
    Input("url", "search"),
)
def update(search):
    config = planning.config()
    f = flt.from_search(search, config)
    frames = data.frames("activity_months", "money_months", "reach", "uploads")
    model = ov.overview(*frames, config, f, data.today())
    return (
        lead(model, config),
        [activity_card(model, k, f) for k in model.kpis.values()],
        budget_card(model, f),
        attention_list(model.items, f),
        partner_table(model, f, config.rules),
    )


def lead(model: ov.Overview, config) -> str:
    return (
        f"Stand: Monatsberichte bis {fmt.month_long(model.as_of)} · Laufzeit "
        f"{fmt.de_date(config.start)} – {fmt.de_date(config.end)} · "
        f"{fmt.de_pct(model.elapsed)} der Laufzeit verstrichen (roter Strich in den Balken)"
    )


def activity_card(model: ov.Overview, kpi: ov.Kpi, f: flt.Filters) -> dbc.Col:
    lines = [
        f"Ziel {fmt.de_int(kpi.target)} · erreicht {fmt.de_pct(kpi.attainment)}",
        f"zeitanteilig erwartet {fmt.de_int(kpi.expected)} · {fmt.de_pct(kpi.on_track)}",
    ]
    if kpi.measure == "coachings":
        lines.insert(0, f"{fmt.de_num(model.hours, 1)} Coachingstunden")
    if kpi.measure == "companies":
        lines = [
            f"davon KMU: {fmt.de_int(model.n_sme)} ({fmt.de_pct(model.sme_share)})",
            f"Ziel {fmt.de_int(kpi.target)} · erreicht {fmt.de_int(kpi.counted)} = "
            f"{fmt.de_pct(kpi.attainment)}",
            "(Ziel und Ist je Partner, Modul und Jahr gezählt)",
        ]
    if model.whole:
        lines.append(f"Gesamtes Projekt: {fmt.de_int(model.whole[kpi.measure].value)}")
    label = (
        "Erreichte Unternehmen (eindeutig)"
        if kpi.measure == "companies"
        else MEASURE_LABELS[kpi.measure]
    )
    bar = ui.progress(kpi.attainment, model.elapsed, "verstrichene Laufzeit")
    href = drill.records_href(f, CARD_DATASET[kpi.measure])
    return ui.kpi_card(
        f"overview-kpi-{kpi.measure}", label, fmt.de_int(kpi.value), lines, href, bar
    )


def budget_card(model: ov.Overview, f: flt.Filters) -> dbc.Card:
    share = Fraction(model.eligible, model.plan) if model.plan else None
    lines = [
        f"von {fmt.eur(model.plan)} Budget · {fmt.de_pct(share)} ausgegeben",
        f"verstrichene Laufzeit: {fmt.de_pct(model.elapsed)}",
        f"Zuwendung: {fmt.eur(model.grant)}",
    ]
    if model.whole_eligible is not None:
        lines.append(f"Gesamtes Projekt: {fmt.eur(model.whole_eligible)}")
    if f.modules:
        lines.append(
            "Kosten werden je Partner und Jahr abgerechnet: der Modulfilter gilt hier nicht."
        )
    body = dbc.Card(
        dbc.CardBody(
            [
                html.Div("Förderfähige Ausgaben", className="kpi-label"),
                html.Div(
                    fmt.eur(model.eligible), className="kpi-value", id="overview-kpi-money-value"
                ),
                ui.progress(share, model.elapsed, "verstrichene Laufzeit"),
                *[html.Div(line, className="kpi-line") for line in lines],
            ]
        ),
        className="kpi-card h-100 shadow-sm",
    )
    return dcc.Link(
        body,
        href=drill.records_href(flt.Filters(f.partners, (), f.years), "kosten"),
        className="kpi-link",
        id="overview-kpi-money",
    )


def attention_list(items: list, f: flt.Filters) -> html.Div:
    if not items:
        return html.P(
            "Nichts Auffälliges: alle Partner im Plan, alle Berichte da.",
            className="text-success mb-0",
        )
    rows = [
        html.Li(
            [
                html.Span("●", className=f"attention-dot attention-{item.severity}"),
                dcc.Link(
                    item.text,
                    href=flt.href(
                        item.page, drill.narrowed(f, partner=item.partner, year=item.year)
                    ),
                ),
            ],
            className="attention-item",
        )
        for item in items
    ]
    return html.Ul(rows, className="attention-list list-unstyled mb-0")


def partner_table(model: ov.Overview, f: flt.Filters, rules) -> html.Table:
    head = html.Thead(
        html.Tr([html.Th("Partner"), *[html.Th(MEASURE_LABELS[m]) for m in MEASURES]])
    )
    rows = []
    for code, grp in model.attain.groupby("partner_code", sort=False):
        cells = [
            html.Td(dcc.Link(code, href=flt.href("/aktivitaeten", drill.narrowed(f, partner=code))))
        ]
        for r in grp.itertuples(index=False):
            cells.append(
                html.Td(
                    f"{fmt.de_pct(r.attainment)} ({fmt.de_int(r.actual)} von "
                    f"{fmt.de_int(r.expected)})",
                    className=f"attain attain-{attainment_flag(r.attainment, rules)}",
                )
            )
        rows.append(html.Tr(cells))
    return html.Table([head, html.Tbody(rows)], className="table attain-table mb-0")
