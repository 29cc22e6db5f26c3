"""Belegliste: the receipts behind the material costs, per partner and year or any period.

One sheet per cost position (Sachkosten, Fremdleistungen, Reisekosten), receipts in
chronological order with receipt number, receipt date, payment date, payee, purpose and
amount, and the position's total; an overview sheet with the totals per partner x year x
position and overall. The receipts are the current ``Ausgaben`` rows, the same rows
``fact_monthly`` sums, so for a calendar year the totals equal ``python -m etl report``
(``expenditure`` and, with material as booked, ``eligible.material``) to the cent.

With material at the flat rate the overview shows the flat-rate calculation (personnel x
rate per partner and year, as the report computes it) instead, and the receipts stay listed,
marked "nachrichtlich" (recorded, not counted as eligible).

The content is :class:`etl.documents.book.Table` objects (:func:`belegliste_tables`), so any
renderer of those tables (Excel here, PDF elsewhere) prints the same list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.money import eligible_costs, format_eur
from etl.core.years import year_label, year_of, years_of
from etl.documents.book import Column, Cover, Table, build, to_bytes
from etl.intake.contract.expenditure import COST_CATEGORIES
from etl.warehouse import queries
from etl.workflow import plan

if TYPE_CHECKING:
    from openpyxl import Workbook
    from sqlalchemy import Engine

NACHRICHTLICH = "nachrichtlich"


@dataclass(frozen=True)
class Scope:
    """Which partners and reporting months the list covers (months as their first day)."""

    partners: tuple[str, ...]
    partner: str | None  # None: the whole project
    first: date
    last: date
    year: int | None = None  # set when the period is one project year
    start: int = 1  # the month project years start in (etl.core.years)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(year_of(self.first, self.start), year_of(self.last, self.start) + 1))

    def year_text(self, year: int) -> str | int:
        """A year in a table: the number, or "2025/26" for a project year."""
        return year if self.start == 1 else year_label(year, self.start)

    @property
    def period(self) -> str:
        if self.year:
            return year_label(self.year, self.start)
        return f"{self.first:%m/%Y} bis {self.last:%m/%Y}"

    @property
    def title(self) -> str:
        return f"Belegliste {self.partner or 'gesamtes Projekt'} – {self.period}"


def _month(value: date) -> date:
    return value.replace(day=1)


def scope_of(
    config: NetworkConfig,
    partner: str | None = None,
    year: int | None = None,
    first: date | None = None,
    last: date | None = None,
) -> Scope:
    """The scope for a partner code (or None), and a project year or a range of reporting
    months (neither: the whole period); ValueError with a German message else."""
    if partner is not None and partner not in config.partner_codes:
        raise ValueError(
            f"Unbekannter Partner '{partner}'. Bekannt: {', '.join(config.partner_codes)}"
        )
    start, end = _month(config.start), _month(config.end)
    if year is not None:
        if year not in config.years:
            raise ValueError(f"Das Jahr {year} liegt außerhalb der Projektlaufzeit.")
        span = config.year_span(year)
        first, last = max(start, span[0]), min(end, _month(span[1]))
    first, last = _month(first or start), _month(last or end)
    if not start <= first <= last <= end:
        raise ValueError(
            f"Der Zeitraum {first:%m/%Y} bis {last:%m/%Y} liegt nicht in der Projektlaufzeit "
            f"({start:%m/%Y} bis {end:%m/%Y}) oder endet vor seinem Beginn."
        )
    partners = (partner,) if partner else config.partner_codes
    return Scope(partners, partner, first, last, year, config.year_start_month)


def file_name(scope: Scope) -> str:
    """``Belegliste_DO_2025.xlsx``, ``Belegliste_DO_2025-03_bis_2025-06.xlsx``, or
    ``Belegliste_Projekt.xlsx`` (whole project, whole period)."""
    who = scope.partner or "Projekt"
    if scope.year:
        return f"Belegliste_{who}_{scope.period.replace('/', '-')}.xlsx"
    return f"Belegliste_{who}_{scope.first:%Y-%m}_bis_{scope.last:%Y-%m}.xlsx"


def receipts(engine: Engine, scope: Scope) -> pd.DataFrame:
    """One row per current receipt of the scope, chronological (receipt date, partner,
    receipt number)."""
    df = queries.receipt_rows(engine, partners=list(scope.partners), years=list(scope.years))
    if df.empty:
        return df
    months = pd.to_datetime(df["month"]).dt.date
    return df[(months >= scope.first) & (months <= scope.last)].reset_index(drop=True)


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _day(value: object) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def position_table(df: pd.DataFrame, category: str, scope: Scope, *, flat: bool) -> Table:
    """The receipts of one cost position, chronological, with the position's total."""
    many = scope.partner is None
    part = df[df["cost_category"] == category] if not df.empty else df
    rows = [
        [
            *([r.partner_code] if many else []),
            r.receipt_no,
            _day(r.booking_date),
            _day(r.payment_date),
            _text(r.payee),
            _text(r.purpose) or _text(r.description),
            int(r.amount_cents),
        ]
        for r in part.itertuples(index=False)
    ]
    columns = [
        *([Column("Partner", width=9)] if many else []),
        Column("Belegnummer", width=18),
        Column("Belegdatum", "date"),
        Column("Zahlungsdatum", "date"),
        Column("Zahlungsempfänger", width=34),
        Column("Verwendungszweck", width=52),
        Column("Betrag", "money", total=True),
    ]
    note = (
        "Nachrichtlich: bei pauschalen Sachausgaben gebucht, aber nicht als förderfähig angesetzt. "
        if flat
        else ""
    ) + "Ohne Verwendungszweck steht die Beschreibung des Belegs; ohne Zahlungsdatum: bis "
    note += "zum Ende des Berichtsmonats nicht bezahlt oder mit Vorlagenversion 1 gemeldet."
    sheet = f"{category} ({NACHRICHTLICH})" if flat else category
    return Table(sheet, columns, rows, totals_label=f"Summe {category}", note=note)


