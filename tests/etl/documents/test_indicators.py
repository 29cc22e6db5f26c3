"""EU indicators from the warehouse: ``report --json``'s ``indicators``, the Excel export
(``python -m etl export indikatoren``) and the page Indikatoren agree with a hand count."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date

import pytest
from flask_login import login_user
from openpyxl import load_workbook

from dashboard import data
from dashboard.auth import SessionUser
from etl.core.settings import get_settings
from etl.documents.report import build_report
from tests.factories import month_report, report_bytes

# A: DO 2024 (Klein), BO 2025 (Groß: the network's latest report); B: DO 2024 (Mittel);
# C: BO 2025 (Kleinst).
A = {"Unternehmen": "Alpha Metall GmbH", "PLZ": "44135"}
B = {"Unternehmen": "Beta Logistik AG", "PLZ": "44787"}
C = {"Unternehmen": "Gamma Design UG", "PLZ": "44801"}
CODES = ("RCO01", "RCO04")


def _report(partner: str, month: str, companies: list[tuple[dict, str]]) -> bytes:
    sheets = month_report(partner, month)
    y, m = (int(x) for x in month.split("-"))
    sheets["Teilnehmende"] = [
        {"Aktivität": f"{partner}-{y}{m:02d}-V1", **who, "Größenklasse": size, "Personen": 1}
        for who, size in companies
    ]
    return report_bytes(partner=partner, month=month, sheets=sheets)


@pytest.fixture
def reached(ingest):
    for args in (
        ("DO", "2024-03", [(A, "Klein"), (B, "Mittel")]),
        ("BO", "2025-02", [(A, "Groß"), (C, "Kleinst")]),
    ):
        assert ingest(_report(*args)).status == "accepted"


def test_report_counts_each_company_once_in_its_first_year(engine, config, reached):
    rco01, rco04 = build_report(engine, config)["indicators"]
    assert [y["actual"] for y in rco01["years"]] == [2, 1, 0]
    assert [y["actual_cumulative"] for y in rco04["years"]] == [2, 3, 3]
    assert rco01["years"][0]["by_size"] == {"Kleinst": 0, "Klein": 0, "Mittel": 1, "Groß": 1}
    assert rco01["years"][1]["by_size"] == {"Kleinst": 1, "Klein": 0, "Mittel": 0, "Groß": 0}
    targets = [config.indicators[0].targets.get(y) for y in config.years]
    assert [y["target"] for y in rco01["years"]] == targets
    assert rco01["total"] == {
        "target": sum(t or 0 for t in targets) or None,
        "actual": 3,
        "by_size": {"Kleinst": 1, "Klein": 0, "Mittel": 1, "Groß": 1},
    }
    assert "by_size" not in rco04["total"]


def test_cli_export_for_one_partner(engine, tmp_path, reached):
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
    }
    out = tmp_path / "ind.xlsx"

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "etl", "export", "indikatoren", *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    res = run("--partner", "BO", "-o", str(out))
    assert res.returncode == 0, res.stderr
    wb = load_workbook(io.BytesIO(out.read_bytes()))
    assert wb.sheetnames == ["Deckblatt", "Soll-Ist", "Definitionen"]
    rows = [r for r in wb["Soll-Ist"].iter_rows(min_row=2, values_only=True) if r[0] in CODES]
    rco01 = {r[2]: r for r in rows if r[0] == "RCO01"}
    # BO's own reports: A as Groß, C as Kleinst, both new for BO in 2025
    assert rco01[2025][3] is None  # the targets are the network's
    assert rco01[2024][4] == 0 and rco01[2025][4] == 2 and rco01["Laufzeit"][4] == 2
    assert rco01[2025][8:12] == (1, 0, 0, 1)
    assert {r[0] for r in wb["Definitionen"].iter_rows(min_row=2, values_only=True)} == {
        "RCO01",
        "RCO04",
    }
    res = run("--year", "2025", "-o", str(out))
    assert res.returncode == 0, res.stderr
    years = {
        r[2]
        for r in load_workbook(out)["Soll-Ist"].iter_rows(min_row=2, values_only=True)
        if r[0] in CODES
    }
    assert years == {2025}
    assert run("--partner", "XX").returncode == 2
    assert run("--year", "1999").returncode == 2


def test_page_shows_a_partner_only_its_own(
    engine, config, tmp_path, monkeypatch, dash_app, reached
):
    from dashboard.pages import indicators

    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NETWORK_CONFIG", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(data, "today", lambda: date(2025, 6, 20))
    try:
        with dash_app.server.test_request_context():
            login_user(SessionUser(7, "partner-do", "partner", "DO", True))
            lead, cards = indicators.update("?partner=BO")
            assert "Partner DO" in lead
            assert str(cards).count("'2 (ohne Ziel)'") == 2  # A and B, both indicators
            login_user(SessionUser(1, "steuerung", "steering", None, True))
            lead, cards = indicators.update("")
            target = sum(config.indicators[0].targets.values())
            assert "Netzwerk" in lead and f"'3 von {target} (" in str(cards)
    finally:
        get_settings.cache_clear()
