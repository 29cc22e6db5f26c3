"""Finanzen: plan vs actual per budget line, burn curve and forecast, money at risk, eligible
costs split by category and financing, deadlines of the proofs of use."""

from __future__ import annotations

from fractions import Fraction

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, html, no_update

from dashboard import access, data, drill, fmt, planning
from dashboard import filters as flt
from dashboard.calc import cuts as cut_calc
from dashboard.calc import periods, review
from dashboard.calc import spending as sp
from dashboard.calc.forecast import WINDOW
from dashboard.figures import finance as figs
from dashboard.figures import risk as risk_figs
from dashboard.theme import partner_colors
from dashboard.views import components as ui
from dashboard.views import cuts as cut_views
from dashboard.views import documents, grids, tables
from dashboard.views import payments as pv
from etl.core.labels import financing_labels
from etl.workflow import payments

dash.register_page(
    __name__, path="/finanzen", name="Finanzen", title="Finanzen – Fördercockpit",
    order=2,
    filters=True,
)


def layout(**_query) -> html.Div:
    return html.Div(
        [
            ui.page_header("Finanzen", "finance-lead"),
            html.Div(id="finance-cuts", className="text-muted mb-2"),
            plan_picker(),
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
                hint="Strich: Plan bis Stand (das laufende Jahr anteilig). Balken anklicken: "
                "die Kostenzeilen dahinter auf der Seite Daten",
                id="finance-plan-card",
            ),
            _split_row(),
            _risk_row(),
            ui.section(
                "Budgetzeilen: Abweichung vom Plan",
                html.Div(id="finance-lines-hint", className="text-muted mb-2"),
                _lines_grid(),
                id="finance-lines-card",
            ),
            payments_section(),
        ]
    )


def _lines_grid() -> dag.AgGrid:
    """The budget lines with their deviation from plan (filled by :func:`update`)."""
    return dag.AgGrid(
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


def _split_row() -> dbc.Row:
    """Eligible costs by category and by financing, side by side."""
    return dbc.Row(
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
    )


def _risk_row() -> dbc.Row:
    """Money at risk per year with the forecast, beside the deadlines of the proofs."""
    return dbc.Row(
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
                    "Fristen der Verwendungsnachweise",
                    html.Div(id="finance-deadline-box"),
                    html.Div(id="finance-proofs", className="mt-3"),
                ),
                xl=4,
            ),
        ]
    )


def plan_picker() -> dbc.Row:
    """'Plan as of': which finance plan version the plan figures come from."""
    return dbc.Row(
        [
            dbc.Col(dbc.Label("Planstand", html_for="finance-plan-version"), width="auto"),
            dbc.Col(
                dbc.Select(id="finance-plan-version", options=[], size="sm"),
                xs=12,
                lg="auto",  # as wide as its longest version label, never cut
            ),
            dbc.Col(html.Div(id="finance-plan-note", className="text-muted small"), md=True),
        ],
        className="g-2 align-items-center mb-3",
    )


def payments_section() -> dbc.Card:
    requests = dag.AgGrid(
        id="finance-requests",
        columnDefs=pv.REQUEST_COLUMNS,
        rowData=[],
        defaultColDef={"sortable": True, "resizable": True},
        dashGridOptions={**grids.paged(10), "animateRows": False},
        columnSize="responsiveSizeToFit",
        style={"height": None},
        className="ag-theme-alpine mt-3",
    )
    return ui.section(
        "Mittelabrufe und Zahlungsstand",
        html.Div(id="finance-payments"),
        requests,
        hint="Je Partner über die ganze Laufzeit (Jahresfilter gilt hier nicht): förderfähige "
        "Ausgaben und die Zuwendung darauf, abgerufen, ausgezahlt, ausstehend (beantragt oder "
        "bewilligt, noch nicht ausgezahlt) und förderfähige Ausgaben in Monaten, die noch kein "
        "Mittelabruf abdeckt.",
        id="finance-payments-card",
    )


