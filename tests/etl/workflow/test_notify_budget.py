"""Budget notifications: the levels agree with the Finanzen page's flags line by line, and a
line crossing a threshold (either way) is told once per crossing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pandas as pd

from dashboard.calc import finance, periods
from etl.core.money import money_months_frame
from etl.ops.demo import run_demo
from etl.warehouse import queries
from etl.workflow import plan
from etl.workflow.notify.budget import budget_events, lines

TODAY = date(2024, 10, 15)


def test_levels_agree_with_the_finance_page(engine, config, settings):
    run_demo(engine, config, settings, until=date(2024, 9, 1))
    priced = plan.current_config(engine, config)
    money = queries.money_months(engine)
    mine = {
        (ln["partner"].code, ln["year"], ln["category"]): ln for ln in lines(priced, money, TODAY)
    }
    partners, years = priced.partner_codes, priced.years
    page = finance.plan_vs_actual(
        finance.eligible_table(money, priced, partners, years),
        finance.budget_lines(priced, partners, years),
        priced.rules,
        finance.year_shares(priced, years, periods.default_stand(priced, TODAY)),
    )
    page = page[page["compare"] > 0]
    assert len(page) == len(mine) > 0
    for r in page.itertuples(index=False):
        ln = mine[(r.partner_code, r.year, r.category)]
        assert (ln["compare"], ln["actual"], ln["level"]) == (r.compare, r.actual, r.flag)
        if r.flag != "ok":
            assert ln["direction"] == r.direction
    assert {ln["level"] for ln in mine.values()} > {"ok"}  # something to tell


def _money(personnel_cents: int) -> pd.DataFrame:
    return money_months_frame(["DO"], [date(2025, 6, 1)], [personnel_cents], [0])


def test_each_crossing_is_told_once_either_way(config):
    # one budget line: DO personnel 2025, 1.200,00 €; the whole year is due by January 2026
    one = replace(config, budget={("DO", 2025, "personnel"): Decimal("1200.00")})
    today, keys = date(2026, 1, 15), []

    def step(cents: int) -> list[str]:
        found = [e.key for e in budget_events(one, _money(cents), keys, today)]
        keys.extend(found)
        return found

    assert step(1200_00) == []  # on plan: nothing to tell
    assert step(1500_00) == ["budget:DO:2025:personnel:1:flag-over"]  # +25 %
    assert step(1500_00) == []  # still over: told already
    assert step(1400_00) == ["budget:DO:2025:personnel:2:warn-over"]  # +16,7 %
    assert step(1200_00) == ["budget:DO:2025:personnel:3:ok"]  # back within the thresholds
    assert step(900_00) == ["budget:DO:2025:personnel:4:flag-under"]  # -25 %: Mittel gefährdet
    event = budget_events(one, _money(1500_00), keys, today)[0]
    assert event.subject == (
        "Budget über Plan: Zustimmung des Fördergebers nötig: Wirtschaftsförderung Dortmund, "
        "Personal 2025"
    )
    assert event.lines == (
        "Stand Dezember 2025: Ist 1.500,00 €, Plan bis dahin 1.200,00 € (Jahresplan "
        "1.200,00 €), Abweichung +25,0 %.",
    )
