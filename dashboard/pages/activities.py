"""Aktivitäten: events, participants, coachings and companies by partner, module and year,
the monthly trend against the target line, SME classes and event formats."""

from __future__ import annotations

from fractions import Fraction

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard import access, data, drill, fmt, planning
from dashboard import filters as flt
from dashboard.calc import activity, overview, periods, review
from dashboard.calc import sheets as sheet_calc
from dashboard.calc import sizes as size_calc
from dashboard.figures import activities as figs
from dashboard.labels import MEASURE_LABELS
from dashboard.theme import module_colors, partner_colors
from dashboard.views import components as ui
from dashboard.views import sheets as sheet_views
from dashboard.views.review import note_hash
from etl.core.normalise import SIZE_CLASSES

dash.register_page(
    __name__, path="/aktivitaeten", name="Aktivitäten", title="Aktivitäten – Fördercockpit",
    order=1,
    filters=True,
)

GROUPS = {
    "partner_code": ("nach Partner", "module"),
    "module": ("nach Modul", "partner_code"),
    "year": ("nach Jahr", "partner_code"),
}
FORMATS = ("Präsenz", "Online", "Hybrid")


def layout(**_query) -> html.Div:
    measure = _choices(
        "activities-measure",
        "events",
        [{"label": MEASURE_LABELS[m], "value": m} for m in activity.MEASURES],
    )
    group = _choices(
        "activities-group", "partner_code", [{"label": v[0], "value": k} for k, v in GROUPS.items()]
    )
    return html.Div(
        [
            ui.page_header("Aktivitäten", "activities-lead"),
            html.Div([measure, group], className="d-flex flex-wrap gap-4 mb-3"),
            ui.section(
                ui.with_info("Ist und Ziel", "target"),
                ui.graph("activities-bars", drill=True),
                hint="Balken anklicken: die Zeilen dahinter auf der Seite Daten",
                id="activities-bars-card",
            ),
            _side_by_side(
                ui.section(
                    "Monatlicher Verlauf je Partner",
                    ui.graph("activities-monthly", drill=True, height=380),
                ),
                ui.section(
                    "Kumuliert gegen das Ziel", ui.graph("activities-cumulative", height=380)
                ),
            ),
            _side_by_side(
                ui.section(
                    ui.with_info("Eindeutige Unternehmen nach Größenklasse", "unique_companies"),
                    ui.graph("activities-sizes", drill=True, height=360),
                    html.Div(id="activities-sme", className="mt-2 fw-semibold"),
                    html.Div(id="activities-size-conflicts", className="mt-3"),
                    id="activities-sizes-card",
                ),
                ui.section(
                    "Veranstaltungen nach Format",
                    ui.graph("activities-formats", drill=True, height=360),
                ),
            ),
            html.Div(id="activities-sheets"),  # configured sheets only ([[activity_sheets]])
        ]
    )


def _choices(component_id: str, value: str, options: list[dict]) -> dbc.RadioItems:
    """A row of toggle buttons (one choice)."""
    return dbc.RadioItems(
        id=component_id,
        value=value,
        inline=True,
        options=options,
        className="btn-group",
        inputClassName="btn-check",
        labelClassName="btn btn-outline-primary",
        labelCheckedClassName="active",
    )


def _side_by_side(left, right) -> dbc.Row:
    """Two cards in one row on wide screens."""
    return dbc.Row([dbc.Col(left, xl=6), dbc.Col(right, xl=6)])


@callback(
    Output(ui.drill_id("activities-bars"), "figure"),
    Output(ui.drill_id("activities-monthly"), "figure"),
    Output("activities-cumulative", "figure"),
    Output("activities-lead", "children"),
    Input("url", "search"),
    Input("activities-measure", "value"),
    Input("activities-group", "value"),
)
def update_trend(search, measure, group):
    config = planning.config()
    f = flt.from_search(search, config)
    as_of = f.as_of(config, data.today())  # later months are vorläufig: not shown
    frames = [periods.settled(x, as_of) for x in data.frames("activity_months", "reach_coded")]
    months, reach_f = overview.selection(*frames, f)
    per_month = activity.monthly_by_partner(months, reach_f, measure)
    notes = review.month_notes(
        data.month_comments(), f.partner_list(config), f.year_list(config),
        config.year_start_month,
    )
    # plain figure dicts: the same figures without plotly's validation and copies
    return (
        bars(months, reach_f, config, f, measure, group),
        monthly(per_month, config, f, measure, notes),
        cumulative(per_month, config, f, measure, notes),
        lead(config, f, measure),
    )


