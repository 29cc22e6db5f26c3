"""Read a partner workbook (.xlsx, .xlsm, .ods, .xls) into plain Python rows.

The reader is the only place that touches the uploaded bytes. It

1. detects the format by content (magic bytes, ZIP members), not by file name;
2. guards against oversized files and ZIP bombs *before* any spreadsheet library sees
   the file: declared sizes, compression ratios, and a streaming decompression of every
   member that counts real bytes and checks each member's CRC, in 1 MiB chunks;
3. reads all sheets with python-calamine so that ``rows[i]`` is spreadsheet row ``i + 1``,
   with C0 control characters (NUL included; not tab and line breaks) removed from text;
4. for OOXML files, finds formula cells that were never calculated (no cached value).

Macros in .xlsm files are never run: calamine only reads cell data.
Every rejection is a :class:`~etl.core.errors.WorkbookRejected` with a plain German message.

This package module holds the public data types, the :func:`read_workbook` pipeline and the
calamine reading; the steps live in submodules (each imports only modules listed before it):

- :mod:`etl.intake.reader.messages`: German user-facing messages, number and size formatting;
- :mod:`etl.intake.reader.zipguard`: ZIP helpers, size and ZIP-bomb guards, streaming decompression;
- :mod:`etl.intake.reader.sniff`: format detection;
- :mod:`etl.intake.reader.ods`: the extent scan of .ods tables (repeated rows and columns, spaces);
- :mod:`etl.intake.reader.sharedstrings`: the text .xlsx cells expand to through shared strings;
- :mod:`etl.intake.reader.ooxml`: OOXML structure, extent scan and limits, the ZIP guard run
  (:func:`~etl.intake.reader.ooxml._guard_zip`), formulas without cached value;
- :mod:`etl.intake.reader.worker`: the child process with a memory budget in which
  :func:`read_workbook` runs steps 2-4, so that no file can take the calling process down
  (decision and measured cost in its docstring).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from itertools import chain

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum

from etl.core.errors import WorkbookRejected
from etl.intake.reader.messages import (
    ACCEPTED,
    ACCEPTED_EXTENSIONS,
    MSG_BOMB_RATIO,
    MSG_DAMAGED,
    MSG_EMPTY,
    MSG_PASSWORD,
    MSG_UNREADABLE,
    MSG_XLSB,
    RESAVE,
    MiB,
    _msg_too_large,
)
from etl.intake.reader.ooxml import MAX_CELLS, _check_extent, _formula_cells, _guard_zip
from etl.intake.reader.sniff import ODS_MIMETYPE, OLE2_MAGIC, sniff_format
from etl.intake.reader.worker import run_isolated
from etl.intake.reader.zipguard import CHUNK_SIZE, MAX_RATIO, MAX_ZIP_ENTRIES, ZIP_MAGIC, _open_zip

# Re-exported so that ``from etl.intake.reader import ...`` keeps working for every public name.
__all__ = [
    "ACCEPTED",
    "ACCEPTED_EXTENSIONS",
    "CHUNK_SIZE",
    "MAX_CELLS",
    "MAX_RATIO",
    "MAX_ZIP_ENTRIES",
    "MSG_BOMB_RATIO",
    "MSG_DAMAGED",
    "MSG_EMPTY",
    "MSG_PASSWORD",
    "MSG_UNREADABLE",
    "MSG_XLSB",
    "ODS_MIMETYPE",
    "OLE2_MAGIC",
    "RESAVE",
    "ZIP_MAGIC",
    "Cell",
    "MiB",
    "RawSheet",
    "RawWorkbook",
    "read_workbook",
    "read_workbook_here",
    "sniff_format",
]

# --- public data types --------------------------------------------------------------------

Cell = None | str | int | float | bool | dt.date | dt.datetime | dt.time


@dataclass
class RawSheet:
    """One sheet; ``rows[i]`` is spreadsheet row ``i + 1``; empty cells are None."""

    name: str
    rows: list[list[Cell]]
    # (row number 1-based, column index 0-based) of formula cells without a cached value
    formula_without_value: set[tuple[int, int]] = field(default_factory=set)


@dataclass
class RawWorkbook:
    file_format: str  # "xlsx" | "xlsm" | "ods" | "xls"
    sheets: list[RawSheet]

    def sheet(self, name: str) -> RawSheet | None:
        """The sheet called ``name``, ignoring case and surrounding spaces."""
        wanted = name.strip().casefold()
        return next((s for s in self.sheets if s.name.strip().casefold() == wanted), None)


# --- formula cells without cached value (OOXML) -------------------------------------------


def _attach_formula_cells(data: bytes, parts: dict[str, str], sheets: list[RawSheet]) -> None:
    by_name = {sheet.name: sheet for sheet in sheets}
    with _open_zip(data) as zf:
        for part, name in parts.items():
            if name not in by_name:
                continue
            try:
                with zf.open(part) as stream:
                    cells = _formula_cells(stream)
            except (ET.ParseError, ValueError, zipfile.BadZipFile, OSError) as exc:
                raise WorkbookRejected(MSG_DAMAGED) from exc
            by_name[name].formula_without_value = cells
            _cover(by_name[name].rows, cells)


def _cover(rows: list[list[Cell]], cells: set[tuple[int, int]]) -> None:
    """Extend ``rows`` with None so that every flagged cell exists in it.

    calamine leaves formula cells without value out of the used area, so such a cell may
    lie right of or below the rows read.
    """
    if not cells:
        return
    height = max(row for row, _ in cells)
    width = max(col for _, col in cells) + 1
    rows.extend([] for _ in range(height - len(rows)))
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))


# --- reading with calamine ----------------------------------------------------------------


@contextmanager
def _calamine_errors() -> Iterator[None]:
    """Turn anything calamine raises (including Rust panics) into a German rejection."""
    try:
        yield
    except PasswordError as exc:
        raise WorkbookRejected(MSG_PASSWORD) from exc
    except WorkbookRejected:
        raise
    except Exception as exc:
        raise WorkbookRejected(MSG_UNREADABLE) from exc
    except BaseException as exc:  # pyo3's PanicException derives from BaseException
        if type(exc).__name__ == "PanicException":
            raise WorkbookRejected(MSG_UNREADABLE) from exc
        raise


def _read_sheets(data: bytes, max_rows: int) -> list[RawSheet]:
    with _calamine_errors():
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        metadata = book.sheets_metadata
    try:
        return [_read_sheet(book, meta.name, meta.typ, max_rows) for meta in metadata]
    finally:
        book.close()


def _read_sheet(book: CalamineWorkbook, name: str, typ: object, max_rows: int) -> RawSheet:
    if typ != SheetTypeEnum.WorkSheet:  # chart and dialog sheets hold no cell data
        return RawSheet(name, [])
    with _calamine_errors():
        sheet = book.get_sheet_by_name(name)
        start, end = sheet.start, sheet.end
    if start is None or end is None:
        return RawSheet(name, [])
    _check_extent(name, end[0] + 1, end[1] + 1, max_rows)
    with _calamine_errors():
        rows = sheet.to_python(skip_empty_area=False)
    return RawSheet(name, _clean(_anchor_at_a1(rows, start, end)))


def _anchor_at_a1(rows: list[list], start: tuple[int, int], end: tuple[int, int]) -> list[list]:
    """Pad rows/columns in front if calamine returned only the used area (not from A1)."""
    top, left = start
    width = end[1] + 1
    if left and rows and len(rows[-1]) == width - left:
        rows = [[None] * left + row for row in rows]
    if top and len(rows) == end[0] + 1 - top:
        rows = [[None] * width for _ in range(top)] + rows
    return rows


# C0 control characters but tab, line feed and carriage return: invisible in a spreadsheet,
# not allowed in XML 1.0 (a file can carry them only escaped, e.g. _x0000_), and NUL cannot
# be stored in PostgreSQL at all.
_CONTROL_CHARS = "".join(chr(c) for c in range(32) if chr(c) not in "\t\n\r")
_CONTROLS = re.compile(f"[{re.escape(_CONTROL_CHARS)}]+")
_BLOCK = 4096  # rows whose texts are checked together (bounds the joined copy)


def _has_controls(cells: Iterable) -> bool:
    """Whether any text among ``cells`` holds a control character.

    All in C: the texts joined once, then one substring search per control character
    (measured faster than a regex, or a call per text, on a 100 k-row workbook).
    """
    joined = "".join(filter(str.__instancecheck__, cells))
    return any(c in joined for c in _CONTROL_CHARS)


def _without_controls(row: list) -> list:
    if not _has_controls(row):
        return row
    return [_CONTROLS.sub("", v) if isinstance(v, str) else v for v in row]


def _strip_controls(rows: list[list]) -> list[list]:
    """``rows`` with control characters removed from every text (the same list when none)."""
    out = rows
    for start in range(0, len(rows), _BLOCK):
        block = rows[start : start + _BLOCK]
        if _has_controls(chain.from_iterable(block)):  # rare: only then look at each row
            out = list(rows) if out is rows else out
            out[start : start + _BLOCK] = map(_without_controls, block)
    return out


def _clean(rows: list[list]) -> list[list[Cell]]:
    """Control characters are removed from texts; empty strings become None; trailing rows
    that are entirely empty are dropped."""
    rows = _strip_controls(rows)
    # "" in row runs in C: only rows that hold an empty string are copied (3x faster).
    cleaned = [
        [None if value == "" else value for value in row] if "" in row else row for row in rows
    ]
    while cleaned and all(value is None for value in cleaned[-1]):
        cleaned.pop()
    return cleaned


# --- entry point --------------------------------------------------------------------------


def read_workbook(
    data: bytes,
    file_name: str,
    *,
    max_bytes: int = 20 * MiB,
    max_unpacked_bytes: int = 200 * MiB,
    max_rows: int = 200_000,
) -> RawWorkbook:
    """Check and read an uploaded workbook in a child process with a memory budget
    (:mod:`etl.intake.reader.worker`); raise WorkbookRejected with a German message."""
    if len(data) > max_bytes:  # before the fork: an oversize body costs nothing more
        raise WorkbookRejected(_msg_too_large(max_bytes))
    limits = {"max_bytes": max_bytes, "max_unpacked_bytes": max_unpacked_bytes}
    return run_isolated(partial(read_workbook_here, data, file_name, **limits, max_rows=max_rows))


def read_workbook_here(
    data: bytes,
    file_name: str,
    *,
    max_bytes: int = 20 * MiB,
    max_unpacked_bytes: int = 200 * MiB,
    max_rows: int = 200_000,
) -> RawWorkbook:
    """:func:`read_workbook` in this process (the child's work; tests of the guards)."""
    if len(data) > max_bytes:
        raise WorkbookRejected(_msg_too_large(max_bytes))
    file_format = sniff_format(data, file_name)
    formula_parts: dict[str, str] = {}
    if file_format != "xls":
        formula_parts = _guard_zip(data, file_format, max_unpacked_bytes, max_rows)
    sheets = _read_sheets(data, max_rows)
    if formula_parts:
        _attach_formula_cells(data, formula_parts, sheets)
    return RawWorkbook(file_format, sheets)
