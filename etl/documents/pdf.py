"""Tables as a paginated A4 PDF: the same :class:`~etl.documents.book.Cover` and
:class:`~etl.documents.book.Table` objects the Excel documents are built from, so every
book-based document (the proof of use today) has a PDF too.

reportlab (pure Python wheel, no system libraries) lays the pages out: the cover block on
the first page, then each table with its header row repeated on every page, its totals row
and note; every page carries the title and Stand at the top and "Seite x von N" at the foot.
Money is integer cents shown as ``1.234,56 €`` (the totals are the same exact sums as in the
workbook); dates ``31.10.2026``, months ``10/2026``, shares ``12,5 %``. The font is Bitstream
Vera, shipped inside reportlab (umlauts, €, −, – all present), so no system font is needed.

:func:`merge` and :func:`number_pages` join PDFs (pypdf, pure Python) and stamp one running
page count over all of them (the steering pack).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import partial
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as GridTable

from etl.core.money import format_eur
from etl.documents.book import Cover, Table

FONT, BOLD, ITALIC = "Vera", "VeraBd", "VeraIt"
NAVY = colors.HexColor("#2C3E50")
TOTAL_BG = colors.HexColor("#E9EEF3")
STRIPE = colors.HexColor("#F6F8FA")
GREY = colors.HexColor("#555555")
MARGIN = 12 * mm
BODY_SIZE, MIN_SIZE = 8.0, 6.5
NUMERIC = {"money", "rate", "int", "id", "decimal", "pct"}
MAX_TEXT_SHARE = 0.4  # no text column wider than this share of the line


def _fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), (ITALIC, "VeraIt.ttf")):
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC)


def de_decimal(value: object, places: int) -> str:
    """``Decimal('1760.5')``, 2 -> ``'1.760,50'`` (half up)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, frac = f"{abs(number):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{sign}{grouped},{frac}" if places else f"{sign}{grouped}"


def shown(value: object, kind: str = "text") -> str:
    """A cell's value as the PDF prints it (German formats)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if str(value) == "NaT":
        return ""
    if kind == "money":
        return format_eur(int(value))
    if kind == "rate":
        return de_decimal(value, 4) + " €"
    if kind == "int":
        return de_decimal(value, 0)
    if kind == "decimal":
        return de_decimal(value, 2)
    if kind == "pct":
        number = value if isinstance(value, Decimal | Fraction) else Decimal(str(value))
        return de_decimal(number * 100, 1) + " %"
    if isinstance(value, datetime):
        if kind in ("date", "month"):
            value = value.date()
        else:
            return f"{value:%d.%m.%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%m/%Y}" if kind == "month" else f"{value:%d.%m.%Y}"
    return str(value)


def _styles(size: float) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("cell", fontName=FONT, fontSize=size, leading=size * 1.22)
    return {
        "cell": base,
        "head": ParagraphStyle("head", base, fontName=BOLD, textColor=colors.white),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=16, leading=20),
        "h2": ParagraphStyle("h2", base, fontName=BOLD, fontSize=11, leading=14,
                             spaceBefore=8, spaceAfter=4, textColor=NAVY),
        "note": ParagraphStyle("note", base, fontName=ITALIC, textColor=GREY, spaceBefore=3),
        "label": ParagraphStyle("label", base, fontName=BOLD, fontSize=9, leading=12),
        "value": ParagraphStyle("value", base, fontSize=9, leading=12),
    }


def _natural_widths(table: Table, texts: list[list[str]], size: float) -> list[float]:
    """Per column: the widest of its header's words (bold), its cells and its total (bold)."""
    pad = 6.0
    totals = table.has_totals
    widths = []
    for i, col in enumerate(table.columns):
        words = col.header.split() or [""]
        head = max(pdfmetrics.stringWidth(w, BOLD, size) for w in words)
        rows = texts[:-1] if totals else texts
        body = max([pdfmetrics.stringWidth(r[i], FONT, size) for r in rows[:400]] or [0])
        total = pdfmetrics.stringWidth(texts[-1][i], BOLD, size) if totals and texts else 0
        widths.append(max(head, body, total) + pad)
    return widths