@callback(
    Output(ui.drill_id("activities-sizes"), "figure"),
    Output(ui.drill_id("activities-formats"), "figure"),
    Output("activities-sme", "children"),
    Input("url", "search"),
)
def update_mix(search):
    config = data.config()
    f = flt.from_search(search, config)
    as_of = f.as_of(config, data.today())
    reach, events = (periods.settled(x, as_of) for x in data.frames("reach_coded", "event_formats"))
    reach_f = flt.apply(reach, f)
    sizes = size_calc.companies_by_size(reach_f, SIZE_CLASSES)
    links = {c: drill.records_href(f, "teilnahmen", groesse=c) for c in SIZE_CLASSES}
    counts = activity.format_counts(flt.apply(events, f), FORMATS)
    formats = {c: drill.records_href(f, "veranstaltungen", format=c) for c in FORMATS}
    return (
        figs.size_classes(sizes, links, plain=True),
        figs.formats(counts, formats, plain=True),
        sme_line(reach_f),
    )


@callback(Output("activities-sheets", "children"), Input("url", "search"))
def update_sheets(search):
    """One section per configured activity sheet (none without [[activity_sheets]])."""
    config = planning.config()
    if not config.activity_sheets:
        return None
    f = flt.from_search(search, config)
    as_of = f.as_of(config, data.today())
    facts = data.frame("sheet_measures")
    elapsed = periods.elapsed_in(config, f.year_list(config), as_of)
    return [
        sheet_views.sheet_section(
            sheet_calc.sheet_view(facts, s, config, f, as_of), s, config, f, elapsed
        )
        for s in config.activity_sheets
    ]


@callback(Output("activities-size-conflicts", "children"), Input("url", "search"))
def update_conflicts(_search):
    """Companies reported with conflicting SME classes (whatever the selection: steering
    resolves them for the whole network); a partner sees only its own reports."""
    reach, reports = data.frames("reach_coded", "size_conflicts")
    return conflict_table(size_calc.size_class_conflicts(reports, reach), access.partner_scope())


# More partners than this in view: the largest ones and one bar/trace for all others.
TOP_PARTNERS = 12
OTHERS_COLOR = "#adb5bd"


def bars(months, reach, config, f, measure, group):
    color = GROUPS[group][1]
    table = activity.totals(months, reach, list(activity.KEYS))
    partners, rest, table = activity.top_partners(
        table, measure, f.partner_list(config), TOP_PARTNERS
    )
    n_rest = len(f.partner_list(config)) - len(partners)
    if rest and group == "partner_code":
        # the others as one bar of their average, on the scale of the partners shown
        avg = f"Ø weitere {n_rest} Partner"
        table = table.groupby([group, color], as_index=False)[measure].sum()
        is_rest = table[group] == rest
        table.loc[is_rest, measure] = [
            round(Fraction(int(v), n_rest)) for v in table.loc[is_rest, measure]
        ]
        table[group] = table[group].where(~is_rest, avg)
        rest = avg
    order = {
        "partner_code": partners + ([rest] if rest else []),
        "module": list(f.module_list(config)),
        "year": list(f.year_list(config)),
    }
    colors = (
        partner_colors(config.partner_codes)
        if color == "partner_code"
        else module_colors(config.modules)
    )
    if rest:
        colors = {**colors, rest: OTHERS_COLOR}
    targets = flt.apply(activity.targets_frame(config), f)
    if rest and group == "partner_code":
        targets = targets.assign(
            partner_code=targets["partner_code"].where(targets["partner_code"].isin(partners), rest)
        )
    targets = targets.groupby(group)[measure].sum()
    if rest and group == "partner_code":
        targets[rest] = round(Fraction(int(targets[rest]), n_rest))
    dataset = drill.MEASURE_DATASET[measure]

    def arg(column: str, value) -> dict:
        return {} if value == rest and column == "partner_code" else {_arg(column): value}

    links = {
        (x, c): drill.records_href(drill.narrowed(f, **arg(group, x), **arg(color, c)), dataset)
        for x in order[group]
        for c in order[color]
    }
    return figs.stacked_bars(
        table,
        measure=measure,
        x=group,
        color=color,
        x_order=order[group],
        color_order=order[color],
        colors=colors,
        links=links,
        targets=targets.to_dict(),
        plain=True,
        x_labels={y: config.year_label(y) for y in config.years} if group == "year" else None,
    )


