"""Writing untrusted text into spreadsheet cells (openpyxl): never as a formula.

Every workbook the product writes from data it received (marked-up error workbooks, Excel
exports, the finance plan) puts text through :func:`put_text`, so a value such as
``=HYPERLINK(...)`` or ``@SUM(...)`` stays inert text in Excel and LibreOffice. CSV files
and grid exports, which have no cell types, put text through :func:`neutral_text` (the same
rule; ``assets/dashAgGridFunctions.js`` applies it to the grids' client-side CSV exports).
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

# What makes a spreadsheet read text as a formula: the four formula signs, and tab or carriage
# return, which some programs strip before looking (OWASP, "CSV injection").
UNSAFE_START = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32_767  # characters Excel allows in a cell


def clean(text: str) -> str:
    """Text that can be stored in a cell: no control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_TEXT]


def put_text(cell: Cell, text: str) -> None:
    """Write ``text`` as a text cell, never as a formula.

    openpyxl makes a formula of a str starting with "="; ``data_type = "s"`` afterwards stores
    the same characters as a plain string that nothing evaluates. "+", "-", "@" are strings
    anyway; ``quotePrefix`` (Excel's hidden leading apostrophe) keeps all four text when the
    cell is edited. Unlike prefixing "'" or an invisible character, the value stays unchanged.
    """
    text = clean(text)
    cell.value = text
    if text.startswith(UNSAFE_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def neutral_text(text: str) -> str:
    """``text`` for a CSV cell: with a leading apostrophe when it starts like a formula.

    CSV has no text type and no quote prefix, so the apostrophe is the one way to keep
    ``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``-1+1`` or ``@SUM(A1)`` inert (OWASP's
    advice); the text after it is unchanged. Numbers are not text and are not passed here.
    """
    return "'" + text if text.startswith(UNSAFE_START) else text


def is_neutralised(cell: Cell) -> bool:
    """True when a text cell starting with = + - @ is stored so that it stays text."""
    value = cell.value
    if not isinstance(value, str) or not value.startswith(UNSAFE_START):
        return True
    return cell.data_type == "s" and bool(cell.quotePrefix)
