"""Company identifiers (contract version 2, sheet ``Teilnehmende``, column
``Unternehmenskennung``): a commercial-register number with its register court, or a German
VAT identification number (USt-IdNr.).

:func:`parse_company_id` checks the format and returns the canonical form, which is the
company's identity in the warehouse: ``HRB 12345 DORTMUND`` (register type, number, court in
capitals; "Amtsgericht"/"AG" and punctuation dropped) or ``DE123456788``.
"""

from __future__ import annotations

import re

from etl.core.normalise import CellError, clean_text

REGISTER_TYPES = ("HRA", "HRB", "GnR", "PR", "VR")
_REGISTER = re.compile(
    r"(?<![A-Za-z])(HRA|HRB|GNR|PR|VR)\s*\.?\s*(?:Nr\.?\s*)?(\d{1,6})(\s?[A-Z](?![A-Za-zÄÖÜäöüß]))?",
    re.IGNORECASE,
)
_COURT_WORDS = re.compile(r"\b(amtsgericht|registergericht|ag|reg\.?-?gericht)\b\.?", re.IGNORECASE)
_COURT = re.compile(r"^[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß .\-/()]*[A-Za-zÄÖÜäöüß)]$")
_VAT = re.compile(r"^DE\s*(\d[\d ]*)$", re.IGNORECASE)
EXAMPLES = "„HRB 12345, Amtsgericht Dortmund“ oder „DE123456788“"


def vat_check_digit(digits: str) -> int:
    """The check digit of a German USt-IdNr. over its first 8 digits (ISO 7064, MOD 11,10)."""
    product = 10
    for d in digits[:8]:
        total = (int(d) + product) % 10 or 10
        product = (2 * total) % 11
    check = 11 - product
    return 0 if check == 10 else check


def _vat(text: str, match: re.Match) -> str:
    digits = match.group(1).replace(" ", "")
    if len(digits) != 9:
        raise CellError(
            f"USt-IdNr. '{text}': nach „DE“ müssen genau 9 Ziffern folgen (hier {len(digits)}), "
            "z. B. DE123456788."
        )
    if vat_check_digit(digits) != int(digits[8]):
        raise CellError(
            f"USt-IdNr. '{text}': die Prüfziffer (letzte Ziffer) passt nicht zu den übrigen "
            "Ziffern. Bitte die Nummer mit der Rechnung oder dem Impressum abgleichen."
        )
    return f"DE{digits}"


def _register(text: str, match: re.Match) -> str:
    kind = next(t for t in REGISTER_TYPES if t.casefold() == match.group(1).casefold())
    suffix = (match.group(3) or "").strip().upper()
    rest = f"{text[: match.start()]} {text[match.end() :]}"
    court = _COURT_WORDS.sub(" ", rest)
    court = re.sub(r"\s+", " ", court.replace(",", " ").replace(";", " ").replace(":", " "))
    court = court.strip(" .-/")
    if not court:
        raise CellError(
            f"Handelsregisternummer '{text}': das Registergericht fehlt. Bitte mit Gericht "
            "angeben, z. B. „HRB 12345, Amtsgericht Dortmund“."
        )
    if not _COURT.match(court):
        raise CellError(
            f"Handelsregisternummer '{text}': „{court}“ ist kein Gerichtsname. Bitte so "
            "angeben: „HRB 12345, Amtsgericht Dortmund“."
        )
    number = f"{int(match.group(2))}{' ' + suffix if suffix else ''}"
    return f"{kind} {number} {court.upper()}"


def parse_company_id(value: object) -> str:
    """The canonical company identifier of a cell (see the module docstring); CellError with
    a German message for anything else."""
    text = clean_text(value)
    vat = _VAT.match(text)
    if vat:
        return _vat(text, vat)
    matches = list(_REGISTER.finditer(text))
    if len(matches) == 1:
        return _register(text, matches[0])
    raise CellError(
        f"Unternehmenskennung '{text}' ist weder eine Handelsregisternummer mit "
        f"Registergericht noch eine USt-IdNr. Bitte so angeben: {EXAMPLES}."
    )
