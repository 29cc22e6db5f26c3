"""The finance plan workbook of the second network: its associated partners (chambers, no
funding) show "nicht gefördert" instead of a funding rate, and reading the file back keeps
them without one."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from etl.core.settings import settings_from_env
from etl.workflow import plan
from etl.workflow.plan.diff import diff
from tests.plan_workbooks import downloaded, move, upload

UNFUNDED = ("IHK-HANNOVER", "HWK-HANNOVER")


@pytest.fixture
def settings(tmp_path, second_engine):
    data = tmp_path / "data"
    data.mkdir()
    return replace(settings_from_env({"DATA_DIR": str(data)}),
                   database_url=str(second_engine.url))


def rates_sheet(wb) -> dict[str, tuple[int, object]]:
    """Partner -> (row, value of its Förderquote cell)."""
    ws = wb["Förderquoten"]
    return {ws.cell(r, 1).value: (r, ws.cell(r, 3).value) for r in range(2, ws.max_row + 1)}


def test_unfunded_partners_show_no_funding_rate(second_engine, second_config):
    wb = downloaded(second_engine, second_config)
    rates = rates_sheet(wb)
    for p in second_config.partners:
        shown = rates[p.code][1]
        if p.funded:
            assert shown == float(p.funding_rate)
        else:
            assert shown == "nicht gefördert", p.code
    # Excel's check of the rate cells (EU share to 100 %) covers only the funded partners
    [check] = [dv for dv in wb["Förderquoten"].data_validations.dataValidation
               if dv.type == "decimal"]
    checked = {str(r) for r in check.sqref.ranges}
    assert checked == {f"C{row}" for code, (row, _v) in rates.items() if code not in UNFUNDED}


def test_round_trip_keeps_unfunded_partners_without_a_rate(second_engine, second_config,
                                                          settings):
    before = plan.current_plan(second_engine, second_config)
    wb = downloaded(second_engine, second_config)
    move(wb, ("HANNOVER-IMP", 2026, "material"), ("HANNOVER-IMP", 2027, "material"), 1_000)
    ws, rows = wb["Förderquoten"], rates_sheet(wb)
    ws.cell(rows["HWK-HANNOVER"][0], 3).value = "—"  # the other mark reads the same
    result = upload(second_engine, second_config, settings, wb)
    assert result.status == "accepted", result.errors
    after = plan.current_plan(second_engine, second_config)
    assert after.data.funding_rates == before.data.funding_rates
    assert not [c for c in diff(before.data, after.data, second_config).parameters
                if "Förderquote" in c.label]
    # the next download shows them as not funded again
    assert {rates_sheet(downloaded(second_engine, second_config))[c][1] for c in UNFUNDED} == {
        "nicht gefördert"}


def test_a_rate_for_an_unfunded_partner_is_refused_where_it_stands(second_engine, second_config,
                                                                  settings):
    wb = downloaded(second_engine, second_config)
    rows = rates_sheet(wb)
    wb["Förderquoten"].cell(rows["IHK-HANNOVER"][0], 3).value = "80 %"
    wb["Förderquoten"].cell(rows["HILDESHEIM"][0], 3).value = None  # funded: a rate is needed
    result = upload(second_engine, second_config, settings, wb)
    assert result.status == "rejected"
    found = {(e.row, e.column): e.message for e in result.errors if e.sheet == "Förderquoten"}
    assert found == {
        (rows["IHK-HANNOVER"][0], "Förderquote"): (
            "IHK-HANNOVER wird nicht gefördert (Konfiguration partners[].funded): bitte keine "
            "Förderquote eintragen, sondern 'nicht gefördert' stehen lassen."),
        (rows["HILDESHEIM"][0], "Förderquote"): (
            "Für HILDESHEIM fehlt die Förderquote. Bitte eine Quote eintragen."),
    }
    assert [v.id for v in plan.versions(second_engine, second_config)] == [1]
    assert plan.current_plan(second_engine, second_config).data.funding_rates[
        "HILDESHEIM"] == Decimal("0.70")
