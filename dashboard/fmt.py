"""German (de-DE) formatting of numbers, money, percentages, dates and months for display."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from etl.core.german import MONTHS, MONTHS_SHORT
from etl.core.money import format_eur

DAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")

__all__ = [
    "MONTHS",
    "MONTHS_SHORT",
    "de_date",
    "de_dec",
    "de_int",
    "de_pct",
    "eur",
    "eur_short",
    "month_long",
    "month_short",
]


def de_int(n: int | float | Decimal) -> str:
    """Whole number with a dot between thousands: ``1234567`` -> ``'1.234.567'`` (half-up)."""
    return de_dec(n, 0)


def de_dec(value: int | float | Decimal | Fraction, places: int = 1) -> str:
    """Decimal number in German notation, rounded half-up: ``1234.55`` -> ``'1.234,6'``."""
    q = to_decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{q:,.{places}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def to_decimal(value: int | float | Decimal | Fraction) -> Decimal:
    """Any number as a Decimal (fractions divided out to 28 digits)."""
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(str(value))


def de_num(value: int | float | Decimal | Fraction, places: int = 1) -> str:
    """Like :func:`de_dec`, without a fraction that is all zeros: ``'7.211'``, ``'7.211,5'``."""
    text = de_dec(value, places)
    return text[: -(places + 1)] if places and text.endswith("," + "0" * places) else text


def de_plain(value: Decimal | int) -> str:
    """A decimal without trailing zeros, German comma: ``Decimal('0.5000')`` -> ``'0,5'``."""
    return format(Decimal(value).normalize(), "f").replace(".", ",")


def de_pct(share: float | Decimal | Fraction | None, places: int = 0) -> str:
    """A share (0.875) as a German percentage (``'88 %'``); a dash when unknown."""
    if share is None:
        return "–"
    return f"{de_dec(to_decimal(share) * 100, places)} %"


def eur(cents: int) -> str:
    """Cents as German money: ``123456789`` -> ``'1.234.567,89 €'`` (exact, no floats)."""
    return format_eur(int(cents))


def eur_short(cents: int) -> str:
    """Cents rounded for a headline: ``'3,13 Mio. €'``, ``'812 Tsd. €'`` or ``'950 €'``."""
    value = Decimal(int(cents)) / 100
    if abs(value) >= 1_000_000:
        return f"{de_dec(value / 1_000_000, 2)} Mio. €"
    if abs(value) >= 10_000:
        return f"{de_int(value / 1000)} Tsd. €"
    return f"{de_int(value)} €"


def de_date(value: date | datetime | str | None) -> str:
    """A date as ``14.03.2025`` (ISO text accepted); empty for none."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return f"{value:%d.%m.%Y}"


def month_long(month: date) -> str:
    """``'März 2025'``."""
    return f"{MONTHS[month.month - 1]} {month.year}"


def month_short(month: date) -> str:
    """``'Mär 2025'``."""
    return f"{MONTHS_SHORT[month.month - 1]} {month.year}"
