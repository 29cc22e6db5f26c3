"""AG Grid column filters as SQL conditions for the Daten grid: one filter model (text,
number or date; simple or combined) becomes one condition on one column. No grain: these
narrow the rows of :mod:`etl.warehouse.queries.records`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import String, and_, cast, func, or_

_TEXT_OPS = {
    "contains": lambda c, v: c.contains(v, autoescape=True),
    "notContains": lambda c, v: ~c.contains(v, autoescape=True),
    "equals": lambda c, v: c == v,
    "notEqual": lambda c, v: c != v,
    "startsWith": lambda c, v: c.startswith(v, autoescape=True),
    "endsWith": lambda c, v: c.endswith(v, autoescape=True),
}
_CMP_OPS = {
    "equals": lambda c, v: c == v,
    "notEqual": lambda c, v: c != v,
    "lessThan": lambda c, v: c < v,
    "lessThanOrEqual": lambda c, v: c <= v,
    "greaterThan": lambda c, v: c > v,
    "greaterThanOrEqual": lambda c, v: c >= v,
}


def _grid_condition(col, model: dict):
    """One AG Grid filter model (text, number or date; simple or combined) as SQL; None when
    it cannot be translated (ignored)."""
    if "conditions" in model:
        parts = [_grid_condition(col, m) for m in model["conditions"]]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return or_(*parts) if model.get("operator") == "OR" else and_(*parts)
    kind, op = model.get("filterType"), model.get("type")
    if op == "blank":
        return col.is_(None)
    if op == "notBlank":
        return col.is_not(None)
    if kind == "text" and op in _TEXT_OPS and model.get("filter") not in (None, ""):
        text = cast(col, String)
        return _TEXT_OPS[op](func.lower(text), str(model["filter"]).lower())
    if kind == "number" and model.get("filter") is not None:
        return _number_condition(col, op, model)
    if kind == "date" and model.get("dateFrom"):
        return _date_condition(col, op, model)
    return None


def _number_condition(col, op: str | None, model: dict):
    """A number filter (``filter``, ``filterTo`` for ranges) as SQL; None when unreadable."""
    try:
        value, to = Decimal(str(model["filter"])), model.get("filterTo")
    except ArithmeticError:
        return None
    if op == "inRange" and to is not None:
        return and_(col >= value, col <= Decimal(str(to)))
    return _CMP_OPS[op](col, value) if op in _CMP_OPS else None


def _date_condition(col, op: str | None, model: dict):
    """A date filter (``dateFrom``, ``dateTo`` for ranges) as SQL; None when unreadable."""
    try:
        start = date.fromisoformat(str(model["dateFrom"])[:10])
        end = date.fromisoformat(str(model.get("dateTo") or model["dateFrom"])[:10])
    except ValueError:
        return None
    d = func.substr(cast(col, String), 1, 10)  # dates and timestamps alike, as ISO text
    if op == "inRange":
        return and_(d >= start.isoformat(), d <= end.isoformat())
    return _CMP_OPS[op](d, start.isoformat()) if op in _CMP_OPS else None
