"""Property: every generated workbook is either accepted with exactly the right figures, or
rejected with located errors and no change to the warehouse. Never an exception.

Each example starts from the same warehouse (emptied, then the month 2025-02 of DO
loaded) and uploads one generated report for DO, March 2025 through ``ingest_bytes``.
The expected figures are computed here from the generated rows and the rate table, not
through the importer: events, participants, coachings and hours per module, personnel
cents per pay group and billing, expenditure cents per cost category, companies reached.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from dataclasses import replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import HealthCheck, given, settings

from etl.core.settings import settings_from_env
from etl.documents.report import build_report
from etl.documents.workbook import report_bytes
from etl.intake.ingest import ingest_bytes
from tests.factories import month_report
from tests.robustness.helpers import assert_consistent, clear_warehouse, fact_snapshot
from tests.robustness.strategies import Generated, generated_reports
from tests.robustness.tally import count

EXAMPLES = {"sqlite": 60, "postgresql": 25}
RECEIVED = datetime(2025, 6, 20, 9, 0)
SEED = report_bytes(partner="DO", month="2025-02", sheets=month_report("DO", "2025-02"))


def cents(eur: str) -> int:
    return int(Decimal(eur) * 100)


def figures(report: dict) -> dict:
    """DO's 2025 figures from ``build_report``, keyed for comparison."""
    out: dict = defaultdict(Decimal)
    for r in report["activities"]:
        if (r["partner"], r["year"]) == ("DO", 2025):
            for measure in ("events", "participants", "coachings"):
                out[(r["module"], measure)] += r[measure]
            out[(r["module"], "hours")] += Decimal(r["coaching_hours"])
    for r in report["personnel"]:
        if (r["partner"], r["year"]) == ("DO", 2025):
            out[("personnel", r["pay_group"], r["billing"])] += cents(r["amount_eur"])
    for r in report["expenditure"]:
        if (r["partner"], r["year"]) == ("DO", 2025):
            out[("expenditure", r["cost_category"])] += cents(r["amount_eur"])
    do = next(r for r in report["eligible"] if (r["partner"], r["year"]) == ("DO", 2025))
    out["personnel_total"] += cents(do["personnel_eur"])
    out["material_total"] += cents(do["material_eur"])
    out["companies"] += report["unique_companies"]
    return out


def _personnel_cents(row: dict, config) -> int:
    rate = config.rate_table().monthly[row["Leistungsgruppe"]]
    amount = rate * row["Umfang"]
    if row["Abrechnung"] == "Stunden":
        amount = rate * 12 * row["Umfang"] / Decimal(config.rules.hours_per_year)
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expected_figures(model: dict[str, list[dict]], config) -> dict:
    """What the March report adds to DO's 2025 figures, computed from the generated rows."""
    out: dict = defaultdict(Decimal)
    for e in model["Veranstaltungen"]:
        out[(e["Modul"], "events")] += 1
        out[(e["Modul"], "participants")] += e["Teilnehmende"]
    for c in model["Coachings"]:
        out[(c["Modul"], "coachings")] += 1
        out[(c["Modul"], "hours")] += c["Stunden"]
    for p in model["Personal"]:
        amount = _personnel_cents(p, config)
        out[("personnel", p["Leistungsgruppe"], p["Abrechnung"])] += amount
        out["personnel_total"] += amount
    for x in model["Ausgaben"]:
        out[("expenditure", x["Kostenart"])] += x["Betrag"]
        out["material_total"] += x["Betrag"]
    out["companies"] += len(model["Teilnehmende"])  # each row has its own postal code
    return out


def difference(after: dict, before: dict) -> dict:
    keys = set(after) | set(before)
    return {
        k: after.get(k, 0) - before.get(k, 0) for k in keys if after.get(k, 0) != before.get(k, 0)
    }


def _check_accepted(gen: Generated, result, before: dict, engine, config) -> None:
    assert (result.status, result.errors) == ("accepted", []), result.errors
    got = difference(figures(build_report(engine, config)), before)
    want = {k: v for k, v in expected_figures(gen.model, config).items() if v}
    assert got == want


def _check_rejected(gen: Generated, result, facts_before: dict, engine) -> None:
    assert result.status == "rejected"
    located = {(e.sheet, e.row, e.column) for e in result.errors}
    missing = gen.expected_errors() - located
    assert not missing, f"errors expected at {missing}, got {result.errors}"
    assert fact_snapshot(engine) == facts_before


def _run_example(gen: Generated, engine, config, data_dir: str, report_before: dict) -> None:
    kwargs = {
        "engine": engine,
        "config": config,
        "settings": replace(settings_from_env({"DATA_DIR": data_dir})),
        "received_at": RECEIVED,
    }
    clear_warehouse(engine, config)
    assert ingest_bytes(SEED, "feb.xlsx", **kwargs).status == "accepted"
    facts_before = fact_snapshot(engine)
    data = report_bytes(
        partner=gen.partner, month="2025-03", sheets=gen.sheets, headers=gen.headers
    )
    result = ingest_bytes(data, "maerz.xlsx", **kwargs)  # any exception fails the property
    for error in result.errors:
        assert error.sheet and error.message, error
        assert error.row is None or error.column, error
    if gen.valid:
        _check_accepted(gen, result, report_before, engine, config)
    else:
        _check_rejected(gen, result, facts_before, engine)
    assert_consistent(engine)
    count("property")
    count(f"property_{result.status}")


def test_generated_workbooks_accepted_right_or_rejected_located(engine, config, tmp_path):
    clear_warehouse(engine, config)
    ingest_bytes(
        SEED,
        "feb.xlsx",
        engine=engine,
        config=config,
        settings=settings_from_env({"DATA_DIR": str(tmp_path / "seed")}),
        received_at=RECEIVED,
    )
    report_before = figures(build_report(engine, config))

    @settings(
        max_examples=EXAMPLES[engine.dialect.name],
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(gen=generated_reports())
    def check(gen: Generated) -> None:
        _run_example(gen, engine, config, tempfile.mkdtemp(dir=tmp_path), report_before)

    check()
