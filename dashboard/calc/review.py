"""The review queue: partner-months with their state, and one month's figures beside the
partner's own monthly average and the plan's monthly share. Numbers only."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.years import year_of

# states that wait for a reviewer or the partner (checked: the second of two review steps)
AWAITING = ("submitted", "query", "checked")
STATES = ("due", "submitted", "query", "checked", "approved", "proof")
COMPARED = ("events", "participants", "coachings", "eligible")
QUEUE_COLUMNS = [
    "key",
    "partner_code",
    "month",
    "year",
    "state",
    "uploaded_at",
    "uploaded_by",
    "n_comments",
    "last_comment",
]


def _month(value) -> date:
    return pd.Timestamp(value).date().replace(day=1)


def queue(
    states: pd.DataFrame,
    comments: pd.DataFrame,
    *,
    partners: tuple[str, ...] = (),
    years: tuple[int, ...] = (),
    wanted: tuple[str, ...] = AWAITING,
    start: int = 1,
) -> pd.DataFrame:
    """One row per partner-month in one of the ``wanted`` states, of ``partners`` and
    project ``years`` (starting in month ``start``; empty: all), oldest month first, with
    its comment count and last comment."""
    df = states[states["state"].isin(wanted)].copy()
    if partners:
        df = df[df["partner_code"].isin(partners)]
    df["year"] = [year_of(m, start) for m in df["month"]]
    if years:
        df = df[df["year"].isin(years)]
    keys = comments.groupby(["partner_code", "month"], sort=False)
    count = keys.size().to_dict() if not comments.empty else {}
    last = keys["text"].last().to_dict() if not comments.empty else {}
    pairs = list(zip(df["partner_code"], df["month"], strict=True))
    df["n_comments"] = [int(count.get(k, 0)) for k in pairs]
    df["last_comment"] = [last.get(k) for k in pairs]
    df["key"] = [f"{p}|{m:%Y-%m}" for p, m in pairs]
    return df.sort_values(["month", "partner_code"])[QUEUE_COLUMNS].reset_index(drop=True)


def parse_key(key: str) -> tuple[str, date]:
    """``"DO|2025-03"`` -> ("DO", date(2025, 3, 1))."""
    partner, month = key.split("|")
    year, mon = (int(x) for x in month.split("-"))
    return partner, date(year, mon, 1)


def _per_month(activity: pd.DataFrame, eligible: pd.DataFrame, partner: str) -> pd.DataFrame:
    """The partner's months with the compared measures (activity summed over modules)."""
    act = activity[activity["partner_code"] == partner]
    act = act.assign(m=[_month(v) for v in act["month"]])
    out = act.groupby("m")[["events", "participants", "coachings"]].sum()
    el = eligible[eligible["partner_code"] == partner]
    el = el.assign(m=[_month(v) for v in el["month"]]).groupby("m")["eligible"].sum()
    out = out.join(el, how="outer").fillna(0)
    return out.astype("int64")


def _plan_share(config: NetworkConfig, targets: pd.DataFrame, partner: str, year: int) -> dict:
    """The plan of the partner's year spread evenly over the project months of that year."""
    n = len(config.year_months(year)) or 1
    mine = targets[(targets["partner_code"] == partner) & (targets["year"] == year)]
    out = {k: Fraction(int(mine[k].sum()), n) for k in ("events", "participants", "coachings")}
    budget = sum((v for (p, y, _cat), v in config.budget.items() if p == partner and y == year), 0)
    out["eligible"] = Fraction(int(budget * 100), n)  # budget in EUR -> cents
    return out


def comparison(
    activity: pd.DataFrame,
    eligible: pd.DataFrame,
    targets: pd.DataFrame,
    config: NetworkConfig,
    partner: str,
    month: date,
) -> pd.DataFrame:
    """One row per compared measure (events, participants, coachings, eligible cents): the
    month's value, the partner's monthly average over its other reported months, the plan's
    monthly share and the month as a share of its average (None without an average)."""
    per = _per_month(activity, eligible, partner)
    value = per.loc[month] if month in per.index else pd.Series(0, index=list(COMPARED))
    others = per.drop(index=month, errors="ignore")
    plan = _plan_share(config, targets, partner, config.year_of(month))
    rows = []
    for k in COMPARED:
        avg = Fraction(int(others[k].sum()), len(others)) if len(others) else None
        v = int(value.get(k, 0))
        rows.append(
            {
                "measure": k,
                "value": v,
                "average": avg,
                "plan": plan[k],
                "vs_average": Fraction(v) / avg if avg else None,
            }
        )
    return pd.DataFrame(rows)


NOTE_COLUMNS = ["month", "partner_code", "kind", "author", "at", "text"]


def month_notes(
    comments: pd.DataFrame, partners: tuple[str, ...], years: tuple[int, ...], start: int = 1
) -> pd.DataFrame:
    """One row per comment on a month of ``partners`` in ``years`` (empty: all years), by
    month, then oldest first: what the trend charts mark."""
    df = comments[comments["partner_code"].isin(partners)] if len(comments) else comments
    if df.empty:  # (a list mask of nothing would select no columns below)
        return pd.DataFrame(columns=NOTE_COLUMNS)
    df = df.assign(month=[_month(m) for m in df["month"]])
    if years:
        df = df[df["month"].map(lambda m: year_of(m, start) in years).astype(bool)]
    return df.sort_values(["month", "id"], kind="stable")[NOTE_COLUMNS].reset_index(drop=True)
