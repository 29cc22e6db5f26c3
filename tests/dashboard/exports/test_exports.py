"""Excel exports opened with openpyxl: values, number formats, totals and frozen header rows
against the warehouse; formula injection neutralised; the proof of use reconciles with
``build_report`` to the cent; the page exports hold what the pages show."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from dashboard.exports import export_page
from dashboard.exports.source import direct_source
from etl.documents.book import MONEY_FORMAT, Column, Cover, Table, workbook_bytes
from etl.documents.proof import proof_workbook, scope_of
from etl.documents.report import build_report
from etl.workflow import payments
from tests.factories import EXPECTED, month_report, sheets, workbook

EVIL = ['=HYPERLINK("http://example.org","klick")', "+49 231 123", "-Gutschrift", "@SUM(A1)"]


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def _cents(value) -> int:
    return int((Decimal(str(value)) * 100).quantize(Decimal(1)))


def _table(ws) -> tuple[list, list[list]]:
    """Header and data rows of an export sheet (up to the totals row)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header, body = rows[0], []
    for r in rows[1:]:
        if r[0] in ("Summe", "Gesamt") or all(v is None for v in r):
            break
        body.append(r)
    return header, body


def _totals(ws) -> list:
    return next(list(r) for r in ws.iter_rows(values_only=True) if r[0] in ("Summe", "Gesamt"))


