"""The second example network (examples/weserleine) end to end on the command line, as a new
network would adopt the product: check the configuration, write templates, load the demo,
ingest files, report and check the warehouse, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from etl.core.config import load_config
from etl.core.duty import report_dues
from etl.core.settings import REPO_ROOT
from etl.documents.workbook import report_bytes

CONFIG = REPO_ROOT / "examples" / "weserleine" / "config.toml"
UNTIL = "2026-10"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request, tmp_path):
    """A new, empty database for the second network (migrated by the first command)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'warehouse.db'}"
        return
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL tests skipped")
    name = f"fc_wl_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def etl(tmp_path, database_url):
    """``etl(*args)``: ``python -m etl`` with the second network's configuration."""
    data = tmp_path / "data"
    data.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "NETWORK_CONFIG")}
    env.update(DATA_DIR=str(data), NETWORK_CONFIG=str(CONFIG), DATABASE_URL=database_url,
               PYTHONPATH=str(REPO_ROOT))

    def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess:
        out = subprocess.run([sys.executable, "-m", "etl", *args], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=900, check=False)
        if ok:
            assert out.returncode == 0, out.stdout + out.stderr
        return out

    return run


def _sheets(module: str, month: date) -> dict[str, list[dict]]:
    """A small valid report: one event with one participating company."""
    tag = f"WL-{month:%Y%m}-T1"
    return {
        "Veranstaltungen": [{"ID": tag, "Datum": month.replace(day=7), "Titel": "Sprechtag",
                             "Modul": module, "Format": "Präsenz", "Teilnehmende": 12,
                             "davon Frauen": 5}],
        "Coachings": [],
        "Teilnehmende": [{"Aktivität": tag, "Unternehmen": "Tischlerei Weser GmbH",
                          "PLZ": "31582", "Größenklasse": "Klein", "Personen": 2}],
        "Personal": [],
        "Ausgaben": [],
    }


def test_templates_demo_ingest_report_and_check(etl, tmp_path):
    config = load_config(CONFIG)
    assert "Konfiguration in Ordnung" in etl("config", "check").stdout

    # templates: every partner, the five pay groups of the rate table, the network's name
    for code in config.partner_codes:
        out = tmp_path / f"{code}.xlsx"
        etl("template", "--partner", code, "--month", "2026-03", "-o", str(out))
        wb = load_workbook(out)
        groups = [dv for dv in wb["Personal"].data_validations.dataValidation
                  if "B2" in str(dv.sqref)]
        assert [g.formula1 for g in groups] == ['"1,2,3,4,5"']
        assert "InnoNetz Weser-Leine" in wb["Anleitung"]["A1"].value
        # the configured voucher sheet, with its choices as a dropdown
        assert [c.value for c in wb["Beratungsgutscheine"][1]][:3] == [
            "Gutschein-Nr.", "Vorgang", "Datum"]
        lists = [dv.formula1 for dv in wb["Beratungsgutscheine"].data_validations.dataValidation]
        assert '"Ausgabe,Einlösung"' in lists

    summary = etl("demo", "--until", UNTIL).stdout
    assert "4 rejected, 2 replaced" in summary, summary

    # a month before SCHAUMBURG joined (01/2026) is refused, in German
    early = tmp_path / "Monatsbericht_SCHAUMBURG_2025-11.xlsx"
    early.write_bytes(report_bytes(partner="SCHAUMBURG", month="2025-11",
                                   sheets=_sheets("Gründen & Wachsen", date(2025, 11, 1)),
                                   activity_sheets=config.activity_sheets))
    refused = json.loads(etl("ingest", str(early), "--json", ok=False).stdout)[0]
    assert refused["status"] == "rejected"
    assert [e["message"] for e in refused["errors"]] == [
        "SCHAUMBURG gehört im Berichtsmonat 11/2025 nicht zum Netzwerk (Mitglied von "
        "01/2026 bis 08/2028). Bitte den Berichtsmonat prüfen."
    ]
    # the chamber without reporting duty replaces a month with activities only
    extra = tmp_path / "Monatsbericht_HWK-HANNOVER_2026-10.xlsx"
    extra.write_bytes(report_bytes(partner="HWK-HANNOVER", month="2026-10",
                                   sheets=_sheets("Fachkräfte sichern", date(2026, 10, 1)),
                                   activity_sheets=config.activity_sheets))
    sent = json.loads(etl("ingest", str(extra), "--json", "--received", "2026-11-20").stdout)[0]
    assert sent["status"] == "replaced", sent

    rep = json.loads(etl("report", "--json").stdout)
    _assert_report(rep, config)
    _assert_project_years(etl)
    assert "Alle 5 Prüfungen bestanden" in etl("check").stdout
    text_report = etl("report").stdout
    assert "EU (EFRE Niedersachsen)" in text_report and "Land Niedersachsen" in text_report
    assert "EU (EFRE)  " not in text_report


