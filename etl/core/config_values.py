"""The values of a configuration file: numbers, dates, months, choices, each checked with a
German message naming its key (:class:`ConfigError`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation


class ConfigError(ValueError):
    """The configuration file is inconsistent; the message names the key."""


def decimal_value(value: object, key: str) -> Decimal:
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ConfigError(f"{key}: '{value}' ist keine Zahl.") from exc


def date_value(value: object, key: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ConfigError(f"{key}: '{value}' ist kein Datum (JJJJ-MM-TT).") from exc


def month_value(value: object, key: str) -> date | None:
    """An optional month ``YYYY-MM`` (a full date counts as its month), as its first day."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        year, month = (int(x) for x in str(value).split("-")[:2])
        return date(year, month, 1)
    except ValueError as exc:
        raise ConfigError(f"{key}: '{value}' ist kein Monat (JJJJ-MM).") from exc


def choice(value: object, allowed: tuple[str, ...], key: str) -> str:
    text = str(value).strip().lower()
    if text not in allowed:
        raise ConfigError(f"{key}: '{value}' ist nicht erlaubt, nur {', '.join(allowed)}.")
    return text


def month_number(value: object, key: str) -> int:
    """A month number 1–12 (``network.year_start_month``)."""
    try:
        month = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{key}: '{value}' ist keine Zahl.") from exc
    if isinstance(value, bool) or not 1 <= month <= 12:
        raise ConfigError(f"{key}: {value} ist kein Monat (1 bis 12 erlaubt).")
    return month
