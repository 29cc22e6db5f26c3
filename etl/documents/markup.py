"""A rejected workbook with its errors marked, for the partner to download and fix.

The partner's own workbook (values and formats kept; .ods/.xls rebuilt from the values read)
with every located cell filled red and its German message as a comment, plus a first sheet
"Fehler" listing every error with a link to its cell. Never raises on user data.
"""

from __future__ import annotations

import logging
import math
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from io import BytesIO

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.child import INVALID_TITLE_REGEX
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from etl.core.errors import Issue, WorkbookRejected
from etl.core.normalise import header_key
from etl.documents.cells import clean as _clean
from etl.documents.cells import put_text as _put_text
from etl.intake.contract import DATA_SHEETS, meta
from etl.intake.contract.context import Context
from etl.intake.contract.engine import is_blank
from etl.intake.reader import RawSheet, RawWorkbook, read_workbook

log = logging.getLogger(__name__)

ERROR_SHEET = "Fehler"
AUTHOR = "Fördercockpit"
HEADERS = ("Blatt", "Zeile", "Spalte", "Fehlermeldung")
WIDTHS = (20, 8, 20, 100)
CELL_FILL = PatternFill("solid", fgColor="FFC7CE")  # Excel's "Schlecht" (bad) style
ROW_FILL = PatternFill("solid", fgColor="FDE9EC")  # lighter: the row as a whole is meant
DARK_RED = "9C0006"
DATE_FORMATS = {date: "DD.MM.YYYY", datetime: "DD.MM.YYYY HH:MM", time: "HH:MM"}


@dataclass(frozen=True)
class Target:
    """Where an issue points: a cell, a row (anchor cell + used columns) or just a sheet."""

    ws: Worksheet | None  # None: no sheet to point at (missing sheet, file-level error)
    row: int = 1
    col: int = 1
    kind: str = "sheet"  # "cell" | "row" | "sheet"
    used: tuple[int, ...] = ()  # used columns of a "row" target


def marked_workbook(data: bytes, file_name: str, errors: list[Issue], **limits: int) -> bytes:
    """The partner's workbook as .xlsx with ``errors`` marked and listed on a first sheet.

    ``limits`` are passed to :func:`read_workbook` (``max_bytes``, ...): the same size and
    ZIP-bomb guards run before openpyxl sees the file.
    """
    try:
        return _save(_marked(data, file_name, errors, limits))
    except Exception:  # a quirk of the partner's file must not cost them the error list
        log.exception("Marking %r failed; returning the error list only", file_name)
        return _save(_error_book(errors))


def _marked(data: bytes, file_name: str, errors: list[Issue], limits: dict) -> Workbook:
    try:
        raw = read_workbook(data, file_name, **limits)
    except WorkbookRejected:
        return _error_book(errors)
    wb, sheets = _open(data, raw)
    targets = [_locate(issue, raw, sheets) for issue in errors]
    _mark(errors, targets)
    _add_error_sheet(wb, errors, targets)
    return wb


def _save(wb: Workbook) -> bytes:
    wb.template = False  # with vba_archive None (keep_vba=False): content type of a plain .xlsx
    wb.calculation.fullCalcOnLoad = True  # openpyxl drops cached formula results
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _error_book(errors: list[Issue]) -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    _add_error_sheet(wb, errors, [Target(None)] * len(errors))  # nothing to link to
    return wb


def _open(data: bytes, raw: RawWorkbook) -> tuple[Workbook, dict[str, Worksheet]]:
    """The partner's own workbook, or one rebuilt from the values read; raw name -> sheet."""
    if raw.file_format in ("xlsx", "xlsm"):
        try:
            wb = load_workbook(BytesIO(data), keep_vba=False)  # drops the VBA project
        except Exception:
            log.warning("openpyxl cannot load the workbook; rebuilding it from its values")
        else:
            by_title = {ws.title: ws for ws in wb.worksheets}
            return wb, {s.name: by_title[s.name] for s in raw.sheets if s.name in by_title}
    return _rebuilt(raw)


