"""Cell parsers and normalisers: German numbers and dates, postal codes, SME classes, names.

Each ``parse_*`` takes a raw cell value as the reader returns it and returns the
normalised value, or raises :class:`CellError` with a German message that says how to
fix the cell. They never see ``None``: empty cells are handled by the sheet rules.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

CENT = Decimal("0.01")
EXCEL_EPOCH = date(1899, 12, 30)


class CellError(ValueError):
    """A cell value that cannot be used; ``str(exc)`` is the German message."""


_SPACES = re.compile(r"\s+")
# Invisible format characters: zero-width space/joiners, word joiner, BOM, soft hyphen,
# direction marks, embeddings, overrides and isolates, invisible operators. They do not
# change what a reader sees, so they must not change what the warehouse matches: an ID or
# receipt number with one of them would otherwise count as new (double counting).
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x061C, 0x180E, 0xFEFF, *range(0x200B, 0x2010), *range(0x202A, 0x202F)]
    + [*range(0x2060, 0x2065), *range(0x2066, 0x206A)]
)


def clean_text(value: object) -> str:
    """Text of a cell, Unicode-normalised (NFC), with invisible format characters removed and
    non-breaking spaces and space runs folded."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value if type(value) is str else str(value)
    # Fast path, same result: every whitespace character but " " is unprintable (no-break
    # spaces included), and so is every invisible format character, so printable NFC text
    # without leading, trailing or double spaces is already clean.
    if (
        text.isprintable()
        and "  " not in text
        and text[:1] != " "
        and text[-1:] != " "
        and (text.isascii() or unicodedata.is_normalized("NFC", text))
    ):
        return text
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE))
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _SPACES.sub(" ", text).strip()


_BRACKETED = re.compile(r"[\(\[][^\)\]]*[\)\]]")


def header_key(value: object) -> str:
    """Matching key of a header or sheet name: casefolded, unit/note in brackets removed."""
    text = _BRACKETED.sub(" ", clean_text(value))
    return _SPACES.sub(" ", text).strip().casefold()


# --- numbers -----------------------------------------------------------------------------

_NUM_CLEAN = re.compile(r"[\s\u00a0\u202f€]|EUR|Euro", re.IGNORECASE)
_GERMAN_NUM = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")
_PLAIN_NUM = re.compile(r"^[+-]?\d+(\.\d+)?$")


def parse_decimal(value: object) -> Decimal:
    """A number from a real number or German text (``1.234,50``, ``1234,5``, ``1 234,50 €``)."""
    if isinstance(value, bool):
        raise CellError("Hier wird eine Zahl erwartet, nicht WAHR/FALSCH.")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):  # a cell may hold inf or NaN; no rule or column takes it
            raise CellError(
                "Die Zelle enthält keinen gültigen Zahlenwert (unendlich oder NaN). "
                "Bitte eine Zahl eintragen."
            )
        # repr() gives the shortest decimal that round-trips: 1234.5 -> "1234.5"
        return Decimal(repr(value))
    if isinstance(value, (date, datetime, time, timedelta)):
        raise CellError(
            "Hier wird eine Zahl erwartet, kein Datum. Bitte Zellformat 'Zahl' verwenden."
        )
    text = _NUM_CLEAN.sub("", clean_text(value))
    if _GERMAN_NUM.match(text):
        return Decimal(text.replace(".", "").replace(",", "."))
    if _PLAIN_NUM.match(text):  # 1234.5 (point as decimal separator, no thousands)
        return Decimal(text)
    raise CellError(f"'{clean_text(value)}' ist keine Zahl. Bitte z. B. 1234,50 eintragen.")


def parse_int(value: object) -> int:
    """A whole number (``12``, ``12,0``, ``1.200``)."""
    if type(value) is int:  # the common case: a number cell (bool is not int here)
        return value
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)  # what Decimal(repr(value)) gives for these: exact
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise CellError(
            f"'{clean_text(value)}' ist keine ganze Zahl. Bitte ohne Nachkommastellen eintragen."
        )
    return int(number)


def parse_money_cents(value: object) -> int:
    """Integer cents of an amount in EUR with at most two decimals."""
    number = parse_decimal(value)
    if isinstance(value, float):
        # binary floats from spreadsheets: 12.1 may arrive as 12.099999999999999
        rounded = number.quantize(CENT, rounding=ROUND_HALF_UP)
        if abs(rounded - number) < Decimal("1e-6"):
            number = rounded
    if number != number.quantize(CENT):
        raise CellError(f"Betrag '{clean_text(value)}' hat mehr als zwei Nachkommastellen (Cent).")
    return int(number * 100)


def de_number(value: Decimal | int) -> str:
    """A number as a German reader writes it: ``Decimal('1760.50')`` -> ``'1.760,5'``."""
    number = Decimal(value)
    text = f"{number.normalize():f}" if number == number.to_integral_value() else f"{number:f}"
    whole, _, frac = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or 0):,}".replace(",", ".")
    frac = frac.rstrip("0")
    return f"{sign}{grouped},{frac}" if frac else f"{sign}{grouped}"


def round_cents(amount: Decimal) -> int:
    """Round an amount in EUR half-up to whole cents."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- dates -------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})(?:,? \d{1,2}:\d{2}(?::\d{2})?)?$")


def parse_date(value: object) -> date:
    """A date from a real spreadsheet date, an Excel serial, ISO or German text."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + timedelta(days=int(value))
    text = clean_text(value)
    for pattern, order in ((_ISO_DATE, (0, 1, 2)), (_DE_DATE, (2, 1, 0))):
        match = pattern.match(text)
        if match:
            parts = [int(g) for g in match.groups()]
            year, month, day = (parts[i] for i in order)
            if year < 100:
                year += 2000
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise CellError(
        f"'{text}' ist kein gültiges Datum. Bitte als TT.MM.JJJJ eintragen, z. B. 14.03.2025."
    )