def _summary_booked(df: pd.DataFrame, scope: Scope) -> Table:
    """Receipts and amounts per partner x year x cost position (zeros where none)."""
    years = years_of(df["month"], scope.start).to_numpy() if not df.empty else None
    rows = []
    for p in scope.partners:
        for y in scope.years:
            for category in COST_CATEGORIES:
                mine = (
                    df[(df["partner_code"] == p) & (years == y) & (df["cost_category"] == category)]
                    if not df.empty
                    else df
                )
                cents = int(mine["amount_cents"].sum()) if len(mine) else 0
                rows.append([p, scope.year_text(y), category, len(mine), cents])
    columns = [
        Column("Partner"),
        Column("Jahr", "id"),
        Column("Kostenposition", width=18),
        Column("Belege", "int", total=True),
        Column("Betrag", "money", total=True),
    ]
    note = (
        "Sachausgaben wie gebucht: Summen je Kostenposition und gesamt wie im Bericht "
        "(python -m etl report) und im Zahlenteil des Verwendungsnachweises, auf den Cent."
    )
    return Table("Übersicht", columns, rows, totals_label="Summe Sachausgaben", note=note)


def _personnel(engine: Engine, scope: Scope) -> dict[tuple[str, int], int]:
    """Personnel cents per partner x year within the scope's months (from ``fact_monthly``,
    as the report sums it)."""
    facts = queries.monthly_facts(
        engine,
        partners=list(scope.partners),
        years=list(scope.years),
        measures=["personnel_cents"],
    )
    out: dict[tuple[str, int], int] = {}
    for r in facts.itertuples(index=False):
        if scope.first <= r.month.date() <= scope.last:
            key = (r.partner_code, int(r.year))
            out[key] = out.get(key, 0) + int(r.value)
    return out


