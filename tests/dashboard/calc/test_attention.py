"""The overview's attention list."""

from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.calc import attention
from dashboard.views.attention import text


def test_items_for_missing_reports_budget_lines_and_partners_behind(small_config):
    behind = pd.DataFrame([{"partner_code": "B", "measure": "events", "actual": 7,
                            "expected": 10, "attainment": Fraction(7, 10)}])
    lines = pd.DataFrame([
        {"partner_code": "A", "year": 2025, "category": "material", "plan": 100, "actual": 116,
         "deviation": Fraction(4, 25), "flag": "warn"},
        {"partner_code": "A", "year": 2025, "category": "personnel", "plan": 100, "actual": 100,
         "deviation": Fraction(0), "flag": "ok"},
    ])
    matrix = pd.DataFrame([
        {"partner_code": "A", "month": date(2025, 3, 1), "status": "missing", "corrected": False},
        {"partner_code": "A", "month": date(2025, 4, 1), "status": "on_time", "corrected": False},
    ])
    items = attention.attention(behind, lines, matrix, small_config.rules)
    assert [(i.severity, text(i)) for i in items] == [
        ("flag", "A: Monatsbericht fehlt für März 2025"),
        ("flag", "B liegt hinter dem zeitanteiligen Ziel: Veranstaltungen 70 %"),
        ("warn", "A 2025 Sachausgaben: 16 % über Plan"),
        ("warn", "A: nur 50 % der Monatsberichte rechtzeitig (0 verspätet)"),
    ]
    assert (items[0].page, items[0].partner) == ("/meldestand", "A")
    assert (items[2].page, items[2].partner, items[2].year) == ("/finanzen", "A", 2025)
    # calc hands over codes and numbers; the view writes the German line
    assert (items[1].kind, items[1].measures) == ("behind", (("events", Fraction(7, 10)),))
    assert (items[2].kind, items[2].category, items[2].share) == (
        "budget", "material", Fraction(4, 25))
    assert (items[3].kind, items[3].share, items[3].count) == ("late", Fraction(1, 2), 0)


def test_no_items_when_all_is_well(small_config):
    empty = pd.DataFrame(columns=["partner_code", "measure", "attainment"])
    lines = pd.DataFrame(columns=["partner_code", "year", "category", "deviation", "flag"])
    matrix = pd.DataFrame(columns=["partner_code", "month", "status", "corrected"])
    assert attention.attention(empty, lines, matrix, small_config.rules) == []


def test_partners_often_late(small_config):
    months = [date(2025, m, 1) for m in range(1, 8)]
    matrix = pd.DataFrame([{"partner_code": "B", "month": m, "corrected": False,
                            "status": "late" if i < 2 else "on_time"}
                           for i, m in enumerate(months)])
    # 5 of 7 on time = 71 % < 85 %
    items = attention.late_items(matrix, small_config.rules)
    assert [text(i) for i in items] == ["B: nur 71 % der Monatsberichte rechtzeitig (2 verspätet)"]
    assert attention.late_items(matrix.assign(status="on_time"), small_config.rules) == []


def _missing(rows):
    return pd.DataFrame([{"partner_code": p, "month": m, "status": s, "corrected": False}
                         for p, m, s in rows])


def test_few_partners_missing_a_month_keep_one_item_each():
    oct_, sep = date(2026, 10, 1), date(2026, 9, 1)
    matrix = _missing([("A", sep, "missing"), ("A", oct_, "missing"), ("B", oct_, "missing"),
                       ("C", oct_, "on_time")])
    items = attention.missing_items(matrix)
    assert [text(i) for i in items] == [
        "A: Monatsbericht fehlt für September 2026, Oktober 2026",
        "B: Monatsbericht fehlt für Oktober 2026",
    ]
    assert [i.partner for i in items] == ["A", "B"]


def test_partners_missing_the_same_month_make_one_item():
    oct_, sep = date(2026, 10, 1), date(2026, 9, 1)
    codes = [f"P{i:02d}" for i in range(1, 13)]
    matrix = _missing([(p, oct_, "missing") for p in codes]
                      + [("P03", sep, "missing"), ("P04", sep, "late")])
    items = attention.missing_items(matrix)
    assert [text(i) for i in items] == [
        "Monatsbericht Oktober 2026 fehlt bei 12 Partnern: "
        "P01, P02, P03, P04, P05, P06, P07, P08 …",
        "P03: Monatsbericht fehlt für September 2026",  # its other month, on its own
    ]
    grouped = items[0]
    assert (grouped.severity, grouped.page, grouped.partner, grouped.year) == (
        "flag", "/meldestand", None, 2026)
    # exactly GROUP_FROM partners: grouped, all named, no ellipsis
    three = attention.missing_items(_missing([(p, oct_, "missing") for p in codes[:3]]))
    assert [text(i) for i in three] == ["Monatsbericht Oktober 2026 fehlt bei 3 Partnern: "
                                       "P01, P02, P03"]
