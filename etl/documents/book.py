"""Tables as formatted worksheets, with a cover sheet saying what, as of when, for whom.

One :class:`Table` becomes one sheet: a bold header row (frozen, with a filter), the rows,
and a bold totals row where a column asks for one. Money travels as integer cents and is
written as euros with the German money format, so Excel sums what the sheet shows and the
totals are exact. Text goes through :func:`etl.documents.cells.put_text` (no formula injection).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from etl.documents.cells import put_text

MONEY_FORMAT = '#,##0.00 "€"'
RATE_FORMAT = '#,##0.0000 "€"'  # hourly unit costs (four decimals, as in the rules)
INT_FORMAT = "#,##0"
ID_FORMAT = "0"  # years, numbers, row numbers: no thousands separator
DECIMAL_FORMAT = "#,##0.00"
PCT_FORMAT = "0.0 %"
DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
MONTH_FORMAT = "MM/YYYY"
FORMATS = {
    "money": MONEY_FORMAT,
    "rate": RATE_FORMAT,
    "int": INT_FORMAT,
    "id": ID_FORMAT,
    "decimal": DECIMAL_FORMAT,
    "pct": PCT_FORMAT,
    "date": DATE_FORMAT,
    "datetime": DATETIME_FORMAT,
    "month": MONTH_FORMAT,
}
MIN_WIDTH = {"money": 15, "rate": 14, "date": 12, "datetime": 17, "month": 10, "pct": 11}

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2C3E50")
TOTAL_FONT = Font(bold=True)
TOTAL_FILL = PatternFill("solid", fgColor="E9EEF3")
TOTAL_BORDER = Border(top=Side(style="thin", color="2C3E50"))
TITLE_FONT = Font(bold=True, size=14)
COVER_SHEET = "Deckblatt"
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column: header, kind of value and whether the totals row sums it.

    Kinds: ``text``, ``int``, ``id`` (a year or number, no separator), ``decimal``, ``money``
    (integer cents), ``rate`` (euros, four decimals), ``pct`` (a share, 0.8 = 80 %), ``date``,
    ``datetime``, ``month``.
    """

    header: str
    kind: str = "text"
    total: bool = False
    width: float | None = None


@dataclass(frozen=True)
class Table:
    """One sheet: its name, columns and rows (values in column order)."""

    sheet: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    totals_label: str = "Summe"
    note: str | None = None  # one line below the table (what the figures mean)

    @property
    def has_totals(self) -> bool:
        return any(c.total for c in self.columns)

    def totals(self) -> list[object]:
        """The totals row's values (exact: cents and Decimals are summed as such)."""
        out: list[object] = []
        for i, col in enumerate(self.columns):
            if col.total:
                values = [r[i] for r in self.rows if r[i] is not None]
                out.append(sum(values, Decimal(0) if col.kind == "decimal" else 0))
            else:
                out.append(None)
        if out and out[0] is None:
            out[0] = self.totals_label
        return out


@dataclass(frozen=True)
class Cover:
    """What the workbook holds, for which selection, as of when, and who exported it."""

    title: str
    fields: Sequence[tuple[str, object]] = ()
    stand: str = ""  # the data's "as of", in words
    exported_by: str = ""
    exported_at: datetime = field(default_factory=datetime.now)
    network: str = ""


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (at most 31 characters, no []:*?/\\)."""
    base = _BAD_TITLE.sub("_", name).strip("'")[:31] or "Tabelle"
    title, n = base, 2
    while title.casefold() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.casefold())
    return title


def _excel_value(value: object, kind: str) -> object:
    if value is None:
        return None
    if kind == "money":
        return Decimal(int(value)) / 100
    if isinstance(value, Fraction):
        return float(value)
    if kind in ("date", "month") and isinstance(value, datetime):
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def put(ws: Worksheet, row: int, col: int, value: object, kind: str = "text"):
    """Write one value with its format; text is never a formula."""
    cell = ws.cell(row=row, column=col)
    value = _excel_value(value, kind)
    if value is None:
        return cell
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value
        fmt = FORMATS.get(kind) or (DATETIME_FORMAT if isinstance(value, datetime) else None)
        if fmt:
            cell.number_format = fmt
    return cell


def _widths(ws: Worksheet, table: Table) -> None:
    for i, col in enumerate(table.columns):
        longest = max([len(col.header)] + [len(_shown(r[i], col.kind)) for r in table.rows[:500]])
        width = col.width or min(max(longest + 2, MIN_WIDTH.get(col.kind, 8)), 60)
        ws.column_dimensions[get_column_letter(i + 1)].width = width


def _shown(value: object, kind: str) -> str:
    """Roughly what a cell shows (for column widths)."""
    if value is None:
        return ""
    if kind == "money":
        return f"{int(value) / 100:,.2f} €"
    if kind in ("date", "month"):
        return "00.00.0000"
    return str(value)


def write_table(ws: Worksheet, table: Table) -> None:
    """Header row 1 (frozen, filter), rows, totals row, note."""
    for c, col in enumerate(table.columns, start=1):
        cell = put(ws, 1, c, col.header)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for r, values in enumerate(table.rows, start=2):
        for c, (col, value) in enumerate(zip(table.columns, values, strict=True), start=1):
            put(ws, r, c, value, col.kind)
    last = len(table.rows) + 1
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{last}"
    if table.has_totals:
        last += 1
        for c, (col, value) in enumerate(zip(table.columns, table.totals(), strict=True), 1):
            cell = put(ws, last, c, value, col.kind if col.total else "text")
            cell.font, cell.fill, cell.border = TOTAL_FONT, TOTAL_FILL, TOTAL_BORDER
    if table.note:
        put(ws, last + 2, 1, table.note).font = Font(italic=True, color="555555")
    _widths(ws, table)


def write_cover(ws: Worksheet, cover: Cover) -> None:
    """Title, then field/value rows: selection, Stand, exported by and at."""
    put(ws, 1, 1, cover.title).font = TITLE_FONT
    rows: list[tuple[str, object]] = []
    if cover.network:
        rows.append(("Netzwerk", cover.network))
    rows += list(cover.fields)
    rows += [
        ("Stand der Daten", cover.stand),
        ("Exportiert von", cover.exported_by),
        ("Exportiert am", cover.exported_at),
    ]
    for r, (label, value) in enumerate(rows, start=3):
        put(ws, r, 1, label).font = Font(bold=True)
        put(ws, r, 2, value, "datetime" if isinstance(value, datetime) else "text")
        ws.cell(r, 2).alignment = Alignment(horizontal="left", wrap_text=True)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90


def build(cover: Cover, tables: Sequence[Table]) -> Workbook:
    """A workbook: the cover sheet, then one sheet per table."""
    wb = Workbook()
    ws = wb.active
    taken: set[str] = set()
    ws.title = sheet_title(COVER_SHEET, taken)
    write_cover(ws, cover)
    for table in tables:
        write_table(wb.create_sheet(sheet_title(table.sheet, taken)), table)
    return wb


def to_bytes(wb: Workbook) -> bytes:
    """The workbook as ``.xlsx`` bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook_bytes(cover: Cover, tables: Sequence[Table]) -> bytes:
    """:func:`build` saved as ``.xlsx`` bytes."""
    return to_bytes(build(cover, tables))
