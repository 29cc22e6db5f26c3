"""``python -m etl check``: a clean load passes; a warehouse broken by SQL fails, naming the row.

Each corruption is one statement a buggy load (or a hand edit) could leave behind; the
check must find it on both backends and say which row it is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from etl.ops.check import run_checks
from etl.warehouse import schema as s
from tests.factories import month_report, report_bytes, sheets, workbook

NAMES = ["keys", "fact_uploads", "fact_monthly", "fact_reach", "money"]


def _load(ingest) -> dict[str, str]:
    """A demo-like history: two partners, a correction (superseded), an identical re-upload
    (unchanged) and a rejected file; returns the outcome of each."""
    outcomes = {
        "do_march": ingest(workbook()).status,
        "bo_jan": ingest(
            report_bytes(partner="BO", month="2025-01", sheets=month_report("BO", "2025-01", n=2))
        ).status,
        "bo_feb": ingest(
            report_bytes(partner="BO", month="2025-02", sheets=month_report("BO", "2025-02"))
        ).status,
    }
    corrected = sheets()
    corrected["Ausgaben"][1]["Betrag"] = "90,10"
    outcomes["do_march_corrected"] = ingest(workbook(data=corrected)).status
    outcomes["do_march_again"] = ingest(workbook(data=corrected)).status
    broken = sheets()
    broken["Coachings"][0]["Stunden"] = 250
    outcomes["do_april_broken"] = ingest(workbook(month="2025-04", data=broken)).status
    return outcomes


def _failing(summary, name: str) -> list[dict]:
    [check] = [c for c in summary.checks if c.name == name]
    return check.failing


def _broken(summary) -> set[str]:
    return {c.name for c in summary.checks if not c.ok}


def _first_upload(engine, status: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(select(s.uploads.c.id).where(s.uploads.c.status == status).limit(1))


def test_a_clean_load_passes(ingest, engine, config):
    assert _load(ingest) == {
        "do_march": "accepted",
        "bo_jan": "accepted",
        "bo_feb": "accepted",
        "do_march_corrected": "replaced",
        "do_march_again": "unchanged",
        "do_april_broken": "rejected",
    }
    summary = run_checks(engine, config)
    assert [c.name for c in summary.checks] == NAMES
    assert summary.ok, summary.text()
    assert summary.text().endswith("Alle 5 Prüfungen bestanden.")


@pytest.mark.no_warehouse_check
def test_a_changed_fact_monthly_row_is_named(ingest, engine, config):
    _load(ingest)
    # DO March has one 'Informieren' event (DO-V-01); the row now claims two
    with engine.begin() as conn:
        conn.execute(
            s.fact_monthly.update()
            .where(
                s.fact_monthly.c.partner_code == "DO",
                s.fact_monthly.c.module == "Informieren",
                s.fact_monthly.c.measure == "events",
            )
            .values(value=2)
        )
    summary = run_checks(engine, config)
    assert _broken(summary) == {"fact_monthly"}
    [row] = _failing(summary, "fact_monthly")
    assert row["partner_code"] == "DO" and row["month"] == date(2025, 3, 1)
    assert (row["module"], row["measure"]) == ("Informieren", "events")
    assert (row["value_stored"], row["value_expected"]) == (Decimal(2), Decimal(1))
    assert "Kennzahl=events, value_stored=2,0000, value_expected=1,0000" in summary.text()


@pytest.mark.no_warehouse_check
def test_a_fact_row_of_a_rejected_upload_is_named(ingest, engine, config):
    _load(ingest)
    rejected = _first_upload(engine, "rejected")
    with engine.begin() as conn:
        conn.execute(
            s.expenditure.insert().values(
                id=9001,
                upload_id=rejected,
                source_row=2,
                partner_code="DO",
                month=date(2025, 4, 1),
                receipt_no="DO-X-1",
                booking_date=date(2025, 4, 2),
                cost_category="Sachkosten",
                amount_cents=100,
            )
        )
    summary = run_checks(engine, config)
    # not current, so no figure changes: only the link is wrong
    assert _broken(summary) == {"fact_uploads"}
    [row] = _failing(summary, "fact_uploads")
    assert (row["table"], row["id"], row["upload_id"], row["status"]) == (
        "expenditure",
        9001,
        rejected,
        "rejected",
    )
    assert row["problem"] == "Upload hat keine Zahlen geladen"


@pytest.mark.no_warehouse_check
def test_an_orphan_fact_row_is_named(ingest, engine, config):
    _load(ingest)
    row = dict(
        id=9002,
        upload_id=777,
        source_row=2,
        partner_code="BO",
        month=date(2025, 1, 1),
        event_id="BO-X-1",
        event_date=date(2025, 1, 3),
        title="Waise",
        module="Coachen",
        format="Online",
        n_participants=1,
    )
    # the foreign key keeps such rows out; switched off here as a restore without it would
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()  # autocommit (the engine begins itself): PRAGMA applies
        try:
            raw.execute("PRAGMA foreign_keys=OFF")
            names = ", ".join(row)
            marks = ", ".join(f":{k}" for k in row)
            values = {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}
            raw.execute(f"INSERT INTO events ({names}) VALUES ({marks})", values)
            raw.execute("PRAGMA foreign_keys=ON")
        finally:
            raw.close()
    else:
        with engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(s.events.insert().values(**row))
    summary = run_checks(engine, config)
    assert _broken(summary) == {"fact_uploads"}
    [failing] = _failing(summary, "fact_uploads")
    assert (failing["table"], failing["id"], failing["upload_id"]) == ("events", 9002, 777)
    assert failing["problem"] == "Upload fehlt" and failing["status"] is None


@pytest.mark.no_warehouse_check
def test_a_duplicate_id_is_named(ingest, engine, config):
    _load(ingest)
    with engine.connect() as conn:
        [do_upload] = conn.scalars(
            select(s.uploads.c.id).where(
                s.uploads.c.status == "accepted", s.uploads.c.partner_code == "DO"
            )
        )
    # the schema only indexes (partner, event_id); the contract wants it unique, any case
    with engine.begin() as conn:
        conn.execute(
            s.events.insert().values(
                upload_id=do_upload,
                source_row=9,
                partner_code="DO",
                month=date(2025, 3, 1),
                event_id="do-v-01",
                event_date=date(2025, 3, 20),
                title="Doppelt",
                module="Transfer",
                format="Online",
                n_participants=5,
            )
        )
    summary = run_checks(engine, config)
    keys = _failing(summary, "keys")
    assert [(r["table"], r["partner_code"], r["id"].casefold(), r["n"]) for r in keys] == [
        ("events", "DO", "do-v-01", 2),
        ("events+coachings", "DO", "do-v-01", 2),
    ]
    # the extra row is current, so the monthly figures it was not summed into differ too
    monthly = {(r["module"], r["measure"]) for r in _failing(summary, "fact_monthly")}
    assert monthly == {("Transfer", "events"), ("Transfer", "participants"), ("Transfer", "women")}


@pytest.mark.no_warehouse_check
def test_a_wrong_personnel_amount_fails_the_money_check(ingest, engine, config):
    ingest(workbook())
    # DO-02: 4.390 x 12 x 40 / 1.720 = 1.225,1162... -> 122512 cents; stored one cent more
    with engine.begin() as conn:
        conn.execute(
            s.personnel.update()
            .where(s.personnel.c.staff_code == "DO-02")
            .values(amount_cents=122513)
        )
    summary = run_checks(engine, config)
    assert _broken(summary) == {"fact_monthly", "money"}
    money = _failing(summary, "money")
    assert money[0]["table"] == "personnel" and money[0]["staff_code"] == "DO-02"
    assert (money[0]["stored_cents"], money[0]["expected_cents"]) == (122513, 122512)
    # the report sums fact_monthly, which still holds the right personnel: it is the facts'
    # sum (675513) that the cost rules see, one cent above the report's 6.755,12 €
    rest = [(r["year"], r["amount"], r["report_cents"], r["expected_cents"]) for r in money[1:]]
    assert (2025, "personnel", 675512, 675513) in rest


def test_a_module_correction_moves_later_months_participations(ingest, engine, config):
    ingest(report_bytes(partner="DO", month="2025-01", sheets=month_report("DO", "2025-01")))
    feb = month_report("DO", "2025-02")
    feb["Teilnehmende"].append(
        {
            "Aktivität": "DO-202501-V1",
            "Unternehmen": "Spät GmbH",
            "PLZ": "44137",
            "Größenklasse": "Mittel",
            "Personen": 3,
        }
    )
    ingest(report_bytes(partner="DO", month="2025-02", sheets=feb))
    jan = month_report("DO", "2025-01")
    jan["Veranstaltungen"][0]["Modul"] = "Coachen"
    assert ingest(report_bytes(partner="DO", month="2025-01", sheets=jan)).status == "replaced"
    summary = run_checks(engine, config)
    assert summary.ok, summary.text()


@pytest.fixture
def etl(engine, tmp_path):
    """Run ``python -m etl ARGS`` against the test's warehouse."""
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


@pytest.mark.no_warehouse_check
def test_command_line_exit_codes(etl, ingest, engine):
    _load(ingest)
    ok = etl("check", "--json")
    assert ok.returncode == 0, ok.stderr
    out = json.loads(ok.stdout)
    assert out["ok"] is True
    assert [(c["name"], c["ok"], c["failing"]) for c in out["checks"]] == [
        (name, True, []) for name in NAMES
    ]
    with engine.begin() as conn:
        conn.execute(s.fact_reach.update().values(n_persons=s.fact_reach.c.n_persons + 1))
    bad = etl("check", "--json")
    assert bad.returncode == 1, bad.stderr
    out = json.loads(bad.stdout)
    assert out["ok"] is False
    [reach] = [c for c in out["checks"] if c["name"] == "fact_reach"]
    assert reach["ok"] is False and reach["failing"]
    first = reach["failing"][0]
    assert first["n_persons_stored"] == first["n_persons_expected"] + 1
    textual = etl("check")
    assert textual.returncode == 1
    assert "[FEHLER] fact_reach entspricht den aktuellen Teilnahmen" in textual.stdout
    assert textual.stdout.rstrip().endswith("1 von 5 Prüfungen fehlgeschlagen.")