def _notes(partners, years):
    """The comments on the months of the selection (marked on the burn curve)."""
    start = data.config().year_start_month
    return review.month_notes(data.month_comments(), partners, years, start)


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
    Output("finance-lines", "columnDefs"),
    Output("finance-lines", "rowData"),
    Output("finance-lines-hint", "children"),
    Input("url", "search"),
)
def update(search):
    version = planning.version_from(flt.parse_search(search))
    config, today = planning.config(version), data.today()
    f = flt.from_search(search, config)
    model = sp.spending(data.accepted_money_months(), config, f, today)  # after the cuts
    partners = f.partner_list(config)
    colors = partner_colors(config.partner_codes)
    return (
        lead(model, config, f, version),
        cards(model, f, config),
        # plain figure dicts: the same figures without plotly's validation and copies
        figs.burn(model.burn, model.as_of, _notes(partners, f.year_list(config)), plain=True),
        # the plan tick of each bar is the plan to date (the current year pro rata)
        figs.plan_actual(
            model.lines.assign(plan=model.lines["compare"]),
            partners,
            line_link(f),
            plain=True,
            plan_name="Plan bis Stand",
        ),
        figs.by_category(model.eligible, partners, partner_link(f), plain=True),
        figs.by_financing(
            model.eligible, partners, partner_link(f), plain=True, labels=financing_labels(config)
        ),
        risk_figs.at_risk(model.forecast, partners, colors, plain=True),
        [tables.forecast_table(model.forecast), tables.at_risk_note(model.forecast)],
        tables.deadlines_list(model.deadlines, today),
        grids.fitted(grids.BUDGET_COLUMNS, config),
        grids.budget_rows(model.lines),
        thresholds(config.rules),
    )


def thresholds(rules) -> str:
    warn, flag = fmt.de_pct(rules.deviation_warn), fmt.de_pct(rules.deviation_flag)
    return (
        f"Warnung ab {warn}, Zustimmung des Fördergebers nötig ab {flag} über Plan; unter "
        f"Plan: Warnung ab {warn}, „Mittel gefährdet“ ab {flag} (Schwellen aus der "
        "Konfiguration). Verglichen wird mit dem Plan bis Stand: abgeschlossene Jahre ganz, "
        "das laufende Jahr anteilig nach verstrichenen Monaten. Sortiert nach dem Betrag im "
        "Risiko, der größte zuerst."
    )


def line_link(f: flt.Filters):
    def link(partner: str, year: int, category: str) -> str:
        kind = "ausgaben" if category == "material" else "personal"
        return drill.records_href(
            flt.Filters((partner,), (), (int(year),), f.stand), "kosten", kategorie=kind
        )

    return link


def partner_link(f: flt.Filters):
    def link(partner: str) -> str:
        return drill.records_href(flt.Filters((partner,), (), f.years, f.stand), "kosten")

    return link


def lead(model: sp.Spending, config, f: flt.Filters, version: int | None = None) -> str:
    plan = planning.chosen(version)
    text = (
        f"Stand: Monatsberichte bis {fmt.month_long(model.as_of)} · Planstand {plan.label} · "
        f"{ui.selection_text(config, flt.Filters(f.partners, (), f.years, f.stand))}"
    )
    if f.modules:
        text += " · Kosten werden je Partner und Jahr abgerechnet: der Modulfilter gilt hier nicht"
    return text


