"""The EU output indicators, target vs actual per year: the ``indicators`` key of ``python -m
etl report``, the Excel export (``python -m etl export indikatoren``), usable as the indicator
part of the final report, and the rows the page Indikatoren shows.

The indicators and their counting rules are configuration (:mod:`etl.core.indicators`);
the companies come from ``fact_reach`` (the same rows as every other company figure).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime
from fractions import Fraction
from typing import TYPE_CHECKING

import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.indicators import SIZE_CLASSES, Indicator, YearCount, count, total_target
from etl.core.stand import add_months, first_of
from etl.documents.book import Column, Cover, Table, workbook_bytes
from etl.warehouse import queries

if TYPE_CHECKING:
    from sqlalchemy import Engine

SIZE_HEADERS = {
    "Kleinst": "davon Kleinst",
    "Klein": "davon Klein",
    "Mittel": "davon Mittel",
    "Groß": "davon Groß",
}


Partners = Sequence[str] | None  # None: every partner (the network)


def scope_reach(reach: pd.DataFrame, partners: Partners) -> pd.DataFrame:
    """The reach rows of the partners given (None: all)."""
    if partners is None or reach.empty:
        return reach
    return reach[reach["partner_code"].astype(str).isin(list(partners))]


def results(
    config: NetworkConfig, reach: pd.DataFrame, partners: Partners = None
) -> list[tuple[Indicator, list[YearCount]]]:
    """Each configured indicator with its counts per project year, for ``partners`` (None:
    the network; across partners a company reached by several counts once, with the
    network-wide size class; one partner: its own report of the class). The targets are the
    network's: for some partners only, the indicators come without targets."""
    rows = scope_reach(reach, partners)
    network = partners is None or len(partners) != 1
    whole = partners is None or set(partners) >= set(config.partner_codes)
    return [
        (
            ind if whole else replace(ind, targets={}),
            count(ind if whole else replace(ind, targets={}), rows, config.years, network=network),
        )
        for ind in config.indicators
    ]


def _size_total(counts: list[YearCount]) -> dict[str, int]:
    if not counts or not counts[0].by_size:
        return {}
    return {c: sum(y.by_size[c] for y in counts) for c in SIZE_CLASSES}


def indicator_report(
    engine: Engine, config: NetworkConfig, stand: date | None = None
) -> list[dict]:
    """The network's indicators for ``report --json``: per year target, actual (companies
    first reached in the year), both cumulated, by size class where split; and the totals.
    With a Stand (first of a month) only activities up to its end count."""
    reach = queries.company_reach_by_group(engine)
    if stand is not None and not reach.empty:
        end = pd.Timestamp(add_months(first_of(stand), 1))
        reach = reach[pd.to_datetime(reach["activity_date"]) < end]
    out = []
    for ind, counts in results(config, reach):
        out.append(
            {
                "code": ind.code,
                "name": ind.name,
                "counted_as": ind.counted_as,
                "modules": list(ind.modules),
                "years": [
                    {
                        "year": y.year,
                        "target": y.target,
                        "actual": y.actual,
                        "target_cumulative": y.target_cumulative,
                        "actual_cumulative": y.actual_cumulative,
                        **({"by_size": y.by_size} if y.by_size else {}),
                    }
                    for y in counts
                ],
                "total": {
                    "target": total_target(ind, config.years),
                    "actual": counts[-1].actual_cumulative if counts else 0,
                    **({"by_size": _size_total(counts)} if ind.split_by_size else {}),
                },
            }
        )
    return out


def _share(actual: int, target: int | None) -> Fraction | None:
    return Fraction(actual, target) if target else None


def _sizes(ind: Indicator, by_size: dict[str, int]) -> list[object]:
    return [by_size.get(c) if ind.split_by_size else None for c in SIZE_CLASSES]


def _rows(
    config: NetworkConfig, reach: pd.DataFrame, partners: Partners, years: Sequence[int] | None
) -> list[list[object]]:
    rows: list[list[object]] = []
    for ind, counts in results(config, reach, partners):
        for y in counts:
            if not years or y.year in years:
                rows.append(
                    [
                        ind.code,
                        ind.name,
                        y.year,
                        y.target,
                        y.actual,
                        y.target_cumulative,
                        y.actual_cumulative,
                        _share(y.actual_cumulative, y.target_cumulative),
                        *_sizes(ind, y.by_size),
                    ]
                )
        if not years:
            target = total_target(ind, config.years)
            actual = counts[-1].actual_cumulative if counts else 0
            rows.append(
                [
                    ind.code,
                    ind.name,
                    "Laufzeit",
                    target,
                    actual,
                    target,
                    actual,
                    _share(actual, target),
                    *_sizes(ind, _size_total(counts)),
                ]
            )
    return rows