def _arg(column: str) -> str:
    return {"partner_code": "partner", "module": "module", "year": "year"}[column]


def note_link(partner: str, month) -> str:
    """A comment marker opens the month's thread on Meldestand."""
    year = data.config().year_of(month)
    where = flt.href("/meldestand", flt.Filters((partner,), (), (year,)))
    return where + note_hash(partner, month)


def monthly(frame, config, f, measure, notes=None):
    partners, rest, frame = activity.top_partners(
        frame, "value", f.partner_list(config), TOP_PARTNERS
    )
    if rest:  # the largest partners only; the whole selection is in the cumulative chart
        frame = frame[frame["partner_code"] != rest]
        frame = frame.groupby(["month", "partner_code"], as_index=False)["value"].sum()
    dataset = drill.MEASURE_DATASET[measure]
    # records_href(..., monat=...) per bar, built once per partner ("monat" comes last)
    base = {
        p: drill.records_href(drill.narrowed(f, partner=None if p == rest else p), dataset)
        for p in dict.fromkeys(frame["partner_code"])
    }
    links = {
        (p, m): f"{base[p]}&monat={m:%Y-%m}"
        for p, m in zip(frame["partner_code"], frame["month"], strict=True)
    }
    n = len(f.partner_list(config))
    return figs.monthly_bars(
        frame,
        measure=measure,
        partners=partners,
        colors=partner_colors(config.partner_codes),
        links=links,
        legend_title=f"die {len(partners)} größten von {n} Partnern" if rest else None,
        notes=notes,
        note_link=note_link,
        plain=True,
    )


def cumulative(frame, config, f, measure, notes=None):
    actual = frame.groupby("month")["value"].sum() if not frame.empty else frame["value"]
    targets = flt.apply(activity.targets_frame(config), f)
    goal = activity.monthly_target(targets, config, measure, f.year_list(config))
    return figs.cumulative(
        actual, goal, measure=measure, notes=notes, note_link=note_link, plain=True
    )


def lead(config, f, measure) -> str:
    note = (
        " (Unternehmen je Partner, Modul und Jahr gezählt und summiert – wie die Ziele; "
        "eindeutige Unternehmen: unten nach Größenklasse und auf der Übersicht)"
        if measure == "companies"
        else ""
    )
    as_of = ui.stand_text(f.as_of(config, data.today()))
    return f"{MEASURE_LABELS[measure]}{note} · {ui.selection_text(config, f)} · {as_of}"


def sme_line(reach) -> str:
    n, n_sme, share = size_calc.sme_share(reach)
    if not n:
        return ""
    return (
        f"{fmt.de_int(n)} eindeutige Unternehmen, davon {fmt.de_int(n_sme)} KMU "
        f"({fmt.de_pct(share)})"
    )


def conflict_reports(item: dict) -> str:
    """'BO Mittel (12.03.2025), DO Groß (02.04.2025)': one conflict's reports."""
    return ", ".join(f"{p} {c} ({fmt.de_date(d)})" for p, c, d in item["reports"])


def conflict_table(items: list[dict], scope) -> html.Div | None:
    """The companies reported with conflicting SME classes, for steering to resolve; the
    class counted network-wide only for those who see every partner (``scope`` None)."""
    if not items:
        return None
    head = ["Unternehmen", "Meldungen"] + (["Netzweit gezählt"] if scope is None else [])
    rows = [
        html.Tr([html.Td(f"{i['company']} ({i['plz']})"), html.Td(conflict_reports(i))]
                + ([html.Td(i["network_class"] or "–")] if scope is None else []))
        for i in items
    ]
    return html.Div([
        html.Div("Größenklasse widersprüchlich", className="fw-semibold text-warning-emphasis"),
        html.Div("Bitte mit den Partnern klären. Jeder Partner zählt seine eigene Meldung, "
                 "netzweit zählt die jüngste nach Aktivitätsdatum.",
                 className="small text-muted mb-1"),
        dbc.Table([html.Thead(html.Tr([html.Th(h) for h in head])), html.Tbody(rows)],
                  size="sm", bordered=False, responsive=True, className="mb-0 small"),
    ], id="activities-size-conflicts-list")
