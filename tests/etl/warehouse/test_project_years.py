"""Project years in the warehouse, on SQLite and PostgreSQL: the SQL twin of
``etl.core.years.year_of``, and a network whose years start in September (examples/
weserleine): August 2026 belongs to project year 2025 (2025/26), September 2026 to 2026."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Date, literal, select

from etl.core.config import load_config
from etl.core.settings import REPO_ROOT
from etl.core.years import year_of
from etl.intake.ingest import ingest_bytes
from etl.ops.check import run_checks
from etl.warehouse import db, queries, recompute, years
from etl.warehouse import schema as s
from tests.factories import report_bytes

WESERLEINE = REPO_ROOT / "examples" / "weserleine" / "config.toml"
DAYS = [date(2025, 1, 1), date(2025, 8, 31), date(2025, 9, 1), date(2025, 12, 31),
        date(2026, 2, 28), date(2026, 8, 1), date(2026, 9, 1)]


@pytest.mark.parametrize("start", [1, 2, 9, 12])
def test_sql_project_year_equals_year_of(engine, start):
    cols = [years.project_year(literal(d, Date), start).label(f"d{i}")
            for i, d in enumerate(DAYS)]
    with engine.connect() as conn:
        got = list(conn.execute(select(*cols)).one())
    assert got == [year_of(d, start) for d in DAYS]


def _sheets(month: date) -> dict[str, list[dict]]:
    tag = f"WL-{month:%Y%m}-V1"
    return {
        "Veranstaltungen": [{"ID": tag, "Datum": month.replace(day=7), "Titel": "Sprechtag",
                             "Modul": "Gründen & Wachsen", "Format": "Präsenz",
                             "Teilnehmende": 12, "davon Frauen": 5}],
        "Coachings": [],
        "Teilnehmende": [{"Aktivität": tag, "Unternehmen": "Tischlerei Weser GmbH",
                          "PLZ": "31582", "Größenklasse": "Klein", "Personen": 2}],
        "Personal": [{"Kürzel": "HI-01", "Leistungsgruppe": 2, "Abrechnung": "Monat",
                      "Umfang": 1}],
        "Ausgaben": [],
        "Beratungsgutscheine": [],  # the network's configured sheet, empty this month
    }


@pytest.fixture
def weserleine(engine, settings):
    """The engine set up for the second network (project years from September); the
    registration of the warehouse's year start is put back afterwards."""
    config = load_config(WESERLEINE)
    db.sync_reference(engine, config)
    yield config
    years.register(engine, 1)


def _ingest(engine, config, settings, month: date) -> None:
    data = report_bytes(partner="HANNOVER-IMP", month=f"{month:%Y-%m}", sheets=_sheets(month))
    result = ingest_bytes(data, "bericht.xlsx", engine=engine, config=config, settings=settings,
                          user="test", received_at=datetime(2026, 10, 20, 9, 0))
    assert result.status == "accepted", result.errors


@pytest.mark.no_warehouse_check  # checked below with the network's own configuration
def test_august_and_september_fall_in_different_project_years(engine, settings, weserleine):
    config = weserleine
    assert years.start_month(engine) == 9
    for month in (date(2026, 8, 1), date(2026, 9, 1)):
        _ingest(engine, config, settings, month)
    with engine.connect() as conn:
        reach = sorted(conn.execute(select(s.fact_reach.c.activity_date, s.fact_reach.c.year)))
    assert [(d, int(y)) for d, y in reach] == [(date(2026, 8, 7), 2025), (date(2026, 9, 7), 2026)]
    # the year filter of every read selects by project year
    facts = queries.monthly_facts(engine, years=[2025], measures=["events"])
    assert [m.date() for m in facts["month"]] == [date(2026, 8, 1)]
    assert facts["year"].tolist() == [2025]
    events = queries.event_rows(engine, years=[2026])
    assert events["event_id"].tolist() == ["WL-202609-V1"]
    assert queries.record_totals(engine, "veranstaltungen", years=[2025])["rows"] == 1
    money = queries.money_months(engine)
    assert dict(zip(money["month"].dt.month, money["year"], strict=True)) == {8: 2025, 9: 2026}
    assert set(recompute.fact_money(engine)) == {("HANNOVER-IMP", 2025), ("HANNOVER-IMP", 2026)}
    summary = run_checks(engine, config)
    assert summary.ok, summary.text()
