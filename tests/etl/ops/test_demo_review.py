"""The demo's review cycle: months in every state and comments, and no figure changed."""

from __future__ import annotations

import json
from datetime import date

from etl.documents.report import build_report
from etl.ops.demo import run_demo, run_review_demo
from etl.warehouse.queries import month_comments, month_states

UNTIL = date(2025, 5, 1)


def test_demo_has_months_in_every_state_and_comments(engine, config, settings):
    run_demo(engine, config, settings, until=UNTIL)
    before = json.dumps(build_report(engine, config), default=str, sort_keys=True)
    run_review_demo(engine, config)
    assert json.dumps(build_report(engine, config), default=str, sort_keys=True) == before
    states = month_states(engine)
    counts = states["state"].value_counts().to_dict()
    assert set(counts) == {"submitted", "query", "approved", "proof"}
    assert counts["proof"] == 12 * (len(config.partner_codes) - 1)  # 2024 but the late one
    # fällig: months of the project period without a state row
    assert len(states) < len(config.partner_codes) * len(config.months())
    late = states[(states["partner_code"] == "HAM") & (states["month"] < date(2025, 1, 1))]
    assert set(late["state"]) == {"approved"}  # the late partner's 2024 is approved only
    kinds = sorted(month_comments(engine)["kind"])
    assert kinds == ["answer", "note", "question", "question", "reply"]
