"""Cuts (Kürzungen) of the funding body's check: recorded by finance per receipt or staff row,
kept across re-uploads by the row's identity, and the grant computed on the accepted amounts
(report, payment position, proof of use)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from etl.documents.proof import proof_workbook, scope_of
from etl.documents.report import build_report
from etl.warehouse import queries
from etl.workflow import cuts, payments
from tests.factories import EXPECTED, sheets, workbook

MARCH = date(2025, 3, 1)
RECEIPT = cuts.CutKey("DO", MARCH, "Ausgaben", "DO-2025-0001")  # 1.234,56 € claimed
STAFF = cuts.CutKey("DO", MARCH, "Personal", "DO-02")  # 1.225,12 € claimed
CHECKED = date(2025, 9, 30)


def _cut(engine, config, key, cents, reason="Prüfung: nicht belegt", role="finance"):
    cuts.record_cut(
        engine,
        config,
        key,
        accepted_cents=cents,
        reason=reason,
        decided_on=CHECKED,
        by="finanzen",
        role=role,
    )


def _do_2025(rep: dict, key: str = "accepted") -> dict:
    rows = rep[key]["eligible"] if key == "accepted" else rep[key]
    return next(r for r in rows if r["partner"] == "DO" and r["year"] == 2025)


@pytest.fixture
def cut(ingest, engine, config):
    assert ingest(workbook()).status == "accepted"
    _cut(engine, config, RECEIPT, 100_000)
    _cut(engine, config, STAFF, 100_000)


def test_the_grant_follows_the_accepted_amounts(engine, config, cut):
    rep = build_report(engine, config)
    claimed = _do_2025(rep, "eligible")
    assert Decimal(claimed["eligible_eur"]) == EXPECTED["eligible"]  # as reported, unchanged
    acc = _do_2025(rep)
    # personnel 6.755,12 − 225,12; material 1.324,46 − 234,56; overheads 15 % of 6.530,00
    assert acc["cut_personnel_eur"] == "225.12" and acc["cut_expenditure_eur"] == "234.56"
    assert (acc["personnel_eur"], acc["material_eur"], acc["overhead_eur"]) == (
        "6530.00",
        "1089.90",
        "979.50",
    )
    assert acc["eligible_eur"] == "8599.40"  # 6.530,00 + 979,50 + 1.089,90
    assert acc["grant_eur"] == "6879.52"  # 80 %
    assert (acc["eu_eur"], acc["state_eur"], acc["own_eur"]) == ("3439.76", "3439.76", "1719.88")
    assert rep["accepted"]["cuts"] == rep["accepted"]["applied"] == 2
    position = payments.position(
        cuts.accepted_months(engine), queries.payment_requests(engine), config, ("DO",)
    )
    assert int(position["grant"].iloc[0]) == 687_952


def test_a_cut_survives_a_re_upload_of_the_month(ingest, engine, config, cut):
    data = sheets()
    data["Ausgaben"][1]["Beschreibung"] = "Bahnfahrt (korrigiert)"
    assert ingest(workbook(data=data)).status in ("accepted", "replaced")
    assert _do_2025(build_report(engine, config))["cut_expenditure_eur"] == "234.56"
    data["Ausgaben"][0]["Betrag"] = "900,00"  # now below the accepted 1.000,00: nothing to cut
    assert ingest(workbook(data=data)).status in ("accepted", "replaced")
    assert _do_2025(build_report(engine, config))["cut_expenditure_eur"] == "0.00"
    del data["Ausgaben"][0]  # the receipt is gone: the cut rests, listed, applied to nothing
    assert ingest(workbook(data=data)).status in ("accepted", "replaced")
    rep = build_report(engine, config)
    assert _do_2025(rep)["cut_expenditure_eur"] == "0.00"
    assert rep["accepted"]["cuts"] == 2 and rep["accepted"]["applied"] == 1
    listed = queries.audit_cuts(engine).set_index("row_key")
    assert pd.isna(listed.loc["DO-2025-0001", "claimed_cents"])


def test_rules_of_a_cut_and_its_audit(engine, config, cut):
    with pytest.raises(cuts.CutError, match="nur die Finanzabteilung"):
        _cut(engine, config, RECEIPT, 1, role="steering")
    with pytest.raises(cuts.CutError, match="weniger als dem beantragten"):
        _cut(engine, config, RECEIPT, 123_456)
    with pytest.raises(cuts.CutError, match="Grund"):
        _cut(engine, config, RECEIPT, 1, reason="x")
    with pytest.raises(cuts.CutError, match="steht nicht im aktuellen Monatsbericht"):
        _cut(engine, config, cuts.CutKey("DO", MARCH, "Ausgaben", "DO-9999"), 1)
    _cut(engine, config, RECEIPT, 0, reason="Bewirtung nicht zuwendungsfähig")  # changed
    row = queries.audit_cuts(engine).set_index("row_key").loc["DO-2025-0001"]
    assert int(row["accepted_cents"]) == 0 and row["reason"].startswith("Bewirtung")
    cuts.remove_cut(engine, config, STAFF, by="finanzen", role="finance")
    with pytest.raises(cuts.CutError, match="keine Kürzung"):
        cuts.remove_cut(engine, config, STAFF, by="finanzen", role="finance")
    actions = queries.audit_rows(engine)["action"].tolist()
    assert actions.count("cut_recorded") == 3 and actions.count("cut_removed") == 1


def test_the_proof_of_use_shows_claimed_and_accepted(engine, config, cut):
    data = proof_workbook(engine, config, scope_of(config, "DO", 2025), exported_by="t", stand="s")
    wb = load_workbook(io.BytesIO(data))
    header, row = (list(r) for r in wb["Finanzierung"].iter_rows(max_row=2, values_only=True))
    assert header[3] == "Förderfähig beantragt"
    assert Decimal(str(row[3])) == EXPECTED["eligible"]
    assert Decimal(str(row[header.index("Zuwendung")])) == Decimal("6879.52")
    receipts = list(wb["Sachausgaben"].iter_rows(values_only=True))
    first = next(r for r in receipts if r[2] == "DO-2025-0001")
    assert receipts[0][-2:] == ("Anerkannt", "Kürzungsgrund") and first[-2] == 1000
    listed = [r for r in wb["Kürzungen"].iter_rows(min_row=2, values_only=True) if r[0] == "DO"]
    assert {(r[3], r[6]) for r in listed} == {("DO-2025-0001", 234.56), ("DO-02", 225.12)}