def scope_text(partners: Partners) -> str:
    """Whose companies the figures count, in German."""
    if partners and len(partners) == 1:
        return f"Partner {partners[0]}"
    named = f"Partner {', '.join(partners)}" if partners else "Netzwerk"
    return f"{named} (jedes Unternehmen einmal gezählt)"


def indicator_tables(
    config: NetworkConfig,
    reach: pd.DataFrame,
    partners: Partners = None,
    years: Sequence[int] | None = None,
) -> list[Table]:
    """The export's sheets: target vs actual per indicator and year (``years``: only these;
    None: every year and the whole period), and the definitions."""
    columns = [
        Column("Code"),
        Column("Indikator", width=48),
        Column("Jahr", "id"),
        Column("Ziel", "int"),
        Column("Ist (im Jahr neu)", "int"),
        Column("Ziel kumuliert", "int"),
        Column("Ist kumuliert", "int"),
        Column("Erreichung kumuliert", "pct"),
        *(Column(SIZE_HEADERS[c], "int") for c in SIZE_CLASSES),
    ]
    soll_ist = Table(
        "Soll-Ist",
        columns,
        _rows(config, reach, partners, years),
        note=f"{scope_text(partners)}. Ein Unternehmen zählt im Jahr seiner ersten Teilnahme; "
        "Größenklasse nach der jüngsten Meldung. Ziele aus der Konfiguration; sie gelten für "
        "das ganze Netzwerk (leer: kein Ziel).",
    )
    definitions = Table(
        "Definitionen",
        [
            Column("Code"),
            Column("Indikator", width=48),
            Column("Definition", width=70),
            Column("Zählweise", width=70),
            Column("Ziele je Jahr", width=30),
        ],
        [
            [
                i.code,
                i.name,
                i.definition,
                i.counting_text(),
                ", ".join(f"{y}: {n}" for y, n in sorted(i.targets.items())) or "keine",
            ]
            for i in config.indicators
        ],
    )
    return [soll_ist, definitions]


def check_scope(config: NetworkConfig, partner: str | None, year: int | None) -> None:
    """ValueError (German) for an unknown partner or a year outside the period."""
    if partner is not None and partner not in config.partner_codes:
        raise ValueError(
            f"Unbekannter Partner '{partner}'. Bekannt: {', '.join(config.partner_codes)}"
        )
    if year is not None and year not in config.years:
        raise ValueError(f"Das Jahr {year} liegt außerhalb der Projektlaufzeit.")


def file_name(partner: str | None, year: int | None) -> str:
    """``Indikatorenbericht_DO_2025.xlsx`` or ``Indikatorenbericht_Netzwerk.xlsx``."""
    return (
        "_".join(["Indikatorenbericht", partner or "Netzwerk", *([str(year)] if year else [])])
        + ".xlsx"
    )


def indicator_workbook(engine: Engine, config: NetworkConfig, **scope) -> bytes:
    """The indicator report as ``.xlsx`` bytes (cover, Soll-Ist, Definitionen)."""
    return workbook_bytes(*indicator_document(engine, config, **scope))


def indicator_document(
    engine: Engine,
    config: NetworkConfig,
    *,
    partner: str | None = None,
    year: int | None = None,
    exported_by: str,
    stand: str,
    exported_at: datetime | None = None,
) -> tuple[Cover, list]:
    """The indicator report's cover and tables (Soll-Ist, Definitionen)."""
    check_scope(config, partner, year)
    reach = queries.company_reach_by_group(engine)
    scope = f"{partner} – {config.partner(partner).name}" if partner else "gesamtes Netzwerk"
    cover = Cover(
        "Outputindikatoren (EFRE) – Soll und Ist",
        [
            ("Partner", scope),
            ("Jahr", str(year) if year else "ganze Laufzeit"),
            ("Projektlaufzeit", f"{config.start:%d.%m.%Y} bis {config.end:%d.%m.%Y}"),
        ],
        stand=stand,
        exported_by=exported_by,
        exported_at=exported_at or datetime.now(),
        network=config.name,
    )
    tables = indicator_tables(
        config, reach, (partner,) if partner else None, (year,) if year else None
    )
    return cover, tables
