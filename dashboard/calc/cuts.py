"""Cuts of the funding body's check: what each cut takes off, and the eligible costs and
grant as claimed and as accepted per partner x year (numbers only, cents)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.money import eligible_costs
from etl.core.years import years_of

COMPARE_COLUMNS = [
    "partner_code",
    "year",
    "claimed_eligible",
    "accepted_eligible",
    "cut",
    "claimed_grant",
    "accepted_grant",
]


def cut_rows(cuts: pd.DataFrame, partners=None, years=None, start: int = 1) -> pd.DataFrame:
    """The cuts (queries.audit_cuts) of ``partners`` and project ``years`` (starting in month
    ``start``) with ``off``: the cents
    taken off (claimed − accepted, at least 0; 0 when the row is not in the current upload)
    and ``applies`` (its row is in the current upload)."""
    if cuts.empty:
        return cuts.assign(off=pd.Series(dtype="int64"), applies=pd.Series(dtype=bool))
    rows = cuts
    if partners:
        rows = rows[rows["partner_code"].isin(list(partners))]
    if years:
        rows = rows[years_of(rows["month"], start).isin(list(years)).to_numpy()]
    applies = rows["claimed_cents"].notna()
    claimed = rows["claimed_cents"].fillna(0).astype("int64")
    off = np.where(applies, (claimed - np.minimum(rows["accepted_cents"], claimed)).clip(0), 0)
    return rows.assign(off=off.astype("int64"), applies=applies.to_numpy())


def _by_year(money: pd.DataFrame) -> pd.DataFrame:
    return money.groupby(["partner_code", "year"])[["personnel", "expenditure"]].sum()


def comparison(
    claimed: pd.DataFrame, accepted: pd.DataFrame, config: NetworkConfig, partners, years
) -> pd.DataFrame:
    """One row per partner x year whose accepted amounts differ from the claimed ones:
    eligible costs and grant, claimed and accepted, and the eligible costs cut (cents).
    ``claimed``/``accepted``: money-months frames before and after the cuts."""
    before, after = _by_year(claimed), _by_year(accepted)
    rows = []
    for key in before.index:
        partner, year = key
        if partner not in partners or (years and year not in years):
            continue
        b, a = before.loc[key], after.loc[key] if key in after.index else before.loc[key]
        if (int(b.personnel), int(b.expenditure)) == (int(a.personnel), int(a.expenditure)):
            continue
        rate = config.partner(partner).funding_rate
        e_b = eligible_costs(int(b.personnel), int(b.expenditure), rate, config.rules)
        e_a = eligible_costs(int(a.personnel), int(a.expenditure), rate, config.rules)
        rows.append(
            [
                partner,
                int(year),
                e_b.eligible,
                e_a.eligible,
                e_b.eligible - e_a.eligible,
                e_b.grant,
                e_a.grant,
            ]
        )
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