def cards(model: sp.Spending, f: flt.Filters, config) -> list:
    t, fc, plan = model.totals, model.forecast, model.plan
    forecast, risk = int(fc["forecast"].sum()), int(fc["at_risk"].sum())
    share = Fraction(t["eligible"], plan) if plan else None
    href = drill.records_href(flt.Filters(f.partners, (), f.years, f.stand), "kosten")
    horizon = "zum Laufzeitende" if not f.years else "zum Ende der gewählten Jahre"
    return [
        ui.kpi_card(
            "finance-kpi-eligible",
            ui.with_info("Förderfähige Ausgaben", "eligible"),
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
            ui.with_info("Zuwendung", "grant"),
            fmt.eur(t["grant"]),
            [
                f"{config.eu_name} {fmt.eur(t['eu'])}",
                f"{config.state_name} {fmt.eur(t['state'])}",
                f"Eigenanteil {fmt.eur(t['own'])}",
                *tables.cap_notes(model.caps),
            ],
            None,
        ),
        ui.kpi_card(
            "finance-kpi-forecast",
            ui.with_info(f"Prognose {horizon}", "forecast"),
            fmt.eur(forecast),
            [
                f"{fmt.de_pct(Fraction(forecast, plan) if plan else None)} des Plans",
                html.Span(
                    [f"gefährdet (nicht ausgeschöpft): {fmt.eur(risk)} ", ui.info("at_risk")],
                    id="finance-kpi-at-risk",
                ),
                "Summe je Partner und Jahr von max(0, Plan − Prognose)",
            ],
            None,
            ui.progress(Fraction(forecast, plan) if plan else None),
        ),
    ]


@callback(
    Output("finance-plan-version", "options"),
    Output("finance-plan-version", "value"),
    Output("finance-plan-note", "children"),
    Input("url", "search"),
)
def plan_versions(search):
    """The versions to choose from; the one in the address (default: the current one)."""
    versions = planning.versions()
    chosen = planning.chosen(planning.version_from(flt.parse_search(search)))
    reasons = access.partner_scope() is None  # a reason may name other partners
    options = [
        {
            "label": v.label
            + (f" – {v.reason[:60]}" if reasons else "")
            + (" (aktuell)" if i == 0 else ""),
            "value": str(v.id),
        }
        for i, v in enumerate(versions)
    ]
    note = (
        "aktueller Plan"
        if chosen.id == versions[0].id
        else f"Plan wie in {chosen.label}; aktuell gilt {versions[0].label}"
    )
    return options, str(chosen.id), note


@callback(
    Output("url", "search", allow_duplicate=True),
    Input("finance-plan-version", "value"),
    State("url", "search"),
    prevent_initial_call=True,
)
def choose_plan(value, search):
    """Keep the chosen plan version in the address (current version: no parameter)."""
    params = flt.parse_search(search)
    current = str(planning.latest_id())
    wanted = None if not value or value == current else value
    if params.get(planning.PLAN_KEY) == wanted:
        return no_update
    params.pop(planning.PLAN_KEY, None)
    if wanted:
        params[planning.PLAN_KEY] = wanted
    return flt.to_search(params)


@callback(Output("finance-cuts", "children"), Input("url", "search"))
def cut_note(search):
    """Claimed and accepted where the funding body's cuts make them differ (link: Kürzungen)."""
    config = planning.config(planning.version_from(flt.parse_search(search)))
    f = flt.from_search(search, config)
    claimed, accepted = data.frame("money_months"), data.accepted_money_months()
    cut = cut_calc.comparison(claimed, accepted, config, f.partner_list(config), f.years)
    return cut_views.finance_note(cut, search)


@callback(
    Output("finance-payments", "children"),
    Output("finance-requests", "rowData"),
    Input("url", "search"),
)
def payment_position(search):
    """Per partner: eligible, grant due, requested, paid, outstanding, not yet requested."""
    config = planning.config()
    f = flt.from_search(search, config)
    partners = f.partner_list(config)
    requests = data.payment_requests(list(partners))
    money = periods.settled(data.accepted_money_months(), f.as_of(config, data.today()))
    position = payments.position(money, requests, config, partners)
    return pv.position_table(position, "finance-position"), pv.request_rows(requests)


@callback(Output("finance-proofs", "children"), Input("url", "search"))
def proof_links(search):
    """Downloads of the proof of use and of the Belegliste: per year and for the whole
    period, for the one partner chosen (a partner account: its own), else the whole project."""
    config = data.config()
    f = flt.from_search(search, config)
    partner = f.partners[0] if len(f.partners) == 1 else None
    return documents.finance_documents(config, partner)
