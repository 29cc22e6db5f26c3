"""The Daten page's SQL path (etl.warehouse.queries.record_*): the drill-down narrowing, the partner
clamp, sort, column filters and paging in SQL, with totals equal to ``python -m etl report``
and to the former whole-table path (pandas over the row frames), on each backend."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from dashboard import filters as flt
from dashboard.calc import records as rec
from etl.documents.report import build_report
from etl.warehouse import queries
from tests.factories import month_report, workbook

ALL = dict(scope=None, partners=None, modules=None, years=None, month=None, cost_kind=None,
           size=None, format=None)
FRAMES = {
    "veranstaltungen": {"events": queries.event_rows},
    "coachings": {"coachings": queries.coaching_rows},
    "teilnahmen": {"participations": queries.participation_rows},
    "kosten": {"personnel": queries.personnel_rows, "expenditure": queries.expenditure_rows},
    "eingaenge": {"uploads": queries.uploads},
}


@pytest.fixture
def loaded(engine, ingest):
    ingest(workbook())  # DO March 2025
    ingest(workbook("BO", "2025-04", data=month_report("BO", "2025-04", n=3)))
    ingest(workbook("DO", "2025-05", data=month_report("DO", "2025-05", n=2)))
    ingest(workbook("BO", "2026-01", data=month_report("BO", "2026-01", n=1)))
    return engine


def _all(engine, dataset, **kw):
    return queries.record_page(engine, dataset, start=0, end=10_000, **{**ALL, **kw})


def _pandas(engine, dataset, f, n):
    frames = {k: load(engine) for k, load in FRAMES[dataset].items()}
    return rec.rows(frames, dataset, f, n)


CASES = [
    (flt.Filters(), rec.Narrowing()),
    (flt.Filters(partners=("DO",)), rec.Narrowing()),
    (flt.Filters(years=(2025,)), rec.Narrowing(month=date(2025, 4, 1))),
    (flt.Filters(modules=("Informieren",)), rec.Narrowing(format="Online")),
    (flt.Filters(partners=("BO",), years=(2025, 2026)), rec.Narrowing(size="Kleinst")),
    (flt.Filters(years=(2025,)), rec.Narrowing(cost_kind="personal")),
    (flt.Filters(partners=("BO",)), rec.Narrowing(cost_kind="ausgaben")),
]


@pytest.mark.parametrize("dataset", queries.RECORD_DATASETS)
@pytest.mark.parametrize("case", range(len(CASES)))
def test_sql_rows_and_totals_equal_the_pandas_path(loaded, dataset, case):
    f, n = CASES[case]
    if dataset != "kosten":  # the cost kind narrows costs only (pandas matched Art by mistake)
        n = rec.Narrowing(month=n.month, size=n.size, format=n.format)
    narrowing = rec.sql_narrowing(f, n)
    old = _pandas(loaded, dataset, f, n)
    totals = queries.record_totals(loaded, dataset, scope=None, **narrowing)
    if dataset == "eingaenge":
        assert totals == rec.totals(dataset, old)
    else:
        expected = rec.totals(dataset, old)
        assert {k: (Decimal(str(v)) if k == "hours" else v) for k, v in totals.items()} == {
            k: (Decimal(str(v)) if k == "hours" else v) for k, v in expected.items()}
    rows = _all(loaded, dataset, **narrowing)
    assert len(rows) == len(old) == totals["rows"]
    key = (lambda r: (r["file_name"], r["source_row"], r.get("kind"))) if dataset != "eingaenge" \
        else (lambda r: (r["file_name"], str(r["uploaded_at"])))
    old_rows = old.to_dict("records")
    assert sorted(map(key, rows), key=str) == sorted(map(key, old_rows), key=str)
    assert queries.record_count(loaded, dataset, **narrowing) == totals["rows"]


def test_cost_totals_equal_the_report(loaded, config):
    report = build_report(loaded, config)
    cents = lambda e: int((Decimal(str(e)) * 100).quantize(Decimal(1)))  # noqa: E731
    personnel = sum(cents(r["amount_eur"]) for r in report["personnel"])
    booked = sum(cents(r["amount_eur"]) for r in report["expenditure"])
    t = queries.record_totals(loaded, "kosten", **ALL)
    assert (t["personnel"], t["expenditure"], t["total"]) == (personnel, booked,
                                                              personnel + booked)
    events = sum(r["events"] for r in report["activities"] if r["partner"] == "BO")
    assert queries.record_totals(loaded, "veranstaltungen", **{**ALL, "partners": ("BO",)})[
        "rows"] == events


def test_the_partner_clamp_is_applied_in_sql(loaded):
    mine = _all(loaded, "veranstaltungen", scope=("DO",))
    assert mine and {r["partner_code"] for r in mine} == {"DO"}
    # asking for another partner's rows under the clamp gives nothing
    assert _all(loaded, "kosten", scope=("DO",), partners=("BO",)) == []
    assert queries.record_totals(loaded, "kosten", **{**ALL, "scope": ()})["rows"] == 0
    assert {r["partner_code"] for r in _all(loaded, "eingaenge", scope=("BO",))} == {"BO"}


def test_sort_filters_and_pages(loaded):
    whole = _all(loaded, "veranstaltungen", sort=[{"colId": "n_participants", "sort": "desc"}])
    values = [r["n_participants"] for r in whole]
    assert values == sorted(values, reverse=True) and len(values) == 7
    pages = [queries.record_page(loaded, "veranstaltungen", start=i, end=i + 2,
                                 sort=[{"colId": "n_participants", "sort": "desc"}], **ALL)
             for i in range(0, 8, 2)]
    assert [r["row_id"] for p in pages for r in p] == [r["row_id"] for r in whole]
    text = {"event_id": {"filterType": "text", "type": "contains", "filter": "bo-2025"}}
    got = _all(loaded, "veranstaltungen", filters=text)
    assert {r["event_id"][:7] for r in got} == {"BO-2025"} and len(got) == 3
    assert queries.record_count(loaded, "veranstaltungen", filters=text, **ALL) == 3
    number = {"n_participants": {"filterType": "number", "type": "greaterThan", "filter": 11}}
    assert all(r["n_participants"] > 11 for r in _all(loaded, "veranstaltungen",
                                                      filters=number))
    combined = {"amount_cents": {"filterType": "number", "operator": "OR", "conditions": [
        {"filterType": "number", "type": "lessThan", "filter": 0},
        {"filterType": "number", "type": "equals", "filter": 10000}]}}
    assert {r["amount_cents"] for r in _all(loaded, "kosten", filters=combined)} == {10000}
    dated = {"date": {"filterType": "date", "type": "equals", "dateFrom": "2025-04-05 00:00:00"}}
    assert [r["reference"] for r in _all(loaded, "kosten", filters=dated)] == ["BO-202504-B1"]
    # unknown columns and filter types are ignored, not an error
    assert len(_all(loaded, "kosten", sort=[{"colId": "x; drop", "sort": "asc"}],
                    filters={"nope": {"filterType": "set"}})) == len(_all(loaded, "kosten"))


def test_streamed_chunks_hold_every_row(loaded):
    chunks = list(queries.record_chunks(loaded, "teilnahmen", chunk=3, **ALL))
    assert [len(c) for c in chunks][:-1] == [3] * (len(chunks) - 1)
    assert sum(map(len, chunks)) == queries.record_totals(loaded, "teilnahmen", **ALL)["rows"]
