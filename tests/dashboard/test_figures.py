"""Figure builders: German locale, fixed colours, drill-down links, exact labels, empty states."""

from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.figures import activities, finance, reporting
from dashboard.theme import GRAPH_CONFIG, module_colors, partner_colors

TABLE = pd.DataFrame([
    {"partner_code": "A", "module": "M1", "year": 2025, "events": 3},
    {"partner_code": "A", "module": "M2", "year": 2025, "events": 1},
    {"partner_code": "B", "module": "M1", "year": 2025, "events": 2},
])


def _bars(**kw):
    return activities.stacked_bars(
        TABLE, measure="events", x="partner_code", color="module", x_order=("A", "B"),
        color_order=("M1", "M2"), colors=module_colors(("M1", "M2")),
        links={("A", "M1"): "/daten?tabelle=veranstaltungen&partner=A&modul=M1"}, **kw)


def test_graphs_use_the_german_locale():
    assert GRAPH_CONFIG["locale"] == "de"
    fmt = GRAPH_CONFIG["locales"]["de"]["format"]
    assert (fmt["decimal"], fmt["thousands"]) == (",", ".")
    assert fmt["shortMonths"][2] == "Mär" and fmt["months"][11] == "Dezember"
    assert _bars().layout.separators == ",."


def test_each_partner_and_module_keeps_its_colour():
    # colours follow the configuration, not the filter: HA is green with or without HAM
    assert partner_colors(("DO", "BO", "HA"))["HA"] == partner_colors(("DO", "BO", "HA", "HAM"))[
        "HA"]
    assert len(set(partner_colors(("DO", "BO", "HA", "HAM", "UN")).values())) == 5
    fig = _bars()
    colours = {t.name: t.marker.color for t in fig.data if t.type == "bar"}
    assert colours == {"M1": module_colors(("M1", "M2"))["M1"],
                       "M2": module_colors(("M1", "M2"))["M2"]}


def test_stacked_bars_carry_links_and_totals_against_targets():
    fig = _bars(targets={"A": 5, "B": 0})
    m1 = next(t for t in fig.data if t.name == "M1")
    assert list(m1.y) == [3, 2]
    assert m1.customdata[0][0] == "/daten?tabelle=veranstaltungen&partner=A&modul=M1"
    assert m1.customdata[1][0] == ""  # no link given: clicking does nothing
    labels = [a.text for a in fig.layout.annotations]
    assert labels == ["<b>4</b> / Ziel 5", "<b>2</b>"]
    target = next(t for t in fig.data if t.name == "Ziel")
    assert list(target.y) == [5, 0]


def test_empty_selection_shows_a_message_instead_of_axes():
    fig = activities.stacked_bars(TABLE.iloc[0:0], measure="events", x="partner_code",
                                  color="module", x_order=("A",), color_order=("M1",),
                                  colors={"M1": "#000"}, links={})
    assert not fig.data
    assert fig.layout.xaxis.visible is False
    assert fig.layout.annotations[0].text.startswith("Keine Veranstaltungen in dieser Auswahl")


def test_burn_chart_labels_are_exact_euros():
    curve = pd.DataFrame([
        {"month": pd.Timestamp(2025, 1, 1), "actual": 123456789, "plan": 100000000,
         "linear": 100000000, "forecast": None},
        {"month": pd.Timestamp(2025, 2, 1), "actual": None, "plan": 200000000,
         "linear": 200000000, "forecast": 250000000},
    ])
    fig = finance.burn(curve, date(2025, 1, 1))
    actual = next(t for t in fig.data if t.name.startswith("Ist"))
    assert actual.customdata[0] == "1.234.567,89 €"
    assert actual.y[0] == 1.23456789  # million euros on the axis
    assert [t.name for t in fig.data] == ["Plan (Finanzplan)", "Zeitlinie (linear)", "Prognose",
                                          "Ist (förderfähig)"]


def test_burn_chart_without_money_says_so():
    curve = pd.DataFrame([{"month": pd.Timestamp(2025, 1, 1), "actual": None, "plan": 1,
                           "linear": 1, "forecast": None}])
    fig = finance.burn(curve, date(2025, 1, 1))
    assert not fig.data and "Noch keine Ausgaben" in fig.layout.annotations[0].text


def test_plan_actual_bars_link_to_the_cost_rows():
    lines = pd.DataFrame([{"partner_code": "A", "year": 2025, "category": c, "plan": 1000,
                           "actual": a} for c, a in (("personnel", 800), ("overheads", 120),
                                                     ("material", 300))])
    fig = finance.plan_actual(lines, ("A",), lambda p, y, c: f"/daten?partner={p}&k={c}")
    personnel = next(t for t in fig.data if t.name == "Personal")
    assert personnel.customdata[0][0] == "/daten?partner=A&k=personnel"
    assert personnel.customdata[0][3] == "Ist: 8,00 €"
    plan = next(t for t in fig.data if t.name == "Plan")
    assert plan.customdata[0] == "30,00 €"


def test_on_time_bars_show_rate_and_counts():
    rates = pd.DataFrame([{"partner_code": "A", "due": 3, "on_time": 1, "rate": Fraction(1, 3)},
                          {"partner_code": "B", "due": 0, "on_time": 0, "rate": None}])
    fig = reporting.on_time(rates, {"A": "#111", "B": "#222"})
    assert list(fig.data[0].y) == ["A"]
    assert fig.data[0].text[0] == "33 % (1 von 3)"
