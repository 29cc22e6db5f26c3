"""The Daten grid of a configured activity sheet (``[[activity_sheets]]``): one column per
configured column, typed like the built-in datasets' columns (dates, money in cents, whole
numbers, text), and its rows as JSON. Configured headers may hold dots ("Gutschein-Nr."),
which AG Grid reads as paths, so the fields are ``c0``, ``c1``, …"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard.views.grids import (
    PARTNER_COLUMN,
    date_col,
    json_rows,
    money_col,
    month_col,
    number_col,
    text_col,
)
from etl.core.normalise import round_cents

# IDs often carry the partner code ("HANNOVER-IMP-G0001"): wider than the built-in ID column
WIDTH = {
    "id": 210,
    "date": 125,
    "integer": 130,
    "money": 150,
    "choice": 140,
    "module": 170,
    "plz": 95,
}


def field(index: int) -> str:
    """The grid field of the sheet's ``index``-th configured column."""
    return f"c{index}"


def _column(index: int, col) -> dict:
    name, kind, width = field(index), col.type, WIDTH.get(col.type)
    if kind == "date":
        return date_col(name, col.name, width=width)
    if kind == "money":
        return money_col(name, col.name, width=width)
    if kind == "integer":
        return number_col(name, col.name, width=width)
    if width:
        return text_col(name, col.name, width=width)
    return text_col(name, col.name, minWidth=220, flex=1)


def columns(sheet) -> list[dict]:
    """Partner, Berichtsmonat and the configured columns; sorted in the browser's request,
    filtered by the page's filters and drill-down keys (no column filters: the rows are
    narrowed on the server without SQL)."""
    cols = [PARTNER_COLUMN, month_col(width=165)]
    cols += [_column(i, c) for i, c in enumerate(sheet.columns)]
    return [{**c, "filter": False, "floatingFilter": False} for c in cols]


def sort_column(sheet, grid_field: str) -> str | None:
    """The frame column behind a grid field (None for an unknown one)."""
    if grid_field in ("partner_code", "month"):
        return grid_field
    names = {field(i): c.name for i, c in enumerate(sheet.columns)}
    return names.get(grid_field)


def _cents(value) -> int | None:
    return None if value is None or pd.isna(value) else round_cents(Decimal(str(value)))


def rows(sheet, frame: pd.DataFrame) -> list[dict]:
    """JSON rows of the grid from ``frame`` (etl.warehouse.queries.sheet_rows): money in
    cents, dates ISO."""
    shown = frame[["partner_code", "month"]].copy()
    for i, col in enumerate(sheet.columns):
        values = frame[col.name]
        shown[field(i)] = [_cents(v) for v in values] if col.type == "money" else values
    return json_rows(shown, list(shown.columns))
