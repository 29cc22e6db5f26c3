"""Figure builders: German locale, fixed colours, drill-down links, exact labels, empty states."""

from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.figures import activities, finance, reporting
from dashboard.theme import GRAPH_CONFIG, module_colors, partner_colors
from tests.dashboard.factories import same_figure

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


# --- the plain figure dicts the pages send equal the validated figures ----------------------

MONTHS = [pd.Timestamp(2025, m, 1) for m in (1, 2, 3)]


def _plain_and_figure(build, *args, **kw):
    return build(*args, **kw), build(*args, plain=True, **kw)


def test_activity_bars_plain_dicts_equal_the_figures():
    for kw in ({}, {"targets": {"A": 5, "B": 0}}):
        fig, plain = _bars(**kw), _bars(plain=True, **kw)
        assert isinstance(plain, dict) and same_figure(fig, plain)
    assert _bars().layout.yaxis.dtick == 1  # small counts: whole-number ticks
    assert list(_bars().layout.xaxis.range) == [-1.5, 2.5]  # two bars kept narrow
    many = pd.DataFrame([{"partner_code": f"P{i}", "module": "M1", "events": 10 * i}
                         for i in range(1, 11)])
    kw = dict(measure="events", x="partner_code", color="module",
              x_order=[f"P{i}" for i in range(1, 11)], color_order=("M1",),
              colors={"M1": "#000"}, links={}, targets={"P1": 50})
    fig, plain = _plain_and_figure(activities.stacked_bars, many, **kw)
    assert same_figure(fig, plain)
    assert fig.layout.annotations[0].text == "<b>10</b><br>Ziel 50"  # many bars: two lines
    five = activities.stacked_bars(many.head(5), **{**kw, "x_order": kw["x_order"][:5]})
    assert five.layout.annotations[0].text == "<b>10</b><br>Ziel 50"  # a phone: ~40 px a bar
    assert fig.layout.xaxis.range is None and fig.layout.yaxis.dtick is None


def test_monthly_and_cumulative_plain_dicts_equal_the_figures():
    frame = pd.DataFrame([{"month": m, "partner_code": p, "value": v}
                          for m in MONTHS for p, v in (("A", 2), ("B", 30))])
    kw = dict(measure="events", partners=("B", "A", "C"), colors={"A": "#111", "B": "#222"},
              links={("A", MONTHS[0]): "/daten?x=1"})
    for title in (None, "die 2 größten von 9 Partnern"):
        fig, plain = _plain_and_figure(activities.monthly_bars, frame, legend_title=title, **kw)
        assert same_figure(fig, plain)
    assert [t.name for t in fig.data] == ["B", "A"]
    assert fig.layout.legend.title.text == "die 2 größten von 9 Partnern"
    # keys in the validated figure's (sorted) order: plotly.js draws a legend title
    # elsewhere when the theme's legend keys come first
    plain = activities.monthly_bars(frame, legend_title="x", plain=True, **kw)  # untouched
    legend, bar = plain["layout"]["legend"], plain["data"][0]
    assert list(legend) == sorted(legend) and list(bar) == sorted(bar)
    assert fig.data[1].customdata[0][0] == "/daten?x=1"
    actual = pd.Series([3, 4, 0], index=MONTHS)
    target = pd.Series([Fraction(5, 2)] * 3, index=MONTHS)
    fig, plain = _plain_and_figure(activities.cumulative, actual, target, measure="events")
    assert same_figure(fig, plain) and list(fig.data[1].y) == [3, 7, 7]


def test_category_bars_and_empty_states_plain_dicts_equal_the_figures():
    counts = {"Präsenz": 3, "Online": 1, "Hybrid": 0}
    fig, plain = _plain_and_figure(activities.formats, counts, {"Online": "/daten?f=o"})
    assert same_figure(fig, plain) and fig.data[0].text[0] == "3 (75 %)"
    sizes = {"Klein": 0, "Mittel": 0}
    fig, plain = _plain_and_figure(activities.size_classes, sizes, {})
    assert same_figure(fig, plain) and not fig.data
    empty = pd.DataFrame(columns=["month", "partner_code", "value"])
    fig, plain = _plain_and_figure(activities.monthly_bars, empty, measure="coachings",
                                   partners=(), colors={}, links={})
    assert same_figure(fig, plain) and "Keine Coachings" in fig.layout.annotations[0].text
    assert fig.layout.height == 380 and fig.layout.xaxis.visible is False


def test_on_time_plain_dict_equals_the_figure_and_grows_with_the_bars():
    rates = pd.DataFrame([{"partner_code": p, "due": 3, "on_time": i, "rate": Fraction(i, 3)}
                          for i, p in enumerate("ABCD")])
    colors = dict.fromkeys("ABCD", "#111")
    fig, plain = _plain_and_figure(reporting.on_time, rates, colors)
    assert same_figure(fig, plain)
    assert fig.layout.height == reporting.height(4) == 60 + 4 * 48
    none = rates.assign(due=0)
    fig, plain = _plain_and_figure(reporting.on_time, none, colors)
    assert same_figure(fig, plain) and fig.layout.height == reporting.height(0)
