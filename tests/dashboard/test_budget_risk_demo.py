"""On the demo data, Finanzen flags under-spending: HA spends a third to two fifths less than
planned in every year, so its budget lines are 'Mittel gefährdet' and come first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from flask_login import login_user

from dashboard import data
from dashboard.auth import SessionUser
from etl.core.settings import get_settings, settings_from_env
from etl.ops.demo import run_demo
from etl.warehouse import db
from tests.conftest import BACKENDS, new_database

UNTIL = date(2026, 10, 1)  # reports through October 2026 ...
TODAY = date(2026, 11, 20)  # ... due by 10 November: the Stand is October 2026


@pytest.fixture(scope="module", params=BACKENDS)
def demo_warehouse(request, tmp_path_factory, config):
    """(database URL, data folder) of the demo through October 2026, built once per backend
    for the tests of this module (they only read it)."""
    folder = tmp_path_factory.mktemp("demo")
    with new_database(request.param, folder, config) as url:
        engine = db.make_engine(url)
        settings = replace(settings_from_env({"DATA_DIR": str(folder)}), database_url=url)
        run_demo(engine, config, settings, until=UNTIL)
        engine.dispose()
        yield url, folder


@pytest.fixture
def demo(demo_warehouse, monkeypatch, dash_app):
    """The dashboard pointed at the demo warehouse, as steering."""
    url, folder = demo_warehouse
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_DIR", str(folder))
    monkeypatch.delenv("NETWORK_CONFIG", raising=False)
    get_settings.cache_clear()
    monkeypatch.setattr(data, "today", lambda: TODAY)
    with dash_app.server.test_request_context():
        login_user(SessionUser(1, "steuerung", "steering", None, True))
        yield
    get_settings.cache_clear()


def test_ha_under_spending_is_flagged_and_sorted_first(demo):
    from dashboard.pages import finance

    rows = finance.update("")[-2]
    ha = [r for r in rows if r["partner"] == "HA"]
    assert len(ha) == 9  # 3 years x 3 cost categories
    assert rows[: len(ha)] == ha  # the most euros at stake first: all of HA's lines
    for r in ha:
        assert r["flag_label"] == "Mittel gefährdet", r
        assert -45 < r["deviation"] < -32, r  # -33 % to -44 % of the plan to date
    stakes = [r["at_stake"] for r in rows]
    assert stakes == sorted(stakes, reverse=True)
    # 2026 is compared with ten twelfths of its plan (Stand October)
    ha26 = next(r for r in ha if r["year"] == 2026 and r["category"] == "Personal")
    assert ha26["compare"] * 12 == pytest.approx(ha26["plan"] * 10, abs=12)
    assert all(r["flag_label"] != "Mittel gefährdet" for r in rows[len(ha) :])


def test_at_risk_says_how_it_is_computed(demo):
    from dashboard.pages import finance

    out = finance.update("")
    note = out[7][1]  # the forecast block: table, then the note
    text = "".join(c if isinstance(c, str) else c.children for c in note.children)
    assert "je Partner und Jahr max(0, Plan − Prognose)" in text
    assert "Plan − Prognose insgesamt wären" in text and "nicht" in text
