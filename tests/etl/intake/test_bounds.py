"""Upper bounds of every numeric column: a value beyond one is an error at its cell, saying the
limit, and no sum of accepted values can overflow the warehouse or int64 (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from sqlalchemy import func, select

from etl.documents.report import build_report
from etl.intake import archive
from etl.intake.contract import limits, validate_workbook
from etl.intake.reader import read_workbook
from etl.warehouse import queries
from etl.warehouse import schema as s
from tests.factories import sheets, workbook

TODAY = date(2025, 6, 20)


def check(data: dict, config):
    return validate_workbook(read_workbook(workbook(data=data), "t.xlsx"), config, today=TODAY)


def _set(sheet: str, index: int, **values):
    def mutate(data):
        data[sheet][index].update(values)

    return mutate


BEYOND = [
    # (mutation, sheet, row, column, the limit as the message spells it)
    (_set("Ausgaben", 0, Betrag=1e15), "Ausgaben", 2, "Betrag", "10.000.000,00 €"),
    (_set("Ausgaben", 0, Betrag=-1e12), "Ausgaben", 2, "Betrag", "10.000.000,00 €"),
    (_set("Ausgaben", 1, Betrag="10.000.000,01"), "Ausgaben", 3, "Betrag", "10.000.000,00 €"),
    (
        _set("Veranstaltungen", 0, Teilnehmende=2**31),
        "Veranstaltungen",
        2,
        "Teilnehmende",
        "100.000",
    ),
    (
        _set("Veranstaltungen", 0, Teilnehmende=100_001, **{"davon Frauen": 0}),
        "Veranstaltungen",
        2,
        "Teilnehmende",
        "100.000",
    ),
    (
        _set("Veranstaltungen", 1, **{"davon Frauen": 2**40}),
        "Veranstaltungen",
        3,
        "davon Frauen",
        "100.000",
    ),
    (_set("Teilnehmende", 2, Personen=10_001), "Teilnehmende", 4, "Personen", "10.000"),
    (_set("Teilnehmende", 0, Personen=2**63), "Teilnehmende", 2, "Personen", "10.000"),
    (_set("Coachings", 0, Stunden=1e300), "Coachings", 2, "Stunden", "200"),
    (_set("Personal", 1, Umfang="744,01"), "Personal", 3, "Umfang", "744"),
    (_set("Personal", 1, Umfang=1e18), "Personal", 3, "Umfang", "744"),
    (_set("Personal", 0, Umfang=2), "Personal", 2, "Umfang", "höchstens 1"),
    (_set("Personal", 0, Leistungsgruppe=2**40), "Personal", 2, "Leistungsgruppe", "1, 2, 3, 4"),
]


@pytest.mark.parametrize(
    "mutate,sheet,row,column,limit",
    BEYOND,
    ids=[f"{b[1]}-{b[3]}-{i}" for i, b in enumerate(BEYOND)],
)
def test_value_beyond_its_bound_is_one_error_at_its_cell(config, mutate, sheet, row, column, limit):
    data = sheets()
    mutate(data)
    rep = check(data, config)
    assert [(e.sheet, e.row, e.column) for e in rep.errors] == [(sheet, row, column)], rep.errors
    assert limit in rep.errors[0].message


def test_values_at_their_bounds_are_accepted(config):
    data = sheets()
    data["Ausgaben"][0]["Betrag"] = "10.000.000,00 €"
    data["Ausgaben"][1]["Betrag"] = -10_000_000
    data["Veranstaltungen"][0].update({"Teilnehmende": 100_000, "davon Frauen": 100_000})
    data["Teilnehmende"][2]["Personen"] = 10_000  # at the coaching: no event total to respect
    data["Coachings"][0]["Stunden"] = 200
    data["Personal"][1]["Umfang"] = 744
    assert check(data, config).errors == []


def _receipts(n: int, euros: int) -> list[dict]:
    return [
        {
            "Belegnummer": f"B-{i}",
            "Datum": date(2025, 3, 3),
            "Kostenart": "Fremdleistungen",
            "Betrag": euros if i % 2 else -euros,  # credits count towards the bound too
            "Modul": "Coachen",
            "Beschreibung": None,
        }
        for i in range(n)
    ]


def test_report_totals_are_bounded_at_the_row_that_exceeds_them(config):
    per_report = limits.MAX_REPORT_EXPENDITURE_CENTS // limits.MAX_RECEIPT_CENTS
    data = sheets()
    data["Ausgaben"] = _receipts(per_report, 10_000_000)
    assert check(data, config).errors == []
    data["Ausgaben"] = _receipts(per_report + 1, 10_000_000)
    errors = check(data, config).errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Ausgaben", per_report + 2, "Betrag")]
    assert "100.000.000,00 €" in errors[0].message

    data = sheets()
    extra = limits.MAX_REPORT_PERSONS // limits.MAX_COMPANY_PERSONS + 1
    data["Teilnehmende"] = [
        {**data["Teilnehmende"][2], "Unternehmen": f"Firma {i}", "Personen": 10_000}
        for i in range(extra)
    ]
    errors = check(data, config).errors
    assert [(e.sheet, e.row, e.column) for e in errors] == [("Teilnehmende", extra + 1, "Personen")]
    assert "1.000.000" in errors[0].message


def test_personnel_costs_of_a_report_are_bounded(config):
    data = sheets()
    # LG1 (7.210,00 €/month) at 744 hours: 37.425,21 €; 2.673 such rows pass 100 Mio. €
    data["Personal"] = [
        {"Kürzel": f"P{i}", "Leistungsgruppe": 1, "Abrechnung": "Stunden", "Umfang": 744}
        for i in range(2_700)
    ]
    errors = check(data, config).errors
    assert [(e.sheet, e.column) for e in errors] == [("Personal", "Umfang")]
    assert errors[0].row == 2_673 + 1 and "100.000.000,00 €" in errors[0].message


# --- sums cannot overflow ---------------------------------------------------------------------

INT64_MAX = 2**63 - 1


def test_largest_possible_network_total_fits_int64_comfortably(config):
    """Every report's money is bounded, so the network's total over the whole project is too:
    with overheads (15 %) and flat material costs (25 %) at most twice personnel plus
    expenditure, it must stay a thousand times below int64 (pandas sums in int64)."""
    months = (config.end.year - config.start.year) * 12 + config.end.month - config.start.month + 1
    per_report = limits.MAX_REPORT_EXPENDITURE_CENTS + limits.MAX_REPORT_PERSONNEL_CENTS
    network = len(config.partners) * months * per_report * 2
    assert network * 1000 < INT64_MAX
    # one fact_monthly value (Numeric(16, 4)) holds a report's money and counts
    value = s.fact_monthly.c.value.type
    assert max(per_report, limits.MAX_REPORT_PERSONS) < 10 ** (value.precision - value.scale)
    # a company's persons per partner, module and year (fact_reach: Integer) fit in int32
    assert 12 * limits.MAX_REPORT_PERSONS < 2**31 and limits.MAX_EVENT_PERSONS < 2**31


def _bounded_report(partner: str, month: str) -> bytes:
    data = sheets()
    tag = f"{partner}{month}"
    for sheet in ("Veranstaltungen", "Coachings"):
        for row in data[sheet]:
            row["ID"] = f"{tag}-{row['ID']}"
    for row in data["Teilnehmende"]:
        row["Aktivität"] = f"{tag}-{row['Aktivität']}"
    data["Ausgaben"] = [
        {**r, "Belegnummer": f"{tag}-{r['Belegnummer']}", "Datum": f"{month}-03", "Betrag": 10**7}
        for r in _receipts(10, 10_000_000)
    ]  # ten receipts of 10 Mio. €, all positive: the largest total a report may have
    for sheet in ("Veranstaltungen", "Coachings"):
        for row in data[sheet]:
            row["Datum"] = f"{month}-05"
    data["Veranstaltungen"][0].update({"Teilnehmende": 100_000, "davon Frauen": 100_000})
    return workbook(partner, month, data=data)


def test_reports_at_the_bounds_load_and_sum_exactly(engine, config, ingest):
    """Reports at the bounds are accepted on both backends, and every sum (SQL, pandas, the
    report) is exact: int64 or Decimal, no float, no wrap-around."""
    for partner, month in (("DO", "2025-03"), ("BO", "2025-03"), ("DO", "2025-04")):
        result = ingest(_bounded_report(partner, month), f"{partner}{month}.xlsx")
        assert result.status == "accepted", result.errors
    money = queries.money_months(engine)
    assert money["expenditure"].dtype == np.int64 and money["personnel"].dtype == np.int64
    assert int(money["expenditure"].sum()) == 3 * 100_000_000_00
    hours = queries.activity_months(engine)["coaching_hours"]
    assert all(isinstance(h, Decimal) for h in hours)
    rep = build_report(engine, config)
    material = sum(Decimal(r["material_eur"]) for r in rep["eligible"])
    assert material == Decimal(3 * 100_000_000)


# --- hostile values are rejected by rules, not by the database --------------------------------


def _hostile() -> dict:
    data = sheets()
    data["Ausgaben"][0]["Betrag"] = 1e15
    data["Ausgaben"][1]["Betrag"] = -1e12
    data["Veranstaltungen"][0].update({"Teilnehmende": 2**31, "davon Frauen": None})
    return data


def test_hostile_values_are_rejected_by_rules_with_no_orphan_archive_file(engine, settings, ingest):
    result = ingest(workbook(data=_hostile()), "feindlich.xlsx")  # no storage error raised
    assert result.status == "rejected"
    assert {(e.sheet, e.row, e.column) for e in result.errors} == {
        ("Ausgaben", 2, "Betrag"),
        ("Ausgaben", 3, "Betrag"),
        ("Veranstaltungen", 2, "Teilnehmende"),
    }
    with engine.connect() as conn:
        uploads = conn.execute(select(s.uploads.c.status, s.uploads.c.archive_path)).all()
        facts = sum(
            conn.execute(select(func.count()).select_from(t)).scalar_one() for t in s.FACT_TABLES
        )
    assert facts == 0
    # every archived file belongs to an upload row, and its outcome says what the row says
    stored = archive.archived_uploads(settings.archive_dir)
    assert sorted(stored) == sorted(p for _, p in uploads) == [result.archive_path]
    assert [status for status, _ in uploads] == ["rejected"]
    outcome = json.loads((settings.archive_dir / f"{result.archive_path}.json").read_text())
    assert outcome["status"] == "rejected" and len(outcome["errors"]) == 3


# --- numbers no rule could take: infinity, NaN, beyond 28 digits --------------------------------

MARKERS = {
    ("Veranstaltungen", 2, "Teilnehmende"): 777_771,
    ("Coachings", 2, "Stunden"): 777_772,
    ("Personal", 3, "Umfang"): 777_773,
    ("Ausgaben", 3, "Betrag"): 777_774,
}


def _with_raw_numbers(token: str) -> bytes:
    """The base report with the marked cells' stored numbers replaced by ``token`` (a cell of
    a workbook from elsewhere may hold what no spreadsheet program would write)."""
    import io
    import zipfile

    data = sheets()
    for (sheet, row, column), marker in MARKERS.items():
        data[sheet][row - 2][column] = marker
    source, out = zipfile.ZipFile(io.BytesIO(workbook(data=data))), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item.filename)
            for marker in MARKERS.values():
                part = part.replace(f">{marker}<".encode(), f">{token}<".encode())
            target.writestr(item, part)
    return out.getvalue()


@pytest.mark.parametrize("token", ["inf", "-inf", "NaN", "1e400", "1e300", "-1e300"])
def test_numbers_beyond_any_bound_are_errors_at_their_cells(config, token):
    rep = validate_workbook(read_workbook(_with_raw_numbers(token), "t.xlsx"), config, today=TODAY)
    assert {(e.sheet, e.row, e.column) for e in rep.errors} == set(MARKERS)
