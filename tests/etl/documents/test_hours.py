"""Staff-hours records (Stundennachweise): hours and month shares per staff member equal the
report's personnel quantities, the 1,720 h cap is shown, the timesheets and declarations are
pre-filled and print with their signature lines; the CLI writes every kind of export."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from etl.documents.hours import hours_workbook
from etl.documents.proof import scope_of
from etl.documents.report import build_report
from etl.ops.demo import run_demo
from tests.factories import month_report, workbook

MONTHS = ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez")


def _open(data: bytes):
    return load_workbook(io.BytesIO(data))


def _records(ws) -> list[dict]:
    """The data rows of a table sheet as dicts (header row 1, up to the totals row)."""
    rows = list(ws.iter_rows(values_only=True))
    header, out = rows[0], []
    for r in rows[1:]:
        if r[0] in (None, "Summe"):
            break
        out.append(dict(zip(header, r, strict=True)))
    return out


def _form(ws) -> tuple[list[dict], list, list[str]]:
    """A form sheet: its table rows (below the header starting with 'Monat'), the totals row,
    and every text on the sheet."""
    rows = list(ws.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "Monat")
    header, body, total = rows[start], [], None
    for r in rows[start + 1 :]:
        if r[0] in ("Summe", "Summe Monate"):
            total = r
            break
        body.append(dict(zip(header, r, strict=True)))
    texts = [str(v) for r in rows for v in r if isinstance(v, str)]
    return body, total, texts


def _reported(rep: dict, partner: str | None, year: int | None, billing: str) -> dict:
    """(partner, year) -> quantity of the report's personnel rows with ``billing``."""
    out: dict = {}
    for r in rep["personnel"]:
        if (
            r["billing"] == billing
            and partner in (None, r["partner"])
            and year in (None, r["year"])
        ):
            key = (r["partner"], r["year"])
            out[key] = out.get(key, Decimal(0)) + Decimal(r["quantity"])
    return out


def _summed(rows: list[dict], column: str) -> dict:
    out: dict = {}
    for r in rows:
        key = (r["Partner"], r["Jahr"])
        out[key] = out.get(key, Decimal(0)) + Decimal(str(r[column]))
    return out


@pytest.mark.slow
def test_demo_hours_equal_the_report(engine, config, settings):
    run_demo(engine, config, settings, until=date(2025, 3, 1))
    rep = build_report(engine, config)
    cap = config.rules.hours_per_year
    for partner in (*config.partner_codes, None):
        for year in (2024, 2025, None):
            wb = _open(
                hours_workbook(
                    engine, config, scope_of(config, partner, year), exported_by="t", stand="s"
                )
            )
            hourly, monthly = _records(wb["Stunden"]), _records(wb["Monatsanteile"])
            assert hourly and monthly
            assert _summed(hourly, "Summe Stunden") == _reported(rep, partner, year, "Stunden")
            assert _summed(monthly, "Summe Monate") == _reported(rep, partner, year, "Monat")
            for r in hourly:
                total = sum(Decimal(str(r[m])) for m in MONTHS if r[m] is not None)
                assert Decimal(str(r["Summe Stunden"])) == total
                assert r["Obergrenze"] == cap and r["Ausschöpfung"] == pytest.approx(
                    float(total) / cap
                )
                sheet, _total, _texts = _form(wb[f"Stundennachweis {r['Kürzel']} {r['Jahr']}"])
                assert sum(Decimal(str(x["Projektstunden"] or 0)) for x in sheet) == total
            for r in monthly:
                assert f"Erklärung {r['Kürzel']} {r['Jahr']}" in wb.sheetnames
            by_module = _records(wb["Nach Modul"])
            assert _summed([r for r in by_module if r["Stunden"] is not None], "Stunden") == (
                _reported(rep, partner, year, "Stunden")
            )


