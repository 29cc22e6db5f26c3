"""``report`` at a Stand: months after it are vorläufig, named and counted nowhere; a month
that has not ended is refused, as Stand and as an upload."""

from __future__ import annotations

import json
from datetime import date, datetime

from etl.documents.report import build_report
from tests.etl.cli.test_cli import etl  # noqa: F401  (fixture)
from tests.factories import month_report, workbook

MAY, JUNE = date(2025, 5, 1), date(2025, 6, 1)
NEW_KEYS = ("stand", "provisional")


def _existing(rep: dict) -> dict:
    return {k: v for k, v in rep.items() if k not in NEW_KEYS}


def _upload_june(ingest) -> dict:
    june = month_report("DO", "2025-06")
    result = ingest(workbook(month="2025-06", data=june), at=datetime(2025, 7, 5, 9, 0))
    assert result.status == "accepted", result.errors
    return june


def test_a_month_after_the_stand_changes_no_figure_of_the_report(engine, config, ingest):
    ingest(workbook(), at=datetime(2025, 6, 20, 9, 0))
    before = build_report(engine, config, stand=MAY)
    assert before["stand"] == "2025-05" and before["provisional"] == []
    june = _upload_june(ingest)
    at_may = build_report(engine, config, stand=MAY)
    assert _existing(at_may) == _existing(before)
    assert at_may["provisional"] == [{"partner": "DO", "month": "2025-06"}]
    at_june = build_report(engine, config, stand=JUNE)
    assert at_june["provisional"] == []
    events = sum(r["events"] for r in at_june["activities"] if r["partner"] == "DO")
    assert events == sum(r["events"] for r in before["activities"]) + len(june["Veranstaltungen"])
    # without a Stand every month received counts (what `etl check` and the proof of use use)
    assert _existing(build_report(engine, config)) == _existing(at_june)


def test_report_cli_names_its_stand_and_refuses_one_outside_the_project(etl, tmp_path):  # noqa: F811
    path = tmp_path / "maerz.xlsx"
    path.write_bytes(workbook())
    assert etl("ingest", str(path), "--received", "2025-06-20").returncode == 0
    out = etl("report", "--json", "--stand", "2025-03")
    assert out.returncode == 0, out.stderr
    rep = json.loads(out.stdout)
    assert rep["stand"] == "2025-03" and rep["provisional"] == []
    earlier = json.loads(etl("report", "--json", "--stand", "2025-02").stdout)
    assert earlier["provisional"] == [{"partner": "DO", "month": "2025-03"}]
    assert (
        sum(r["events"] for r in earlier["activities"])
        == 0
        < sum(r["events"] for r in rep["activities"])
    )
    text = etl("report", "--stand", "2025-02").stdout
    line = "Berichtsstand: Monatsberichte bis 02/2025; vorläufig (nicht gezählt): DO 03/2025"
    assert line in text
    future = etl("report", "--stand", "2099-01")
    assert future.returncode == 2 and "außerhalb der Projektlaufzeit" in future.stderr


def test_an_upload_for_a_month_not_ended_is_refused_where_it_says_so(engine, ingest):
    result = ingest(workbook(month="2025-06"), at=datetime(2025, 6, 20, 9, 0))
    assert result.status == "rejected"
    [error] = [e for e in result.errors if e.sheet == "Meta"]
    assert (error.column, error.row) == ("Wert", 3)
    assert "noch nicht abgeschlossen (er endet am 30.06.2025)" in error.message
    assert "ab 01.07.2025" in error.message
