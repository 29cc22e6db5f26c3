"""The configured activity sheets (``[[activity_sheets]]``) in the demo: rows for every
configured sheet, generated from its column types and rules, so its figures show (for the
second example network: consulting vouchers issued, most redeemed one to three months
later).

Generic: nothing here knows vouchers. A sheet with a ``follows`` rule gets new records with
``follows.after`` and, for most of them, a later row with ``follows.value`` of the same ID
(same value or less; never before the first). Companies are those of the partner-month's
participants (so they match the warehouse's companies). Drawn from a random generator of its
own, never from the demo's main one: a network without configured sheets is untouched.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from etl.core.activity_sheets import ActivitySheet, Column
from etl.core.config import NetworkConfig
from etl.core.duty import report_dues
from etl.core.stand import add_months

FOLLOW_SHARE = 0.7  # records that get their follow-up row
TEXTS = ("Weser Consult GmbH", "Leine Innovationsberatung", "TechTransfer Nord e. K.",
         "Beratungshaus Deister", "Innovationsbüro Steinhuder Meer")
FALLBACK_COMPANY = ("Musterbetrieb GmbH", "30159")

Sheets = dict[str, list[dict]]


def _value(col: Column, rng: random.Random, index: int) -> object:
    """A plausible value of a column that the rules do not fix."""
    if col.type == "choice":
        return rng.choice(col.choices)
    if col.type in ("integer", "money"):
        low, high = col.low, min(col.high, col.low + 10 if col.type == "integer" else col.high)
        if col.type == "integer":
            return rng.randint(int(low), int(high))
        # modest amounts: multiples of 500 € up to a quarter of the column's maximum
        steps = [Decimal(v) for v in range(500, int(high / 4) + 1, 500) if Decimal(v) >= low]
        return rng.choice(steps) if steps else low
    if col.type in ("text", "id"):
        return TEXTS[index % len(TEXTS)] if col.required or rng.random() < 0.8 else None
    return None


def _module(config: NetworkConfig, sheet: ActivitySheet, code: str, year: int) -> str:
    """A module the partner has targets of the sheet's measures in, else the first module."""
    keys = {m.key for m in sheet.measures}
    targeted = [mod for (p, mod, y, k) in config.targets if p == code and y == year and k in keys]
    return targeted[0] if targeted else config.modules[0]


def _new_rows(config: NetworkConfig, sheet: ActivitySheet, code: str, month: date,
              sheets: Sheets, rng: random.Random) -> list[dict]:
    """The records a partner-month starts (their first row)."""
    people = [(r["Unternehmen"], r["PLZ"]) for r in sheets.get("Teilnehmende", [])]
    n = rng.choice((0, 1, 1, 2, 2, 3)) if people else 0
    rows = []
    for i in range(n):
        company, plz = rng.choice(people) if people else FALLBACK_COMPANY
        row = {c.name: _value(c, rng, i) for c in sheet.columns}
        for c in sheet.columns:
            row[c.name] = {
                "id": f"{code}-{sheet.key[:2].upper()}-{month:%y%m}-{i + 1:02d}",
                "date": month.replace(day=rng.randint(1, 20)),
                "company": company,
                "plz": plz,
                "module": _module(config, sheet, code, config.year_of(month)),
            }.get(c.type, row[c.name])
        if sheet.follows is not None:
            row[sheet.follows.column] = sheet.follows.after
        rows.append(row)
    return rows


def _follow_up(sheet: ActivitySheet, row: dict, month: date, rng: random.Random) -> dict:
    later = dict(row)
    later[sheet.follows.column] = sheet.follows.value
    first = row[sheet.date_column]
    earliest = first.day if first.replace(day=1) == month else 1
    later[sheet.date_column] = month.replace(day=rng.randint(earliest, 28))
    for col in sheet.columns:
        if col.type == "money" and later.get(col.name) is not None:
            cut = Decimal(rng.choice((0, 0, 0, 250)))
            later[col.name] = max(col.low, later[col.name] - cut)
    return later


def _arrives_later(config: NetworkConfig, code: str, month: date, later: date) -> bool:
    """Whether the report of ``later`` surely arrives after that of ``month`` (due in a
    later month; the same month is one file): a quarter's months are due together."""
    dues = report_dues(config, code)

    def due(m: date) -> date:
        return (dues.get(m) or add_months(m, 1)).replace(day=1)

    return later == month or due(later) > due(month)


def fill(config: NetworkConfig, reports: dict[tuple[str, date], Sheets], seed: int) -> None:
    """Add the configured sheets' rows to every report (in place); no-op without any."""
    for number, sheet in enumerate(config.activity_sheets):
        rng = random.Random(f"{seed}-{number}-{sheet.key}")
        for (code, month), sheets in sorted(reports.items()):
            sheets.setdefault(sheet.sheet, [])
            for row in _new_rows(config, sheet, code, month, sheets, rng):
                sheets[sheet.sheet].append(row)
                if sheet.follows is None or rng.random() > FOLLOW_SHARE:
                    continue
                later = add_months(month, rng.randint(0, 3))
                if (code, later) in reports and _arrives_later(config, code, month, later):
                    reports[(code, later)].setdefault(sheet.sheet, []).append(
                        _follow_up(sheet, row, later, rng))
