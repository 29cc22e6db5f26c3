"""The funding body's cuts in the proof of use: claimed and accepted side by side where they
differ (financing per partner x year, each receipt, and a sheet listing every cut)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from etl.core.years import years_of
from etl.documents.book import Column, Table
from etl.warehouse import queries
from etl.warehouse.years import start_month

if TYPE_CHECKING:
    from sqlalchemy import Engine


def _cents(euros: str) -> int:
    return int(Decimal(euros) * 100)


def scoped_cuts(engine: Engine, partners, years) -> pd.DataFrame:
    """The recorded cuts of ``partners`` in ``years`` (queries.audit_cuts)."""
    cuts = queries.audit_cuts(engine, partners=list(partners))
    if cuts.empty:
        return cuts
    return cuts[years_of(cuts["month"], start_month(engine)).isin(list(years)).to_numpy()]


def accepted_rows(rep: dict) -> dict[tuple[str, int], dict]:
    """The report's accepted figures by (partner, year)."""
    return {(r["partner"], r["year"]): r for r in rep["accepted"]["eligible"]}


def differs(rep: dict, inside) -> bool:
    """Whether any partner x year in scope has accepted figures other than the claimed."""
    return any(
        inside(r)
        and r["eligible_eur"] != accepted_rows(rep)[(r["partner"], r["year"])]["eligible_eur"]
        for r in rep["eligible"]
    )


def receipt_columns(cuts: pd.DataFrame, df: pd.DataFrame) -> tuple[list[Column], list[list]]:
    """The receipts sheet's extra columns (accepted amount, reason) and their values per row
    of ``df`` (queries.expenditure_rows), when a receipt in it was cut; else nothing."""
    cut = cuts[cuts["sheet"] == "Ausgaben"] if not cuts.empty else cuts
    if cut.empty or df.empty:
        return [], [[] for _ in range(len(df))]
    by_key = {
        (r.partner_code, pd.Timestamp(r.month), r.row_key): r for r in cut.itertuples(index=False)
    }
    values = []
    for r in df.itertuples(index=False):
        hit = by_key.get((r.partner_code, pd.Timestamp(r.month), r.receipt_no))
        accepted = min(int(hit.accepted_cents), int(r.amount_cents)) if hit else int(r.amount_cents)
        values.append([accepted, hit.reason if hit else None])
    return [Column("Anerkannt", "money", total=True), Column("Kürzungsgrund", width=40)], values


def cut_table(cuts: pd.DataFrame) -> list[Table]:
    """A sheet with every cut in scope (none when there is no cut)."""
    if cuts.empty:
        return []
    rows = []
    for r in cuts.itertuples(index=False):
        claimed = None if pd.isna(r.claimed_cents) else int(r.claimed_cents)
        accepted = int(r.accepted_cents) if claimed is None else min(int(r.accepted_cents), claimed)
        rows.append(
            [
                r.partner_code,
                r.month,
                r.sheet,
                r.row_key,
                claimed,
                accepted,
                0 if claimed is None else claimed - accepted,
                r.reason,
                r.decided_on,
            ]
        )
    columns = [
        Column("Partner"),
        Column("Berichtsmonat", "month"),
        Column("Blatt"),
        Column("Beleg/Kürzel"),
        Column("Beantragt", "money", total=True),
        Column("Anerkannt", "money", total=True),
        Column("Gekürzt", "money", total=True),
        Column("Grund", width=50),
        Column("Prüfung vom", "date"),
    ]
    return [
        Table(
            "Kürzungen",
            columns,
            rows,
            note="Kürzungen des Fördergebers je Beleg bzw. Personalzeile; die Finanzierung "
            "ist auf den anerkannten Beträgen berechnet. Beantragt leer: die Zeile steht "
            "nicht im aktuellen Monatsbericht, die Kürzung ruht.",
        )
    ]
