"""Configured activity sheets (``[[activity_sheets]]``) end to end on the first network's
configuration plus a voucher sheet: configuration errors located, the contract's rules with
located German messages, the template, loading, replacing, the measures in ``fact_monthly``
and ``python -m etl check`` (the autouse invariant check runs with this configuration)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from etl.core.activity_sheets import BUILT_IN_MEASURES, BUILT_IN_SHEETS, parse_activity_sheets
from etl.core.config import ConfigError, load_config, parse_config
from etl.core.settings import REPO_ROOT
from etl.documents.template import template_bytes
from etl.intake.contract import INSTRUCTIONS_SHEET, LISTS_SHEET, SHEET_ORDER, validate_workbook
from etl.intake.reader import read_workbook
from etl.warehouse import queries
from etl.warehouse import schema as s
from tests.factories import sheets as base_sheets
from tests.factories import workbook

VOUCHERS = {
    "key": "vouchers",
    "sheet": "Beratungsgutscheine",
    "date_column": "Datum",
    "id_column": "Gutschein-Nr.",
    "unique": ["Gutschein-Nr.", "Vorgang"],
    "follows": {"column": "Vorgang", "value": "Einlösung", "after": "Ausgabe"},
    "columns": [
        {"name": "Gutschein-Nr.", "type": "id"},
        {"name": "Vorgang", "type": "choice", "choices": ["Ausgabe", "Einlösung"]},
        {"name": "Datum", "type": "date"},
        {"name": "Unternehmen", "type": "company"},
        {"name": "PLZ", "type": "plz"},
        {"name": "Modul", "type": "module"},
        {"name": "Wert", "type": "money", "min": "0.01", "max": "15000.00"},
        {"name": "Beratungsunternehmen", "type": "text", "required": False, "max_length": 40},
    ],
    "measures": [
        {"key": "vouchers_issued", "label": "Ausgegeben", "where": {"Vorgang": "Ausgabe"}},
        {"key": "vouchers_redeemed", "label": "Eingelöst", "where": {"Vorgang": "Einlösung"}},
        {"key": "voucher_value", "label": "Wert", "sum": "Wert",
         "where": {"Vorgang": "Einlösung"}},
    ],
}
SHEET = "Beratungsgutscheine"
TODAY = date(2025, 6, 20)


@pytest.fixture(scope="session")
def config():
    """The first network with a voucher sheet (overrides the suite's configuration here)."""
    base = load_config(REPO_ROOT / "data" / "config.toml")
    return replace(base, activity_sheets=parse_activity_sheets([VOUCHERS]))


def voucher(no: str, kind: str, day: date, value: str = "2500.00", **extra) -> dict:
    return {"Gutschein-Nr.": no, "Vorgang": kind, "Datum": day, "Unternehmen": "Bäckerei Korn",
            "PLZ": "44135", "Modul": "Coachen", "Wert": Decimal(value),
            "Beratungsunternehmen": "Berater AG", **extra}


def report(config, rows: list[dict], month: str = "2025-03") -> bytes:
    data = base_sheets()
    if month != "2025-03":
        data = {name: [] for name in data}
    data[SHEET] = rows
    return workbook(month=month, data=data, activity_sheets=config.activity_sheets)


def validate(config, data: bytes):
    return validate_workbook(read_workbook(data, "bericht.xlsx"), config, today=TODAY)


def located(result) -> list[tuple]:
    return [(e.sheet, e.row, e.column) for e in result.errors]


# --- configuration --------------------------------------------------------------------------


def _raw(**changes) -> list[dict]:
    return [{**VOUCHERS, **changes}]


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"key": "Gutscheine"}, "activity_sheets[1].key"),
        ({"sheet": "Ausgaben"}, "activity_sheets.vouchers.sheet"),
        ({"columns": [*VOUCHERS["columns"], {"name": "X", "type": "float"}]},
         "activity_sheets.vouchers.columns.X.type"),
        ({"columns": [{**c, "choices": []} if c["name"] == "Vorgang" else c
                      for c in VOUCHERS["columns"]]},
         "activity_sheets.vouchers.columns.Vorgang.choices"),
        ({"date_column": "Wert"}, "activity_sheets.vouchers.date_column"),
        ({"measures": [{"key": "events", "label": "x"}]},
         "activity_sheets.vouchers.measures.events"),
        ({"measures": [{"key": "v", "label": "x", "sum": "Vorgang"}]},
         "activity_sheets.vouchers.measures.v.sum"),
        ({"measures": [{"key": "v", "label": "x", "where": {"Vorgang": "Tausch"}}]},
         "activity_sheets.vouchers.measures.v.where.Vorgang"),
        ({"follows": {"column": "Vorgang", "value": "Einlösung", "after": "Kauf"}},
         "activity_sheets.vouchers.follows.after"),
        ({"unique": ["Gutschein"]}, "activity_sheets.vouchers.unique"),
    ],
)
def test_configuration_errors_name_their_key(changes, where):
    with pytest.raises(ConfigError) as err:
        parse_activity_sheets(_raw(**changes))
    assert str(err.value).startswith(f"{where}:"), str(err.value)


