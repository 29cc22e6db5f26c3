"""Budget lines crossing the warn/flag thresholds, either way, for finance.

The same comparison as the Finanzen page (``dashboard.calc.finance.plan_vs_actual``), done
here because etl never imports the dashboard: per partner x year x cost category the
eligible costs (:func:`etl.core.money.eligible_costs` on the year's sums) against the plan
due by the Stand (the plan x the share of the year's months reported, half-up to the cent);
a line is 'flag'/'warn' when it lies over or under that by ``deviation_flag``/``_warn``.

A line's level is compared with the level of its last budget notification (none: 'ok'); a
change is an event whose key counts the line's changes (``budget:DO:2025:personnel:2:ok``),
so each crossing is told once and a line going back and forth is told each time.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pandas as pd

from etl.core.config import COST_CATEGORIES, NetworkConfig, Rules
from etl.core.money import eligible_costs, exact_ratio, format_eur
from etl.core.stand import add_months, default_stand
from etl.workflow.notify.events import Event, month_name

CATEGORY_NAMES = {"personnel": "Personal", "overheads": "Gemeinkosten", "material": "Sachkosten"}
LEVEL_TEXT = {
    ("flag", "over"): "über Plan: Zustimmung des Fördergebers nötig",
    ("warn", "over"): "über Plan (Warnschwelle)",
    ("flag", "under"): "unter Plan: Mittel gefährdet",
    ("warn", "under"): "unter Plan (Warnschwelle)",
}


def _share(config: NetworkConfig, year: int, as_of: date) -> Fraction:
    months = config.year_months(year)
    return Fraction(sum(1 for m in months if m <= as_of), len(months)) if months else Fraction(0)


def level(actual: int, compare: int, rules: Rules) -> tuple[str, str]:
    """('flag'|'warn'|'ok', 'over'|'under') of a line, in exact integer arithmetic."""
    direction = "over" if actual >= compare else "under"
    gap = abs(actual - compare)
    for name, rate in (("flag", rules.deviation_flag), ("warn", rules.deviation_warn)):
        num, den = exact_ratio(rate)
        if compare > 0 and gap * den >= num * compare:
            return name, direction
    return "ok", direction


def lines(config: NetworkConfig, money: pd.DataFrame, today: date) -> list[dict]:
    """One dict per budget line with a plan due by the Stand: partner, year, category, plan,
    compare (plan to date), actual, level, direction (cents)."""
    as_of = default_stand(config, today)
    if not money.empty:  # months after the Stand are vorläufig, as on Finanzen
        money = money[pd.to_datetime(money["month"]) < pd.Timestamp(add_months(as_of, 1))]
    sums = money.groupby(["partner_code", "year"])[["personnel", "expenditure"]].sum()
    out = []
    for p in config.partners:
        for year in config.years:
            share = _share(config, year, as_of)
            pers, exp = (
                (int(v) for v in sums.loc[(p.code, year)])
                if (p.code, year) in sums.index
                else (0, 0)
            )
            got = eligible_costs(pers, exp, p.funding_rate, config.rules)
            for cat in COST_CATEGORIES:
                plan = int(config.budget.get((p.code, year, cat), 0) * 100)
                num, den = share.numerator, share.denominator
                compare = (2 * plan * num + den) // (2 * den)  # half-up, as the dashboard
                if compare <= 0:
                    continue
                actual = getattr(got, cat)
                lvl, direction = level(actual, compare, config.rules)
                out.append(
                    {
                        "partner": p,
                        "year": year,
                        "category": cat,
                        "plan": plan,
                        "compare": compare,
                        "actual": actual,
                        "level": lvl,
                        "direction": direction,
                    }
                )
    return out


def last_levels(keys: list[str]) -> dict[tuple[str, int, str], tuple[int, str]]:
    """{(partner, year, category): (changes so far, last level)} from budget event keys."""
    out: dict[tuple[str, int, str], tuple[int, str]] = {}
    for key in keys:
        _kind, partner, year, cat, seq, lvl = key.split(":")
        line = (partner, int(year), cat)
        if int(seq) > out.get(line, (0, "ok"))[0]:
            out[line] = (int(seq), lvl)
    return out


def budget_events(
    config: NetworkConfig, money: pd.DataFrame, keys: list[str], today: date
) -> list[Event]:
    """One event per budget line whose level differs from the last one told."""
    told, out = last_levels(keys), []
    for ln in lines(config, money, today):
        p, cat = ln["partner"], ln["category"]
        seq, before = told.get((p.code, ln["year"], cat), (0, "ok"))
        now = ln["level"] if ln["level"] == "ok" else f"{ln['level']}-{ln['direction']}"
        if now == before:
            continue
        out.append(_event(ln, seq + 1, now, before, default_stand(config, today)))
    return out


def _event(ln: dict, seq: int, now: str, before: str, as_of: date) -> Event:
    p, cat, year = ln["partner"], ln["category"], ln["year"]
    what = f"{p.name}, {CATEGORY_NAMES[cat]} {year}"
    if now == "ok":
        subject = f"Budget wieder im Rahmen: {what}"
    else:
        subject = f"Budget {LEVEL_TEXT[(ln['level'], ln['direction'])]}: {what}"
    tenths = round(Fraction(ln["actual"] - ln["compare"], ln["compare"]) * 1000)
    sign = "+" if tenths >= 0 else "−"
    lines_ = (
        f"Stand {month_name(as_of)}: Ist {format_eur(ln['actual'])}, Plan bis dahin "
        f"{format_eur(ln['compare'])} (Jahresplan {format_eur(ln['plan'])}), Abweichung "
        f"{sign}{abs(tenths) // 10},{abs(tenths) % 10} %.",
    )
    key = f"budget:{p.code}:{year}:{cat}:{seq}:{now}"
    link = f"/finanzen?partner={p.code}&jahr={year}"
    return Event(key, "budget", ("finance",), subject, lines_, link, None, (p.code, year, cat))
