"""OpenDocument (.ods) extent scan: the cell area each table declares, counted from the XML.

An .ods row or cell can stand for many: ``table:number-rows-repeated="4000"`` on a row whose
one cell carries ``table:number-columns-repeated="16384"`` declares 65 million cells in a file
of 800 bytes, and python-calamine expands every one of them (4 GB, then a Rust allocation
abort that ends the whole process). :class:`_OdsScan` is fed ``content.xml`` chunk by chunk
while the ZIP guard streams it (an expat parser: bounded memory, no tree) and counts how far
the cells with content reach, repeats included; :func:`~etl.intake.reader.ooxml._guard_zip`
then applies the same row and cell limits as for .xlsx, before calamine sees the file.

A text can declare more than it holds as well: ``<text:s text:c="100000000"/>`` stands for 100
million spaces, which calamine writes out (and once more for every repeat of the cell); the
scan adds them up and refuses a file whose spaces exceed :data:`MAX_SPACES`.

Repeated *empty* cells (LibreOffice writes a trailing ``number-rows-repeated="1048553"`` row of
empty cells into every file) do not count: calamine skips them too.
"""

from __future__ import annotations

from xml.parsers import expat

from etl.core.errors import WorkbookRejected
from etl.intake.reader.messages import MSG_DAMAGED, _msg_too_many_spaces

# Spaces that ``text:s`` elements may stand for in the whole file, repeats included; a
# report has a few hundred.
MAX_SPACES = 10_000_000

CONTENT_PART = "content.xml"
_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = f"{_TABLE_NS}}}table"
_ROW = f"{_TABLE_NS}}}table-row"
_NAME = f"{_TABLE_NS}}}name"
_CELLS = (f"{_TABLE_NS}}}table-cell", f"{_TABLE_NS}}}covered-table-cell")
_ROWS_REPEATED = f"{_TABLE_NS}}}number-rows-repeated"
_COLUMNS_REPEATED = f"{_TABLE_NS}}}number-columns-repeated"
_SPACE = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}s"
_SPACE_COUNT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0}c"
_VALUE_MARKS = (f"{_OFFICE_NS}}}value-type", f"{_TABLE_NS}}}formula")


def _repeat(attrs: dict[str, str], name: str) -> int:
    try:
        return max(1, int(attrs.get(name, "1")))
    except ValueError as exc:
        raise WorkbookRejected(MSG_DAMAGED) from exc


class _OdsScan:
    """Extent (rows, columns, repeats included) of the cells with content, per table."""

    def __init__(self) -> None:
        self.extents: dict[str, tuple[int, int]] = {}  # table name -> (rows, columns)
        self._parser = expat.ParserCreate(namespace_separator="}")
        self._parser.StartElementHandler = self._start
        self._parser.EndElementHandler = self._end
        self._parser.StartDoctypeDeclHandler = self._no_dtd
        self._table: str | None = None
        self._nested = 0  # depth of tables inside cells (not sheets; not counted)
        self._row = self._row_repeat = self._col = self._row_extent = 0
        self._cell_repeat = 0
        self._in_cell = self._content = False
        self._extent = (0, 0)
        self._cell_spaces = self.spaces = 0

    def feed(self, chunk: bytes) -> None:
        self._parse(chunk, final=False)

    def finish(self) -> None:
        self._parse(b"", final=True)

    def _parse(self, chunk: bytes, *, final: bool) -> None:
        try:
            self._parser.Parse(chunk, final)
        except expat.ExpatError as exc:
            raise WorkbookRejected(MSG_DAMAGED) from exc

    def _no_dtd(self, *_args: object) -> None:
        # content.xml never has a DTD; refusing it rules out entity-expansion tricks.
        raise WorkbookRejected(MSG_DAMAGED)

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        if name == _TABLE:
            if self._in_cell or self._nested:
                self._nested += 1
            else:
                self._table, self._row, self._extent = attrs.get(_NAME, ""), 0, (0, 0)
        elif self._nested or self._table is None:
            return
        elif name == _ROW:
            self._row_repeat = _repeat(attrs, _ROWS_REPEATED)
            self._col = self._row_extent = 0
        elif name in _CELLS:
            self._cell_repeat = _repeat(attrs, _COLUMNS_REPEATED)
            self._in_cell, self._content = True, any(mark in attrs for mark in _VALUE_MARKS)
            self._cell_spaces = 0
        elif self._in_cell:
            self._content = True  # text:p, an annotation, a drawing: calamine may read it
            if name == _SPACE:
                self._cell_spaces += _repeat(attrs, _SPACE_COUNT)

    def _end(self, name: str) -> None:
        if self._nested:
            self._nested -= name == _TABLE
        elif self._table is None:
            return
        elif name in _CELLS:
            self._col += self._cell_repeat
            if self._content:
                self._row_extent = self._col
            self._in_cell = False
            self.spaces += self._cell_spaces * self._cell_repeat * self._row_repeat
            if self.spaces > MAX_SPACES:
                raise WorkbookRejected(_msg_too_many_spaces(self._table or "", MAX_SPACES))
        elif name == _ROW:
            self._row += self._row_repeat
            if self._row_extent:
                self._extent = (self._row, max(self._extent[1], self._row_extent))
        elif name == _TABLE:
            rows, cols = self.extents.get(self._table, (0, 0))
            self.extents[self._table] = (max(rows, self._extent[0]), max(cols, self._extent[1]))
            self._table = None
