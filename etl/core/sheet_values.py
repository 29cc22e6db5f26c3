"""The values of a configured activity sheet's row as stored (``sheet_rows.values_json``):
JSON text, column name -> value; dates as ISO text, money (euros) and integers as decimal
text, so nothing passes through a float. :func:`decode` gives the typed values back (by the
column types of :class:`etl.core.activity_sheets.ActivitySheet`)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from etl.core.activity_sheets import ActivitySheet


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return str(value)
    return value


def encode(sheet: ActivitySheet, values: dict) -> str:
    """JSON text of a row's values (only the sheet's columns, in their order)."""
    return json.dumps(
        {c.name: _plain(values.get(c.name)) for c in sheet.columns},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _typed(kind: str, value: object) -> object:
    if value is None:
        return None
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "money":
        return Decimal(value)
    if kind == "integer":
        return int(value)
    return value


def decode(sheet: ActivitySheet, text: str) -> dict:
    """The typed values of a stored row (None for a column it does not hold)."""
    raw = json.loads(text)
    return {c.name: _typed(c.type, raw.get(c.name)) for c in sheet.columns}
