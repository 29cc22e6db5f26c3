"""The finance plan: version 1 from the configuration, the workbook round trip, every rule of
the upload with located German errors, versions with who/when/why, reallocation flags."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etl.documents.report import build_report
from etl.warehouse import queries
from etl.workflow import plan
from etl.workflow.plan.diff import diff, needs_consent
from tests.factories import workbook
from tests.plan_workbooks import budget_row, downloaded, move, set_parameter, upload

GRANT = 360_000_000  # 3.600.000,00 € in cents


def test_version_1_is_the_configuration(engine, config):
    current = plan.current_plan(engine, config)
    assert current.version.id == 1 and current.version.source == "config"
    assert current.version.created_by == "system" and current.version.reason
    assert current.data.total_cents == GRANT == int(config.total_budget * 100)
    assert set(current.data.budget) == {
        (p, y, c) for p in config.partner_codes for y in config.years
        for c in ("personnel", "overheads", "material")
    }
    assert current.data.budget[("DO", 2024, "personnel")] == 16_434_800
    assert current.data.funding_rates["HA"] == Decimal("0.90")
    assert current.data.targets[("DO", "Coachen", 2025, "coachings")] == 33
    plan.ensure_initial(engine, config)  # a second call makes no second version
    assert [v.id for v in plan.versions(engine, config)] == [1]
    assert plan.current_config(engine, config).budget == config.budget


def test_round_trip_download_edit_upload(engine, config, settings, ingest):
    ingest(workbook())  # DO, March 2025: eligible 9.092,85 €
    wb = downloaded(engine, config)
    move(wb, ("DO", 2024, "material"), ("DO", 2026, "material"), 10_000)
    wb["Förderquoten"]["C4"] = "85 %"  # HA (third partner)
    set_parameter(wb, "Materialkosten", "pauschal")
    result = upload(engine, config, settings, wb, reason="Umschichtung DO, Quote HA laut Bescheid")
    assert result.status == "accepted", result.errors
    assert result.version_id == 2 and result.based_on == 1
    new = plan.current_plan(engine, config)
    assert new.version.created_by == "finanzen"
    assert new.version.reason == "Umschichtung DO, Quote HA laut Bescheid"
    assert new.version.file_name == "Finanzplan.xlsx" and new.version.archive_path
    assert (settings.data_dir / new.version.archive_path).exists()
    assert new.data.budget[("DO", 2024, "material")] == 8_099_980 - 1_000_000
    assert new.data.budget[("DO", 2026, "material")] == 9_450_015 + 1_000_000
    assert new.data.total_cents == GRANT
    assert new.data.funding_rates["HA"] == Decimal("0.85")
    assert new.data.material_mode == "flat"
    old = plan.plan_as_of(engine, config, 1)  # kept unchanged
    assert old.data.budget[("DO", 2024, "material")] == 8_099_980
    assert old.data.material_mode == "actual"
    # the report computes with the new version: flat material = 25 % of personnel
    row = next(r for r in build_report(engine, config)["eligible"]
               if (r["partner"], r["year"]) == ("DO", 2025))
    assert row["material_eur"] == "1688.78"  # 25 % of 6.755,12
    assert build_report(engine, config, version_id=1)["eligible"] != build_report(
        engine, config)["eligible"]
    # downloading the new version and uploading it unchanged changes nothing
    again = upload(engine, config, settings, downloaded(engine, config), reason=None)
    assert again.status == "unchanged" and again.version_id == 2
    assert [v.id for v in plan.versions(engine, config)] == [2, 1]


def _errors(result) -> set[tuple]:
    return {(e.sheet, e.row, e.column) for e in result.errors}


def test_every_error_at_once_located_and_in_german(engine, config, settings):
    wb = downloaded(engine, config)
    ws = wb["Budget"]
    do24, bo25, un26 = (budget_row(wb, p, y) for p, y in (("DO", 2024), ("BO", 2025),
                                                          ("UN", 2026)))
    ws.cell(do24, 3).value = -5  # negative
    ws.cell(bo25, 4).value = "viel"  # not a number
    ws.cell(un26, 1).value = "XY"  # unknown partner
    wb["Förderquoten"]["C2"] = 1.2  # DO: not a rate
    wb["Förderquoten"]["C3"] = "30 %"  # BO: below the EU share
    wb["Ziele"]["D2"] = -1
    set_parameter(wb, "Materialkosten", "irgendwie")
    result = upload(engine, config, settings, wb)
    assert result.status == "rejected"
    assert _errors(result) >= {
        ("Budget", do24, "Personal"),
        ("Budget", bo25, "Gemeinkosten"),
        ("Budget", un26, "Partner"),
        ("Förderquoten", 2, "Förderquote"),
        ("Förderquoten", 3, "Förderquote"),
        ("Ziele", 2, "Veranstaltungen"),
        ("Parameter", 3, "Wert"),
    }
    text = " ".join(e.message for e in result.errors)
    assert "nicht negativ" in text and "ist keine Zahl" in text and "XY" in text
    assert "zwischen 40 % (EU-Anteil) und 100 %" in text and "größer als 1" in text
    assert [v.id for v in plan.versions(engine, config)] == [1]  # nothing changed


def test_totals_must_add_up_to_the_grant(engine, config, settings):
    wb = downloaded(engine, config)
    ws = wb["Budget"]
    row = budget_row(wb, "HAM", 2025)
    ws.cell(row, 3).value = ws.cell(row, 3).value + 1000
    result = upload(engine, config, settings, wb)
    assert result.status == "rejected"
    [error] = result.errors
    assert (error.sheet, error.row) == ("Budget", None)
    assert "3.601.000,00 €" in error.message and "3.600.000,00 €" in error.message
    assert "Differenz 1.000,00 €" in error.message


def test_every_partner_and_year_must_be_present(engine, config, settings):
    wb = downloaded(engine, config)
    wb["Budget"].delete_rows(budget_row(wb, "BO", 2025))
    wb["Ziele"].delete_rows(2)  # DO Informieren 2024
    rates = wb["Förderquoten"]
    rates.delete_rows(6)  # UN
    result = upload(engine, config, settings, wb)
    messages = {(e.sheet, e.column): e.message for e in result.errors}
    assert "Für Partner BO fehlen Zeilen: 2025" in messages[("Budget", "Jahr")]
    assert "Informieren 2024" in messages[("Ziele", "Modul")]
    assert "Für UN fehlt die Förderquote" in messages[("Förderquoten", "Partner")]


def test_duplicates_missing_sheet_and_reason(engine, config, settings):
    wb = downloaded(engine, config)
    ws = wb["Budget"]
    ws.cell(budget_row(wb, "BO", 2024), 2).value = 2025  # BO 2025 twice, BO 2024 missing
    del wb["Ziele"]
    result = upload(engine, config, settings, wb, reason="")
    messages = [str(e) for e in result.errors]
    assert any("steht schon in Zeile" in m for m in messages)
    assert any("Das Blatt 'Ziele' fehlt" in m for m in messages)
    assert any("Begründung" in m for m in messages)


def test_a_stale_file_is_refused(engine, config, settings):
    first, second = downloaded(engine, config), downloaded(engine, config)
    move(first, ("DO", 2025, "personnel"), ("DO", 2025, "material"), 1000)
    assert upload(engine, config, settings, first).status == "accepted"
    move(second, ("BO", 2025, "personnel"), ("BO", 2025, "material"), 1000)
    result = upload(engine, config, settings, second)
    assert result.status == "rejected"
    [error] = result.errors
    assert (error.sheet, error.row, error.column) == ("Parameter", 2, "Wert")
    assert "beruht auf Version 1" in error.message and "Version 2" in error.message


def test_unit_cost_table_fixed_once_personnel_is_loaded(engine, config, settings, ingest):
    wb = downloaded(engine, config)
    set_parameter(wb, "Pauschalentabelle gültig ab", date(2025, 1, 1))
    result = upload(engine, config, settings, wb)
    assert result.status == "accepted"  # nothing loaded yet: the table may still change
    assert plan.current_config(engine, config).rate_table().valid_from == date(2025, 1, 1)
    ingest(workbook())
    assert queries.personnel_recorded(engine)
    wb = downloaded(engine, config)
    set_parameter(wb, "Pauschalentabelle gültig ab", date(2022, 1, 1))
    result = upload(engine, config, settings, wb)
    assert result.status == "rejected"
    assert "kann nicht mehr geändert werden" in result.errors[0].message
    set_parameter(wb, "Pauschalentabelle gültig ab", date(2023, 5, 1))
    assert "gibt es nicht" in upload(engine, config, settings, wb).errors[0].message


def test_unreadable_file_is_refused_in_german(engine, config, settings):
    result = upload(engine, config, settings, b"kein Excel")
    assert result.status == "rejected" and "Datei" in result.errors[0].message


@pytest.mark.parametrize(
    ("old", "new", "flagged"),
    [(100_00, 120_00, False), (100_00, 120_01, True), (100_00, 79_99, True),
     (100_00, 80_00, False), (0, 1, True), (5_00, 5_00, False)],
)
def test_consent_threshold_is_more_than_20_percent(old, new, flagged):
    from fractions import Fraction

    assert needs_consent(old, new, Fraction(1, 5)) is flagged


def test_reallocation_diff_flags_lines_over_20_percent(engine, config, settings):
    wb = downloaded(engine, config)
    move(wb, ("DO", 2024, "material"), ("DO", 2026, "material"), 30_000)  # -37 %, +31,7 %
    move(wb, ("HA", 2025, "personnel"), ("HA", 2025, "material"), 20_000)  # -14,9 %, +30,2 %
    result = upload(engine, config, settings, wb)
    d = result.diff
    assert [(c.partner, c.year, c.category, c.needs_consent) for c in d.lines] == [
        ("DO", 2024, "material", True),
        ("DO", 2026, "material", True),
        ("HA", 2025, "personnel", False),
        ("HA", 2025, "material", True),
    ]
    assert d.moved == 5_000_000 and not d.targets and not d.parameters
    again = diff(plan.plan_as_of(engine, config, 1).data, plan.current_plan(engine, config).data,
                 config)
    assert again == d


def test_cli_plan_download_upload_versions(engine, config, tmp_path):
    import os
    import subprocess
    import sys

    from openpyxl import load_workbook

    from tests.plan_workbooks import to_bytes

    env = {**os.environ, "DATA_DIR": str(tmp_path / "data"),
           "DATABASE_URL": engine.url.render_as_string(hide_password=False)}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "etl", "plan", *args], env=env,
                              capture_output=True, text=True, timeout=300)

    target = tmp_path / "plan.xlsx"
    res = run("download", "-o", str(target))
    assert res.returncode == 0 and "Version 1" in res.stdout, res.stderr
    wb = load_workbook(target)
    move(wb, ("UN", 2026, "personnel"), ("UN", 2026, "material"), 50_000)
    target.write_bytes(to_bytes(wb))
    res = run("upload", str(target), "--reason", "Umschichtung UN 2026", "--user", "anna")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "angenommen als Version 2" in res.stdout and "Zustimmung nötig: UN 2026" in res.stdout
    res = run("versions")
    assert "anna" in res.stdout and "Umschichtung UN 2026" in res.stdout
    res = run("upload", str(target), "--json")
    assert res.returncode == 1 and '"status": "rejected"' in res.stdout  # rests on version 1
    assert run("upload", str(tmp_path / "fehlt.xlsx")).returncode == 2
    assert run("download", "--version", "9").returncode == 2
