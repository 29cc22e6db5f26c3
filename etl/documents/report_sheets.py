"""The configured activity sheets in ``report`` (key ``activity_sheets``, only for a network
that configures any; :mod:`etl.core.activity_sheets`): per sheet, one row per partner x
year of the project with each measure (months up to the Berichtsstand, like every activity
figure) and its target summed over the modules; and the text report's section."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from etl.core import stand as berichtsstand
from etl.core.activity_sheets import ActivitySheet, Measure
from etl.core.config import NetworkConfig
from etl.core.money import format_eur
from etl.core.normalise import round_cents
from etl.warehouse import queries

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _shown(measure: Measure, value: Decimal | int) -> str | int:
    """A value as the JSON report gives it: counts as int, euros as text with two decimals."""
    return f"{Decimal(value):.2f}" if measure.unit == "eur" else int(value)


def _sums(engine: Engine, config: NetworkConfig, stand: date | None) -> dict[tuple, Decimal]:
    """(partner, year, measure) -> value of the months up to ``stand``."""
    df = queries.sheet_measures(engine, config)
    end = berichtsstand.add_months(berichtsstand.first_of(stand), 1) if stand else None
    out: dict[tuple, Decimal] = {}
    for r in df.itertuples(index=False):
        if end is None or r.month < end:
            key = (r.partner_code, config.year_of(r.month), r.measure)
            out[key] = out.get(key, Decimal(0)) + Decimal(r.value)
    return out


def _targets(config: NetworkConfig, code: str, year: int, measure: Measure) -> dict:
    values = [v for (p, _m, y, k), v in config.targets.items()
              if p == code and y == year and k == measure.key]
    return {measure.key: _shown(measure, sum(values))} if values else {}


def _sheet(sheet: ActivitySheet, config: NetworkConfig, sums: dict) -> dict:
    rows = []
    for code in config.partner_codes:
        for year in config.years:
            row: dict = {"partner": code, "year": year}
            targets: dict = {}
            for m in sheet.measures:
                row[m.key] = _shown(m, sums.get((code, year, m.key), 0))
                targets.update(_targets(config, code, year, m))
            rows.append({**row, "targets": targets})
    return {
        "key": sheet.key,
        "sheet": sheet.sheet,
        "label": sheet.label,
        "measures": [{"key": m.key, "label": m.label, "unit": m.unit} for m in sheet.measures],
        "rows": rows,
    }


def activity_sheets(engine: Engine, config: NetworkConfig, stand: date | None = None) -> list:
    """One entry per configured sheet: its measures and one row per partner x year (every
    measure, zeros where nothing was reported; ``targets``: the configured ones)."""
    sums = _sums(engine, config, stand)
    return [_sheet(sheet, config, sums) for sheet in config.activity_sheets]


def _text(measure: dict, value: object) -> str:
    if measure["unit"] == "eur":
        return format_eur(round_cents(Decimal(value)))
    return f"{int(value):,}".replace(",", ".")


def sections(rep: dict, table) -> list[str]:
    """The text report's section of each configured sheet (``table(headers, rows)``: the
    report's table layout): lines with a value or a target, "Ist (Ziel …)"."""
    out = []
    for sheet in rep.get("activity_sheets", ()):
        measures = sheet["measures"]
        rows = []
        for r in sheet["rows"]:
            if not any(r[m["key"]] not in (0, "0.00") for m in measures) and not r["targets"]:
                continue
            cells = []
            for m in measures:
                cell = _text(m, r[m["key"]])
                if m["key"] in r["targets"]:
                    cell += f" (Ziel {_text(m, r['targets'][m['key']])})"
                cells.append(cell)
            rows.append([r["partner"], str(r["year"]), *cells])
        out.append(f"{sheet['label']}\n" + table(["Partner", "Jahr",
                                                  *(m["label"] for m in measures)], rows))
    return out
