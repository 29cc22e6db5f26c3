"""Configured activity sheets (``[[activity_sheets]]``, :mod:`etl.core.activity_sheets`): the
generic contract of a sheet a network adds without code, e.g. ``Beratungsgutscheine``.

:func:`spec` turns the configured columns into engine columns (typed parsing, text
lengths); :func:`check` applies the row rules: dates in the reporting month, integer and
money bounds, and the configured unique key within the sheet. Rules across months
(``unique``, ``follows``) live in :mod:`etl.intake.crosscheck_sheets`.
"""

from __future__ import annotations

from decimal import Decimal

from etl.core.activity_sheets import ActivitySheet, Column
from etl.core.errors import Issue
from etl.core.money import format_eur
from etl.core.normalise import (
    CellError,
    clean_text,
    de_number,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money_cents,
    parse_plz,
    round_cents,
)
from etl.intake.contract.context import Context, bound
from etl.intake.contract.engine import Col, ParsedSheet, SheetSpec, text
from etl.intake.contract.limits import MAX_SHEET_INTEGER, MAX_SHEET_MONEY_CENTS, within


def _money(value: object) -> Decimal:
    """Euros with at most two decimals, within ±MAX_SHEET_MONEY_CENTS (checked before the
    rounding to the cent)."""
    if abs(parse_decimal(value)) * 100 > MAX_SHEET_MONEY_CENTS:
        raise CellError(
            f"Der Betrag ist zu hoch: höchstens {format_eur(MAX_SHEET_MONEY_CENTS)}. "
            "Bitte prüfen."
        )
    return Decimal(parse_money_cents(value)) / 100


def _integer(value: object) -> int:
    number = parse_int(value)
    if abs(number) > MAX_SHEET_INTEGER:
        raise CellError(f"Die Zahl ist zu groß: höchstens {de_number(MAX_SHEET_INTEGER)}.")
    return number


def _parser(col: Column, ctx: Context):
    if col.type == "choice":
        return lambda v: parse_choice(v, col.choices, col.name)
    return {
        "date": parse_date,
        "integer": _integer,
        "money": _money,
        "module": ctx.module,
        "plz": parse_plz,
    }.get(col.type, text)


def spec(sheet: ActivitySheet, ctx: Context) -> SheetSpec:
    """The engine's columns of a configured sheet (texts bounded by their length)."""
    columns = []
    for c in sheet.columns:
        parse = _parser(c, ctx)
        length = c.max_length if parse is text else None
        columns.append(Col(c.name, parse, required=c.required, length=length))
    return SheetSpec(sheet.sheet, tuple(columns))


def shown(col: Column, value: Decimal | int) -> str:
    """A bound of ``col`` as messages and the template show it: 1.234,56 € or 1.234."""
    if col.type == "money":
        return format_eur(round_cents(value))
    return de_number(value)


def _bounds(sheet: ActivitySheet, row: dict) -> list[Issue]:
    issues: list[Issue] = []
    for col in sheet.columns:
        if col.type not in ("integer", "money") or row.get(col.name) is None:
            continue
        value = row[col.name]
        issues += bound(
            sheet.sheet, row, col.name, within(value, col.low, col.high),
            f"'{col.name}' muss zwischen {shown(col, col.low)} und {shown(col, col.high)} "
            f"liegen (eingetragen: {shown(col, value)}).",
        )
    return issues


def unique_key(sheet: ActivitySheet, row: dict) -> tuple | None:
    """The row's value of the sheet's ``unique`` columns (texts folded), None when a value
    is missing or the sheet has no unique key."""
    if not sheet.unique or any(row.get(n) is None for n in sheet.unique):
        return None
    return tuple(clean_text(row[n]).casefold() if isinstance(row[n], str) else row[n]
                 for n in sheet.unique)


def _repeats(sheet: ActivitySheet, parsed: ParsedSheet) -> list[Issue]:
    """A unique key twice in the sheet: an error at the later row."""
    seen: dict[tuple, int] = {}
    issues = []
    for row in parsed.rows:
        key = unique_key(sheet, row)
        if key is None:
            continue
        if key in seen:
            issues.append(Issue(
                sheet.sheet, row["_row"], sheet.unique[0],
                f"Diese Kombination ({', '.join(sheet.unique)}) steht schon in Zeile "
                f"{seen[key]}. Jede darf nur einmal vorkommen.",
            ))
        else:
            seen[key] = row["_row"]
    return issues


def check(sheet: ActivitySheet, parsed: ParsedSheet, ctx: Context) -> list[Issue]:
    """Row rules: dates in the reporting month (``in_month`` columns), integer and money
    bounds, the unique key once within the sheet."""
    issues: list[Issue] = []
    months = [c.name for c in sheet.columns if c.in_month]
    for row in parsed.rows:
        issues += [i for c in months if (i := ctx.outside_month(sheet.sheet, row, c))]
        issues += _bounds(sheet, row)
    return issues + _repeats(sheet, parsed)
