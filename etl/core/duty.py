"""Which months a partner must report, and by when: the one rule Meldestand, the attention
list and the upload check share.

A partner is a member from ``joins`` to ``leaves`` (default: the whole project period).
``reporting = "monthly"``: each month of membership is due on ``report_due_day`` of the
following month. ``"quarterly"``: the months of a quarter are due together, on
``report_due_day`` of the month after the quarter's last month of membership.
``"none"``: nothing is ever due (reports are accepted, never missing). Uploads for a month
outside the membership are refused (:func:`membership_problem`).
"""

from __future__ import annotations

from datetime import date

from etl.core.config import NetworkConfig, Partner
from etl.core.stand import due_date


def membership(partner: Partner, config: NetworkConfig) -> tuple[date, date]:
    """First and last month (first days) the partner belongs to the network."""
    first = partner.joins or config.start.replace(day=1)
    last = partner.leaves or config.end.replace(day=1)
    return first, last


def is_member(partner: Partner, config: NetworkConfig, month: date) -> bool:
    """Whether ``partner`` belongs to the network in ``month``."""
    first, last = membership(partner, config)
    return first <= month.replace(day=1) <= last


def report_dues(config: NetworkConfig, code: str) -> dict[date, date]:
    """Month (first day) -> due date, for every month partner ``code`` must report."""
    partner = config.partner(code)
    if partner.reporting == "none":
        return {}
    first, last = membership(partner, config)
    months = [m for m in config.months() if first <= m <= last]
    if partner.reporting == "monthly":
        return {m: due_date(m, config.report_due_day) for m in months}
    ends: dict[tuple[int, int], date] = {}
    for m in months:  # the quarter's last month of membership
        ends[(m.year, (m.month - 1) // 3)] = m
    return {m: due_date(ends[(m.year, (m.month - 1) // 3)], config.report_due_day) for m in months}


def required(config: NetworkConfig, code: str, month: date) -> bool:
    """Whether partner ``code`` must report ``month``."""
    return month.replace(day=1) in report_dues(config, code)


def membership_problem(config: NetworkConfig, code: str, month: date) -> str | None:
    """Why partner ``code`` may not report ``month`` (German), or None when it may."""
    partner = config.partner(code)
    if is_member(partner, config, month):
        return None
    first, last = membership(partner, config)
    return (
        f"{partner.code} gehört im Berichtsmonat {month:%m/%Y} nicht zum Netzwerk "
        f"(Mitglied von {first:%m/%Y} bis {last:%m/%Y}). Bitte den Berichtsmonat prüfen."
    )
