"""Finanzen charts with many partners: the largest ones and one bar of the others' average,
and the plain figure dicts the page sends equal the validated figures."""

from __future__ import annotations

import pandas as pd

from dashboard.figures import finance
from dashboard.figures import risk as risk_figs
from tests.dashboard.factories import same_figure as _same

PARTNERS = tuple(f"P{i:02d}" for i in range(1, 16))  # 15 partners
CATS = ("personnel", "overheads", "material")


def _lines(partners=PARTNERS):
    return pd.DataFrame([
        {"partner_code": p, "year": y, "category": c, "plan": 1000 * (i + 1),
         "actual": (i + 1) * 100 + k + (y - 2024)}
        for i, p in enumerate(partners) for y in (2024, 2025) for k, c in enumerate(CATS)
    ])


def test_largest_keeps_order_up_to_the_limit_and_ranks_beyond():
    size = {p: i for i, p in enumerate(PARTNERS)}
    assert finance.largest(PARTNERS[:12], size) == (list(PARTNERS[:12]), [])
    shown, rest = finance.largest(PARTNERS, size)
    assert shown == list(PARTNERS[::-1][:11]) and rest == list(PARTNERS[:4])


def test_plan_actual_shows_the_smaller_partners_average():
    lines = _lines()
    fig = finance.plan_actual(lines, PARTNERS, lambda p, y, c: f"/daten?p={p}")
    personnel = next(t for t in fig.data if t.name == "Personal")
    groups = list(dict.fromkeys(personnel.x[0]))
    assert len(groups) == 12 and groups[-1] == "Ø weitere 4 Partner"
    assert groups[0] == "P15"  # largest first
    # the others' 2024 personnel: P01..P04 = (100 + 200 + 300 + 400) / 4 cents
    i = list(zip(*personnel.x, strict=True)).index(("Ø weitere 4 Partner", "2024"))
    assert personnel.customdata[i][3] == "Ist: 2,50 €"
    assert personnel.customdata[i][0] == ""  # no drill-down for the group
    plan = next(t for t in fig.data if t.name == "Plan")
    assert plan.customdata[i] == "75,00 €"  # 3 categories x (10 + 20 + 30 + 40) € / 4
    assert _same(fig, finance.plan_actual(lines, PARTNERS, lambda p, y, c: f"/daten?p={p}",
                                          plain=True))


def test_few_partners_keep_one_bar_each_in_their_order():
    lines = _lines(PARTNERS[:3])
    fig = finance.plan_actual(lines, PARTNERS[:3], lambda p, y, c: "/d")
    assert list(dict.fromkeys(fig.data[0].x[0])) == list(PARTNERS[:3])
    eligible = pd.DataFrame([{"partner_code": p, "year": 2024, "personnel": 100, "overheads": 15,
                              "material": 0} for p in PARTNERS[:3]])
    split = finance.by_category(eligible, PARTNERS[:3], lambda p: "/d")
    assert list(split.data[0].y) == list(PARTNERS[:3][::-1])


def test_split_and_risk_with_many_partners():
    eligible = pd.DataFrame([
        {"partner_code": p, "year": y, "personnel": 100 * (i + 1), "overheads": 15,
         "material": 1, "eu": 1, "state": 2, "own": 3}
        for i, p in enumerate(PARTNERS) for y in (2024, 2025)
    ])
    fig = finance.by_category(eligible, PARTNERS, lambda p: f"/d?{p}")
    bars = fig.data[0]
    assert len(bars.y) == 12 and bars.y[0] == "Ø weitere 4 Partner" and bars.y[-1] == "P15"
    assert bars.customdata[0][3] == "5,00 €"  # (100+200+300+400) x 2 years cents / 4
    assert _same(fig, finance.by_category(eligible, PARTNERS, lambda p: f"/d?{p}", plain=True))
    fc = pd.DataFrame([{"partner_code": p, "year": y, "plan": 0, "actual": 0, "forecast": 0,
                        "at_risk": (i + 1) * 10} for i, p in enumerate(PARTNERS)
                       for y in (2024, 2025)])
    colors = {p: "#000000" for p in PARTNERS}
    risk = risk_figs.at_risk(fc, PARTNERS, colors)
    names = [t.name for t in risk.data if t.type == "bar"]
    assert len(names) == 12 and names[-1] == "Weitere (4 Partner)"
    rest = next(t for t in risk.data if t.name == "Weitere (4 Partner)")
    assert [c[3] for c in rest.customdata] == ["gefährdet: 1,00 €"] * 2
    total = next(t for t in risk.data if t.type == "scatter")
    assert total.text[0] == finance.fmt.eur_short(sum(range(10, 160, 10)))
    assert _same(risk, risk_figs.at_risk(fc, PARTNERS, colors, plain=True))


def test_burn_plain_dict_equals_the_figure():
    curve = pd.DataFrame([
        {"month": pd.Timestamp(2025, 1, 1), "actual": 123456789, "plan": 100000000,
         "linear": 100000000, "forecast": None},
        {"month": pd.Timestamp(2025, 2, 1), "actual": None, "plan": 200000000,
         "linear": 200000000, "forecast": 250000000},
    ])
    from datetime import date

    fig = finance.burn(curve, date(2025, 1, 1))
    assert _same(fig, finance.burn(curve, date(2025, 1, 1), plain=True))
    assert fig.layout.shapes[0].yref == "y domain"
