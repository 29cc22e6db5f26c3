"""Generic sheet reading: find the header row, match columns, parse every cell, locate errors.

A sheet module declares a :class:`SheetSpec`; :func:`parse_sheet` returns the parsed rows
(dicts keyed by the contract's column names, plus ``_row``, the spreadsheet row number)
together with every error and notice found on the way.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from etl.core.errors import Issue
from etl.core.normalise import CellError, clean_text, de_number, header_key
from etl.intake.reader import RawSheet

if TYPE_CHECKING:
    from sqlalchemy import Column

Parser = Callable[[object], object]


def text(value: object) -> str:
    """A non-empty text cell, whitespace folded."""
    return clean_text(value)


@dataclass(frozen=True)
class Col:
    """A contract column: its header, how to parse a cell, whether a value is required.

    ``stored_as`` is the warehouse column the value is written to; a text longer than that
    column's length is an error at the cell (the schema is the one source of the limit).
    ``length``: the limit of a text stored without a column of its own (configured sheets).
    """

    name: str
    parse: Parser = text
    required: bool = True
    header_required: bool = True
    aliases: tuple[str, ...] = ()
    stored_as: Column | None = None
    length: int | None = None

    def header_keys(self) -> set[str]:
        return {header_key(self.name), *(header_key(a) for a in self.aliases)}

    @property
    def max_length(self) -> int | None:
        """Most characters the warehouse column holds (None: no limit)."""
        if self.length is not None:
            return self.length
        return None if self.stored_as is None else getattr(self.stored_as.type, "length", None)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    columns: tuple[Col, ...]


@dataclass
class ParsedSheet:
    """Rows of one sheet as dicts (contract column names, plus ``_row``), with located issues."""

    name: str
    rows: list[dict] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    notices: list[Issue] = field(default_factory=list)
    header_row: int | None = None


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_row(sheet: RawSheet) -> int | None:
    for index, row in enumerate(sheet.rows):
        if not all(is_blank(v) for v in row):
            return index
    return None


def _match_columns(spec: SheetSpec, headers: list[object], out: ParsedSheet) -> dict[str, int]:
    """Map contract column name -> column index; records missing, duplicate and extra columns."""
    by_key = {key: col for col in spec.columns for key in col.header_keys()}
    found: dict[str, int] = {}
    for index, raw in enumerate(headers):
        if is_blank(raw):
            continue
        col = by_key.get(header_key(raw))
        if col is None:
            out.notices.append(
                Issue(
                    spec.name, out.header_row, clean_text(raw), "Zusätzliche Spalte wird ignoriert."
                )
            )
        elif col.name in found:
            out.errors.append(
                Issue(
                    spec.name,
                    out.header_row,
                    col.name,
                    f"Die Spalte '{col.name}' kommt doppelt vor. Bitte eine der beiden löschen.",
                )
            )
        else:
            found[col.name] = index
    for col in spec.columns:
        if col.name not in found and col.header_required:
            out.errors.append(
                Issue(
                    spec.name,
                    out.header_row,
                    col.name,
                    f"Die Spalte '{col.name}' fehlt. Bitte die Überschrift in Zeile "
                    f"{out.header_row} ergänzen (siehe Vorlage).",
                )
            )
    return found


def _formula_error(sheet: str, row: int, col: str) -> Issue:
    return Issue(
        sheet,
        row,
        col,
        "Die Zelle enthält eine Formel ohne berechneten Wert. Bitte die Datei in Excel oder "
        "LibreOffice öffnen, neu berechnen und speichern, oder den Wert direkt eintragen.",
    )


def _too_long(sheet: str, row: int, col: str, limit: int, length: int) -> Issue:
    return Issue(
        sheet,
        row,
        col,
        f"Text zu lang: höchstens {de_number(limit)} Zeichen erlaubt, hier {de_number(length)}. "
        "Bitte kürzen.",
    )


def _blank_row(cells: list) -> bool:
    """Whether every cell is blank (:func:`is_blank`), stopping at the first that is not."""
    for value in cells:
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return False
    return True


def _cell_plan(spec: SheetSpec, found: dict[str, int]) -> list[tuple]:
    """Per present column: name, index, parser, required, and ``limit`` (None for parsed
    values, else the text's most characters)."""
    return [
        (
            col.name,
            found[col.name],
            clean_text if col.parse is text else col.parse,
            col.required,
            (col.max_length or sys.maxsize) if col.parse is text else None,
        )
        for col in spec.columns
        if col.name in found
    ]


def parse_sheet(spec: SheetSpec, sheet: RawSheet) -> ParsedSheet:
    """Parse every non-empty row below the header row of ``sheet`` according to ``spec``."""
    out = ParsedSheet(spec.name)
    start = _header_row(sheet)
    if start is None:
        return out  # no header, no rows: nothing to report this month
    out.header_row = start + 1
    found = _match_columns(spec, sheet.rows[start], out)
    if any(e.row == out.header_row for e in out.errors):
        return out  # without the right columns, cell errors would only be noise
    # One pass over the cells (formula without value, blank, parse, text length, text of only
    # invisible characters); this loop runs for every cell of an upload (100 k rows: 600 k
    # cells), so it avoids calls.
    plan = _cell_plan(spec, found)
    absent = [col.name for col in spec.columns if col.name not in found]
    bad_formulas = sheet.formula_without_value
    name, errors, rows = spec.name, out.errors, out.rows
    for index in range(start + 1, len(sheet.rows)):
        cells = sheet.rows[index]
        if _blank_row(cells):
            continue
        row_no = index + 1
        width = len(cells)
        parsed: dict = {"_row": row_no}
        for col_name, ci, parse, required, limit in plan:
            if bad_formulas and (row_no, ci) in bad_formulas:
                errors.append(_formula_error(name, row_no, col_name))
                parsed[col_name] = None
                continue
            value = cells[ci] if ci < width else None
            if isinstance(value, str) and not value.strip():
                value = None
            elif value is not None:
                try:
                    value = parse(value)
                except CellError as exc:
                    errors.append(Issue(name, row_no, col_name, str(exc)))
                    parsed[col_name] = None
                    continue
                if limit is not None and not 0 < len(value) <= limit:
                    if value:
                        errors.append(_too_long(name, row_no, col_name, limit, len(value)))
                        parsed[col_name] = None
                        continue
                    value = None  # only invisible characters: empty
            if value is None and required:
                errors.append(
                    Issue(name, row_no, col_name, f"'{col_name}' ist leer. Bitte ausfüllen.")
                )
            parsed[col_name] = value
        for col_name in absent:
            parsed[col_name] = None
        rows.append(parsed)
    return out


def complete(row: dict, *names: str) -> bool:
    """True when every named value of a parsed row is present (parsed without error)."""
    return all(row.get(n) is not None for n in names)
