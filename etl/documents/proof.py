"""The numerical part of the proof of use: Zwischennachweis (one year) or Verwendungsnachweis
(the whole period), for one partner or the whole project.

Every figure is taken from :func:`etl.documents.report.build_report` (the figures of ``python -m etl
report`` and the dashboard) or from the rows behind it, so the workbook reconciles with both
to the cent: personnel by pay group and billing, overheads, material costs (the receipts, or
the flat rate), eligible costs, the grant and its split, payments received, and the activity
figures by module for the narrative report (Sachbericht).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.labels import eligible_headers
from etl.core.money import hourly_rate
from etl.documents import proof_cuts
from etl.documents.book import Column, Cover, Table, workbook_bytes
from etl.documents.pdf import document_bytes
from etl.documents.report import ELIGIBLE_KEYS, build_report
from etl.warehouse import queries
from etl.workflow import plan
from etl.workflow.payments import STATUS_LABELS

if TYPE_CHECKING:
    from sqlalchemy import Engine

MEASURE_HEADERS = ("Veranstaltungen", "Teilnehmende", "Coachings")
MATERIAL_TEXT = {"actual": "Ausgaben wie gebucht (Belege)", "flat": "pauschal"}


@dataclass(frozen=True)
class Scope:
    """Which partners and years the proof covers."""

    partners: tuple[str, ...]
    years: tuple[int, ...]
    partner: str | None  # None: the whole project
    year: int | None  # None: the whole period (Verwendungsnachweis)
    label: str = ""  # the year as shown ("2025", "2025/26"); file names use "2025-26"
    span: tuple[date, date] | None = None  # first and last day of the (whole) years

    @property
    def title(self) -> str:
        kind = f"Zwischennachweis {self.label}" if self.year else "Verwendungsnachweis"
        return f"{kind} – {self.partner or 'gesamtes Projekt'}"


def scope_of(config: NetworkConfig, partner: str | None, year: int | None) -> Scope:
    """The scope for a partner code (or None) and a project year (or None); ValueError else."""
    if partner is not None and partner not in config.partner_codes:
        raise ValueError(
            f"Unbekannter Partner '{partner}'. Bekannt: {', '.join(config.partner_codes)}"
        )
    if year is not None and year not in config.years:
        raise ValueError(f"Das Jahr {year} liegt außerhalb der Projektlaufzeit.")
    return Scope(
        (partner,) if partner else config.partner_codes,
        (year,) if year else config.years,
        partner,
        year,
        config.year_label(year) if year else "",
        config.years_span((year,) if year else config.years),
    )


def file_name(scope: Scope, fmt: str = "xlsx") -> str:
    """``Zwischennachweis_DO_2025.xlsx`` or ``Verwendungsnachweis_Projekt.pdf``."""
    kind = "Zwischennachweis" if scope.year else "Verwendungsnachweis"
    tag = scope.label.replace("/", "-")
    parts = [kind, scope.partner or "Projekt", *([tag] if scope.year else [])]
    return "_".join(parts) + f".{fmt}"


def _cents(euros: str) -> int:
    return int(Decimal(euros) * 100)


def _inside(scope: Scope, row: dict) -> bool:
    return row["partner"] in scope.partners and row["year"] in scope.years


def _rate(config: NetworkConfig, code: str) -> Decimal:
    """The funding rate a partner's grant follows (0 for a partner without funding)."""
    partner = config.partner(code)
    return partner.funding_rate if partner.funded else Decimal(0)


def _financing(rep: dict, config: NetworkConfig, scope: Scope) -> Table:
    """Per partner x year on the accepted amounts; with the claimed eligible costs beside
    them when a cut of the funding body changes any (proof_cuts)."""
    accepted = proof_cuts.accepted_rows(rep)
    claimed = proof_cuts.differs(rep, lambda r: _inside(scope, r))
    rows = [
        [r["partner"], config.year_cell(r["year"]), _rate(config, r["partner"])]
        + ([_cents(r["eligible_eur"])] if claimed else [])
        + [_cents(accepted[(r["partner"], r["year"])][f"{f}_eur"]) for f in ELIGIBLE_KEYS]
        for r in rep["eligible"]
        if _inside(scope, r)
    ]
    columns = [Column("Partner"), Column("Jahr", "id"), Column("Förderquote", "pct")]
    columns += [Column("Förderfähig beantragt", "money", total=True)] if claimed else []
    columns += [Column(h, "money", total=True) for h in eligible_headers(config)]
    return Table(
        "Finanzierung",
        columns,
        rows,
        note="Gemeinkosten = "
        f"{config.rules.overhead_rate * 100:.0f} % der Personalausgaben; EU-Anteil = "
        f"{config.rules.eu_share * 100:.0f} % der förderfähigen Ausgaben; "
        f"{config.state_name} = Zuwendung − {config.eu_name}; Eigenanteil = förderfähig − "
        "Zuwendung.",
    )


