"""OOXML (.xlsx, .xlsm) structure: which part is which sheet, extent, uncalculated formulas.

- :func:`_worksheet_parts` maps worksheet parts to sheet names via the relationships;
- :class:`_SheetScan` finds, while the ZIP guard streams a worksheet part, how far its
  cells with content reach and whether it contains any formula;
- :func:`_check_extent` enforces the row and cell limits (also on calamine's dimensions);
- :func:`_guard_zip` runs all ZIP guards for .xlsx/.xlsm/.ods, with the extent scan for
  OOXML and for .ods (:mod:`etl.intake.reader.ods`), so that no sheet can make calamine
  allocate more than :data:`MAX_CELLS` cells, and the shared-string text check
  (:mod:`etl.intake.reader.sharedstrings`);
- :func:`_formula_cells` lists formula cells that were never calculated (no cached value).
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from array import array
from functools import lru_cache
from operator import itemgetter

from etl.core.errors import WorkbookRejected
from etl.intake.reader.messages import _msg_too_many_cells, _msg_too_many_rows
from etl.intake.reader.ods import CONTENT_PART, _OdsScan
from etl.intake.reader.sharedstrings import (
    DEFAULT_PART,
    _check_shared_text,
    _references,
    _SharedStringsScan,
)
from etl.intake.reader.zipguard import _check_declared_sizes, _open_zip, _stream_members, _TagScan

# Largest dense cell area (rows x columns, counted from A1) one sheet may span. calamine
# allocates every cell of that area (~32 bytes each), so one stray value far away from
# the table (say in column XFD) would otherwise exhaust the server's memory.
MAX_CELLS = 5_000_000
MAX_WORKBOOK_PART = 16 * 1024 * 1024  # bytes of xl/workbook.xml read for the sheet list

# --- workbook structure -------------------------------------------------------------------


def _local(tag: str) -> str:
    """Element name without namespace (works for transitional and strict OOXML)."""
    return tag.rsplit("}", 1)[-1]


def _resolve(base_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _relationships(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) for ``part``."""
    rels_part = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    result = {}
    with zf.open(rels_part) as stream:
        for elem in ET.parse(stream).getroot():
            if _local(elem.tag) == "Relationship" and elem.get("TargetMode") != "External":
                target = _resolve(part, elem.get("Target", ""))
                result[elem.get("Id", "")] = (elem.get("Type", ""), target)
    return result


def _shared_strings_parts(zf: zipfile.ZipFile) -> set[str]:
    """The shared-string part named by the workbook's relationships, and the usual name."""
    try:
        package = _relationships(zf, "")
        workbook = next(
            (t for kind, t in package.values() if kind.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        rels = _relationships(zf, workbook)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, OSError, zlib.error):
        return {DEFAULT_PART}
    return {DEFAULT_PART} | {t for kind, t in rels.values() if kind.endswith("/sharedStrings")}


def _worksheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part name -> sheet name, from the workbook part and its relationships."""
    try:
        package = _relationships(zf, "")
        workbook = next(
            (t for kind, t in package.values() if kind.endswith("/officeDocument")),
            "xl/workbook.xml",
        )
        rels = _relationships(zf, workbook)
        sheets = _sheet_attributes(zf, workbook)
    except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, OSError, zlib.error):
        return {}  # leave the verdict to calamine
    parts = {}
    for attrib in sheets:
        rel_id = next((v for k, v in attrib.items() if _local(k).rsplit(":", 1)[-1] == "id"), None)
        if rel_id in rels:
            parts[rels[rel_id][1]] = attrib.get("name", "")
    return parts


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_ATTRIBUTE = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')


def _sheet_attributes(zf: zipfile.ZipFile, workbook: str) -> list[dict[str, str]]:
    """The attributes of the workbook part's ``<sheet>`` elements. A part that is not
    well-formed XML (e.g. an undeclared prefix, which calamine reads anyway) is scanned for
    its sheet tags, so its formula cells are still found."""
    with zf.open(workbook) as stream:
        raw = stream.read(MAX_WORKBOOK_PART + 1)
    if len(raw) > MAX_WORKBOOK_PART:
        raise ValueError("workbook part too large")
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return [
            {k.decode(errors="replace"): html.unescape(v.decode(errors="replace"))
             for k, v in _ATTRIBUTE.findall(m.group(1))}
            for m in _SHEET_TAG.finditer(raw)
        ]
    return [dict(e.attrib) for e in root.iter() if _local(e.tag) == "sheet"]


# --- extent scan --------------------------------------------------------------------------


def _column_number(letters: str) -> int:
    """'A' -> 1, 'AA' -> 27."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - ord("A") + 1
    return number


_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet[\s>/]")


@lru_cache(maxsize=8)
def _sheet_patterns(prefix: bytes) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """Regexes for cells with content (start tag not self-closing) and formula tags.

    ``prefix`` is the namespace prefix of the worksheet's root element ("" or e.g. "x:");
    matching it literally is much faster than allowing any prefix.
    """
    tag = re.escape(prefix)
    cell = re.compile(
        rb"<" + tag + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Za-z]{1,3})([0-9]{1,9})[\"'][^>]*(?<!/)>"
    )
    return cell, re.compile(rb"<" + tag + rb"f[\s>/]")


