"""The configured activity sheets (``[[activity_sheets]]``) in the Aktivitäten export: per
sheet its measures against their targets at the targets' grain (partner x module x year)
and by month and partner, from the page's calculation (dashboard.calc.sheets). Nothing
without configured sheets."""

from __future__ import annotations

from datetime import date

from dashboard import filters as flt
from dashboard.calc import sheets as calc
from etl.core.config import NetworkConfig
from etl.documents.book import Column, Table


def _kind(unit: str) -> str:
    return "money" if unit == "eur" else "int"


def _measure_columns(sheet, prefix: str = "") -> list[Column]:
    return [Column(f"{prefix}{m.label}", _kind(m.unit), total=True) for m in sheet.measures]


def actual_and_target(rows, sheet, config: NetworkConfig, f: flt.Filters) -> Table:
    """Partner x module x year: every measure's value and target (money in cents)."""
    keys, measures = ["partner_code", "module", "year"], [m.key for m in sheet.measures]
    actual = calc.wide(rows, keys, measures)
    targets = flt.apply(calc.targets_frame(config), f)[[*keys, *measures]]
    both = targets.merge(actual, on=keys, how="outer", suffixes=("_target", ""))
    both = both.fillna(0).sort_values(keys)
    out = [
        [
            r["partner_code"],
            r["module"] or "–",
            int(r["year"]),
            *[int(r[m]) for m in measures],
            *[int(r[f"{m}_target"]) for m in measures],
        ]
        for r in both.to_dict("records")
    ]
    cols = [Column("Partner"), Column("Modul"), Column("Jahr", "id")]
    cols += _measure_columns(sheet) + _measure_columns(sheet, "Ziel ")
    return Table(
        f"{sheet.label} Ist und Ziel",
        cols,
        out,
        note="Beträge in Euro; Ziele je Partner, Modul und Jahr aus der Konfiguration.",
    )


def monthly(rows, sheet) -> Table:
    """Month x partner: every measure's value."""
    measures = [m.key for m in sheet.measures]
    wide = calc.wide(rows, ["month", "partner_code"], measures)
    out = [
        [r["month"], r["partner_code"], *[int(r[m]) for m in measures]]
        for r in wide.to_dict("records")
    ]
    cols = [Column("Monat", "month"), Column("Partner"), *_measure_columns(sheet)]
    return Table(f"{sheet.label} monatlich", cols, out)


def sheet_tables(facts, config: NetworkConfig, f: flt.Filters, as_of: date) -> list[Table]:
    """Two tables per configured sheet (none without [[activity_sheets]])."""
    tables = []
    for sheet in config.activity_sheets:
        mine = facts[facts["sheet_key"] == sheet.key] if not facts.empty else facts
        rows = calc.in_view(mine, f, as_of, {m.key: m.unit for m in sheet.measures})
        tables += [actual_and_target(rows, sheet, config, f), monthly(rows, sheet)]
    return tables
