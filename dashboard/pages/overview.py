"""Übersicht: the grant at a glance – KPIs against targets, budget against time, attention."""

from __future__ import annotations

from fractions import Fraction

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, dcc, html

from dashboard import access, data, drill, fmt, planning
from dashboard import filters as flt
from dashboard.calc import actions as todo
from dashboard.calc import overview as ov
from dashboard.calc import sheets as sheet_calc
from dashboard.calc.activity import MEASURES, attainment_flag
from dashboard.labels import ATTAINMENT_LABELS
from dashboard.views import actions as action_view
from dashboard.views import components as ui
from dashboard.views import sheets as sheet_views
from dashboard.views.attention import text as attention_text
from etl.core import figures

dash.register_page(
    __name__, path="/", name="Übersicht", title="Übersicht – Fördercockpit", order=0,
    filters=True,  # the global filter bar acts here (dashboard/shell.py)
)

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
            html.Div(  # the user's to-do list, not part of the printed page
                ui.section(
                    "Meine Aufgaben",
                    html.Div(id="overview-actions"),
                    id="overview-actions-card",
                    style={"display": "none"},  # shown by actions() for roles that have some
                ),
                className="d-print-none",
            ),
            dbc.Row(id="overview-cards", className="g-3"),
            dbc.Row(
                [
                    dbc.Col(html.Div(id="overview-budget"), xl=5, className="mb-3"),
                    dbc.Col(
                        ui.section(
                            "Was Aufmerksamkeit braucht",
                            html.Div(id="overview-attention"),
                            hint="Partner hinter dem zeitanteiligen Ziel, Budgetzeilen über "
                            "oder unter dem Plan bis Stand, fehlende Monatsberichte",
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
                "Modul und Jahr, anteilig bis zum Berichtsstand; Unternehmen: die eindeutigen "
                "des Partners gegen sein Ziel für eindeutige Unternehmen)",
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
    activity_months, reach, uploads = data.frames("activity_months", "reach_coded", "uploads")
    money = data.accepted_money_months()  # as on Finanzen: after the funding body's cuts
    sheets = sheet_views_of(config, f)  # configured sheets ([[activity_sheets]]), if any
    model = ov.overview(activity_months, money, reach, uploads, config, f, data.today(),
                        sheet_calc.behind(sheets, config))
    return (
        lead(model, config, f),
        [activity_card(model, k, f) for k in model.kpis.values()]
        + sheet_cards(sheets, model, config, f),
        budget_card(model, f),
        attention_list(model.items, f),
        partner_table(model, f, config.rules),
    )


@callback(
    Output("overview-actions", "children"),
    Output("overview-actions-card", "style"),
    Input("url", "pathname"),  # not the filters: the actions are the user's, not the selection's
)
def actions(_path):
    """The open actions of the logged-in role."""
    role, config, today = access.current_role(), data.config(), data.today()
    if role not in ("partner", *todo.REVIEWERS):
        return None, {"display": "none"}
    scope = access.partner_scope()
    items = todo.open_actions(
        role,
        uploads=data.frame("uploads"),
        states=data.month_states(),
        comments=data.month_comments(),
        requests=data.payment_requests() if role == "finance" else None,
        config=config,
        partners=tuple(scope) if scope is not None else config.partner_codes,
        today=today,
        steps=config.review_steps,
    )
    return action_view.action_list(items, role, today), {}


def lead(model: ov.Overview, config, f: flt.Filters | None = None) -> str:
    """The Stand, the project period and the time elapsed (of the selected years, if any)."""
    years = f.years if f else ()
    span = f"der Projektmonate {', '.join(map(str, years))}" if years else "der Laufzeit"
    return (
        f"Stand: Monatsberichte bis {fmt.month_long(model.as_of)} · Laufzeit "
        f"{fmt.de_date(config.start)} – {fmt.de_date(config.end)} · "
        f"{fmt.de_pct(model.elapsed)} {span} verstrichen (roter Strich in den Balken)"
    )


def activity_card(model: ov.Overview, kpi: ov.Kpi, f: flt.Filters) -> dbc.Col:
    lines = [
        f"Ziel {fmt.de_int(kpi.target)} · erreicht {fmt.de_pct(kpi.attainment)}",
        f"zeitanteilig erwartet {fmt.de_int(kpi.expected)} · {fmt.de_pct(kpi.on_track)}",
    ]
    if kpi.measure == "coachings":
        lines.insert(0, f"{fmt.de_num(model.hours, 1)} Coachingstunden")
    key = MEASURE_FIGURES[kpi.measure]
    if kpi.measure == "companies":
        lines = companies_lines(model, kpi, f)
    if model.whole:
        lines.append(f"{whole_label()}: {fmt.de_int(model.whole[kpi.measure].value)}")
    label = figures.name(key) + (" je Partner" if kpi.per_partner else "")
    bar = ui.progress(kpi.attainment, model.elapsed, "verstrichene Laufzeit")
    href = drill.records_href(f, CARD_DATASET[kpi.measure])
    return ui.kpi_card(
        f"overview-kpi-{kpi.measure}",
        ui.with_info(label, key),
        fmt.de_int(kpi.value),
        lines,
        href,
        bar,
    )


MEASURE_FIGURES = {m: m for m in MEASURES} | {"companies": "unique_companies"}


def companies_lines(model: ov.Overview, kpi: ov.Kpi, f: flt.Filters) -> list:
    """The companies card's lines: SMEs, the distinct companies against their own target
    (the number, bar and percentage of the card), then the Unternehmenskontakte, labelled."""
    if kpi.target:
        goal = f"Ziel {fmt.de_int(kpi.target)} eindeutige · erreicht {fmt.de_pct(kpi.attainment)}"
    elif f.modules or f.years:
        goal = "Ziel gilt für alle Module und die ganze Laufzeit: hier kein Vergleich"
    else:
        goal = "kein Ziel für eindeutige Unternehmen festgelegt"
    c = model.contacts
    expected = (
        [f"zeitanteilig erwartet {fmt.de_int(kpi.expected)} · {fmt.de_pct(kpi.on_track)}"]
        if kpi.target
        else []
    )
    return [
        f"davon KMU: {fmt.de_int(model.n_sme)} ({fmt.de_pct(model.sme_share)})",
        html.Span(goal, id="overview-companies-goal"),
        *expected,
        html.Span(
            [
                f"{figures.name('company_contacts')}: {fmt.de_int(c.value)} von "
                f"{fmt.de_int(c.target)} ({fmt.de_pct(c.attainment)}) ",
                ui.info("company_contacts"),
            ],
            className="text-muted",
            id="overview-companies-contacts",
        ),
    ]


def sheet_views_of(config, f: flt.Filters) -> list:
    """The configured sheets under the filters at their Stand (none without sheets)."""
    if not config.activity_sheets:
        return []
    as_of = f.as_of(config, data.today())
    return sheet_calc.views(data.frame("sheet_measures"), config, f, as_of)


def sheet_cards(sheets: list, model: ov.Overview, config, f: flt.Filters) -> list:
    """Cards of the configured sheets' measures that have targets, in a row of their own
    per sheet, at the same Stand and filters as the cards before them."""
    return [
        card
        for s, view in sheets
        for card in sheet_views.target_cards(view, s, config, f, model.elapsed)
    ]


def whole_label() -> str:
    """The unfiltered total's label: the whole project, or a partner account's own total."""
    scope = access.partner_scope()
    if scope:
        return f"Gesamt (Partner {', '.join(scope)})"
    return "Gesamtes Projekt"


def budget_card(model: ov.Overview, f: flt.Filters) -> dbc.Card:
    share = Fraction(model.eligible, model.plan) if model.plan else None
    lines = [
        f"von {fmt.eur(model.plan)} Budget · {fmt.de_pct(share)} ausgegeben",
        f"verstrichene Laufzeit: {fmt.de_pct(model.elapsed)}",
        f"Zuwendung: {fmt.eur(model.grant)}",
    ]
    if model.whole_eligible is not None:
        lines.append(f"{whole_label()}: {fmt.eur(model.whole_eligible)}")
    if f.modules:
        lines.append(
            "Kosten werden je Partner und Jahr abgerechnet: der Modulfilter gilt hier nicht."
        )
    body = dbc.Card(
        dbc.CardBody(
            [
                html.Div(ui.with_info("Förderfähige Ausgaben", "eligible"), className="kpi-label"),
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
        href=drill.records_href(flt.Filters(f.partners, (), f.years, f.stand), "kosten"),
        className="kpi-link",
        id="overview-kpi-money",
    )


# More than this in view: the list and the table show the most urgent ones and say how many
# more there are (a steering view, not an inventory of 240 partners).
TOP_ITEMS = 15
TOP_PARTNERS = 12


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
                    attention_text(item),
                    href=flt.href(
                        item.page, drill.narrowed(f, partner=item.partner, year=item.year)
                    ),
                ),
            ],
            className="attention-item",
        )
        for item in items[:TOP_ITEMS]
    ]
    if len(items) > TOP_ITEMS:
        more = items[TOP_ITEMS:]
        n_flag = sum(1 for i in more if i.severity == "flag")
        rows.append(
            html.Li(
                f"… und {fmt.de_int(len(more))} weitere Hinweise ({fmt.de_int(n_flag)} rot) – "
                "Partner oder Jahr oben filtern, um sie zu sehen.",
                className="attention-item text-muted",
                id="overview-attention-more",
            )
        )
    return html.Ul(rows, className="attention-list list-unstyled mb-0")


def _column(measure: str) -> str:
    """The partner table's header of a measure (companies: each partner's distinct ones)."""
    return ATTAINMENT_LABELS[measure]


def _cell(attain, actual, expected, rules) -> html.Td:
    return html.Td(
        f"{fmt.de_pct(attain)} ({fmt.de_int(actual)} von {fmt.de_int(expected)})",
        className=f"attain attain-{attainment_flag(attain, rules)}",
    )


def partner_table(model: ov.Overview, f: flt.Filters, rules) -> html.Table:
    head = html.Thead(
        html.Tr(
            [
                html.Th("Partner"),
                *[html.Th(ui.with_info(_column(m), MEASURE_FIGURES[m])) for m in MEASURES],
            ]
        )
    )
    # the partners furthest behind first, the rest summed up (calc.overview.rank_partners)
    ranking = ov.rank_partners(model.attain, TOP_PARTNERS)
    codes, rest, by_partner = ranking.shown, ranking.rest, ranking.cells
    rows = [
        html.Tr(
            [
                html.Td(
                    dcc.Link(code, href=flt.href("/aktivitaeten", drill.narrowed(f, partner=code)))
                ),
                *[_cell(*by_partner[code][m], rules) for m in MEASURES if m in by_partner[code]],
            ]
        )
        for code in codes
    ]
    if rest:
        cells = [_cell(*ranking.rest_cells[m], rules) for m in MEASURES]
        rows.append(
            html.Tr(
                [html.Td(f"Weitere ({len(rest)} Partner)", className="text-muted"), *cells],
                id="overview-partners-rest",
            )
        )
    table = html.Div(  # scrolls inside itself on a phone
        html.Table([head, html.Tbody(rows)], className="table attain-table mb-0"),
        className="table-responsive",
    )
    if not rest:
        return table
    note = html.P(
        f"{len(codes) + len(rest)} Partner: gezeigt die {len(codes)} mit der niedrigsten "
        "Zielerreichung, die übrigen zusammengefasst. Partner oben filtern für einzelne Werte.",
        className="text-muted small mb-2",
    )
    return html.Div([note, table])
