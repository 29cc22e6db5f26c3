"""Cell parsers of the finance plan workbook: each returns the value or raises CellError
with a German message saying how to fix the cell (empty cells never reach them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from etl.core.config import NetworkConfig
from etl.core.normalise import (
    CellError,
    clean_text,
    de_number,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money_cents,
)
from etl.workflow.plan import sheets as sh

MATERIAL_MODES = {label: mode for mode, label in sh.MATERIAL_LABELS.items()}
MATERIAL_ALIASES = {
    "actual": "wie gebucht",
    "flat": "pauschal",
    "pauschale": "pauschal",
    "ausgaben": "wie gebucht",
    "gebucht": "wie gebucht",
}


def partner(config: NetworkConfig) -> Callable[[object], str]:
    def parse(value: object) -> str:
        key = clean_text(value).casefold()
        for p in config.partners:
            if key in (p.code.casefold(), p.name.casefold()):
                return p.code
        codes = ", ".join(config.partner_codes)
        raise CellError(f"Partner '{clean_text(value)}' ist unbekannt. Erlaubt: {codes}.")

    return parse


def year(config: NetworkConfig) -> Callable[[object], int]:
    def parse(value: object) -> int:
        year = parse_int(value)
        if year not in config.years:
            raise CellError(
                f"Das Jahr {year} liegt außerhalb der Projektlaufzeit "
                f"({config.years[0]} bis {config.years[-1]})."
            )
        return year

    return parse


def amount(value: object) -> int:
    cents = parse_money_cents(value)
    if cents < 0:
        raise CellError(
            "Ein Planansatz kann nicht negativ sein. Bitte 0 oder einen positiven Betrag eintragen."
        )
    return cents


def count(value: object) -> int:
    n = parse_int(value)
    if n < 0:
        raise CellError("Ein Ziel kann nicht negativ sein. Bitte 0 oder mehr eintragen.")
    return n


def rate(config: NetworkConfig) -> Callable[[object], Decimal | None]:
    """A funding rate; None for a partner marked "nicht gefördert" (or "—")."""
    low = config.rules.eu_share

    def parse(value: object) -> Decimal | None:
        text = clean_text(value)
        if isinstance(value, str) and text.lower() in sh.NOT_FUNDED_MARKS:
            return None
        if isinstance(value, str) and "%" in text:
            rate = parse_decimal(text.replace("%", "")) / 100
        else:
            rate = parse_decimal(value)
        if rate > 1 and "%" not in text:
            raise CellError(
                f"Förderquote '{de_number(rate)}' ist größer als 1. Bitte als Prozent "
                "(z. B. 80 %) oder als Anteil (0,8) eintragen."
            )
        if not low <= rate <= 1:
            raise CellError(
                f"Die Förderquote muss zwischen {low * 100:.0f} % (EU-Anteil) und 100 % liegen; "
                f"eingetragen: {de_number(rate * 100)} %."
            )
        if rate != rate.quantize(Decimal("0.0001")):
            raise CellError("Die Förderquote hat zu viele Nachkommastellen (höchstens 12,34 %).")
        return rate.quantize(Decimal("0.01")) if rate == rate.quantize(Decimal("0.01")) else rate

    return parse


def module(config: NetworkConfig) -> Callable[[object], str]:
    return lambda value: parse_choice(value, config.modules, "Modul")


def material_mode(value: object) -> str:
    label = parse_choice(value, tuple(MATERIAL_MODES), "Materialkosten", MATERIAL_ALIASES)
    return MATERIAL_MODES[label]


def rate_table(config: NetworkConfig) -> Callable[[object], date]:
    def parse(value: object) -> date:
        day = parse_date(value)
        known = [t.valid_from for t in config.rules.rate_tables]
        if day not in known:
            allowed = ", ".join(f"{d:%d.%m.%Y}" for d in known)
            raise CellError(
                f"Eine Pauschalentabelle ab {day:%d.%m.%Y} gibt es nicht. Erlaubt: {allowed}."
            )
        return day

    return parse