@lru_cache(maxsize=8)
def _order_patterns(
    prefix: bytes,
) -> tuple[re.Pattern[bytes], re.Pattern[bytes], re.Pattern[bytes]]:
    """Regexes for any cell start tag, cell start tags with ``r``, and row or cell start tags."""
    tag = re.escape(prefix)
    return (
        re.compile(rb"<" + tag + rb"c[\s/>]"),
        re.compile(rb"<" + tag + rb"c\s[^>]*?\br\s*="),
        re.compile(rb"<" + tag + rb"(row|c)(\s[^>]*?)?(/?)>"),
    )


_R_ATTR = re.compile(rb"\br\s*=\s*[\"']([A-Za-z]{0,3})([0-9]{1,9})[\"']")


class _SheetScan(_TagScan):
    """Extent of the cells that hold something, and whether any formula occurs.

    Excel writes ``r`` on every cell, so the fast path reads only cell references. A cell
    without ``r`` takes the place after the previous one (a row without ``r`` the row after
    the previous one): once a chunk holds such a cell, every later chunk is walked tag by
    tag in order, or ``<row r="1000000">`` with 16,000 cells without ``r`` would pass as
    small and make calamine allocate 16 billion cells.
    """

    def __init__(self) -> None:
        super().__init__()
        self.max_row = 0
        self.max_col = 0
        self.has_formula = False
        self._patterns: tuple[re.Pattern[bytes], re.Pattern[bytes]] | None = None
        self._ordered = False
        self._row = self._col = 0  # position of the last row and cell (ordered walk)
        self.shared = array("Q")  # shared-string indices the cells refer to

    def _scan(self, text: bytes) -> None:
        if self._patterns is None:  # look for the root element until it is found
            root = _ROOT_PREFIX.search(text)
            if root is not None:
                self._patterns = _sheet_patterns(root.group(1) or b"")
                self._prefix = root.group(1) or b""
        cell_pattern, formula_pattern = self._patterns or _sheet_patterns(b"")
        if not self.has_formula and formula_pattern.search(text):
            self.has_formula = True
        self.shared.extend(_references(text, getattr(self, "_prefix", b"")))
        any_cell, cell_with_r, row_or_cell = _order_patterns(getattr(self, "_prefix", b""))
        if not self._ordered and len(any_cell.findall(text)) != len(cell_with_r.findall(text)):
            # Start from the farthest place seen: an upper bound, never an underestimate.
            self._ordered, self._row, self._col = True, self.max_row, self.max_col
        if self._ordered:
            self._walk(row_or_cell, text)
            return
        refs = cell_pattern.findall(text)
        if refs:
            rows = set(map(itemgetter(1), refs))
            columns = set(map(itemgetter(0), refs))
            self.max_row = max(self.max_row, max(map(int, rows)))
            self.max_col = max(self.max_col, max(_column_number(c.decode()) for c in columns))

    def _walk(self, row_or_cell: re.Pattern[bytes], text: bytes) -> None:
        """Follow rows and cells in document order, as calamine places them."""
        for kind, attrs, closed in row_or_cell.findall(text):
            ref = _R_ATTR.search(attrs)
            if kind == b"row":
                self._row, self._col = (int(ref.group(2)) if ref else self._row + 1), 0
                continue
            if ref and ref.group(1):
                self._row, self._col = int(ref.group(2)), _column_number(ref.group(1).decode())
            else:
                self._col += 1
            if not closed:
                self.max_row, self.max_col = (
                    max(self.max_row, self._row),
                    max(self.max_col, self._col),
                )


