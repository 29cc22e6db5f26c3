"""Activity KPIs: counts by partner, module, year and month; targets, attainment, SME share."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from dashboard.calc.periods import year_elapsed

# The event-format frame is cached by dashboard.data, so it lives below both (re-exported).
from dashboard.derived import event_formats as event_formats
from dashboard.derived import with_year as with_year
from etl.core.config import TARGET_MEASURES, NetworkConfig, Rules

COUNTS = ("events", "participants", "coachings")
MEASURES = (*COUNTS, "companies")
KEYS = ("partner_code", "module", "year")


def activity_months(facts: pd.DataFrame) -> pd.DataFrame:
    """One row per partner x month x module: events, participants, coachings (int) and hours."""
    cols = ["partner_code", "month", "year", "module"]
    part = facts[facts["measure"].isin([*COUNTS, "coaching_hours"])] if not facts.empty else facts
    if part.empty:
        return pd.DataFrame(columns=[*cols, *COUNTS, "coaching_hours"])
    wide = part.pivot_table(
        index=cols, columns="measure", values="value", aggfunc="sum", fill_value=Decimal(0)
    ).reset_index()
    for measure in COUNTS:
        wide[measure] = [int(v) for v in wide[measure]] if measure in wide else 0
    hours = wide["coaching_hours"] if "coaching_hours" in wide else [Decimal(0)] * len(wide)
    wide["coaching_hours"] = [Decimal(v) for v in hours]
    wide.columns.name = None
    return wide[[*cols, *COUNTS, "coaching_hours"]]


def group_codes(frame: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, list, list[int]]:
    """One int64 group id per row of ``frame`` for the columns ``keys`` (mixed radix of the
    columns' sorted codes; categoricals cost nothing), the columns' values and their sizes."""
    gid = np.zeros(len(frame), dtype=np.int64)
    values, sizes = [], []
    for key in keys:
        col = frame[key]
        if col.dtype.kind in "iu" and len(col):  # small integer range (years): no hashing
            low = int(col.min())
            codes, uniques = col.to_numpy() - low, np.arange(low, int(col.max()) + 1)
        else:
            codes, uniques = pd.factorize(col, sort=True)
        n = max(len(uniques), 1)
        gid = gid * n + codes
        values.append(uniques)
        sizes.append(n)
    return gid, values, sizes


def _decode(gids: np.ndarray, keys: list[str], values: list, sizes: list[int]) -> dict:
    out, rest = {}, gids.copy()
    for key, vals, n in zip(reversed(keys), reversed(values), reversed(sizes), strict=True):
        out[key] = np.asarray(vals, dtype=object)[rest % n] if len(vals) else rest[:0]
        rest = rest // n
    return {k: out[k] for k in keys}


def distinct_counts(frame: pd.DataFrame, keys: list[str], column: str) -> pd.DataFrame:
    """Distinct values of ``column`` per group of ``keys`` (one pass in numpy, no per-group
    Python): columns ``keys`` and ``n``."""
    if frame.empty:
        return pd.DataFrame(columns=[*keys, "n"])
    gid, values, sizes = group_codes(frame, keys)
    if frame.attrs.get("unique_by") == [*keys, column]:
        first = np.ones(len(frame), dtype=bool)  # one row per group and value already
    else:
        item = frame[column].to_numpy()
        if item.dtype.kind not in "iu" or item.min() < 0:
            item, _ = pd.factorize(frame[column])
        first = ~pd.Series(gid * (int(item.max()) + 1) + item).duplicated().to_numpy()
    counts = np.bincount(gid[first], minlength=int(np.prod(sizes)))
    groups = np.flatnonzero(counts)
    out = pd.DataFrame(_decode(groups, keys, values, sizes))
    out["n"] = counts[groups].astype(int)
    return out


def totals(months: pd.DataFrame, reach: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Sums of the counts by ``keys`` (a subset of partner_code, module, year), with the number
    of distinct companies reached in each group."""
    sums = (
        months.groupby(keys, as_index=False, observed=True)[[*COUNTS, "coaching_hours"]].sum()
        if not months.empty
        else pd.DataFrame(columns=[*keys, *COUNTS, "coaching_hours"])
    )
    comp = distinct_counts(reach, keys, "company_id").rename(columns={"n": "companies"})
    for key in keys:  # same key types on both sides (categoricals compare as their values)
        sums[key] = sums[key].astype(object)
        comp[key] = comp[key].astype(object)
    out = sums.merge(comp, on=keys, how="outer")
    for measure in (*COUNTS, "companies"):
        out[measure] = out[measure].fillna(0).astype(int)
    out["coaching_hours"] = [
        Decimal(0) if pd.isna(v) else Decimal(v) for v in out["coaching_hours"]
    ]
    return out.sort_values(keys).reset_index(drop=True)


_TARGETS: dict[tuple, pd.DataFrame] = {}


def config_key(config: NetworkConfig) -> tuple:
    """What the activity targets depend on, as a hashable key (the pages get a new
    configuration object per request; its content rarely changes)."""
    return (
        config.partner_codes,
        config.modules,
        config.years,
        tuple(config.targets.items()),
    )


# The last targets seen, by identity: (targets dict, partners, modules, years, frame). The
# pages get the same configuration object while the plan is unchanged (dashboard.planning),
# so hashing every target again (~100 k at 240 partners) is skipped.
_LAST: list[tuple] = []


def targets_frame(config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x module x year with the target of every measure (0 when none).

    Built once per configuration content (do not modify the frame returned)."""
    head = (config.partner_codes, config.modules, config.years)
    for targets, *last_head, frame in _LAST:
        if targets is config.targets and tuple(last_head) == head:
            return frame
    key = config_key(config)
    hit = _TARGETS.get(key)
    if hit is not None:
        _LAST[:] = [(config.targets, *head, hit)]
        return hit
    partners, modules, years = key[:3]
    pos = {
        (p, m, y): i
        for i, (p, m, y) in enumerate((p, m, y) for p in partners for m in modules for y in years)
    }
    values = {k: np.zeros(len(pos), dtype=np.int64) for k in TARGET_MEASURES}
    for (p, m, y, k), v in config.targets.items():
        i = pos.get((p, m, y))
        if i is not None and k in values:
            values[k][i] = int(v)
    frame = pd.DataFrame(
        {
            "partner_code": np.repeat(
                np.asarray(partners, dtype=object), len(modules) * len(years)
            ),
            "module": np.tile(
                np.repeat(np.asarray(modules, dtype=object), len(years)), len(partners)
            ),
            "year": np.tile(np.asarray(years, dtype=np.int64), len(partners) * len(modules)),
            **values,
        },
        columns=[*KEYS, *TARGET_MEASURES],
    )
    if len(_TARGETS) > 8:
        _TARGETS.clear()
    _TARGETS[key] = frame
    _LAST[:] = [(config.targets, *head, frame)]
    return frame


def attainment(actual: int | Decimal, target: int | Decimal | Fraction) -> Fraction | None:
    """Actual as a share of target (1 = 100 %); None when there is no target."""
    if not target or target <= 0:
        return None
    return Fraction(actual) / Fraction(target)


def prorated_targets(targets: pd.DataFrame, config: NetworkConfig, as_of: date) -> pd.DataFrame:
    """``targets`` with each year's values scaled to the share of that year elapsed by ``as_of``
    (exact fractions): what should have been reached by now."""
    out = targets.copy()
    shares = {y: year_elapsed(config, y, as_of) for y in config.years}
    for measure in TARGET_MEASURES:
        out[measure] = [
            Fraction(v) * shares[int(y)] for v, y in zip(out[measure], out["year"], strict=True)
        ]
    return out


def expected_by(
    targets: pd.DataFrame,
    config: NetworkConfig,
    as_of: date,
    keys: list[str],
    measures: list[str] | None = None,
) -> pd.DataFrame:
    """:func:`prorated_targets` summed by ``keys`` (exact fractions), from integer sums per
    group and year: one Fraction per group and measure, not one per target row (``measures``:
    the target columns, default the built-in ones)."""
    shares = {y: year_elapsed(config, y, as_of) for y in config.years}
    denom = math.lcm(*(s.denominator for s in shares.values())) if shares else 1
    weights = {y: int(s * denom) for y, s in shares.items()}
    measures = list(TARGET_MEASURES) if measures is None else list(measures)
    if targets.empty:
        return pd.DataFrame(columns=[*keys, *measures])
    w = np.array([weights.get(int(y), 0) for y in targets["year"]], dtype=object)
    scaled = pd.DataFrame({k: targets[k].to_numpy() for k in keys})
    for m in measures:
        scaled[m] = targets[m].to_numpy(dtype=np.int64).astype(object) * w
    out = scaled.groupby(keys, sort=False, as_index=False)[measures].sum()
    for m in measures:
        out[m] = [Fraction(int(v), denom) for v in out[m]]
    return out


def first_months(reach: pd.DataFrame) -> pd.DataFrame:
    """One row per partner x module x year x company (the targets' grain for companies), with
    the month it was first reached in that group."""
    cols = ["partner_code", "module", "year", "company_id", "month"]
    if reach.empty:
        return pd.DataFrame(columns=cols)
    if "month" in reach:  # precomputed by the loader (first day of the activity's month)
        frame = reach
    else:
        month = pd.to_datetime(reach["activity_date"]).dt.to_period("M").dt.to_timestamp()
        frame = reach.assign(month=month)
    return frame.groupby(cols[:4], as_index=False, observed=True)["month"].min()[cols]


def monthly_by_partner(months: pd.DataFrame, reach: pd.DataFrame, measure: str) -> pd.DataFrame:
    """One row per month x partner with the month's value of ``measure``; companies are counted
    in the month first reached per partner x module x year, so they add up to the targets'
    grain."""
    source = first_months(reach).assign(companies=1) if measure == "companies" else months
    if source.empty:
        return pd.DataFrame(columns=["month", "partner_code", "value"])
    out = source.groupby(["month", "partner_code"], as_index=False, observed=True)[measure].sum()
    out[measure] = out[measure].astype(int)
    return out.rename(columns={measure: "value"}).sort_values(["month", "partner_code"])


def monthly_target(
    targets: pd.DataFrame, config: NetworkConfig, measure: str, years: tuple[int, ...]
) -> pd.Series:
    """Target of one measure spread evenly over the project months of each of ``years``
    (exact fractions, indexed by month)."""
    per_year = targets.groupby("year")[measure].sum()
    months = [m for m in config.months() if config.year_of(m) in years]
    out = {}
    for month in months:
        year = config.year_of(month)
        n = len(config.year_months(year))
        out[pd.Timestamp(month)] = Fraction(int(per_year.get(year, 0)), n)
    return pd.Series(out, dtype=object)


def partner_attainment(
    actual: pd.DataFrame, expected: pd.DataFrame, measures: tuple[str, ...] = MEASURES
) -> pd.DataFrame:
    """One row per partner x measure: actual, expected by now, attainment (None if no target)."""
    cols = ["partner_code", "measure", "actual", "expected", "attainment"]
    exp = expected.groupby("partner_code", sort=False, observed=True)[list(measures)].sum()
    if exp.empty:
        return pd.DataFrame(columns=cols)
    act = (
        actual.groupby("partner_code", observed=True)[list(measures)]
        .sum()
        .reindex(exp.index, fill_value=0)
    )
    n = len(measures)
    values = [int(v) for v in act.to_numpy().ravel()]
    goals = list(exp.to_numpy().ravel())
    return pd.DataFrame(
        {
            "partner_code": np.repeat(np.asarray(exp.index, dtype=object), n),
            "measure": list(measures) * len(exp),
            "actual": values,
            "expected": goals,
            "attainment": [attainment(v, g) for v, g in zip(values, goals, strict=True)],
        },
        columns=cols,
    )


def attainment_flag(share: Fraction | None, rules: Rules) -> str:
    """'ok' within the warn tolerance of expectation, 'warn' within the flag tolerance, else
    'flag'; 'none' without a target."""
    if share is None:
        return "none"
    if share >= 1 - Fraction(rules.deviation_warn):
        return "ok"
    return "warn" if share >= 1 - Fraction(rules.deviation_flag) else "flag"


def behind(attain: pd.DataFrame, tolerance: Decimal) -> pd.DataFrame:
    """Rows of :func:`partner_attainment` more than ``tolerance`` (0.15) behind expectation."""
    limit = 1 - Fraction(tolerance)
    mask = [a is not None and a < limit for a in attain["attainment"]]
    return attain[mask].reset_index(drop=True)


def format_counts(events: pd.DataFrame, formats: tuple[str, ...]) -> dict[str, int]:
    """Events per format (in the order of ``formats``): rows of ``events`` or, with a column
    ``n`` (see event_formats), their sum."""
    if events.empty:
        counts = {}
    elif "n" in events:
        counts = events.groupby("format")["n"].sum()
    else:
        counts = events["format"].value_counts()
    return {name: int(counts.get(name, 0)) for name in formats}


def others_label(n: int) -> str:
    return f"Weitere ({n} Partner)"


def top_partners(
    frame: pd.DataFrame, value: str, partners: tuple[str, ...], limit: int = 12
) -> tuple[list[str], str | None, pd.DataFrame]:
    """With more than ``limit`` partners: the ``limit`` largest by ``value`` (largest first)
    and the rows of all others under one label; otherwise all partners, unchanged."""
    if len(partners) <= limit:
        return list(partners), None, frame
    sums = frame.groupby("partner_code", observed=True)[value].sum()
    rank = {p: i for i, p in enumerate(partners)}
    shown = sorted(partners, key=lambda p: (-int(sums.get(p, 0)), rank[p]))[:limit]
    label = others_label(len(partners) - limit)
    codes = frame["partner_code"].astype(object)
    return shown, label, frame.assign(partner_code=codes.where(codes.isin(shown), label))


# --- distinct companies against the distinct-companies targets ------------------------------


def unique_by_partner(reach: pd.DataFrame) -> dict[str, int]:
    """Distinct companies reached per partner (each partner's own count)."""
    if reach.empty:
        return {}
    counts = distinct_counts(reach, ["partner_code"], "company_id")
    return {str(p): int(n) for p, n in zip(counts["partner_code"], counts["n"], strict=True)}


def unique_reached(
    reach: pd.DataFrame, config: NetworkConfig, partners: tuple[str, ...]
) -> tuple[int, int | None, bool]:
    """(distinct companies, their target or None, whether counted per partner) for the
    ``partners`` chosen: all partners (the network) count each company once across partners
    against ``network_unique_target``; one partner its own against its target; several (not
    all) partners the sum of each one's own against the sum of their targets."""
    if set(partners) >= set(config.partner_codes):
        value = int(reach["company_id"].nunique()) if not reach.empty else 0
        return value, config.network_unique_target, False
    mine = unique_by_partner(reach)
    targets = config.unique_company_targets
    value = sum(mine.get(p, 0) for p in partners)
    target = sum(targets[p] for p in partners) if all(p in targets for p in partners) else None
    return value, target, len(partners) > 1
