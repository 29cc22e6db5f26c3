"""Word documents (.docx, python-docx): an A4 page in German, headings, tables with a bold
header row and right-aligned numbers, and grey placeholders for the text a person writes.

Cells hold text only (a Word table has no number type), already formatted the German way by
the caller; numeric columns are right-aligned.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

HEADER_FILL = "2C3E50"
TOTAL_FILL = "E9EEF3"
PLACEHOLDER = RGBColor(0x80, 0x80, 0x80)
LANGUAGE = "de-DE"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def new_document(title: str) -> DocumentType:
    """An empty A4 portrait document, German as its language, ``title`` in its properties."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = "Calibri", Pt(10)
    _language(normal.element.get_or_add_rPr())
    doc.core_properties.title = title
    doc.core_properties.language = LANGUAGE
    return doc


def _language(rpr) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)


def placeholder(doc: DocumentType, text: str) -> None:
    """A grey, italic paragraph in brackets: text the author replaces."""
    run = doc.add_paragraph().add_run(f"[{clean(text)}]")
    run.italic, run.font.color.rgb = True, PLACEHOLDER


def _shade(cell, fill: str) -> None:
    props = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    props.append(shading)


def clean(text: object) -> str:
    """``text`` without the control characters XML cannot hold (uploads may carry them);
    nothing for a missing value (None, NaN)."""
    if text is None or text != text:  # noqa: PLR0124 (NaN is not equal to itself)
        return ""
    return _CONTROL.sub(" ", str(text))


def _write(cell, text: str, *, right: bool, bold: bool = False, white: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(clean(text))
    run.bold, run.font.size = bold, Pt(9)
    if white:
        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _repeat_header(row) -> None:
    props = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    props.append(flag)


def table(
    doc: DocumentType,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    numeric: Sequence[bool],
    total: Sequence[str] | None = None,
    widths: Sequence[float] | None = None,
) -> None:
    """A table: the header row (repeated on every page), ``rows``, and a bold totals row."""
    body = [*rows, *([total] if total else [])]
    grid = doc.add_table(rows=1 + len(body), cols=len(headers))
    grid.style, grid.alignment = "Table Grid", WD_TABLE_ALIGNMENT.CENTER
    cells = grid._cells  # one list, row after row: far faster than row.cells per row
    n = len(headers)
    for c, text in enumerate(headers):
        _write(cells[c], text, right=numeric[c], bold=True, white=True)
        _shade(cells[c], HEADER_FILL)
    _repeat_header(grid.rows[0])
    for r, values in enumerate(body, start=1):
        last = total is not None and r == len(body)
        for c, text in enumerate(values):
            cell = cells[r * n + c]
            _write(cell, text, right=numeric[c], bold=last)
            if last:
                _shade(cell, TOTAL_FILL)
    if widths:
        _widths(grid, widths)
    doc.add_paragraph()


def _widths(grid, widths: Sequence[float]) -> None:
    """Fixed column widths in cm (the grid for LibreOffice, every cell for Word)."""
    grid.autofit = False
    n = len(widths)
    cells = grid._cells
    for c, width in enumerate(widths):
        grid.columns[c].width = Cm(width)
        for cell in cells[c::n]:
            cell.width = Cm(width)


def fields(doc: DocumentType, pairs: Sequence[tuple[str, str]]) -> None:
    """Label/value lines without borders (the document's heading data)."""
    grid = doc.add_table(rows=len(pairs), cols=2)
    for row, (label, value) in zip(grid.rows, pairs, strict=True):
        _write(row.cells[0], label, right=False, bold=True)
        _write(row.cells[1], value, right=False)
    _widths(grid, (4, 13))
    doc.add_paragraph()


def to_bytes(doc: DocumentType) -> bytes:
    """The document as ``.docx`` bytes."""
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
