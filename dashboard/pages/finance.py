"""Finanzen: plan vs actual per budget line, burn curve and forecast, money at risk, eligible
costs split by category and financing, deadlines of the proofs of use."""

from __future__ import annotations

from fractions import Fraction

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import components as ui
from dashboard import data, drill, fmt, grids, tables
from dashboard import filters as flt
from dashboard.calc import spending as sp
from dashboard.calc.forecast import WINDOW
from dashboard.figures import finance as figs
from dashboard.theme import partner_colors

dash.register_page(
    __name__, path="/finanzen", name="Finanzen", title="Finanzen – Fördercockpit", order=2
)


def layout(**_query) -> html.Div:
    grid = dag.AgGrid(
        id="finance-lines",
        columnDefs=grids.BUDGET_COLUMNS,
        rowData=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={
            "localeText": grids.GRID_LOCALE,
            "animateRows": False,
            "domLayout": "autoHeight",
            "pagination": True,
            "paginationPageSize": 15,
            "paginationPageSizeSelector": [15, 45, 90],
        },
        columnSize="responsiveSizeToFit",
        style={"height": None},
        className="ag-theme-alpine",
    )
    return html.Div(
        [
            ui.page_header("Finanzen", "finance-lead"),
            dbc.Row(id="finance-cards", className="g-3"),
            ui.section(
                "Mittelabfluss: Ist, Plan, Zeitlinie und Prognose",
                ui.graph("finance-burn"),
                hint="Kumulierte förderfähige Ausgaben; die Prognose schreibt je Partner den "
                f"Durchschnitt der letzten {WINDOW} gemeldeten Monate fort.",
            ),
            ui.section(
                "Plan und Ist je Partner, Jahr und Kostenart",
                ui.graph("finance-plan", drill=True, height=440),
                hint="Balken anklicken: die Kostenzeilen dahinter auf der Seite Daten",
                id="finance-plan-card",
            ),
            dbc.Row(
                [
                    dbc.Col(
                        ui.section(
                            "Förderfähige Ausgaben nach Kostenart",
                            ui.graph("finance-categories", drill=True, height=340),
                        ),
                        xl=6,
                    ),
                    dbc.Col(
                        ui.section(
                            "Finanzierung: EU, Land und Eigenanteil",
                            ui.graph("finance-financing", drill=True, height=340),
                        ),
                        xl=6,
                    ),
                ]
            ),
            dbc.Row(
                [
                    dbc.Col(
                        ui.section(
                            "Gefährdete Mittel je Jahr (nach Prognose)",
                            ui.graph("finance-risk", height=340),
                            html.Div(id="finance-forecast", className="mt-3"),
                        ),
                        xl=8,
                    ),
                    dbc.Col(
                        ui.section(
                            "Fristen der Verwendungsnachweise", html.Div(id="finance-deadline-box")
                        ),
                        xl=4,
                    ),
                ]
            ),
            ui.section(
                "Budgetzeilen: Abweichung vom Plan",
                html.Div(id="finance-lines-hint", className="text-muted mb-2"),
                grid,
                id="finance-lines-card",
            ),
        ]
    )


@callback(
    Output("finance-lead", "children"),
    Output("finance-cards", "children"),
    Output("finance-burn", "figure"),
    Output(ui.drill_id("finance-plan"), "figure"),
    Output(ui.drill_id("finance-categories"), "figure"),
    Output(ui.drill_id("finance-financing"), "figure"),
    Output("finance-risk", "figure"),
    Output("finance-forecast", "children"),
    Output("finance-deadline-box", "children"),
    Output("finance-lines", "rowData"),
    Output("finance-lines-hint", "children"),
    Input("url", "search"),
)
def update(search):
    config, today = data.config(), data.today()
    f = flt.from_search(search, config)
    model = sp.spending(data.frame("money_months"), config, f, today)
    partners = f.partner_list(config)
    colors = partner_colors(config.partner_codes)
    return (
        lead(model, config, f),
        cards(model, f),
        figs.burn(model.burn, model.as_of),
        figs.plan_actual(model.lines, partners, line_link(f)),
        figs.by_category(model.eligible, partners, partner_link(f)),
        figs.by_financing(model.eligible, partners, partner_link(f)),
        figs.at_risk(model.forecast, partners, colors),
        tables.forecast_table(model.forecast),
        tables.deadlines_list(model.deadlines, today),
        grids.budget_rows(model.lines),
        thresholds(config.rules),
    )


def thresholds(rules) -> str:
    return (
        f"Warnung ab {fmt.de_pct(rules.deviation_warn)}, Zustimmung des Fördergebers nötig "
        f"ab {fmt.de_pct(rules.deviation_flag)} über Plan (Schwellen aus der Konfiguration)"
    )


def line_link(f: flt.Filters):
    def link(partner: str, year: int, category: str) -> str:
        kind = "ausgaben" if category == "material" else "personal"
        return drill.records_href(
            flt.Filters((partner,), (), (int(year),)), "kosten", kategorie=kind
        )

    return link


def partner_link(f: flt.Filters):
    def link(partner: str) -> str:
        return drill.records_href(flt.Filters((partner,), (), f.years), "kosten")

    return link


def lead(model: sp.Spending, config, f: flt.Filters) -> str:
    text = (
        f"Stand: Monatsberichte bis {fmt.month_long(model.as_of)} · "
        f"{ui.selection_text(config, flt.Filters(f.partners, (), f.years))}"
    )
    if f.modules:
        text += " · Kosten werden je Partner und Jahr abgerechnet: der Modulfilter gilt hier nicht"
    return text


def cards(model: sp.Spending, f: flt.Filters) -> list:
    t, fc, plan = model.totals, model.forecast, model.plan
    forecast, risk = int(fc["forecast"].sum()), int(fc["at_risk"].sum())
    share = Fraction(t["eligible"], plan) if plan else None
    href = drill.records_href(flt.Filters(f.partners, (), f.years), "kosten")
    horizon = "zum Laufzeitende" if not f.years else "zum Ende der gewählten Jahre"
    return [
        ui.kpi_card(
            "finance-kpi-eligible",
            "Förderfähige Ausgaben",
            fmt.eur(t["eligible"]),
            [
                f"von {fmt.eur(plan)} Plan · {fmt.de_pct(share)}",
                f"Personal {fmt.eur(t['personnel'])}",
                f"Gemeinkosten {fmt.eur(t['overheads'])}",
                f"Sachausgaben {fmt.eur(t['material'])}",
            ],
            href,
            ui.progress(share),
        ),
        ui.kpi_card(
            "finance-kpi-grant",
            "Zuwendung",
            fmt.eur(t["grant"]),
            [
                f"EU (EFRE) {fmt.eur(t['eu'])}",
                f"Land NRW {fmt.eur(t['state'])}",
                f"Eigenanteil {fmt.eur(t['own'])}",
            ],
            None,
        ),
        ui.kpi_card(
            "finance-kpi-forecast",
            f"Prognose {horizon}",
            fmt.eur(forecast),
            [
                f"{fmt.de_pct(Fraction(forecast, plan) if plan else None)} des Plans",
                f"gefährdet (nicht ausgeschöpft): {fmt.eur(risk)}",
            ],
            None,
            ui.progress(Fraction(forecast, plan) if plan else None),
        ),
    ]
