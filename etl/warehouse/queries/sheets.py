"""Configured activity sheets (``[[activity_sheets]]``, :mod:`etl.core.activity_sheets`):
their measures and their rows. The interface the dashboard reads:

- :func:`sheet_measures` (engine, config): one row per partner x month x module x sheet x
  measure, from ``fact_monthly`` (money converted from cents to euros);
- :func:`sheet_rows` (engine, sheet_key, partners=None): one row per current row of a sheet,
  with one column per configured column.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from sqlalchemy import Engine, select

from etl.core.activity_sheets import sheet_measures as measures_of
from etl.core.config import NetworkConfig
from etl.core.sheet_values import decode
from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _frame

MEASURE_COLUMNS = ["partner_code", "month", "module", "sheet_key", "measure", "value"]
ROW_COLUMNS = ["record_id", "partner_code", "month", "activity_date", "module", "company_name"]
CENT = Decimal("0.01")


def _value(unit: str, value: object) -> Decimal | int:
    number = Decimal(str(value))
    return (number / 100).quantize(CENT) if unit == "eur" else int(number)


def sheet_measures(engine: Engine, config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x month x module x configured measure with a value (current
    uploads only): ``partner_code``, ``month`` (date, first day), ``module`` ('' when the
    sheet has no module column), ``sheet_key``, ``measure``, ``value`` (int for a ``count``
    measure, Decimal euros for an ``eur`` one). Empty (with these columns) when the network
    configures no sheet."""
    known = measures_of(config.activity_sheets)
    if not known:
        return pd.DataFrame([], columns=MEASURE_COLUMNS)
    f = s.fact_monthly
    stmt = (
        select(f.c.partner_code, f.c.month, f.c.module, f.c.measure, f.c.value)
        .where(f.c.measure.in_(sorted(known)))
        .order_by(f.c.partner_code, f.c.month, f.c.module, f.c.measure)
    )
    df = _frame(engine, stmt)
    if df.empty:
        return pd.DataFrame([], columns=MEASURE_COLUMNS)
    df["sheet_key"] = [known[m][0].key for m in df["measure"]]
    df["value"] = [_value(known[m][1].unit, v) for m, v in zip(df["measure"], df["value"],
                                                                strict=True)]
    return df[MEASURE_COLUMNS]


def sheet_rows(
    engine: Engine,
    sheet_key: str,
    partners: Sequence[str] | None = None,
    *,
    config: NetworkConfig | None = None,
) -> pd.DataFrame:
    """One row per current row of the configured sheet ``sheet_key``: ``record_id``,
    ``partner_code``, ``month``, ``activity_date`` (dates), ``module`` (None without a
    module column), ``company_name`` (the company column's value, or None), then one column
    per configured column named as its header (typed: dates, Decimal euros, int, text).
    Ordered by partner, month, sheet row. ``config`` defaults to the configuration in force;
    KeyError for a sheet key it does not configure."""
    if config is None:
        from etl.core.config import get_config

        config = get_config()
    sheet = next((a for a in config.activity_sheets if a.key == sheet_key), None)
    if sheet is None:
        raise KeyError(sheet_key)
    t = s.sheet_rows
    stmt = _current(t).with_only_columns(
        t.c.record_id, t.c.partner_code, t.c.month, t.c.activity_date, t.c.module,
        t.c.values_json,
    ).where(t.c.sheet_key == sheet_key)
    if partners:
        stmt = stmt.where(t.c.partner_code.in_(list(partners)))
    df = _frame(engine, stmt.order_by(t.c.partner_code, t.c.month, t.c.source_row))
    names = [c.name for c in sheet.columns]
    if df.empty:
        return pd.DataFrame([], columns=ROW_COLUMNS + names)
    values = [decode(sheet, text) for text in df.pop("values_json")]
    company = sheet.of_type("company")
    df["company_name"] = [v[company.name] if company else None for v in values]
    for name in names:
        df[name] = [v[name] for v in values]
    return df[ROW_COLUMNS + names]