def _rebuilt(raw: RawWorkbook) -> tuple[Workbook, dict[str, Worksheet]]:
    wb = Workbook()
    wb.remove(wb.active)
    sheets: dict[str, Worksheet] = {}
    for sheet in raw.sheets:
        ws = wb.create_sheet(INVALID_TITLE_REGEX.sub("_", sheet.name)[:31] or "Blatt")
        for r, values in enumerate(sheet.rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is not None:
                    _put(ws.cell(r, c), value)
        sheets[sheet.name] = ws
    return wb, sheets


def _put(cell: Cell, value: object) -> None:
    """Write a value as read: dates as dates (German format), text always as text."""
    if not isinstance(value, (int, float, date, time, timedelta)):  # bool is an int
        _put_text(cell, str(value))
        return
    cell.value = value
    if type(value) in DATE_FORMATS:
        cell.number_format = DATE_FORMATS[type(value)]


def _locate(issue: Issue, raw: RawWorkbook, sheets: dict[str, Worksheet]) -> Target:
    # the sheet the importer took for issue.sheet: the first whose header_key matches
    # (case, surrounding spaces and a note in brackets ignored)
    key = header_key(issue.sheet or "")
    sheet = next((s for s in raw.sheets if issue.sheet and header_key(s.name) == key), None)
    ws = sheets.get(sheet.name) if sheet else None
    if ws is None or sheet is None:
        return Target(None)
    # the header row is the first non-empty row, as in the importer
    rows = enumerate(sheet.rows, start=1)
    header = next((n for n, row in rows if not all(is_blank(v) for v in row)), None)
    row = issue.row or header
    if row is None or (issue.row is None and not issue.column):
        return Target(ws)
    col = _column(sheet, header, issue)
    if col is not None:
        return Target(ws, row, col, "cell")
    values = sheet.rows[row - 1] if row <= len(sheet.rows) else []
    used = tuple(i + 1 for i, v in enumerate(values) if not is_blank(v))
    return Target(ws, row, used[0] if used else 1, "row", used)


def _column(sheet: RawSheet, header: int | None, issue: Issue) -> int | None:
    """1-based column whose header matches ``issue.column`` (or one of its aliases)."""
    if header is None or not issue.column:
        return None
    key = header_key(issue.column)
    keys = _aliases().get(key, {key})
    values = sheet.rows[header - 1]
    found = [i + 1 for i, v in enumerate(values) if not is_blank(v) and header_key(v) in keys]
    if not found:
        return None
    return found[-1] if issue.row == header else found[0]  # a duplicate: the second one


@lru_cache(maxsize=1)
def _aliases() -> dict[str, set[str]]:
    """header_key of a contract column -> every header key the importer accepts for it."""
    try:
        # spec() only keeps references to the context's methods: no config needed here
        specs = [meta.SPEC, *(m.spec(Context(None, None)) for m in DATA_SHEETS)]  # type: ignore[arg-type]
    except Exception:
        return {}
    keys: dict[str, set[str]] = {}
    for spec in specs:
        for col in spec.columns:
            keys.setdefault(header_key(col.name), set()).update(col.header_keys())
    return keys


def _mark(errors: list[Issue], targets: list[Target]) -> None:
    notes: dict[tuple[Worksheet, int, int], list[str]] = {}
    for issue, t in zip(errors, targets, strict=True):
        if t.ws is not None and t.kind != "sheet":
            notes.setdefault((t.ws, t.row, t.col), []).append(issue.message)
        if t.kind == "row":
            for col in t.used or (t.col,):
                _cell(t.ws, t.row, col).fill = ROW_FILL
    strong = {(t.ws, t.row, t.col) for t in targets if t.kind == "cell"}
    for (ws, row, col), messages in notes.items():
        cell = _cell(ws, row, col)
        if (ws, row, col) in strong:
            cell.fill = CELL_FILL
            font = copy(cell.font)
            font.color = DARK_RED
            cell.font = font
        _comment(cell, messages)


def _cell(ws: Worksheet, row: int, col: int) -> Cell:
    """The cell, or the top-left cell of the merged range it lies in."""
    cell = ws.cell(row, col)
    if isinstance(cell, MergedCell):
        rng = next(r for r in ws.merged_cells.ranges if cell.coordinate in r)
        cell = ws.cell(rng.min_row, rng.min_col)
    return cell


def _comment(cell: Cell, messages: list[str]) -> None:
    text = "\n".join(dict.fromkeys(messages))
    if cell.comment is not None:  # keep the partner's own note below ours
        text = f"{text}\n\n{cell.comment.text}"
    text = _clean(text)
    lines = sum(math.ceil(max(len(line), 1) / 45) for line in text.splitlines())
    height = min(max(120, 16 * lines + 24), 600)
    cell.comment = Comment(text, AUTHOR, height=height, width=300)


def _add_error_sheet(wb: Workbook, errors: list[Issue], targets: list[Target]) -> Worksheet:
    ws = wb.create_sheet(ERROR_SHEET, 0)
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = False  # several selected tabs would be grouped
    ws.sheet_view.tabSelected = True
    wb.active = ws
    if wb.views:
        wb.views[0].firstSheet = 0
    for c, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        ws.cell(1, c, title).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, (issue, target) in enumerate(zip(errors, targets, strict=True), start=2):
        _error_row(ws, r, issue, target)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:D{len(errors) + 1}"
    return ws


def _error_row(ws: Worksheet, r: int, issue: Issue, target: Target) -> None:
    if target.ws is not None:  # an internal link: location only, no relationship target
        title = target.ws.title.replace("'", "''")
        where = f"'{title}'!{get_column_letter(target.col)}{target.row}"
        ws.cell(r, 1).hyperlink = Hyperlink(ref="", location=where, tooltip="Zur Zelle")
        ws.cell(r, 1).style = "Hyperlink"
    for c, value in enumerate((issue.sheet, issue.row, issue.column, issue.message), start=1):
        cell = ws.cell(r, c)
        if isinstance(value, str):
            _put_text(cell, value)
        else:
            cell.value = value
        cell.alignment = Alignment(vertical="top", wrap_text=c == 4)