def _assert_report(rep: dict, config) -> None:
    """Financing follows the partners' roles; the sums hold to the cent."""
    assert rep["network"].startswith("InnoNetz Weser-Leine")
    rows = {(r["partner"], r["year"]): r for r in rep["eligible"]}
    cents = {k: {f: int(Decimal(v) * 100) for f, v in r.items() if f.endswith("_eur")}
             for k, r in rows.items()}
    for (code, _year), c in cents.items():
        assert c["eligible_eur"] == c["personnel_eur"] + c["overhead_eur"] + c["material_eur"]
        assert c["grant_eur"] == c["eu_eur"] + c["state_eur"]
        assert c["own_eur"] == c["eligible_eur"] - c["grant_eur"]
        if not config.partner(code).funded:
            assert c["grant_eur"] == c["eu_eur"] == c["state_eur"] == 0
    # project years September-August, keyed by the year they start in: 2025 = 2025/26
    assert config.years == (2025, 2026, 2027)
    assert {y for (_p, y) in rows} == {2025, 2026, 2027}
    # the chambers book no costs, the funded partners do; NIENBURG (left 06/2026) nothing in
    # 2026/27, SCHAUMBURG (joined 01/2026) already in 2025/26
    for code in ("IHK-HANNOVER", "HWK-HANNOVER"):
        assert all(cents[(code, y)]["eligible_eur"] == 0 for y in config.years)
    assert cents[("HANNOVER-IMP", 2026)]["grant_eur"] > 0
    assert cents[("SCHAUMBURG", 2025)]["eligible_eur"] > 0
    assert cents[("NIENBURG", 2025)]["eligible_eur"] > 0
    assert cents[("NIENBURG", 2026)]["eligible_eur"] == 0
    caps = {c["partner"]: c for c in rep["grant_caps"]}
    assert set(caps) == {"HILDESHEIM", "IHK-HANNOVER", "HWK-HANNOVER"}
    assert caps["HILDESHEIM"]["ceiling_eur"] == "360000.00"
    assert Decimal(caps["HILDESHEIM"]["grant_eur"]) == sum(
        Decimal(rows[("HILDESHEIM", y)]["grant_eur"]) for y in config.years)
    assert rep["rules"]["monthly_rates_eur"] == {
        "1": "7920.00", "2": "6480.00", "3": "5310.00", "4": "4370.00", "5": "3560.00"}
    # the quarterly chamber's months are due together after each quarter
    dues = report_dues(config, "IHK-HANNOVER")
    assert dues[date(2026, 1, 1)] == dues[date(2026, 3, 1)] == date(2026, 4, 15)
    # every partner-month with activities lies inside the partner's membership
    months = {(r["partner"], r["year"]) for r in rep["activities"] if r["events"] or r["coachings"]}
    assert ("NIENBURG", 2026) not in months and ("NIENBURG", 2027) not in months
    assert ("SCHAUMBURG", 2025) in months and ("NIENBURG", 2025) in months
    _assert_vouchers(rep)


def _assert_vouchers(rep: dict) -> None:
    """The configured voucher sheet's measures: issued, redeemed (never more than issued
    up to then), their value; the targets of the innovation module."""
    (sheet,) = rep["activity_sheets"]
    assert sheet["key"] == "vouchers" and sheet["sheet"] == "Beratungsgutscheine"
    assert [m["key"] for m in sheet["measures"]] == [
        "vouchers_issued", "vouchers_redeemed", "voucher_value"]
    rows = {(r["partner"], r["year"]): r for r in sheet["rows"]}
    issued = sum(r["vouchers_issued"] for r in sheet["rows"])
    redeemed = sum(r["vouchers_redeemed"] for r in sheet["rows"])
    assert 0 < redeemed < issued
    assert sum(Decimal(r["voucher_value"]) for r in sheet["rows"]) > 0
    assert rows[("HANNOVER-IMP", 2025)]["targets"] == {
        "vouchers_issued": 18, "vouchers_redeemed": 12, "voucher_value": "36000.00"}
    assert rows[("NIENBURG", 2025)]["targets"] == {}


def _activity(rep: dict, year: int) -> int:
    return sum(r["events"] + r["coachings"] for r in rep["activities"] if r["year"] == year)


def _assert_project_years(etl) -> None:
    """The report's year 2025 is September 2025 to August 2026: at Stand 08/2026 nothing is
    counted in 2026 (2026/27) yet, from Stand 09/2026 on September is."""
    aug = json.loads(etl("report", "--json", "--stand", "2026-08").stdout)
    sep = json.loads(etl("report", "--json", "--stand", "2026-09").stdout)
    assert _activity(aug, 2026) == 0 < _activity(aug, 2025)
    assert _activity(sep, 2026) > 0 and _activity(sep, 2025) == _activity(aug, 2025)