def _personnel(rep: dict, config: NetworkConfig, scope: Scope) -> Table:
    table, hours = config.rate_table(), config.rules.hours_per_year
    rows = []
    for r in rep["personnel"]:
        if not _inside(scope, r):
            continue
        monthly = r["billing"] == "Monat"
        rate = table.monthly[r["pay_group"]]
        rows.append(
            [
                r["partner"],
                config.year_cell(r["year"]),
                r["pay_group"],
                r["billing"],
                Decimal(r["quantity"]),
                "Monate" if monthly else "Stunden",
                rate
                if monthly
                else hourly_rate(table, r["pay_group"], hours).quantize(Decimal("0.0001")),
                _cents(r["amount_eur"]),
            ]
        )
    columns = [
        Column("Partner"),
        Column("Jahr", "id"),
        Column("Leistungsgruppe", "id"),
        Column("Abrechnung"),
        Column("Umfang", "decimal"),
        Column("Einheit"),
        Column("Satz (€ je Monat bzw. Stunde)", "rate"),
        Column("Betrag", "money", total=True),
    ]
    note = (
        f"Personalkostenpauschalen der Tabelle ab {table.valid_from:%d.%m.%Y}; Stundensatz = "
        f"Monatssatz × 12 / {hours}. Jede Personalzeile ist auf den Cent gerundet, die Summe "
        "kann daher um Cent von Umfang × Satz abweichen."
    )
    return Table("Personal", columns, rows, note=note)


def _receipts(engine: Engine, scope: Scope, sheet: str, note: str) -> Table:
    df = queries.expenditure_rows(engine, partners=list(scope.partners), years=list(scope.years))
    cuts = proof_cuts.scoped_cuts(engine, scope.partners, scope.years)
    extra_cols, extra = proof_cuts.receipt_columns(cuts, df)
    rows = [
        [
            r.partner_code,
            r.month,
            r.receipt_no,
            r.booking_date,
            r.cost_category,
            int(r.amount_cents),
            r.module,
            r.description,
            r.file_name,
            int(r.source_row),
            *more,
        ]
        for r, more in zip(df.itertuples(index=False), extra, strict=True)
    ]
    columns = [
        Column("Partner"),
        Column("Berichtsmonat", "month"),
        Column("Belegnummer"),
        Column("Belegdatum", "date"),
        Column("Kostenart"),
        Column("Betrag", "money", total=True),
        Column("Modul"),
        Column("Beschreibung", width=40),
        Column("Datei", width=36),
        Column("Zeile", "id"),
        *extra_cols,
    ]
    if extra_cols:
        columns[5] = Column("Betrag (beantragt)", "money", total=True)
    return Table(sheet, columns, rows, note=note)


def _material(engine: Engine, rep: dict, config: NetworkConfig, scope: Scope) -> list[Table]:
    if config.rules.material_mode == "actual":
        return [
            _receipts(
                engine,
                scope,
                "Sachausgaben",
                "Sachausgaben wie gebucht: jede "
                "Zeile ein Beleg aus den Monatsberichten (Blatt Ausgaben).",
            )
        ]
    rate = config.rules.material_flat_rate
    rows = [
        [r["partner"], config.year_cell(r["year"]), _cents(r["personnel_eur"]), rate,
         _cents(r["material_eur"])]
        for r in rep["eligible"]
        if _inside(scope, r)
    ]
    columns = [
        Column("Partner"),
        Column("Jahr", "id"),
        Column("Personal", "money", total=True),
        Column("Pauschalsatz", "pct"),
        Column("Sachausgaben pauschal", "money", total=True),
    ]
    flat = Table(
        "Sachausgaben",
        columns,
        rows,
        note=f"Pauschal {rate * 100:.0f} % der "
        "Personalausgaben je Partner und Jahr, auf den Cent gerundet.",
    )
    listed = _receipts(
        engine,
        scope,
        "Belege (nachrichtlich)",
        "Nachrichtlich: gebuchte Belege, bei pauschalen Sachausgaben nicht förderfähig angesetzt.",
    )
    return [flat, listed]


def _overlaps(scope: Scope, start, end) -> bool:
    """Whether the period ``start``–``end`` touches the scope's years."""
    first, last = scope.span if scope.span else (date.min, date.max)
    return pd.Timestamp(start).date() <= last and pd.Timestamp(end).date() >= first


