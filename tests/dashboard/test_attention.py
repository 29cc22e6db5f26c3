"""The overview's attention list."""

from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.calc import attention


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
    assert [(i.severity, i.text) for i in items] == [
        ("flag", "A: Monatsbericht fehlt für März 2025"),
        ("flag", "B liegt hinter dem zeitanteiligen Ziel: Veranstaltungen 70 %"),
        ("warn", "A 2025 Sachausgaben: 16 % über Plan"),
        ("warn", "A: nur 50 % der Monatsberichte rechtzeitig (0 verspätet)"),
    ]
    assert (items[0].page, items[0].partner) == ("/meldestand", "A")
    assert (items[2].page, items[2].partner, items[2].year) == ("/finanzen", "A", 2025)


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
    assert [i.text for i in items] == ["B: nur 71 % der Monatsberichte rechtzeitig (2 verspätet)"]
    assert attention.late_items(matrix.assign(status="on_time"), small_config.rules) == []
