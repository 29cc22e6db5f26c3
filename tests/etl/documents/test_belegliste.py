"""The Belegliste: receipts per cost position, chronological, with totals equal to the report."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from etl.documents.belegliste import (
    belegliste_tables,
    belegliste_workbook,
    effective_config,
    file_name,
    scope_of,
)
from etl.documents.report import build_report
from etl.intake.contract.expenditure import COST_CATEGORIES
from etl.ops.demo import run_demo
from tests.factories import EXPECTED, sheets, workbook

DEMO_UNTIL = date(2025, 2, 1)  # all of 2024 and two months of 2025


def _cents(euros: str) -> int:
    return int(Decimal(euros) * 100)


def test_demo_totals_equal_the_report_per_partner_and_year(engine, config, settings):
    run_demo(engine, config, settings, until=DEMO_UNTIL)
    rep = build_report(engine, config)
    booked = {
        (r["partner"], r["year"], r["cost_category"]): r["amount_eur"] for r in rep["expenditure"]
    }
    material = {(r["partner"], r["year"]): r["material_eur"] for r in rep["eligible"]}
    effective = effective_config(engine, config)
    for partner in config.partner_codes:
        for year in (2024, 2025):
            overview, *positions = belegliste_tables(
                engine, effective, scope_of(config, partner, year)
            )
            assert [t.sheet for t in positions] == list(COST_CATEGORIES)
            for table in positions:
                want = _cents(booked.get((partner, year, table.sheet), "0"))
                assert table.totals()[-1] == want, (partner, year, table.sheet)
                dates = [r[1] for r in table.rows]
                assert dates == sorted(dates)  # chronological
            assert overview.totals()[4] == _cents(material[(partner, year)])
            assert overview.totals()[3] == sum(len(t.rows) for t in positions)
    # the demo fills the new columns: most receipts with payment date and payee
    rows = [r for t in belegliste_tables(engine, effective, scope_of(config))[1:] for r in t.rows]
    assert sum(r[3] is not None for r in rows) > len(rows) / 2  # Zahlungsdatum
    assert sum(r[4] is not None for r in rows) > len(rows) / 2  # Zahlungsempfänger
    assert all(r[3] is None or r[2] <= r[3] for r in rows)  # paid on or after the receipt


def _base_with_payments() -> bytes:
    data = sheets()
    data["Ausgaben"][0].update(
        {
            "Zahlungsdatum": "20.03.2025",
            "Zahlungsempfänger": "Saalbau",
            "Verwendungszweck": "Miete Saal, RE-17",
        }
    )
    return workbook(data=data)


def test_columns_and_purpose_fallback(engine, config, ingest):
    assert ingest(_base_with_payments()).status == "accepted"
    tables = belegliste_tables(engine, config, scope_of(config, "DO", 2025))
    [paid] = next(t for t in tables if t.sheet == "Sachkosten").rows
    assert paid == [
        "DO-2025-0001",
        date(2025, 3, 12),
        date(2025, 3, 20),
        "Saalbau",
        "Miete Saal, RE-17",
        123456,
    ]
    [travel] = next(t for t in tables if t.sheet == "Reisekosten").rows
    assert travel == ["DO-2025-0002", date(2025, 3, 31), None, None, "Bahnfahrt", 8990]
    assert tables[0].totals()[4] == _cents(str(EXPECTED["material"]))
    # another period: nothing in it
    empty = belegliste_tables(engine, config, scope_of(config, "DO", first=date(2025, 4, 1)))
    assert all(t.rows == [] for t in empty[1:]) and empty[0].totals()[4] == 0


def test_flat_rate_shows_the_calculation_and_lists_receipts_nachrichtlich(engine, config, ingest):
    flat = dataclasses.replace(
        config, rules=dataclasses.replace(config.rules, material_mode="flat")
    )
    assert ingest(_base_with_payments()).status == "accepted"
    rep = build_report(engine, flat)  # the first read makes plan version 1 from this config
    material = next(
        r["material_eur"] for r in rep["eligible"] if (r["partner"], r["year"]) == ("DO", 2025)
    )
    data = belegliste_workbook(engine, flat, scope_of(flat, "DO", 2025), exported_by="t", stand="s")
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [
        "Deckblatt",
        "Übersicht",
        "Sachkosten (nachrichtlich)",
        "Fremdleistungen (nachrichtlich)",
        "Reisekosten (nachrichtlich)",
    ]
    header = [c.value for c in wb["Übersicht"][1]]
    assert header[2:5] == ["Personalausgaben", "Pauschalsatz", "Sachausgaben pauschal"]
    do_2025 = next(
        r for r in wb["Übersicht"].iter_rows(min_row=2, values_only=True) if r[:2] == ("DO", 2025)
    )
    assert Decimal(str(do_2025[2])) == EXPECTED["personnel"]
    assert Decimal(str(do_2025[4])) == Decimal(material)  # 25 % of personnel, as the report
    assert Decimal(str(do_2025[5])) == EXPECTED["material"]  # the receipts, nachrichtlich
    cover = {r[0]: r[1] for r in wb["Deckblatt"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert cover["Sachausgaben"] == "pauschal (Belege nachrichtlich)"
    notes = [r[0] for r in wb["Sachkosten (nachrichtlich)"].iter_rows(values_only=True)]
    assert any(n and n.startswith("Nachrichtlich") for n in notes)


def test_scope_and_file_names(config):
    assert file_name(scope_of(config, "DO", 2025)) == "Belegliste_DO_2025.xlsx"
    ranged = scope_of(config, None, None, date(2025, 3, 14), date(2025, 6, 1))
    assert file_name(ranged) == "Belegliste_Projekt_2025-03_bis_2025-06.xlsx"
    assert ranged.title == "Belegliste gesamtes Projekt – 03/2025 bis 06/2025"
    for bad in (
        {"partner": "XX"},
        {"year": 2030},
        {"first": date(2025, 6, 1), "last": date(2025, 3, 1)},
    ):
        with pytest.raises(ValueError):
            scope_of(config, **bad)


def test_cli_export_belegliste_and_nachweis(engine, tmp_path, ingest):
    assert ingest(_base_with_payments()).status == "accepted"
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

    out = tmp_path / "belege.xlsx"
    res = run("belegliste", "--partner", "do", "--year", "2025", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "Belegliste DO – 2025" in res.stdout
    wb = load_workbook(out)
    assert wb.sheetnames[:3] == ["Deckblatt", "Übersicht", "Sachkosten"]
    assert wb["Sachkosten"]["A2"].value == "DO-2025-0001"
    res = run("belegliste", "--from", "2025-03", "--to", "2025-03", "-o", str(tmp_path / "m.xlsx"))
    assert res.returncode == 0 and "03/2025 bis 03/2025" in res.stdout, res.stderr
    assert run("belegliste", "--partner", "XX").returncode == 2
    res = run("nachweis", "--partner", "DO", "--year", "2025", "-o", str(tmp_path / "n.xlsx"))
    assert res.returncode == 0 and "Zwischennachweis 2025 – DO" in res.stdout, res.stderr
