"""Export of the page Kürzungen: claimed vs accepted per partner x year, and every cut."""

from __future__ import annotations

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import cuts as calc
from dashboard.exports import PageExport
from dashboard.exports.source import Source
from etl.documents.book import Column, Table
from etl.warehouse import queries
from etl.workflow import cuts


def _money(*names: str) -> list[Column]:
    return [Column(n, "money", total=True) for n in names]


def cut_page(src: Source, _query: dict, f: flt.Filters) -> PageExport:
    """The page's two tables for the partners and years of the filter."""
    config = src.plan_config(None)
    partners, years = f.partner_list(config), f.years
    recorded = src.visible(queries.audit_cuts(src.engine))
    (money,) = src.frames("money_months")
    accepted = cuts.accepted_months(src.engine, money)
    cmp = calc.comparison(money, accepted, config, partners, years)
    compare = Table(
        "Beantragt und anerkannt",
        [
            Column("Partner"),
            Column("Jahr", "id"),
            *_money(
                "förderfähig beantragt",
                "förderfähig anerkannt",
                "Kürzung (förderfähig)",
                "Zuwendung beantragt",
                "Zuwendung anerkannt",
            ),
        ],
        cmp.values.tolist(),
    )
    rows = calc.cut_rows(recorded, partners, years, config.year_start_month)
    listed = Table(
        "Kürzungen",
        [
            Column("Partner"),
            Column("Monat", "month"),
            Column("Blatt"),
            Column("Beleg/Kürzel"),
            Column("Art"),
            *_money("beantragt", "anerkannt", "gekürzt"),
            Column("Grund", width=50),
            Column("Prüfung vom", "date"),
            Column("erfasst von"),
        ],
        [
            [
                r.partner_code,
                r.month,
                r.sheet,
                r.row_key,
                r.what,
                None if pd.isna(r.claimed_cents) else int(r.claimed_cents),
                int(r.accepted_cents),
                int(r.off),
                r.reason,
                r.decided_on,
                r.updated_by,
            ]
            for r in rows.itertuples(index=False)
        ],
        note="beantragt leer: die Zeile steht nicht im aktuellen Monatsbericht (Kürzung ruht).",
    )
    return PageExport([compare, listed], filters_apply=("partners", "years"))
