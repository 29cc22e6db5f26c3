"""The Berichtsstand on the pages: months after it are vorläufig (no headline figure, burn
note or attainment counts them; Meldestand and Daten show them as such), a chosen Stand in
the URL counts them, elapsed markers follow the Stand and the selected years."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from dashboard import data
from dashboard.calc import periods
from tests.dashboard.test_pages import text, warehouse  # noqa: F401  (fixture)
from tests.factories import month_report, workbook

TODAY = date(2025, 7, 5)  # June has ended, its report is due on 10 July: the Stand is May


@pytest.fixture
def early_june(warehouse, ingest, monkeypatch, config):  # noqa: F811
    """DO's March report (late), then DO's June report arriving before its due day."""
    monkeypatch.setattr(data, "today", lambda: TODAY)
    assert periods.default_stand(config, TODAY) == date(2025, 5, 1)

    def upload_june():
        june = month_report("DO", "2025-06")
        result = ingest(workbook(month="2025-06", data=june), at=datetime(2025, 7, 5, 9, 0))
        assert result.status == "accepted", result.errors
        return june

    ingest(workbook(), at=datetime(2025, 6, 20, 9, 0))
    return upload_june


def _headlines(search: str = "") -> tuple:
    from dashboard.pages import finance, overview

    _lead, cards, budget, _attention, partners = overview.update(search)
    money = finance.update(search)
    ids = [
        "overview-kpi-events-value",
        "overview-kpi-participants-value",
        "overview-kpi-coachings-value",
        "overview-kpi-companies-value",
    ]
    return (
        [text(cards, i) for i in ids],
        text(budget, "overview-kpi-money-value"),
        str(partners),
        str(money[1]),  # the finance cards: eligible, grant, forecast, money at risk
        money[2],  # the burn curve with its notes
        str(money[9]),  # forecast table and note
    )


def test_a_month_after_the_stand_changes_no_headline_figure(early_june):
    before = _headlines()
    june = early_june()
    assert _headlines() == before
    # chosen as Stand, June counts: one more month of DO's events
    events = int(before[0][0]) + len(june["Veranstaltungen"])
    assert _headlines("?stand=2025-06")[0][0] == str(events)


def test_meldestand_marks_the_month_and_counts_only_months_due(early_june, config):
    from dashboard.pages import reporting

    early_june()
    lead, matrix, _fig, _style, table = reporting.update("?partner=DO&jahr=2025")
    assert "Berichte fällig bis Mai 2025" in lead and "Stand: Mai 2025" in lead
    cells = [c for c in _cells(matrix) if "report-provisional" in c["props"]["className"]]
    assert [c["props"]["title"].split(":")[0] for c in cells] == ["Juni 2025"]
    # due in 2025: January to May; the early June report is not due yet, not counted
    due = sum(1 for m in config.months() if m.year == 2025 and m <= date(2025, 5, 1))
    row = [td.children for td in text(table, "reporting-rate-DO")]
    assert row[:3] == ["DO", str(due), "0"]  # partner, fällig, rechtzeitig


def test_meldestand_never_runs_past_the_project_end(config):
    from dashboard.pages import reporting

    ended = replace(config, start=date(2020, 1, 1), end=date(2022, 12, 31))
    assert reporting.due_text(ended, date(2026, 12, 4)) == "Berichte fällig bis Dezember 2022"
    assert reporting.due_text(config, date(2024, 1, 20)) == "noch kein Bericht fällig"


def test_daten_shows_later_months_as_vorlaeufig(early_june):
    from dashboard.pages import records

    early_june()
    out = records.show_rows("?tabelle=veranstaltungen")
    assert "Stand: Mai 2025" in out[3]
    assert out[5] == {"row-provisional": "params.data && params.data.month > '2025-05-31'"}
    chosen = records.show_rows("?tabelle=veranstaltungen&stand=2025-06")
    assert "2025-06-30" in chosen[5]["row-provisional"]


def test_elapsed_marker_follows_the_stand_and_the_selected_years(early_june, config):
    from dashboard.pages import overview

    lead_all = overview.update("")[0]
    whole = periods.time_elapsed(config, date(2025, 5, 1))
    assert f"{round(whole * 100)} % der Laufzeit verstrichen" in lead_all
    assert "100 % der Projektmonate 2024 verstrichen" in overview.update("?jahr=2024")[0]
    # 2025 by the end of May: 5 of 12 months
    lead_2025 = overview.update("?jahr=2025")[0]
    assert f"{round(5 / 12 * 100)} % der Projektmonate 2025 verstrichen" in lead_2025
    # a chosen Stand moves it: June 2024 is half of 2024
    assert "50 % der Projektmonate 2024" in overview.update("?stand=2024-06&jahr=2024")[0]


def _cells(tables) -> list[dict]:
    """The matrix cells (plain dicts) of the Meldestand tables."""
    out = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "Td":
                out.append(node)
            walk(node.get("props", {}).get("children"))
        elif isinstance(node, list | tuple):
            for n in node:
                walk(n)
        elif hasattr(node, "children"):
            walk(node.children)

    walk(tables)
    return out