def _summary_flat(engine: Engine, df: pd.DataFrame, config: NetworkConfig, scope: Scope) -> Table:
    """The flat-rate calculation per partner x year: personnel x rate, and the receipts
    booked (nachrichtlich)."""
    personnel = _personnel(engine, scope)
    years = years_of(df["month"], scope.start).to_numpy() if not df.empty else None
    rate, rows = config.rules.material_flat_rate, []
    for p in scope.partners:
        funding = config.partner(p).funding_rate
        for y in scope.years:
            cents = personnel.get((p, y), 0)
            flat = eligible_costs(cents, 0, funding, config.rules).material
            booked = df[(df["partner_code"] == p) & (years == y)] if not df.empty else df
            listed = int(booked["amount_cents"].sum()) if len(booked) else 0
            rows.append([p, scope.year_text(y), cents, rate, flat, listed])
    columns = [
        Column("Partner"),
        Column("Jahr", "id"),
        Column("Personalausgaben", "money", total=True),
        Column("Pauschalsatz", "pct"),
        Column("Sachausgaben pauschal", "money", total=True),
        Column(f"Belege ({NACHRICHTLICH})", "money", total=True),
    ]
    note = (
        f"Sachausgaben pauschal: {rate * 100:.0f} % der Personalausgaben je Partner und Jahr, "
        "auf den Cent gerundet (wie im Bericht). Die gebuchten Belege sind nachrichtlich "
        "aufgeführt und nicht als förderfähig angesetzt."
    )
    return Table("Übersicht", columns, rows, totals_label="Summe", note=note)


def belegliste_tables(engine: Engine, config: NetworkConfig, scope: Scope) -> list[Table]:
    """The overview, then one table per cost position (``config``: the plan in force, see
    :func:`effective_config`)."""
    df = receipts(engine, scope)
    flat = config.rules.material_mode == "flat"
    overview = _summary_flat(engine, df, config, scope) if flat else _summary_booked(df, scope)
    return [overview, *(position_table(df, c, scope, flat=flat) for c in COST_CATEGORIES)]


def effective_config(engine: Engine, config: NetworkConfig) -> NetworkConfig:
    """The configuration with the current finance plan (material mode, funding rates)."""
    return plan.current_config(engine, config)


def cover(config: NetworkConfig, scope: Scope, tables: list[Table], **who) -> Cover:
    """The cover sheet: partner, period, how material costs count, the total."""
    flat = config.rules.material_mode == "flat"
    total = tables[0].totals()[4]  # both overviews: the eligible material costs
    names = ", ".join(f"{p} – {config.partner(p).name}" for p in scope.partners)
    fields = [
        ("Partner", names),
        ("Zeitraum (Berichtsmonate)", f"{scope.first:%m/%Y} bis {scope.last:%m/%Y}"),
        ("Sachausgaben", "pauschal (Belege nachrichtlich)" if flat else "wie gebucht (Belege)"),
        ("Belege", str(sum(len(t.rows) for t in tables[1:]))),
        ("Förderfähige Sachausgaben", format_eur(total)),
    ]
    return Cover(scope.title, fields, network=config.name, **who)


def _print_setup(wb: Workbook) -> None:
    """A4 landscape, one page wide, header row repeated on every page."""
    for ws in wb.worksheets:
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        if ws.max_row > 1 and ws.title != wb.worksheets[0].title:
            ws.print_title_rows = "1:1"


def belegliste_document(
    engine: Engine,
    config: NetworkConfig,
    scope: Scope,
    *,
    exported_by: str,
    stand: str,
    exported_at: datetime | None = None,
) -> tuple[Cover, list[Table]]:
    """The Belegliste's cover and tables for ``scope`` (Excel and PDF are made of them)."""
    effective = effective_config(engine, config)
    tables = belegliste_tables(engine, effective, scope)
    who = {"exported_by": exported_by, "stand": stand, "exported_at": exported_at or datetime.now()}
    return cover(effective, scope, tables, **who), tables


def belegliste_workbook(engine: Engine, config: NetworkConfig, scope: Scope, **who) -> bytes:
    """The Belegliste workbook (.xlsx bytes) for ``scope``."""
    wb = build(*belegliste_document(engine, config, scope, **who))
    _print_setup(wb)
    return to_bytes(wb)
