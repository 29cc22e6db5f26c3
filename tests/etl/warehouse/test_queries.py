"""The read queries (etl.warehouse.queries) on a small loaded warehouse, on each backend:
grain and sums of the monthly facts, current uploads only (a superseded file's rows never
count), the Daten grid's count and totals equal to its rows, and grid filters narrowing.

The warehouse: DO March 2025 (the base report, then a correction that drops one event and
changes one receipt, so the first file is superseded) and BO April 2025 (three events).
"""

from __future__ import annotations

import inspect
from collections import Counter
from datetime import date, datetime
from decimal import Decimal

import pytest

from etl.warehouse import queries
from tests.factories import month_report, sheets, workbook

ALL = dict(scope=None, partners=None, modules=None, years=None, month=None, cost_kind=None,
           size=None, format=None)
DO_PERSONNEL = 553_000 + 122_512  # LG2 x 1 month + LG3 x 40 h (tests/factories.EXPECTED)
DO_EXPENDITURE = 123_456 + 10_000  # 1.234,56 € and the corrected 100,00 €
BO_PERSONNEL, BO_EXPENDITURE = 553_000, 10_000  # LG2 x 1 month; one receipt of 100 €


@pytest.fixture
def loaded(engine, ingest):
    """DO 2025-03 loaded and corrected (first file superseded), BO 2025-04 loaded."""
    first = ingest(workbook())
    fixed = sheets()
    fixed["Ausgaben"][1]["Betrag"] = "100,00"
    fixed["Veranstaltungen"].pop(1)  # DO-V-02: no participation cites it
    second = ingest(workbook(data=fixed), at=datetime(2025, 6, 22))
    third = ingest(workbook("BO", "2025-04", data=month_report("BO", "2025-04", n=3)),
                   at=datetime(2025, 6, 23))
    assert second.status == "replaced" and third.status == "accepted"
    return engine, first.upload_id, second.upload_id, third.upload_id


def _rows(engine, dataset: str, **kw) -> list[dict]:
    return queries.record_page(engine, dataset, start=0, end=10_000, **{**ALL, **kw})


def test_the_package_api_is_the_names_in_all():
    assert len(set(queries.__all__)) == len(queries.__all__)
    for name in queries.__all__:
        obj = getattr(queries, name)
        if inspect.isfunction(obj):
            assert obj.__doc__, name  # every public read states its grain
    # a submodule never shadows a function of the same name (callers import 'uploads')
    from etl.warehouse.queries import uploads

    assert inspect.isfunction(uploads)


def test_monthly_facts_one_row_per_grain_and_current_sums(loaded):
    engine = loaded[0]
    facts = queries.monthly_facts(engine)
    keys = ["partner_code", "month", "module", "measure"]
    assert not facts.duplicated(keys).any()
    assert set(facts["year"]) == {2025}

    def total(partner: str, measure: str) -> Decimal:
        part = facts[(facts["partner_code"] == partner) & (facts["measure"] == measure)]
        return sum((Decimal(v) for v in part["value"]), Decimal(0))

    # the superseded file's second event and old receipt are not counted
    assert total("DO", "events") == 1 and total("DO", "participants") == 30
    assert total("DO", "personnel_cents") == DO_PERSONNEL
    assert total("DO", "expenditure_cents") == DO_EXPENDITURE
    assert total("BO", "events") == 3 and total("BO", "participants") == 11 + 12 + 13

    narrowed = queries.monthly_facts(engine, partners=["BO"], measures=["events"])
    assert set(narrowed["partner_code"]) == {"BO"} and set(narrowed["measure"]) == {"events"}
    assert queries.monthly_facts(engine, years=[2024]).empty


def test_money_and_activity_months_sum_the_facts_per_partner_month(loaded):
    engine = loaded[0]
    money = queries.money_months(engine)
    assert list(money.columns) == ["partner_code", "year", "month", "personnel", "expenditure"]
    got = {(r.partner_code, r.month.date()): (r.personnel, r.expenditure)
           for r in money.itertuples(index=False)}
    assert got == {
        ("BO", date(2025, 4, 1)): (BO_PERSONNEL, BO_EXPENDITURE),
        ("DO", date(2025, 3, 1)): (DO_PERSONNEL, DO_EXPENDITURE),
    }
    acts = queries.activity_months(engine)
    assert not acts.duplicated(["partner_code", "month", "module"]).any()
    do = acts[acts["partner_code"] == "DO"]
    assert do["events"].sum() == 1 and do["coachings"].sum() == 1
    assert sum(do["coaching_hours"], Decimal(0)) == Decimal("12.5")
    counts = queries.event_counts(engine)
    assert counts.groupby("partner_code")["n"].sum().to_dict() == {"BO": 3, "DO": 1}