def test_a_table_sheet_is_formatted(tmp_path):
    table = Table(
        "Beträge",
        [Column("Text"), Column("Betrag", "money", total=True), Column("Anzahl", "int", total=True),
         Column("Datum", "date"), Column("Quote", "pct")],
        [["a", 123456, 2, date(2025, 3, 14), 0.8], ["b", -99, 3, None, None]],
    )
    data = workbook_bytes(Cover("Titel", [("Partner", "DO")], stand="März 2025",
                                exported_by="finanzen", exported_at=datetime(2025, 6, 1, 9, 30)),
                          [table])
    wb = _open(data)
    assert wb.sheetnames == ["Deckblatt", "Beträge"]
    cover = {r[0]: r[1] for r in wb["Deckblatt"].iter_rows(values_only=True) if r[0]}
    assert cover["Partner"] == "DO" and cover["Stand der Daten"] == "März 2025"
    assert cover["Exportiert von"] == "finanzen"
    assert cover["Exportiert am"] == datetime(2025, 6, 1, 9, 30)
    ws = wb["Beträge"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:E3"
    assert ws["B2"].value == 1234.56 and ws["B2"].number_format == MONEY_FORMAT
    assert ws["B3"].value == -0.99
    assert ws["D2"].value == datetime(2025, 3, 14) and ws["D2"].number_format == "DD.MM.YYYY"
    assert ws["E2"].number_format == "0.0 %" and ws["C2"].number_format == "#,##0"
    assert [c.value for c in ws[4]] == ["Summe", 1233.57, 5, None, None]
    assert ws["A4"].font.b and ws["B4"].number_format == MONEY_FORMAT
    assert ws.column_dimensions["B"].width >= 15


def test_text_never_becomes_a_formula():
    table = Table("T", [Column("Beschreibung")], [[t] for t in EVIL])
    ws = _open(workbook_bytes(Cover(EVIL[0], [("Filter", EVIL[3])]), [table]))["T"]
    for row, text in enumerate(EVIL, start=2):
        cell = ws.cell(row, 1)
        assert (cell.value, cell.data_type) == (text, "s")
        assert cell.quotePrefix


def _pair(report_rows, partner, year):
    return next(r for r in report_rows if (r["partner"], r["year"]) == (partner, year))


@pytest.fixture
def reported(engine, config, ingest):
    """DO March and April 2025 and BO March 2025, one receipt with a formula-like text, and a
    paid payment request for DO."""
    data = sheets()
    data["Ausgaben"][1]["Beschreibung"] = EVIL[3]  # "=..." would be written as a formula
    for result in (
        ingest(workbook(data=data)),
        ingest(workbook("DO", "2025-04", data=month_report("DO", "2025-04"))),
        ingest(workbook("BO", "2025-03", data=month_report("BO", "2025-03"))),
    ):
        assert result.status == "accepted", result.errors
    rid = payments.record_request(engine, config, partner="DO", requested_date=date(2025, 5, 2),
                                  period_start=date(2025, 3, 1), period_end=date(2025, 4, 1),
                                  amount_cents=8_000_00, by="finanzen")
    payments.approve(engine, rid, amount_cents=7_500_00, approved_date=date(2025, 5, 9), by="f")
    payments.mark_paid(engine, rid, paid_date=date(2025, 5, 20), by="f")
    return build_report(engine, config)


def test_proof_of_use_reconciles_with_the_report(engine, config, reported):
    data = proof_workbook(engine, config, scope_of(config, "DO", 2025), exported_by="finanzen",
                          stand="Mai 2025")
    wb = _open(data)
    assert wb.sheetnames == ["Deckblatt", "Finanzierung", "Personal", "Sachausgaben",
                             "Mittelabrufe", "Aktivitäten"]
    cover = {r[0]: r[1] for r in wb["Deckblatt"].iter_rows(values_only=True) if r[0]}
    assert wb["Deckblatt"]["A1"].value == "Zwischennachweis 2025 – DO"
    assert cover["Berichtszeitraum"] == "01.01.2025 bis 31.12.2025"
    assert cover["Frist"] == "30.04.2026"
    # financing: exactly the report's row, to the cent
    row = _pair(reported["eligible"], "DO", 2025)
    header, [line] = _table(wb["Finanzierung"])
    got = dict(zip(header, line, strict=True))
    for label, key in (("Personal", "personnel"), ("Gemeinkosten", "overhead"),
                       ("Sachausgaben", "material"), ("Förderfähig", "eligible"),
                       ("Zuwendung", "grant"), ("EU (EFRE)", "eu"), ("Land NRW", "state"),
                       ("Eigenanteil", "own")):
        assert _cents(got[label]) == _cents(row[f"{key}_eur"]), label
    assert wb["Finanzierung"]["D2"].number_format == MONEY_FORMAT
    # personnel by pay group and billing: the report's rows, and their sum is the personnel
    header, lines = _table(wb["Personal"])
    mine = [r for r in reported["personnel"] if (r["partner"], r["year"]) == ("DO", 2025)]
    assert len(lines) == len(mine)
    assert sum(_cents(r[7]) for r in lines) == _cents(row["personnel_eur"])
    assert _cents(_totals(wb["Personal"])[7]) == _cents(row["personnel_eur"])
    hourly = next(r for r in lines if r[3] == "Stunden")
    assert hourly[4] == 40 and hourly[6] == pytest.approx(30.6279, abs=1e-4)  # 4390 x 12 / 1720
    # material as booked: the itemised receipts add up to the material costs
    ws = wb["Sachausgaben"]
    _header, receipts = _table(ws)
    assert sum(_cents(r[5]) for r in receipts) == _cents(row["material_eur"])
    evil = next(c for c in ws["H"] if c.value == EVIL[3])
    assert evil.data_type == "s" and evil.quotePrefix
    # payments received
    _header, [paid] = _table(wb["Mittelabrufe"])
    assert _cents(paid[10]) == 7_500_00 and paid[6] == "ausgezahlt"
    # activities by module: the report's rows of DO 2025
    header, acts = _table(wb["Aktivitäten"])
    report_acts = {(r["module"]): r for r in reported["activities"]
                   if (r["partner"], r["year"]) == ("DO", 2025)}
    for r in acts:
        assert r[3] == report_acts[r[1]]["events"] and r[7] == report_acts[r[1]]["companies"]
    assert _totals(wb["Aktivitäten"])[4] == sum(a["participants"] for a in report_acts.values())


def test_final_proof_for_the_whole_project(engine, config, reported):
    wb = _open(proof_workbook(engine, config, scope_of(config, None, None), exported_by="x",
                              stand=""))
    totals = _totals(wb["Finanzierung"])
    header = [c.value for c in wb["Finanzierung"][1]]
    got = dict(zip(header, totals, strict=True))
    for label, key in (("Förderfähig", "eligible_eur"), ("Zuwendung", "grant_eur"),
                       ("Eigenanteil", "own_eur")):
        assert _cents(got[label]) == _cents(reported["eligible_total"][key])
    cover = {r[0]: r[1] for r in wb["Deckblatt"].iter_rows(values_only=True) if r[0]}
    assert cover["Erreichte Unternehmen (eindeutig)"] == str(reported["unique_companies"])
    assert cover["Frist"] == "30.06.2027"


def test_flat_material_shows_the_flat_rate(engine, config, settings, reported):
    from tests.plan_workbooks import downloaded, set_parameter, upload

    wb = downloaded(engine, config)
    set_parameter(wb, "Materialkosten", "pauschal")
    assert upload(engine, config, settings, wb).status == "accepted"
    rep = build_report(engine, config)
    wb = _open(proof_workbook(engine, config, scope_of(config, "DO", 2025), exported_by="x",
                              stand=""))
    assert "Belege (nachrichtlich)" in wb.sheetnames
    _header, [flat] = _table(wb["Sachausgaben"])
    row = _pair(rep["eligible"], "DO", 2025)
    personnel = int(EXPECTED["personnel"] * 100) + 5_530_00  # March + April
    assert _cents(flat[2]) == _cents(row["personnel_eur"]) == personnel
    assert _cents(flat[4]) == _cents(row["material_eur"]) == round(personnel / 4)


def _page(engine, config, path: str, search: str = ""):
    source = direct_source(engine, config, "finanzen", date(2025, 6, 20))
    return _open(export_page(path, search, source=source))


def test_finance_page_export_matches_the_warehouse(engine, config, reported):
    wb = _page(engine, config, "/finanzen", "?partner=DO&jahr=2025")
    cover = {r[0]: r[1] for r in wb["Deckblatt"].iter_rows(values_only=True) if r[0]}
    assert cover["Partner"] == "DO" and cover["Jahre"] == "2025"
    assert cover["Exportiert von"] == "finanzen" and "Mai 2025" in cover["Stand der Daten"]
    assert "Version 1" in cover["Planstand"]
    ws = wb["Kennzahlen"]
    assert _cents(ws["A2"].value) == _cents(_pair(reported["eligible"], "DO", 2025)["eligible_eur"])
    assert ws["A2"].number_format == MONEY_FORMAT and ws.freeze_panes == "A2"
    header, lines = _table(wb["Budgetzeilen"])
    assert {r[0] for r in lines} == {"DO"} and {r[1] for r in lines} == {2025}
    assert _cents(_totals(wb["Budgetzeilen"])[3]) == 315_000_00  # DO 2025 plan
    header, [do] = _table(wb["Zahlungsstand"])
    got = dict(zip(header, do, strict=True))
    assert _cents(got["Ausgezahlt"]) == 7_500_00 and _cents(got["Ausstehend"]) == 0
    assert _cents(got["Förderfähig, noch nicht abgerufen"]) == 0


def test_every_page_exports(engine, config, reported):
    for path in ("/", "/aktivitaeten", "/meldestand", "/daten", "/hochladen", "/freigabe",
                 "/protokoll", "/benutzer", "/finanzplan", "/mittelabrufe", "/kennzahlen",
                 "/einstellungen"):
        wb = _page(engine, config, path, "?partner=DO")
        assert wb.sheetnames[0] == "Deckblatt" and len(wb.sheetnames) >= 2, path
        for ws in wb.worksheets[1:]:
            assert ws.freeze_panes == "A2", (path, ws.title)


def test_data_page_export_holds_the_rows_behind_a_bar(engine, config, reported):
    wb = _page(engine, config, "/daten", "?tabelle=kosten&partner=DO&jahr=2025&kategorie=personal")
    ws = wb["Kosten"]
    header, rows = _table(ws)
    assert [r[3] for r in rows if r[1] == datetime(2025, 3, 1)] == ["DO-01", "DO-02"]
    amount = header.index("Betrag")
    personnel = sum(_cents(r["amount_eur"]) for r in reported["personnel"]
                    if (r["partner"], r["year"]) == ("DO", 2025))
    assert _cents(_totals(ws)[amount]) == personnel
    assert ws.cell(2, amount + 1).number_format == MONEY_FORMAT


def test_cli_exports(engine, tmp_path, reported):
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"),
           "DATABASE_URL": engine.url.render_as_string(hide_password=False)}

    def run(*args, package="etl"):
        return subprocess.run([sys.executable, "-m", package, *args], env=env,
                              capture_output=True, text=True, timeout=300)

    out = tmp_path / "nachweis.xlsx"
    res = run("export", "nachweis", "--partner", "DO", "--year", "2025", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "Zwischennachweis 2025 – DO" in res.stdout
    assert "Finanzierung" in _open(out.read_bytes()).sheetnames
    page = tmp_path / "finanzen.xlsx"
    res = run("export", "/finanzen", "--query", "partner=BO", "-o", str(page), package="dashboard")
    assert res.returncode == 0, res.stderr
    _header, lines = _table(_open(page.read_bytes())["Budgetzeilen"])
    assert {r[0] for r in lines} == {"BO"}
    assert run("export", "/gibtsnicht", package="dashboard").returncode == 2
    assert run("export", "nachweis", "--partner", "XX").returncode == 2
