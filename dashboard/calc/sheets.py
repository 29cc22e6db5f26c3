"""Configured activity sheets (``[[activity_sheets]]``, etl.core.activity_sheets): their
measures against their targets, by month and by partner – the same rules as the built-in
activity measures (calc.activity: targets at partner x module x year, prorated by the
elapsed share of each year, attainment = actual ÷ target).

Values are exact integers: counts, and ``eur`` measures in cents (the query gives euros,
the targets of ``eur`` measures are configured in euros: both converted to cents here).
Numbers only, never German text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import activity, periods
from dashboard.calc.overview import Kpi
from dashboard.derived import with_year
from etl.core.config import NetworkConfig
from etl.core.normalise import round_cents

COLUMNS = ["partner_code", "month", "module", "sheet_key", "measure", "value"]


@dataclass(frozen=True)
class SheetView:
    """One configured sheet under the filters: a KPI per measure (value and target in the
    measure's unit), the monthly values (month, measure, value) and partner x measure
    attainment rows (calc.activity.partner_attainment)."""

    key: str
    kpis: dict[str, Kpi]
    monthly: pd.DataFrame
    partners: pd.DataFrame


def measure_units(config: NetworkConfig) -> dict[str, str]:
    """Configured measure key -> unit (``count`` or ``eur``)."""
    return {m.key: m.unit for s in config.activity_sheets for m in s.measures}


def target_value(target, unit: str) -> int:
    """A configured target in the stored unit (``eur`` targets are euros: cents here)."""
    return int(target) * 100 if unit == "eur" else int(target)


def targets_frame(config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x module x year of the network with the target of every
    configured measure (0 when none; ``eur`` in cents)."""
    units = measure_units(config)
    grid = activity.targets_frame(config)[list(activity.KEYS)]
    out = grid.copy()
    for key in units:
        out[key] = 0
    index = {k: i for i, k in enumerate(zip(*(grid[c] for c in activity.KEYS), strict=True))}
    for (p, m, y, measure), value in config.targets.items():
        i = index.get((p, m, y))
        if measure in units and i is not None:
            out.loc[i, measure] = target_value(value, units[measure])
    return out


def stored(value, unit: str) -> int:
    """A measure's value as an exact integer: euros (Decimal, as the query gives them) in
    cents, counts as they are."""
    return round_cents(Decimal(str(value))) if unit == "eur" else int(value)


def in_view(
    facts: pd.DataFrame, f: flt.Filters, as_of: date, units: dict[str, str], start: int = 1
) -> pd.DataFrame:
    """The rows of ``facts`` (etl.warehouse.queries.sheet_measures) counted under the filters
    at the Stand ``as_of``, with a ``year`` column (the project year, years starting in month
    ``start``) and integer values (``eur`` in cents; ``units``: :func:`measure_units`)."""
    if facts.empty:
        return pd.DataFrame(columns=[*COLUMNS, "year"])
    rows = flt.apply(with_year(periods.settled(facts, as_of), start=start), f)
    values = [stored(v, units[m]) for v, m in zip(rows["value"], rows["measure"], strict=True)]
    return rows.assign(value=values)


def wide(rows: pd.DataFrame, keys: list[str], measures: list[str]) -> pd.DataFrame:
    """Sums of ``rows`` (in_view) by ``keys`` with one integer column per measure."""
    if rows.empty:
        return pd.DataFrame(columns=[*keys, *measures])
    out = rows.pivot_table(
        index=keys, columns="measure", values="value", aggfunc="sum", fill_value=0
    )
    out = out.reindex(columns=measures, fill_value=0).astype("int64").reset_index()
    out.columns.name = None
    return out


def monthly(rows: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """One row per month x measure of ``measures`` with its sum (months ascending)."""
    part = rows[rows["measure"].isin(measures)] if not rows.empty else rows
    if part.empty:
        return pd.DataFrame(columns=["month", "measure", "value"])
    out = part.groupby(["month", "measure"], as_index=False)["value"].sum()
    out["month"] = pd.to_datetime(out["month"])
    return out.sort_values(["month", "measure"]).reset_index(drop=True)


def sheet_view(
    facts: pd.DataFrame, sheet, config: NetworkConfig, f: flt.Filters, as_of: date
) -> SheetView:
    """Everything shown for one configured ``sheet`` (an ActivitySheet) under the filters."""
    measures = [m.key for m in sheet.measures]
    mine = facts[facts["sheet_key"] == sheet.key] if not facts.empty else facts
    units = {m.key: m.unit for m in sheet.measures}
    rows = in_view(mine, f, as_of, units, config.year_start_month)
    targets = flt.apply(targets_frame(config), f)
    expected = activity.expected_by(targets, config, as_of, ["partner_code"], measures)
    actual = wide(rows, ["partner_code"], measures)
    kpis = {
        m: _kpi(m, int(actual[m].sum()) if len(actual) else 0, targets, expected) for m in measures
    }
    attain = activity.partner_attainment(actual, expected, tuple(measures))
    return SheetView(sheet.key, kpis, monthly(rows, measures), attain)


def _kpi(measure: str, value: int, targets: pd.DataFrame, expected: pd.DataFrame) -> Kpi:
    goal = sum(expected[measure], Fraction(0)) if len(expected) else Fraction(0)
    return Kpi(measure, value, value, int(targets[measure].sum()), goal)


def has_target(config: NetworkConfig, measure: str) -> bool:
    """Whether any partner has a target for the configured ``measure``."""
    return any(k[3] == measure and v for k, v in config.targets.items())


def views(facts: pd.DataFrame, config: NetworkConfig, f: flt.Filters, as_of: date) -> list:
    """(sheet, :class:`SheetView`) of every configured sheet (none without sheets)."""
    return [(s, sheet_view(facts, s, config, f, as_of)) for s in config.activity_sheets]


def behind(shown: list, config: NetworkConfig) -> pd.DataFrame | None:
    """Partner x configured measure rows more than the warn tolerance behind expectation
    (calc.activity.behind) of the sheets ``shown`` (:func:`views`); None without sheets."""
    if not shown:
        return None
    tolerance = config.rules.deviation_warn
    return pd.concat([activity.behind(v.partners, tolerance) for _s, v in shown], ignore_index=True)
