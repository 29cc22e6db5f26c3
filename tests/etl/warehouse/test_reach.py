"""fact_reach, the pre-aggregate of companies reached, stays equal to the facts it sums.

It is rebuilt per partner in the load transaction; a correction that moves an activity to
another module or year must move the companies it reached along with it, on both backends.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from etl.warehouse import queries
from etl.warehouse import schema as s
from etl.warehouse.store import marts
from etl.warehouse.store.marts import refresh_reach
from tests.factories import month_report, report_bytes


def _stored(engine) -> list[tuple]:
    r = s.fact_reach
    with engine.connect() as conn:
        rows = conn.execute(select(*(r.c[name] for name in marts.REACH_COLUMNS)))
        return sorted(tuple(row) for row in rows)


def _recomputed(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(row) for row in conn.execute(marts.reach_select()))


def _upload(ingest, partner: str, month: str, data: dict) -> None:
    result = ingest(report_bytes(partner=partner, month=month, sheets=data))
    assert result.status in ("accepted", "replaced"), result.errors


def test_reach_follows_loads_and_corrections(ingest, engine):
    _upload(ingest, "DO", "2025-01", month_report("DO", "2025-01", n=2))
    _upload(ingest, "BO", "2025-01", month_report("BO", "2025-01"))
    # February's participants cite January's event as well
    feb = month_report("DO", "2025-02")
    feb["Teilnehmende"].append({"Aktivität": "DO-202501-V1", "Unternehmen": "Spät GmbH",
                                "PLZ": "44137", "Größenklasse": "Mittel", "Personen": 3})
    _upload(ingest, "DO", "2025-02", feb)
    stored = _stored(engine)
    assert stored == _recomputed(engine)
    do_jan = [r for r in stored if r[0] == "DO" and r[4] == date(2025, 1, 5)]
    # one group per company and year: January's two companies (reached again in February,
    # 1 + 1 persons each) and the company February's sheet adds to January's event (3)
    assert len(do_jan) == 3
    assert sum(r[5] for r in do_jan) == 2 + 2 + 3

    # the correction moves January's events to Coachen: the reach moves with them
    corrected = month_report("DO", "2025-01", n=2)
    for row in corrected["Veranstaltungen"]:
        row["Modul"] = "Coachen"
    _upload(ingest, "DO", "2025-01", corrected)
    stored = _stored(engine)
    assert stored == _recomputed(engine)
    assert {r[1] for r in stored if r[0] == "DO" and r[4] == date(2025, 1, 5)} == {"Coachen"}
    assert [r for r in stored if r[0] == "BO"] == [r for r in _recomputed(engine) if r[0] == "BO"]


def test_refresh_of_all_partners_is_idempotent(ingest, engine):
    _upload(ingest, "DO", "2025-01", month_report("DO", "2025-01"))
    before = _stored(engine)
    with engine.begin() as conn:
        refresh_reach(conn)
    assert _stored(engine) == before != []


def test_migration_backfill_equals_the_refresh(ingest, engine):
    """Migration 0004 fills fact_reach of an existing warehouse with the same rows."""

    from etl.warehouse import db

    _upload(ingest, "DO", "2025-01", month_report("DO", "2025-01", n=2))
    _upload(ingest, "BO", "2025-02", month_report("BO", "2025-02"))
    db.downgrade(engine, "0003")
    db.upgrade(engine)
    assert _stored(engine) == _recomputed(engine) != []


def test_coded_reach_equals_the_grouped_reach_without_date_objects(ingest, engine):
    """The dashboard's coded frame holds the same rows as company_reach_by_group, with
    ``activity_date`` as datetime64 (no Python date objects to keep or pickle)."""
    import pandas as pd

    _upload(ingest, "DO", "2025-01", month_report("DO", "2025-01", n=2))
    _upload(ingest, "BO", "2024-11", month_report("BO", "2024-11"))
    coded = queries.company_reach_coded(engine)
    plain = queries.company_reach_by_group(engine)
    assert len(coded) == len(plain) > 0
    assert coded["activity_date"].dtype.kind == "M"
    assert list(coded["activity_date"].dt.date) == list(plain["activity_date"])
    for col in ("partner_code", "module", "size_class"):
        assert list(coded[col].astype(object)) == list(plain[col])
    assert list(coded["company_id"]) == list(plain["company_id"])
    assert list(coded["month"]) == [
        pd.Timestamp(d.year, d.month, 1) for d in plain["activity_date"]
    ]


def test_event_formats_from_counts_equal_those_from_every_event_row(ingest, engine):
    """The Aktivitäten format chart reads events counted in SQL; the counts per partner x
    module x year x format equal those of all event rows."""
    from dashboard.calc import activity

    _upload(ingest, "DO", "2025-01", month_report("DO", "2025-01", n=3))
    _upload(ingest, "DO", "2024-12", month_report("DO", "2024-12", n=2))
    _upload(ingest, "BO", "2025-05", month_report("BO", "2025-05", n=1))
    from_rows = activity.event_formats(queries.event_rows(engine))
    from_counts = activity.event_formats(queries.event_counts(engine))
    assert from_rows["n"].sum() == 6
    pd_equal = from_rows.reset_index(drop=True).equals(from_counts.reset_index(drop=True))
    assert pd_equal, (from_rows, from_counts)


def test_first_versions_merge_into_the_reach_like_a_full_refresh(ingest, engine):
    """A partner-month's first version only adds its own participations (merge_reach): the
    stored rows equal a recomputation after months arrive out of order, a participant cites
    last year's event, and the same company is reached again in the same group."""
    _upload(ingest, "DO", "2025-02", month_report("DO", "2025-02", n=2))
    _upload(ingest, "DO", "2024-12", month_report("DO", "2024-12", n=2))  # late, earlier
    jan = month_report("DO", "2025-01", n=1)
    # cites December's event (year 2024); its own event reaches February's companies again
    jan["Teilnehmende"].append(
        {"Aktivität": "DO-202412-V1", "Unternehmen": "Vorjahr AG", "PLZ": "44135",
         "Größenklasse": "Klein", "Personen": 3}
    )
    _upload(ingest, "DO", "2025-01", jan)
    stored = _stored(engine)
    assert stored == _recomputed(engine)
    vorjahr = [r for r in stored if r[2] == 2024 and r[5] == 3]
    assert len(vorjahr) == 1 and vorjahr[0][4] == date(2024, 12, 5)
    # the groups reached in January and February: January's date (loaded after February's),
    # the persons added up
    twice = [r for r in stored if r[2] == 2025]
    assert len(twice) == 2
    assert {(r[4], r[5]) for r in twice} == {(date(2025, 1, 5), 2)}


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # SQLite's planner
def test_merge_reads_the_uploads_participations_first(ingest, engine):
    """SQLite without statistics must drive merge_reach from the new upload's participations
    and look each activity up by its key: looping over the partner's activities instead took
    minutes for a 50 k-row workbook (found by the benchmark)."""
    from sqlalchemy import text, true

    _upload(ingest, "DO", "2025-01", month_report("DO", "2025-01", n=2))
    with engine.connect() as conn:
        upload_id = conn.execute(select(s.uploads.c.id)).scalar_one()
        added = marts.reach_select("DO", upload_id).subquery()
        sql = select(*added.c).where(true()).compile(
            dialect=engine.dialect, compile_kwargs={"literal_binds": True}
        )
        plan = [row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"))]
    searches = [p for p in plan if p.startswith(("SEARCH", "SCAN")) and "uploads" not in p]
    assert searches[:2] == [
        "SEARCH participations USING INDEX ix_participations_upload_id (upload_id=?)",
        "SEARCH events USING INDEX ix_events_partner_event_id (partner_code=? AND event_id=?)",
    ], plan