def _payments(engine: Engine, scope: Scope) -> Table:
    df = queries.payment_requests(engine, partners=list(scope.partners))
    money = lambda v: None if v is None or pd.isna(v) else int(v)  # noqa: E731
    rows = [
        [
            int(r.id),
            r.partner_code,
            r.requested_date,
            r.period_start,
            r.period_end,
            int(r.requested_cents),
            STATUS_LABELS[r.status],
            r.approved_date,
            money(r.approved_cents),
            r.paid_date,
            money(r.paid_cents),
        ]
        for r in df.itertuples(index=False)
        if _overlaps(scope, r.period_start, r.period_end)
    ]
    columns = [
        Column("Nr.", "id"),
        Column("Partner"),
        Column("Abrufdatum", "date"),
        Column("Zeitraum von", "month"),
        Column("Zeitraum bis", "month"),
        Column("Beantragt", "money", total=True),
        Column("Status"),
        Column("Bewilligt am", "date"),
        Column("Bewilligt", "money", total=True),
        Column("Ausgezahlt am", "date"),
        Column("Erhaltene Zahlungen", "money", total=True),
    ]
    return Table(
        "Mittelabrufe",
        columns,
        rows,
        note="Mittelabrufe, deren Zeitraum in den "
        "Berichtszeitraum fällt; erhaltene Zahlungen = ausgezahlte Beträge.",
    )


def _activities(rep: dict, config: NetworkConfig, scope: Scope) -> Table:
    rows = [
        [
            r["partner"],
            r["module"],
            config.year_cell(r["year"]),
            r["events"],
            r["participants"],
            r["coachings"],
            Decimal(r["coaching_hours"]),
            r["companies"],
            *[
                config.targets.get((r["partner"], r["module"], r["year"], k), 0)
                for k in ("events", "participants", "coachings", "companies")
            ],
        ]
        for r in rep["activities"]
        if _inside(scope, r)
    ]
    columns = [Column("Partner"), Column("Modul"), Column("Jahr", "id")]
    columns += [Column(h, "int", total=True) for h in MEASURE_HEADERS]
    columns += [Column("Coachingstunden", "decimal", total=True)]
    columns += [Column("Unternehmen", "int", total=True)]
    columns += [Column(f"Ziel {h}", "int", total=True) for h in (*MEASURE_HEADERS, "Unternehmen")]
    return Table(
        "Aktivitäten",
        columns,
        rows,
        note="Unternehmen je Partner, Modul und Jahr "
        "gezählt (wie die Ziele); eindeutig über alles: siehe Deckblatt.",
    )


def _deadline(config: NetworkConfig, scope: Scope) -> date:
    if scope.year:
        return config.interim_due(scope.year)
    index = config.end.year * 12 + config.end.month - 1 + config.rules.final_proof_months
    y, m = divmod(index, 12)
    return date(y, m + 1, min(config.end.day, calendar.monthrange(y, m + 1)[1]))


def _cover(engine: Engine, rep: dict, config: NetworkConfig, scope: Scope, **who) -> Cover:
    first, last = config.years_period(scope.years)
    reach = queries.company_reach(engine, partners=list(scope.partners), years=list(scope.years))
    names = ", ".join(f"{p} – {config.partner(p).name}" for p in scope.partners)
    r = config.rules
    fields = [
        ("Partner", names),
        ("Berichtszeitraum", f"{first:%d.%m.%Y} bis {last:%d.%m.%Y}"),
        ("Frist", f"{_deadline(config, scope):%d.%m.%Y}"),
        ("Finanzplan", f"Version {rep['plan_version']}"),
        ("Pauschalentabelle", f"gültig ab {config.rate_table().valid_from:%d.%m.%Y}"),
        ("Gemeinkostenpauschale", f"{r.overhead_rate * 100:.0f} % der Personalausgaben"),
        ("Sachausgaben", MATERIAL_TEXT[r.material_mode]),
        ("Erreichte Unternehmen (eindeutig)", str(reach["company_id"].nunique())),
    ]
    return Cover(scope.title, fields, network=config.name, **who)


def proof_tables(engine: Engine, config: NetworkConfig, scope: Scope) -> tuple[dict, list[Table]]:
    """The report the proof rests on and its tables, in sheet order."""
    rep = build_report(engine, config)
    effective = plan.current_config(engine, config, rep["plan_version"])
    tables = [
        _financing(rep, effective, scope),
        _personnel(rep, effective, scope),
        *_material(engine, rep, effective, scope),
        _payments(engine, scope),
        _activities(rep, effective, scope),
        *proof_cuts.cut_table(proof_cuts.scoped_cuts(engine, scope.partners, scope.years)),
    ]
    return rep, tables


def proof_workbook(
    engine: Engine,
    config: NetworkConfig,
    scope: Scope,
    *,
    exported_by: str,
    stand: str,
    exported_at: datetime | None = None,
    fmt: str = "xlsx",
) -> bytes:
    """The proof of use for ``scope``: ``.xlsx`` bytes, or with ``fmt="pdf"`` the same cover
    and tables as a paginated A4 PDF."""
    rep, tables = proof_tables(engine, config, scope)
    effective = plan.current_config(engine, config, rep["plan_version"])
    who = {"exported_by": exported_by, "stand": stand, "exported_at": exported_at or datetime.now()}
    cover = _cover(engine, rep, effective, scope, **who)
    if fmt == "pdf":
        return document_bytes(cover, tables)
    return workbook_bytes(cover, tables)