def test_measures_take_targets_and_unknown_ones_are_refused():
    import tomllib

    raw = tomllib.loads((REPO_ROOT / "data" / "config.toml").read_text(encoding="utf-8"))
    raw["activity_sheets"] = [VOUCHERS]
    raw.setdefault("targets", {}).setdefault("DO", {}).setdefault("Coachen", {})["2025"] = {
        "vouchers_issued": 12, "voucher_value": 30000}
    cfg = parse_config(raw)
    assert cfg.targets[("DO", "Coachen", 2025, "vouchers_issued")] == 12
    raw["targets"]["DO"]["Coachen"]["2025"] = {"vouchers_lost": 1}
    with pytest.raises(ConfigError, match=r"targets\.DO\.Coachen\.2025\.vouchers_lost"):
        parse_config(raw)


def test_built_in_names_match_the_contract_and_the_warehouse():
    assert set(SHEET_ORDER) | {INSTRUCTIONS_SHEET, LISTS_SHEET} == set(BUILT_IN_SHEETS)
    assert set(s.MEASURES) <= set(BUILT_IN_MEASURES)


# --- contract --------------------------------------------------------------------------------


def test_missing_sheet_is_an_error(config):
    result = validate(config, workbook())
    assert (SHEET, None, None) in located(result)
    assert "Das Blatt 'Beratungsgutscheine' fehlt" in result.errors[0].message or any(
        "Beratungsgutscheine' fehlt" in e.message for e in result.errors)


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        (voucher("G-1", "Tausch", date(2025, 3, 3)), "Vorgang", "Vorgang 'Tausch' ist nicht erlaubt"),
        (voucher("G-1", "Ausgabe", date(2025, 4, 1)), "Datum", "liegt nicht im Berichtsmonat 03/2025"),
        (voucher("G-1", "Ausgabe", date(2025, 3, 3), "15000.01"), "Wert",
         "zwischen 0,01 € und 15.000,00 €"),
        (voucher("G-1", "Ausgabe", date(2025, 3, 3), "0"), "Wert", "(eingetragen: 0,00 €)"),
        (voucher("G-1", "Ausgabe", date(2025, 3, 3), Beratungsunternehmen="x" * 41),
         "Beratungsunternehmen", "höchstens 40 Zeichen"),
        (voucher("G-1", "Ausgabe", date(2025, 3, 3), PLZ="123"), "PLZ", "keine gültige Postleitzahl"),
        (voucher("G-1", "Ausgabe", date(2025, 3, 3), Modul="Raten"), "Modul", "nicht erlaubt"),
        (voucher("G-1", "Ausgabe", date(2025, 3, 3), Unternehmen=None), "Unternehmen",
         "'Unternehmen' ist leer"),
    ],
)
def test_row_rules_give_located_german_errors(config, row, column, text):
    result = validate(config, report(config, [row]))
    mine = [e for e in result.errors if e.sheet == SHEET]
    assert [(e.row, e.column) for e in mine] == [(2, column)], mine
    assert text in mine[0].message


def test_unique_key_within_the_sheet(config):
    rows = [voucher("G-1", "Ausgabe", date(2025, 3, 3)), voucher("g-1", "Ausgabe", date(2025, 3, 4))]
    result = validate(config, report(config, rows))
    assert located(result) == [(SHEET, 3, "Gutschein-Nr.")]
    assert "steht schon in Zeile 2" in result.errors[0].message


def test_a_valid_sheet_passes(config):
    rows = [voucher("G-1", "Ausgabe", date(2025, 3, 3)),
            voucher("G-1", "Einlösung", date(2025, 3, 20), "2400.50")]
    assert validate(config, report(config, rows)).errors == []


# --- template ------------------------------------------------------------------------------


def test_template_has_the_sheet_with_headers_dropdowns_and_instructions(config):
    data = template_bytes(config, "DO", date(2025, 3, 1))
    wb = load_workbook(BytesIO(data))
    ws = wb[SHEET]
    assert [c.value for c in ws[1]] == [c["name"] for c in VOUCHERS["columns"]]
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert '"Ausgabe,Einlösung"' in lists and len(lists) == 2  # Vorgang and Modul
    text = "\n".join(str(c.value) for c in wb["Anleitung"]["A"] if c.value)
    assert "Beratungsgutscheine: eine Zeile je Vorgang" in text
    # the blank template itself is a valid (empty) report
    assert validate(config, data).errors == []


