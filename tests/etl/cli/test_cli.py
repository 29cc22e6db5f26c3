"""``python -m etl`` as a user runs it: separate processes, real files, exit codes, JSON."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import EXPECTED, sheets, workbook


@pytest.fixture
def etl(engine, tmp_path):
    """Run ``python -m etl ARGS`` against the test's warehouse and a private DATA_DIR."""
    url = engine.url.render_as_string(hide_password=False)
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"), "DATABASE_URL": url}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "etl", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    return run


def test_ingest_json_and_exit_codes(etl, tmp_path):
    good, bad = tmp_path / "gut.xlsx", tmp_path / "schlecht.xlsx"
    good.write_bytes(workbook())
    broken = sheets()
    broken["Coachings"][0]["Stunden"] = 250
    bad.write_bytes(workbook(month="2025-04", data=broken))
    ok = etl("ingest", str(good), "--json", "--user", "finanz@example.org")
    assert ok.returncode == 0, ok.stderr
    [item] = json.loads(ok.stdout)
    assert item == {
        "file": "gut.xlsx",
        "status": "accepted",
        "partner": "DO",
        "month": "2025-03",
        "errors": [],
        "notices": [],
    }
    res = etl("ingest", str(good), str(bad), "--json")
    assert res.returncode == 1
    first, second = json.loads(res.stdout)
    assert first["status"] == "unchanged" and second["status"] == "rejected"
    assert {(e["sheet"], e["row"], e["column"]) for e in second["errors"]} >= {
        ("Coachings", 2, "Stunden"),
        ("Coachings", 2, "Datum"),
    }


def test_ingest_text_output_is_german(etl, tmp_path):
    missing = etl("ingest", str(tmp_path / "gibtsnicht.xlsx"))
    assert missing.returncode == 1 and "nicht gefunden" in missing.stdout
    path = tmp_path / "bericht.xlsx"
    path.write_bytes(workbook())
    out = etl("ingest", str(path))
    assert out.returncode == 0 and "angenommen" in out.stdout


def test_report_json_has_the_promised_shape_and_money(etl, tmp_path):
    path = tmp_path / "bericht.xlsx"
    path.write_bytes(workbook())
    assert etl("ingest", str(path)).returncode == 0
    res = etl("report", "--json")
    assert res.returncode == 0, res.stderr
    rep = json.loads(res.stdout)
    assert {
        "activities",
        "personnel",
        "expenditure",
        "eligible",
        "unique_companies",
        "rules",
    } <= set(rep)
    do = next(r for r in rep["eligible"] if (r["partner"], r["year"]) == ("DO", 2025))
    assert Decimal(do["eligible_eur"]) == EXPECTED["eligible"] and do["own_eur"] == "1818.57"
    assert {
        "partner": "DO",
        "year": 2025,
        "pay_group": 3,
        "billing": "Stunden",
        "quantity": "40",
        "amount_eur": "1225.12",
    } in rep["personnel"]
    assert {
        "partner": "DO",
        "year": 2025,
        "cost_category": "Reisekosten",
        "amount_eur": "89.90",
    } in rep["expenditure"]
    coach = next(
        r
        for r in rep["activities"]
        if (r["partner"], r["module"], r["year"]) == ("DO", "Coachen", 2025)
    )
    assert (coach["coachings"], coach["coaching_hours"], coach["companies"]) == (1, "12.50", 1)
    assert rep["unique_companies"] == 2
    assert rep["rules"]["overhead_rate"] == "0.15" and rep["rules"]["hours_per_year"] == 1720
    text = etl("report")
    assert "Förderfähig gesamt: 9.092,85 €" in text.stdout


def test_template_is_a_valid_empty_report(etl, tmp_path, config):
    from etl.intake.contract import validate_workbook
    from etl.intake.reader import read_workbook

    out = tmp_path / "vorlage.xlsx"
    res = etl("template", "--partner", "ham", "--month", "2025-02", "-o", str(out))
    assert res.returncode == 0, res.stderr
    wb = load_workbook(out)
    assert {"Meta", "Veranstaltungen", "Ausgaben"} <= set(wb.sheetnames)
    from datetime import date

    rep = validate_workbook(
        read_workbook(out.read_bytes(), out.name), config, today=date(2025, 3, 5)
    )
    assert rep.errors == [] and (rep.partner, f"{rep.month:%Y-%m}") == ("HAM", "2025-02")
    bad = etl("template", "--partner", "XY", "--month", "2025-02", "-o", str(out))
    assert bad.returncode == 2 and "Unbekannter Partner" in bad.stderr


def test_reconcile_writes_missing_outcomes_json_and_text(etl, tmp_path):
    path = tmp_path / "bericht.xlsx"
    path.write_bytes(workbook())
    assert etl("ingest", str(path)).returncode == 0
    archive = tmp_path / "data" / "archive"
    [outcome_file] = archive.rglob("*.json")
    original = json.loads(outcome_file.read_text("utf-8"))
    outcome_file.unlink()  # as if the process had died right after COMMIT
    res = etl("reconcile", "--json")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert (got["ok"], got["uploads"], got["files"], got["counts"]) == (True, 1, 1, {"written": 1})
    [finding] = got["findings"]
    assert (finding["kind"], finding["upload_id"], finding["status"]) == ("written", 1, "accepted")
    restored = json.loads(outcome_file.read_text("utf-8"))
    assert restored.pop("reconciled_at") and restored == original
    again = etl("reconcile")
    assert again.returncode == 0 and "stimmen überein" in again.stdout
    (archive / finding["path"]).unlink()
    missing = etl("reconcile")
    assert missing.returncode == 1 and "Archivierte Datei fehlt" in missing.stdout


def test_ingest_with_the_date_a_report_was_received(etl, engine, tmp_path):
    """Loading a network's history: the received date decides on time or late, not today."""
    from etl.warehouse import queries

    march = tmp_path / "maerz.xlsx"
    march.write_bytes(workbook())  # DO, 03/2025: due by 10.04.2025
    res = etl("ingest", str(march), "--received", "2025-04-08T09:15")
    assert res.returncode == 0, res.stderr
    [row] = queries.uploads(engine).to_dict("records")
    assert row["uploaded_at"].replace(tzinfo=None).isoformat() == "2025-04-08T09:15:00"
    future = etl("ingest", str(march), "--received", "31.12.2099")
    assert future.returncode == 2
    assert "Eingangsdatum 31.12.2099 liegt in der Zukunft." in future.stderr
    wrong = etl("ingest", str(march), "--received", "gestern")
    assert wrong.returncode == 2 and "'gestern' ist kein Datum" in wrong.stderr


def test_template_default_name_and_months_outside_the_period(tmp_path):
    env = {**os.environ, "DATA_DIR": str(tmp_path / "data")}

    def template(month: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "etl", "template", "--partner", "do",
                               "--month", month], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)

    ok = template("2025-02")
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "Monatsbericht_DO_2025-02.xlsx").is_file()
    late = template("2030-01")
    assert late.returncode == 2
    assert "Der Monat 01/2030 liegt außerhalb der Projektlaufzeit (01/2024 bis 12/2026)" in (
        late.stderr)
    assert not (tmp_path / "Monatsbericht_DO_2030-01.xlsx").exists()