def _header_words(table: Table, size: float) -> list[float]:
    """Per column: the width of its header's longest word (bold), so no word is broken."""
    return [
        max(pdfmetrics.stringWidth(w, BOLD, size) for w in (c.header.split() or [""])) + 6.0
        for c in table.columns
    ]


def _widths(table: Table, texts: list[list[str]], width: float) -> tuple[list[float], float]:
    """Column widths filling ``width`` and the font size: numbers keep their natural width,
    text columns share what is left (and wrap); the font shrinks a step when even that fails."""
    size = BODY_SIZE
    while True:
        natural = _natural_widths(table, texts, size)
        capped = [
            min(w, width * MAX_TEXT_SHARE) if c.kind not in NUMERIC else w
            for w, c in zip(natural, table.columns, strict=True)
        ]
        if sum(capped) <= width or size <= MIN_SIZE:
            break
        size -= 0.5
    fixed = sum(w for w, c in zip(capped, table.columns, strict=True) if c.kind in NUMERIC)
    flexible = sum(capped) - fixed
    if flexible and sum(capped) > width:  # squeeze the text columns, they wrap (not a word)
        factor = max(width - fixed, flexible * 0.3) / flexible
        words = _header_words(table, size)
        capped = [max(w * factor, h) if c.kind not in NUMERIC else w
                  for w, h, c in zip(capped, words, table.columns, strict=True)]
    elif sum(capped) < width:  # every column grows by the same share
        capped = [w * width / sum(capped) for w in capped]
    return capped, size


def _grid(table: Table, width: float) -> LongTable:
    """One table: header row (repeated on each page), rows, totals row."""
    texts = [[shown(v, c.kind) for v, c in zip(r, table.columns, strict=True)]
             for r in table.rows]
    totals = None
    if table.has_totals:
        totals = [shown(v, c.kind if c.total else "text")
                  for v, c in zip(table.totals(), table.columns, strict=True)]
    widths, size = _widths(table, texts + ([totals] if totals else []), width)
    st = _styles(size)
    cell = partial(_cell, widths=widths, table=table, size=size, style=st["cell"])
    right = ParagraphStyle("right", st["head"], alignment=2)
    data = [[Paragraph(escape(c.header), right if c.kind in NUMERIC else st["head"])
             for c in table.columns]]
    data += [[cell(t, i) for i, t in enumerate(row)] for row in texts]
    if totals:
        data.append([cell(t, i) for i, t in enumerate(totals)])
    grid = LongTable(data, colWidths=widths, repeatRows=1)
    grid.setStyle(_grid_style(len(data), bool(totals), table, size))
    return grid


def _cell(text: str, i: int, *, widths, table: Table, size: float, style) -> object:
    if table.columns[i].kind in NUMERIC:
        return text
    if pdfmetrics.stringWidth(text, FONT, size) + 6 > widths[i]:
        return Paragraph(escape(text), style)  # wraps inside its column
    return text


def _grid_style(n: int, totals: bool, table: Table, size: float) -> TableStyle:
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), FONT, size),
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#DEE2E6")),
        ("ROWBACKGROUNDS", (0, 1), (-1, n - (2 if totals else 1)), [colors.white, STRIPE]),
    ]
    for i, col in enumerate(table.columns):
        if col.kind in NUMERIC:
            commands.append(("ALIGN", (i, 1), (i, -1), "RIGHT"))
    if totals:
        commands += [
            ("FONT", (0, -1), (-1, -1), BOLD, size),
            ("BACKGROUND", (0, -1), (-1, -1), TOTAL_BG),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, NAVY),
        ]
    return TableStyle(commands)


def _cover_block(cover: Cover, width: float) -> list:
    st = _styles(BODY_SIZE)
    rows: list[tuple[str, object]] = [("Netzwerk", cover.network)] if cover.network else []
    rows += list(cover.fields)
    rows += [("Stand der Daten", cover.stand), ("Exportiert von", cover.exported_by),
             ("Exportiert am", f"{cover.exported_at:%d.%m.%Y %H:%M}")]
    data = [[Paragraph(escape(k), st["label"]), Paragraph(escape(shown(v)), st["value"])]
            for k, v in rows]
    block = GridTable(data, colWidths=[55 * mm, width - 55 * mm])
    block.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#DEE2E6"))]))
    return [Paragraph(escape(cover.title), st["title"]), Spacer(1, 4 * mm), block,
            Spacer(1, 6 * mm)]


