"""Fragments of the configured activity sheets (``[[activity_sheets]]``): one section per
sheet on Aktivitäten (its measures as cards against their targets, the monthly trend, the
table per partner) and the cards of measures with targets on the Übersicht. Generic over
whatever a network configures; nothing at all without configured sheets."""

from __future__ import annotations

from fractions import Fraction

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import drill, fmt
from dashboard import filters as flt
from dashboard.calc.activity import attainment_flag
from dashboard.calc.overview import Kpi
from dashboard.calc.sheets import SheetView, has_target
from dashboard.figures import sheets as figs
from dashboard.figures.sheets import shown
from dashboard.theme import GRAPH_CONFIG
from dashboard.views import components as ui
from etl.core import sheet_figures


def _expected(value: Fraction, unit: str) -> str:
    """What is expected by now, rounded to the measure's unit (whole counts, cents)."""
    return shown(round(value), unit)


def kpi_lines(kpi: Kpi, unit: str) -> list[str]:
    """A card's lines: the target and attainment, what is expected by now – or that no
    target is set."""
    if not kpi.target:
        return ["kein Ziel festgelegt"]
    return [
        f"Ziel {shown(kpi.target, unit)} · erreicht {fmt.de_pct(kpi.attainment)}",
        f"zeitanteilig erwartet {_expected(kpi.expected, unit)} · {fmt.de_pct(kpi.on_track)}",
    ]


def measure_card(sheet, measure, kpi: Kpi, config, f: flt.Filters, elapsed) -> dbc.Col:
    """The card of one configured measure (links to the sheet's rows on Daten)."""
    fig = sheet_figures.configured_figure(measure.key, config)
    bar = ui.progress(kpi.attainment, elapsed, "verstrichene Laufzeit") if kpi.target else None
    return ui.kpi_card(
        f"sheet-kpi-{measure.key}",
        ui.with_info(measure.label, measure.key, fig),
        shown(kpi.value, measure.unit),
        kpi_lines(kpi, measure.unit),
        drill.records_href(f, drill.sheet_dataset(sheet.key)),
        bar,
    )


def _cell(row, unit: str, rules) -> html.Td:
    """One partner's value of a measure; with a target its attainment against expectation."""
    if row is None or row.attainment is None:
        return html.Td(shown(int(row.actual) if row is not None else 0, unit), className="num")
    return html.Td(
        f"{fmt.de_pct(row.attainment)} ({shown(int(row.actual), unit)} von "
        f"{_expected(row.expected, unit)})",
        className=f"num attain attain-{attainment_flag(row.attainment, rules)}",
    )


def partner_table(view: SheetView, sheet, rules) -> html.Div:
    """Partner x measure: the value, and where a target is set the attainment against what
    is expected by now (colours as on the Übersicht)."""
    cells = {(r.partner_code, r.measure): r for r in view.partners.itertuples(index=False)}
    codes = list(dict.fromkeys(view.partners["partner_code"]))
    head = html.Thead(html.Tr([html.Th("Partner"), *[html.Th(m.label) for m in sheet.measures]]))
    rows = [
        html.Tr(
            [
                html.Td(code, className="text-nowrap"),
                *[_cell(cells.get((code, m.key)), m.unit, rules) for m in sheet.measures],
            ]
        )
        for code in codes
    ]
    return html.Div(
        html.Table(
            [head, html.Tbody(rows)],
            className="table attain-table mb-0",
            id=f"sheet-partners-{sheet.key}",
        ),
        className="table-responsive",
    )


def sheet_section(view: SheetView, sheet, config, f: flt.Filters, elapsed) -> html.Div:
    """A configured sheet on Aktivitäten: cards, monthly trend, table per partner."""
    measures = [(m.key, m.label, m.unit) for m in sheet.measures]
    trend = figs.trend(view.monthly, measures, sheet_label=sheet.sheet, plain=True)
    cards = [measure_card(sheet, m, view.kpis[m.key], config, f, elapsed) for m in sheet.measures]
    link = html.Div(
        dcc.Link(
            f"Alle Zeilen des Blatts {sheet.sheet} auf der Seite Daten",
            href=drill.records_href(f, drill.sheet_dataset(sheet.key)),
        ),
        className="mt-2",
    )
    return html.Div(
        [
            html.H2(sheet.label, className="h4 mt-2 mb-3"),
            dbc.Row(cards, className="g-3"),
            ui.section(
                "Monatlicher Verlauf",
                dcc.Graph(figure=trend, config=GRAPH_CONFIG, style={"height": "380px"}),
                hint=f"Meldungen im Blatt {sheet.sheet}, je Monat (Beträge: rechte Achse)",
            ),
            ui.section(
                "Je Partner",
                partner_table(view, sheet, config.rules),
                link,
                hint="Wert bis zum Berichtsstand; mit Ziel: Zielerreichung gegen das "
                "zeitanteilig erwartete Ziel",
            ),
        ],
        id=f"activities-sheet-{sheet.key}",
        className="activity-sheet",
    )


def target_cards(view: SheetView, sheet, config, f: flt.Filters, elapsed) -> list[dbc.Col]:
    """The Übersicht's cards of a sheet, in a row of their own under the sheet's label: its
    measures that have targets in the network (nothing when none has)."""
    cards = [
        measure_card(sheet, m, view.kpis[m.key], config, f, elapsed)
        for m in sheet.measures
        if has_target(config, m.key)
    ]
    if not cards:
        return []
    head = dbc.Col(
        html.H2(sheet.label, className="h5 mb-0 mt-1"), xs=12, id=f"overview-sheet-{sheet.key}"
    )
    return [head, *cards]