def _check_extent(sheet: str, rows: int, cols: int, max_rows: int) -> None:
    if rows > max_rows:
        raise WorkbookRejected(_msg_too_many_rows(sheet, max_rows))
    if rows * cols > MAX_CELLS:
        raise WorkbookRejected(_msg_too_many_cells(sheet, rows, cols))


def _guard_zip(data: bytes, file_format: str, max_unpacked: int, max_rows: int) -> dict[str, str]:
    """Run all ZIP guards; for OOXML return worksheet part -> sheet name of parts with formulas."""
    with _open_zip(data) as zf:
        infos = zf.infolist()
        _check_declared_sizes(infos, max_unpacked)
        ooxml = file_format in ("xlsx", "xlsm")
        parts = _worksheet_parts(zf) if ooxml else {}
        strings = {p: _SharedStringsScan() for p in _shared_strings_parts(zf)} if ooxml else {}
    scans = {part: _SheetScan() for part in parts}
    ods = _OdsScan() if file_format == "ods" else None
    _stream_members(data, infos, max_unpacked, {CONTENT_PART: ods} if ods else scans | strings)
    for part, scan in scans.items():
        _check_extent(parts[part], scan.max_row, scan.max_col, max_rows)
    _check_shared_text({parts[p]: scan.shared for p, scan in scans.items()}, [*strings.values()])
    for table, (rows, cols) in (ods.extents if ods else {}).items():
        _check_extent(table, rows, cols, max_rows)
    return {part: parts[part] for part, scan in scans.items() if scan.has_formula}


# --- formulas without cached value (OOXML) ------------------------------------------------


_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,9})$")


def _cell_position(ref: str | None, row: int, index: int) -> tuple[int, int]:
    """(row 1-based, column 0-based) of a cell; without ``r`` its place in the row counts."""
    match = _REF.match(ref or "")
    if match is None:
        return row, index
    return int(match.group(2)), _column_number(match.group(1)) - 1


def _is(elem: ET.Element, name: str) -> bool:
    tag = elem.tag
    return tag == name or tag.endswith("}" + name)


def _lacks_cached_value(cell: ET.Element) -> bool:
    children = {_local(child.tag): child for child in cell}
    if "f" not in children or "is" in children:
        return False
    value = children.get("v")
    if value is None:
        return True
    # An empty <v/> is a valid cached empty string only for string results.
    return not value.text and cell.get("t") not in ("str", "inlineStr")


def _formula_cells(stream: io.BufferedIOBase) -> set[tuple[int, int]]:
    """Positions of formula cells without cached value, parsed incrementally row by row."""
    found: set[tuple[int, int]] = set()
    row = 0
    for _, elem in ET.iterparse(stream, events=("end",)):
        if not _is(elem, "row"):
            continue
        row = int(elem.get("r") or row + 1)
        for index, cell in enumerate(elem):
            # <f> is the first child of a formula cell (CT_Cell: f, v, is, extLst)
            if len(cell) and _is(cell[0], "f") and _lacks_cached_value(cell):
                found.add(_cell_position(cell.get("r"), row, index))
        elem.clear()  # keep memory flat
    return found