def test_uploads_list_every_file_but_reads_see_current_ones_only(loaded):
    engine, first, second, third = loaded
    files = queries.uploads(engine)
    assert list(files["id"]) == [third, second, first]  # newest first
    assert list(files["status"]) == ["accepted", "accepted", "superseded"]
    assert list(queries.uploads(engine, partners=["BO"])["id"]) == [third]
    assert queries.latest_upload_id(engine) == third
    assert queries.latest_loaded_upload(engine).startswith(f"f{third}:")

    events = queries.event_rows(engine, partners=["DO"])
    assert list(events["event_id"]) == ["DO-V-01"] and set(events["upload_id"]) == {second}
    receipts = queries.expenditure_rows(engine, partners=["DO"])
    assert int(receipts["amount_cents"].sum()) == DO_EXPENDITURE
    assert queries.participation_rows(engine, years=[2025])["upload_id"].nunique() == 2
    assert queries.participation_rows(engine, years=[2024]).empty
    assert queries.unique_companies(engine) == 4  # Müller (two spellings), Schulte, 2 at BO
    status = queries.month_status(engine, partner="DO", month=date(2025, 3, 1))
    assert status["upload_id"] == second and status["approved_by"] is None
    assert queries.personnel_recorded(engine)


@pytest.mark.parametrize("dataset", queries.RECORD_DATASETS)
def test_record_count_and_totals_agree_with_the_rows(loaded, dataset):
    engine = loaded[0]
    rows = _rows(engine, dataset)
    totals = queries.record_totals(engine, dataset, **ALL)
    assert queries.record_count(engine, dataset, **ALL) == totals["rows"] == len(rows)
    expected = {
        "veranstaltungen": lambda: {"participants": sum(r["n_participants"] for r in rows)},
        "coachings": lambda: {"hours": sum((Decimal(str(r["hours"])) for r in rows),
                                           Decimal(0)).quantize(Decimal("0.01"))},
        "teilnahmen": lambda: {"companies": len({r["company_id"] for r in rows}),
                               "persons": sum(r["n_persons"] for r in rows)},
        "kosten": lambda: {
            k: sum(r["amount_cents"] for r in rows if r["kind"] == k)
            for k in ("personnel", "expenditure")
        },
        "eingaenge": lambda: {"by_status": dict(Counter(r["status"] for r in rows))},
    }[dataset]()
    assert {k: totals[k] for k in expected} == expected
    chunks = list(queries.record_chunks(engine, dataset, chunk=2, **ALL))
    assert [r["row_id"] for part in chunks for r in part] == [r["row_id"] for r in rows]


def test_record_totals_in_figures(loaded):
    engine = loaded[0]
    costs = queries.record_totals(engine, "kosten", **ALL)
    assert costs["personnel"] == DO_PERSONNEL + BO_PERSONNEL
    assert costs["expenditure"] == DO_EXPENDITURE + BO_EXPENDITURE
    assert costs["total"] == costs["personnel"] + costs["expenditure"]
    assert queries.record_totals(engine, "teilnahmen", **ALL) == {
        "rows": 5, "companies": 4, "persons": 2 + 3 + 1 + 1 + 1}
    assert queries.record_totals(engine, "eingaenge", **ALL)["by_status"] == {
        "accepted": 2, "superseded": 1}
    only_bo = queries.record_totals(engine, "veranstaltungen", **{**ALL, "partners": ["BO"]})
    assert only_bo == {"rows": 3, "participants": 36}
    assert queries.record_totals(engine, "kosten", **{**ALL, "scope": []})["rows"] == 0


def test_grid_filters_narrow_the_rows_and_untranslatable_ones_are_ignored(loaded):
    engine = loaded[0]
    everything = queries.record_count(engine, "veranstaltungen", **ALL)
    assert everything == 4

    def count(filters: dict) -> int:
        n = queries.record_count(engine, "veranstaltungen", filters=filters, **ALL)
        page = queries.record_page(engine, "veranstaltungen", start=0, end=100,
                                   filters=filters, **ALL)
        assert len(page) == n
        return n

    assert count({"partner_code": {"filterType": "text", "type": "equals", "filter": "bo"}}) == 3
    big = {"filterType": "number", "type": "greaterThanOrEqual", "filter": 13}
    assert count({"n_participants": big}) == 2  # DO's 30 and BO's 13
    april = {"filterType": "date", "type": "inRange", "dateFrom": "2025-04-01",
             "dateTo": "2025-04-30 00:00:00"}
    assert count({"event_date": april}) == 3
    either = {"filterType": "text", "operator": "OR", "conditions": [
        {"filterType": "text", "type": "startsWith", "filter": "energie"},
        {"filterType": "text", "type": "endsWith", "filter": " 2"}]}
    assert count({"title": either}) == 2
    assert count({"n_participants": big, "partner_code": {
        "filterType": "text", "type": "equals", "filter": "BO"}}) == 1
    assert count({"n_participants": {"filterType": "number", "type": "equals",
                                     "filter": "viele"}}) == everything
    assert count({"no_such_field": big}) == everything


def test_record_pages_follow_one_order_and_the_grid_sort(loaded):
    engine = loaded[0]
    rows = _rows(engine, "kosten")
    pages = [queries.record_page(engine, "kosten", start=i, end=i + 2, **ALL)
             for i in range(0, len(rows), 2)]
    assert [r for page in pages for r in page] == rows
    by_amount = _rows(engine, "kosten", sort=[{"colId": "amount_cents", "sort": "desc"}])
    amounts = [r["amount_cents"] for r in by_amount]
    assert amounts == sorted(amounts, reverse=True)
    only_receipts = _rows(engine, "kosten", cost_kind="expenditure", month=date(2025, 3, 1))
    assert {(r["partner_code"], r["kind"]) for r in only_receipts} == {("DO", "expenditure")}
    assert [r["row_id"] for r in _rows(engine, "eingaenge")] == list(queries.uploads(engine)["id"])
