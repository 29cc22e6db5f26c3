"""The configured activity sheets (``[[activity_sheets]]``) in the Aktivitäten export: per
sheet its measures against their targets at the targets' grain (partner x module x year)
and by month and partner, from the page's calculation (dashboard.calc.sheets). Nothing
without configured sheets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

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
        units = {m.key: m.unit for m in sheet.measures}
        rows = calc.in_view(mine, f, as_of, units, config.year_start_month)
        tables += [actual_and_target(rows, sheet, config, f), monthly(rows, sheet)]
    return tables


def views(src, config: NetworkConfig, f: flt.Filters) -> list:
    """(sheet, calc.sheets.SheetView) of every configured sheet, as on the Übersicht."""
    if not config.activity_sheets:
        return []
    (facts,) = src.frames("sheet_measures")
    return calc.views(facts, config, f, f.as_of(src.config, src.today))


def _number(value, unit: str):
    """Cents as exact euros (an expectation rounded to the cent), counts as they are (a
    Fraction is written as a number)."""
    return Decimal(round(Fraction(value))) / 100 if unit == "eur" else value


def kpi_tables(shown: list) -> list[Table]:
    """One table per configured sheet: each measure against its target, as the cards."""
    cols = [
        Column("Kennzahl"),
        Column("Einheit"),
        Column("Ist", "decimal"),
        Column("Ziel", "decimal"),
        Column("zeitanteilig erwartet", "decimal"),
        Column("Zielerreichung", "pct"),
        Column("gegen Erwartung", "pct"),
    ]
    tables = []
    for sheet, view in shown:
        rows = []
        for m in sheet.measures:
            k = view.kpis[m.key]
            rows.append(
                [
                    m.label,
                    "Euro" if m.unit == "eur" else "Anzahl",
                    *[_number(v, m.unit) for v in (k.value, k.target, k.expected)],
                    _share(k.attainment),
                    _share(k.on_track),
                ]
            )
        tables.append(Table(f"{sheet.label} Kennzahlen", cols, rows))
    return tables


def _share(value):
    return None if value is None else float(value)