# --- warehouse ---------------------------------------------------------------------------------


def test_load_replace_measures_rows_and_cross_month_rules(engine, config, ingest):
    issued = [voucher("G-1", "Ausgabe", date(2025, 3, 3)),
              voucher("G-2", "Ausgabe", date(2025, 3, 4), "1000.00")]
    assert ingest(report(config, issued)).status == "accepted"
    redeem = [voucher("G-1", "Einlösung", date(2025, 4, 10), "2400.50")]
    assert ingest(report(config, redeem, "2025-04")).status == "accepted"

    measures = queries.sheet_measures(engine, config)
    got = {(r.month, r.measure): r.value for r in measures.itertuples()}
    assert got == {(date(2025, 3, 1), "vouchers_issued"): 2,
                   (date(2025, 4, 1), "vouchers_redeemed"): 1,
                   (date(2025, 4, 1), "voucher_value"): Decimal("2400.50")}
    assert set(measures["sheet_key"]) == {"vouchers"} and set(measures["module"]) == {"Coachen"}
    rows = queries.sheet_rows(engine, "vouchers", config=config)
    assert list(rows["record_id"]) == ["G-1", "G-2", "G-1"]
    assert rows["Wert"].iloc[2] == Decimal("2400.50") and rows["Datum"].iloc[0] == date(2025, 3, 3)

    # cross-month: a second issue of G-1, a redemption without issue, an issue dropped
    again = ingest(report(config, [voucher("G-1", "Ausgabe", date(2025, 5, 2))], "2025-05"))
    assert again.status == "rejected"
    assert [(e.row, e.column) for e in again.errors] == [(2, "Gutschein-Nr.")]
    assert "schon im Bericht 03/2025" in again.errors[0].message
    orphan = ingest(report(config, [voucher("G-9", "Einlösung", date(2025, 5, 2))], "2025-05"))
    assert [(e.sheet, e.row, e.column) for e in orphan.errors] == [(SHEET, 2, "Vorgang")]
    assert "keine frühere Zeile mit Vorgang 'Ausgabe'" in orphan.errors[0].message
    dropped = ingest(report(config, issued[1:]))
    assert dropped.status == "rejected"
    assert "die Zeile mit 'Ausgabe' fehlt aber in diesem Bericht" in dropped.errors[0].message

    # a replacement of March replaces its rows and measures
    more = issued + [voucher("G-3", "Ausgabe", date(2025, 3, 9))]
    assert ingest(report(config, more)).status == "replaced"
    got = queries.sheet_measures(engine, config)
    assert got[got.measure == "vouchers_issued"]["value"].tolist() == [3]
    assert len(queries.sheet_rows(engine, "vouchers", ["DO"], config=config)) == 4
    facts = queries.monthly_facts(engine, measures=["voucher_value"])
    assert facts["value"].tolist() == [Decimal("240050")]  # cents, like every money measure


def test_redeeming_in_the_same_month_before_the_issue_is_refused(engine, config, ingest):
    rows = [voucher("G-1", "Einlösung", date(2025, 3, 2)), voucher("G-1", "Ausgabe", date(2025, 3, 3))]
    result = ingest(report(config, rows))
    assert result.status == "rejected"
    assert [(e.sheet, e.row, e.column) for e in result.errors] == [(SHEET, 2, "Vorgang")]


# --- the marked error workbook and LibreOffice ------------------------------------------------


def test_marked_workbook_marks_the_configured_sheets_cells(config):
    from etl.documents.markup import CELL_FILL, ERROR_SHEET, marked_workbook

    data = report(config, [voucher("G-1", "Tausch", date(2025, 3, 3), "20000")])
    errors = [e for e in validate(config, data).errors if e.sheet == SHEET]
    assert [(e.row, e.column) for e in errors] == [(2, "Vorgang"), (2, "Wert")]
    wb = load_workbook(BytesIO(marked_workbook(data, "bericht.xlsx", errors)))
    ws = wb[SHEET]
    for cell in ("B2", "G2"):  # Vorgang, Wert
        assert ws[cell].fill.fgColor.rgb == CELL_FILL.fgColor.rgb
        assert ws[cell].comment is not None
    assert wb.sheetnames[0] == ERROR_SHEET