def test_timesheet_and_declaration_are_prefilled(engine, config, ingest, tmp_path, soffice):
    april = month_report("DO", "2025-04")
    april["Personal"].append(
        {
            "Kürzel": "DO-02",
            "Leistungsgruppe": 3,
            "Abrechnung": "Stunden",
            "Umfang": "55,5",
            "Modul": "Vernetzen",
        }
    )
    for result in (
        ingest(workbook()),
        ingest(workbook("DO", "2025-04", data=april)),
        ingest(workbook("BO", "2025-03", data=month_report("BO", "2025-03"))),
    ):
        assert result.status == "accepted", result.errors
    body = hours_workbook(
        engine,
        config,
        scope_of(config, "DO", 2025),
        exported_by="finanzen",
        stand="04/2025",
        exported_at=datetime(2025, 5, 2, 9, 0),
    )
    wb = _open(body)
    [row] = [r for r in _records(wb["Stunden"]) if r["Kürzel"] == "DO-02"]
    assert (row["Mär"], row["Apr"], row["Summe Stunden"]) == (40, 55.5, 95.5)
    assert (row["Obergrenze"], row["Rest bis Obergrenze"]) == (1720, 1720 - 95.5)
    assert row["Ausschöpfung"] == pytest.approx(95.5 / 1720)
    assert {r["Partner"] for r in _records(wb["Stunden"])} == {"DO"}  # not BO
    lines, total, texts = _form(wb["Stundennachweis DO-02 2025"])
    assert len(lines) == 12 and total[2] == 95.5
    march, april_line = lines[2], lines[3]
    assert (march["Modul"], march["Projektstunden"], march["kumuliert"]) == ("Coachen", 40, 40)
    assert (april_line["Modul"], april_line["kumuliert"], april_line["Rest bis Obergrenze"]) == (
        "Vernetzen",
        95.5,
        1624.5,
    )
    assert lines[0]["Projektstunden"] is None and lines[0]["Monat"] == datetime(2025, 1, 1)
    assert "Ort, Datum, Unterschrift Mitarbeiter/in" in texts and "DO-02" in texts
    assert "Obergrenze: 1.720 Stunden im Kalenderjahr." in texts
    decl, total, texts = _form(wb["Erklärung DO-01 2025"])
    assert [d["Anteil eines Vollzeitmonats"] for d in decl] == [1, 1] and total[2] == 2
    assert any("ausschließlich für das Projekt" in t for t in texts)
    modules = {(r["Kürzel"], r["Modul"]): r for r in _records(wb["Nach Modul"])}
    assert modules[("DO-02", "Vernetzen")]["Stunden"] == 55.5
    assert modules[("DO-01", "ohne Modul")]["Monatsanteile"] == 2
    path = tmp_path / "Stundennachweise_DO_2025.xlsx"
    path.write_bytes(body)
    pdf = soffice(path, "pdf", tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    sheet = next(p for p in text.split("\f") if "Stundennachweis (Abrechnung" in p)
    assert "DO-02" in sheet and "Unterschrift Vorgesetzte/r" in sheet and "95" in sheet
    assert "Erklärung zur ausschließlichen Projekttätigkeit" in text


def test_cli_exports_every_kind(engine, config, ingest, tmp_path):
    assert ingest(workbook()).status == "accepted"
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "etl", "export", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    for kind, title, name in (
        ("nachweis", "Zwischennachweis 2025 – DO", "Zwischennachweis_DO_2025.xlsx"),
        ("stunden", "Stundennachweise – DO – 2025", "Stundennachweise_DO_2025.xlsx"),
        ("sachbericht", "Sachbericht (Entwurf) – DO – 2025", "Sachbericht_DO_2025.docx"),
    ):
        res = subprocess.run(
            [sys.executable, "-m", "etl", "export", kind, "--partner", "do", "--year", "2025"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            cwd=tmp_path,
        )
        assert res.returncode == 0, res.stderr
        assert title in res.stdout and (tmp_path / name).stat().st_size > 5_000
    out = tmp_path / "alle.xlsx"
    assert run("stunden", "-o", str(out)).returncode == 0
    assert "Stunden" in _open(out.read_bytes()).sheetnames
    bad = run("sachbericht", "--partner", "XX")
    assert bad.returncode == 2 and "Unbekannter Partner" in bad.stderr
    assert run("stunden", "--year", "2030").returncode == 2
