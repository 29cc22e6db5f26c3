"""The demo data goes through the real upload path and gives plausible figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from etl.documents.report import build_report
from etl.ops.demo import build_demo, run_demo

UNTIL = date(2024, 9, 1)


def test_demo_uploads_end_as_the_story_says(engine, config, settings):
    expected = [u.expect for u in build_demo(config, until=UNTIL)]
    results = run_demo(engine, config, settings, until=UNTIL)
    got = [r.status for r in results]
    assert got == expected
    assert {"accepted", "replaced", "rejected"} <= set(got)
    for r in results:
        if r.status == "rejected":
            assert r.errors and all(e.message for e in r.errors)

    rep = build_report(engine, config)
    for partner in config.partner_codes:
        rows = [a for a in rep["activities"] if a["partner"] == partner and a["year"] == 2024]
        assert sum(a["events"] for a in rows) > 0 and sum(a["coachings"] for a in rows) > 0
        assert sum(a["companies"] for a in rows) > 0
    by_module = {
        m: sum(a["events"] + a["coachings"] for a in rep["activities"] if a["module"] == m)
        for m in config.modules
    }
    assert all(n > 0 for n in by_module.values()), by_module
    elig = {r["partner"]: Decimal(r["eligible_eur"]) for r in rep["eligible"] if r["year"] == 2024}
    plan = {
        p: sum(config.budget[(p, 2024, c)] for c in ("personnel", "overheads", "material"))
        for p in config.partner_codes
    }
    share = {p: elig[p] / (plan[p] * Decimal(UNTIL.month) / 12) for p in plan}
    assert share["HA"] < Decimal("0.8"), share  # the under-spending partner
    assert all(Decimal("0.8") < share[p] < Decimal("1.25") for p in plan if p != "HA"), share
    assert 0 < rep["unique_companies"] < sum(a["companies"] for a in rep["activities"])