LO_CASES = [
    ([voucher("G-1", "Ausgabe", date(2025, 3, 3)),
      voucher("G-1", "Einlösung", date(2025, 3, 20), "2400.50")], []),
    ([voucher("G-1", "Tausch", date(2025, 3, 3))], [(SHEET, 2, "Vorgang")]),
    ([voucher("G-1", "Ausgabe", date(2025, 4, 3))], [(SHEET, 2, "Datum")]),
    ([voucher("G-1", "Ausgabe", date(2025, 3, 3), "15000.01")], [(SHEET, 2, "Wert")]),
    ([voucher("G-1", "Einlösung", date(2025, 3, 3))], [(SHEET, 2, "Vorgang")]),
]


@pytest.mark.libreoffice
@pytest.mark.parametrize("fmt", ["ods", "xlsx", "xls"])
def test_libreoffice_files_give_the_same_located_errors(config, soffice, tmp_path, fmt,
                                                         engine, ingest):
    paths = []
    for i, (rows, _want) in enumerate(LO_CASES):
        paths.append(tmp_path / f"case_{i}.xlsx")
        paths[-1].write_bytes(report(config, rows))
    converted = soffice(paths, fmt, tmp_path / fmt)
    for path, (_rows, want) in zip(converted[1:], LO_CASES[1:], strict=True):
        result = ingest(path.read_bytes(), path.name)
        assert [(e.sheet, e.row, e.column) for e in result.errors] == want, result.errors
    first = ingest(converted[0].read_bytes(), converted[0].name)
    assert first.status == "accepted", first.errors
    rows = queries.sheet_rows(engine, "vouchers", config=config)
    assert rows["Wert"].tolist() == [Decimal("2500.00"), Decimal("2400.50")]
    assert rows["PLZ"].tolist() == ["44135", "44135"]


def test_rebuild_from_the_archive_gives_the_same_rows_and_measures(
    engine, config, ingest, settings, sqlite_template, tmp_path
):
    import shutil

    from etl.ops.check import run_checks
    from etl.ops.rebuild import rebuild_from_archive
    from etl.warehouse import db

    assert ingest(report(config, [voucher("G-1", "Ausgabe", date(2025, 3, 3))])).status \
        == "accepted"
    later = [voucher("G-1", "Einlösung", date(2025, 4, 8), "2000.00"),
             voucher("G-2", "Ausgabe", date(2025, 4, 9))]
    assert ingest(report(config, later, "2025-04")).status == "accepted"
    shutil.copy(sqlite_template, tmp_path / "b.db")
    target = db.make_engine(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        assert rebuild_from_archive(target, config, settings).ok
        for query in (lambda e: queries.sheet_measures(e, config),
                      lambda e: queries.sheet_rows(e, "vouchers", config=config)):
            assert query(target).to_dict("records") == query(engine).to_dict("records")
        assert run_checks(target, config).ok
    finally:
        target.dispose()


def test_report_key_and_text_respect_the_berichtsstand(engine, config, ingest):
    from etl.documents.report import build_report, render_text

    assert ingest(report(config, [voucher("G-1", "Ausgabe", date(2025, 3, 3))])).status \
        == "accepted"
    redeem = [voucher("G-1", "Einlösung", date(2025, 4, 8), "2000.00")]
    assert ingest(report(config, redeem, "2025-04")).status == "accepted"
    cfg = replace(config, targets={**config.targets, ("DO", "Coachen", 2025, "vouchers_issued"): 4})

    def row(stand):
        (sheet,) = build_report(engine, cfg, stand=stand)["activity_sheets"]
        return next(r for r in sheet["rows"] if (r["partner"], r["year"]) == ("DO", 2025))

    assert row(None) == {"partner": "DO", "year": 2025, "vouchers_issued": 1,
                         "vouchers_redeemed": 1, "voucher_value": "2000.00",
                         "targets": {"vouchers_issued": 4}}
    assert row(date(2025, 3, 1))["vouchers_redeemed"] == 0  # April is after the Stand
    text = render_text(build_report(engine, cfg))
    assert "Beratungsgutscheine" in text and "1 (Ziel 4)" in text and "2.000,00 €" in text
    plain = build_report(engine, replace(cfg, activity_sheets=()))
    assert "activity_sheets" not in plain  # a network without configured sheets: no new key


def test_a_replacement_keeps_a_same_month_pair_that_later_months_do_not_need(
    engine, config, ingest
):
    """A voucher issued and redeemed in April does not depend on March: March may be
    replaced without anything of April (the predecessor of a later row may be in its own
    month)."""
    assert ingest(report(config, [voucher("G-1", "Ausgabe", date(2025, 3, 3))])).status \
        == "accepted"
    april = [voucher("G-2", "Ausgabe", date(2025, 4, 2)),
             voucher("G-2", "Einlösung", date(2025, 4, 20))]
    assert ingest(report(config, april, "2025-04")).status == "accepted"
    assert ingest(report(config, [])).status == "replaced"
