"""Writing untrusted text into spreadsheet cells (openpyxl): never as a formula.

Every workbook the product writes from data it received (marked-up error workbooks, Excel
exports, the finance plan) puts text through :func:`put_text`, so a value such as
``=HYPERLINK(...)`` or ``@SUM(...)`` stays inert text in Excel and LibreOffice.
"""

from __future__ import annotations

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

UNSAFE_START = ("=", "+", "-", "@")
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


def is_neutralised(cell: Cell) -> bool:
    """True when a text cell starting with = + - @ is stored so that it stays text."""
    value = cell.value
    if not isinstance(value, str) or not value.startswith(UNSAFE_START):
        return True
    return cell.data_type == "s" and bool(cell.quotePrefix)