def _section(table: Table, width: float) -> list:
    st = _styles(BODY_SIZE)
    out: list = [Paragraph(escape(table.sheet), st["h2"])]
    if table.rows:
        out.append(_grid(table, width))
    else:
        out.append(Paragraph("Keine Einträge.", st["cell"]))
    if table.note:
        out.append(Paragraph(escape(table.note), st["note"]))
    return out


class _NumberedCanvas(canvas.Canvas):
    """Holds the pages back until the end, so each can say "Seite x von N"."""

    def __init__(self, *args, decorate: Callable[[canvas.Canvas, int, int], None], **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._decorate = decorate

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._decorate(self, self._pageNumber, total)
            super().showPage()
        super().save()


def _decorator(cover: Cover | None, size: tuple[float, float], numbered: bool):
    width, height = size

    def decorate(c: canvas.Canvas, page: int, total: int) -> None:
        c.saveState()
        c.setFont(FONT, 7.5)
        c.setFillColor(GREY)
        if cover is not None and page > 1:  # the first page has the full cover block
            c.drawString(MARGIN, height - 8 * mm, cover.title)
            room = width - 2 * MARGIN - c.stringWidth(cover.title, FONT, 7.5) - 6 * mm
            c.drawRightString(width - MARGIN, height - 8 * mm, fit(f"Stand: {cover.stand}", room))
        if numbered:
            network = cover.network if cover else ""
            c.drawString(MARGIN, 7 * mm, " · ".join(x for x in ("Fördercockpit", network) if x))
            c.drawRightString(width - MARGIN, 7 * mm, f"Seite {page} von {total}")
        c.restoreState()

    return decorate


def page_size(tables: Sequence[Table]) -> tuple[float, float]:
    """A4 portrait, or landscape when a table has more than seven columns."""
    wide = any(len(t.columns) > 7 for t in tables)
    return landscape(A4) if wide else A4


def document_bytes(
    cover: Cover | None, tables: Sequence[Table], *, size=None, numbered: bool = True
) -> bytes:
    """The cover block and every table as a paginated A4 PDF (bytes). Without a cover only
    the tables; ``numbered=False`` leaves the foot empty (for a part of a larger PDF that
    :func:`number_pages` numbers)."""
    _fonts()
    size = size or page_size(tables)
    buffer = io.BytesIO()
    meta = {}
    if cover is not None:
        meta = {"title": cover.title, "author": cover.exported_by,
                "subject": f"Stand: {cover.stand}"}
    doc = SimpleDocTemplate(
        buffer, pagesize=size, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=MARGIN, creator="Fördercockpit", **meta,
    )
    story = _cover_block(cover, doc.width) if cover is not None else []
    for table in tables:
        story += _section(table, doc.width)
    decorate = _decorator(cover, size, numbered)
    doc.build(story, canvasmaker=partial(_NumberedCanvas, decorate=decorate))
    return buffer.getvalue()


def merge(parts: Sequence[bytes]) -> bytes:
    """The PDFs one after the other, as one PDF."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(io.BytesIO(part))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fit(text: str, room: float, size: float = 7.5) -> str:
    """``text`` cut (with "…") to at most ``room`` points wide in the documents' font."""
    if pdfmetrics.stringWidth(text, FONT, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + " …", FONT, size) > room:
        text = text[:-1]
    return text.rstrip(" ;,·") + " …"


def number_pages(pdf: bytes, left: str = "") -> bytes:
    """``pdf`` with "Seite x von N" (and ``left``) stamped at the foot of every page."""
    from pypdf import PdfReader, PdfWriter

    _fonts()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    total = len(writer.pages)
    for number, page in enumerate(writer.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        stamp = io.BytesIO()
        c = canvas.Canvas(stamp, pagesize=(width, height))
        c.setFont(FONT, 7.5)
        c.setFillColor(GREY)
        label = f"Seite {number} von {total}"
        room = width - 2 * MARGIN - c.stringWidth(label, FONT, 7.5) - 6 * mm
        c.drawString(MARGIN, 5 * mm, fit(left, room))
        c.drawRightString(width - MARGIN, 5 * mm, label)
        c.save()
        page.merge_page(PdfReader(io.BytesIO(stamp.getvalue())).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