_MONTH_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$"),
    re.compile(r"^(?P<m>\d{1,2})[/.](?P<y>\d{4})$"),
)


def parse_month(value: object) -> date:
    """First day of the month given as ``YYYY-MM``, ``MM/YYYY``, ``MM.YYYY`` or any date in it."""
    if not isinstance(value, (date, datetime)) and not isinstance(value, (int, float)):
        text = clean_text(value)
        for pattern in _MONTH_PATTERNS:
            match = pattern.match(text)
            if match and 1 <= int(match["m"]) <= 12:
                return date(int(match["y"]), int(match["m"]), 1)
    try:
        day = parse_date(value)
    except CellError:
        raise CellError(
            f"'{clean_text(value)}' ist kein Berichtsmonat. "
            "Bitte als JJJJ-MM eintragen, z. B. 2025-03."
        ) from None
    return day.replace(day=1)


# --- codes and classes ---------------------------------------------------------------------


def parse_plz(value: object) -> str:
    """A 5-digit German postal code; a number like 4103 means 04103."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(value).replace(" ", "")
    if text.isdigit() and len(text) <= 5 and int(text) >= 1000:
        return text.zfill(5)
    raise CellError(
        f"'{clean_text(value)}' ist keine gültige Postleitzahl (5 Ziffern, z. B. 44135)."
    )


SIZE_CLASSES = ("Kleinst", "Klein", "Mittel", "Groß")
_SIZE_ALIASES = {
    "kleinst": "Kleinst",
    "kleinstunternehmen": "Kleinst",
    "kleinstes unternehmen": "Kleinst",
    "klein": "Klein",
    "kleinunternehmen": "Klein",
    "kleines unternehmen": "Klein",
    "mittel": "Mittel",
    "mittleres unternehmen": "Mittel",
    "mittelunternehmen": "Mittel",
    "groß": "Groß",
    "gross": "Groß",
    "großunternehmen": "Groß",
    "grossunternehmen": "Groß",
    "großes unternehmen": "Groß",
    "grosses unternehmen": "Groß",
}


def parse_size_class(value: object) -> str:
    """The EU SME class: Kleinst, Klein, Mittel or Groß (common spellings accepted)."""
    key = clean_text(value).casefold()
    if key in _SIZE_ALIASES:
        return _SIZE_ALIASES[key]
    raise CellError(
        f"Größenklasse '{clean_text(value)}' ist unbekannt. "
        "Erlaubt: Kleinst, Klein, Mittel oder Groß."
    )


@lru_cache(maxsize=256)
def _choice_keys(choices: tuple[str, ...]) -> dict[str, str]:
    """Casefolded choice -> the first choice with that key."""
    keys: dict[str, str] = {}
    for choice in choices:
        keys.setdefault(choice.casefold(), choice)
    return keys


def parse_choice(
    value: object, choices: tuple[str, ...], what: str, aliases: dict | None = None
) -> str:
    """One of ``choices``, matched case-insensitively (plus optional aliases)."""
    key = clean_text(value).casefold()
    found = _choice_keys(tuple(choices)).get(key)
    if found is not None:
        return found
    if aliases and key in aliases:
        return aliases[key]
    allowed = ", ".join(choices)
    raise CellError(f"{what} '{clean_text(value)}' ist nicht erlaubt. Erlaubt: {allowed}.")


# --- companies -----------------------------------------------------------------------------

_LEGAL_FORMS = (
    (r"gesellschaft mit beschränkter haftung", "gmbh"),
    (r"g\s*\.?\s*m\s*\.?\s*b\s*\.?\s*h\.?", "gmbh"),
    (r"aktiengesellschaft", "ag"),
    (r"a\s*\.\s*g\.?", "ag"),
    (r"k\s*\.\s*g\.?", "kg"),
    (r"e\s*\.\s*k\.?", "ek"),
    (r"e\s*\.\s*kfm\.?", "ek"),
    (r"e\s*\.\s*v\.?", "ev"),
    (r"u\s*g\s*\(haftungsbeschraenkt\)", "ug"),
    (r"&|\+|\bund\b", "&"),
    (r"\bco\b\.?", "co"),
)


_LEGAL_FORM_PATTERNS = tuple(
    (re.compile(rf"(?<![\w]){pattern}(?![\w])" if pattern[0].isalpha() else pattern), f" {repl} ")
    for pattern, repl in _LEGAL_FORMS
)
_NOT_WORD = re.compile(r"[^\w&]+")


def company_key(name: object) -> str:
    """Matching key of a company name: case, spacing, punctuation, legal-form spellings folded."""
    if type(name) is str:
        return _company_key_of(name)
    return _company_key(clean_text(name))


@lru_cache(maxsize=1 << 16)
def _company_key_of(name: str) -> str:
    return _company_key(clean_text(name))


@lru_cache(maxsize=1 << 16)
def _company_key(text: str) -> str:
    # Company names recur from row to row and month to month: computed once per spelling.
    text = text.casefold()
    text = text.replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    for pattern, repl in _LEGAL_FORM_PATTERNS:
        text = pattern.sub(repl, text)
    text = _NOT_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()
