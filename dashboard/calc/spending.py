"""The finance page's figures for a filter: eligible costs and financing, budget lines against
plan, burn curve, forecast and money at risk, proof-of-use deadlines. Modules do not apply:
costs are settled per partner and year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import finance, forecast, periods
from etl.core.config import NetworkConfig


@dataclass(frozen=True)
class Spending:
    as_of: date
    eligible: pd.DataFrame  # partner x year, cents
    # partner x year x category: plan, plan to date, actual, deviation, flag both ways,
    # direction, euros at stake; the most at stake first (finance.by_risk)
    lines: pd.DataFrame
    forecast: pd.DataFrame  # partner x year: plan, actual, forecast, at_risk
    burn: pd.DataFrame  # month: cumulative actual, plan, linear, forecast
    totals: dict[str, int]
    plan: int
    deadlines: list[periods.Deadline]
    # partners with a capped grant: code, ceiling, grant by the funding rate alone (cents)
    caps: list[tuple[str, int, int]] = field(default_factory=list)


def spending(
    money_months: pd.DataFrame, config: NetworkConfig, f: flt.Filters, today: date
) -> Spending:
    """Everything the finance page shows for the partners and years in ``f`` (money per
    partner x month from finance.money_months)."""
    partners, years = f.partner_list(config), f.year_list(config)
    as_of = f.as_of(config, today)  # later months are vorläufig: in no figure or forecast
    money = flt.apply(periods.settled(money_months, as_of), f, module=None, year=None)
    elig = finance.eligible_table(money, config, partners, years)
    whole = finance.budget_lines(config, partners, config.years)
    budget = (
        whole[whole["year"].isin(years)].reset_index(drop=True)
        if tuple(years) == tuple(y for y in config.years if y in years)
        else finance.budget_lines(config, partners, years)
    )
    monthly = finance.eligible_months(money, config)
    all_months = [pd.Timestamp(m) for m in config.months()]
    start = config.year_start_month
    fc = forecast.forecast_by_year(monthly, whole, partners, all_months, start=start)
    chosen = [m for m in all_months if config.year_of(m) in years]
    plan_by_year = budget.groupby("year")["plan"].sum().to_dict()
    chosen_monthly = (
        monthly[config.years_of(monthly["month"]).isin(years).to_numpy()]
        if not monthly.empty
        else monthly
    )
    shares = finance.year_shares(config, years, as_of)
    return Spending(
        as_of=as_of,
        eligible=elig,
        lines=finance.by_risk(finance.plan_vs_actual(elig, budget, config.rules, shares)),
        forecast=fc[fc["year"].isin(years)].reset_index(drop=True),
        burn=forecast.burn_curve(chosen_monthly, plan_by_year, partners, chosen, start=start),
        totals=finance.totals(elig),
        plan=int(budget["plan"].sum()),
        deadlines=periods.proof_deadlines(config),
        caps=finance.grant_caps(money, config, partners),
    )
