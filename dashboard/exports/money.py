"""Exports of the Finanzen page (and the payment tables the Mittelabrufe page shares):
the page's spending model (dashboard.calc.spending) and the payment position
(etl.workflow.payments)."""

from __future__ import annotations

import pandas as pd

from dashboard import filters as flt
from dashboard import planning
from dashboard.calc import spending as sp
from dashboard.exports import PageExport
from dashboard.exports.analysis import as_number, plan_label
from dashboard.exports.source import Source
from dashboard.labels import CATEGORY_LABELS
from dashboard.views.grids import budget_status
from dashboard.views.payments import POSITION_LABELS
from etl.core import figures
from etl.core.labels import eligible_labels
from etl.documents.book import Column, Table
from etl.warehouse import queries
from etl.workflow import cuts, payments


def _money_cols(*names: str, total: bool = True) -> list[Column]:
    return [Column(n, "money", total=total) for n in names]


def _lines(model: sp.Spending, config) -> Table:
    rows = [
        [
            r.partner_code,
            config.year_cell(r.year),
            CATEGORY_LABELS[r.category],
            int(r.plan),
            int(r.compare),
            int(r.actual),
            as_number(r.deviation),
            int(r.at_stake),
            budget_status(r.flag, r.direction, int(r.compare), int(r.plan)),
        ]
        for r in model.lines.itertuples(index=False)
    ]
    columns = [Column("Partner"), Column("Jahr", "id"), Column("Kostenart")]
    columns += _money_cols("Plan", "Plan bis Stand", "Ist") + [Column("Abweichung", "pct")]
    columns += _money_cols("im Risiko") + [Column("Status")]
    return Table(
        "Budgetzeilen",
        columns,
        rows,
        note="Abweichung vom Plan bis Stand (laufendes Jahr anteilig); größter Betrag im "
        "Risiko zuerst.",
    )


def _eligible(model: sp.Spending, config) -> Table:
    labels = eligible_labels(config)
    rows = [
        [r.partner_code, config.year_cell(r.year), *[int(getattr(r, k)) for k in labels]]
        for r in model.eligible.itertuples(index=False)
    ]
    columns = [Column("Partner"), Column("Jahr", "id"), *_money_cols(*labels.values())]
    return Table("Förderfähig", columns, rows)


def _burn(model: sp.Spending) -> Table:
    def cents(v):
        return None if v is None or pd.isna(v) else int(v)

    rows = [
        [r.month, cents(r.actual), cents(r.plan), cents(r.linear), cents(r.forecast)]
        for r in model.burn.itertuples(index=False)
    ]
    cols = [Column("Monat", "month")] + _money_cols(
        "Ist kumuliert", "Plan kumuliert", "Zeitlinie", "Prognose", total=False
    )
    return Table(
        "Mittelabfluss",
        cols,
        rows,
        note="Kumulierte förderfähige Ausgaben zum "
        "Monatsende; Prognose aus dem Durchschnitt der letzten gemeldeten Monate.",
    )


def _forecast(model: sp.Spending, config) -> Table:
    rows = [
        [r.partner_code, config.year_cell(r.year), int(r.plan), int(r.actual), int(r.forecast),
         int(r.at_risk)]
        for r in model.forecast.itertuples(index=False)
    ]
    cols = [Column("Partner"), Column("Jahr", "id")]
    cols += _money_cols(
        figures.name("plan"),
        figures.name("actual_to_date"),
        "Prognose Jahresende",
        figures.name("at_risk"),
    )
    return Table("Prognose", cols, rows, note=f"gefährdet: {figures.figure('at_risk').formula}")


def _deadlines(model: sp.Spending) -> Table:
    rows = [[d.label, d.due] for d in model.deadlines]
    return Table("Fristen", [Column("Nachweis", width=40), Column("Frist", "date")], rows)


def payment_tables(position: pd.DataFrame, requests: pd.DataFrame) -> list[Table]:
    """The payment position per partner (with totals) and the list of payment requests."""
    keys = [key for key, _label in POSITION_LABELS]
    labels = [label for _key, label in POSITION_LABELS]
    rows = [
        [r.partner_code, *[int(getattr(r, k)) for k in keys]]
        for r in position.itertuples(index=False)
    ]
    stand = Table(
        "Zahlungsstand",
        [Column("Partner"), *_money_cols(*labels)],
        rows,
        totals_label="Gesamt",
        note="Ausstehend: beantragt oder bewilligt, noch nicht "
        "ausgezahlt. Noch nicht abgerufen: förderfähige Ausgaben in Monaten, die kein "
        "Mittelabruf abdeckt.",
    )
    return [stand, request_table(requests)]


def request_table(requests: pd.DataFrame) -> Table:
    """The payment requests (Mittelabrufe), one row each, money with totals."""

    def cents(v):
        return None if v is None or pd.isna(v) else int(v)

    req_rows = [
        [
            int(r.id),
            r.partner_code,
            r.requested_date,
            r.period_start,
            r.period_end,
            int(r.requested_cents),
            payments.STATUS_LABELS[r.status],
            r.approved_date,
            cents(r.approved_cents),
            r.paid_date,
            cents(r.paid_cents),
            r.note,
        ]
        for r in requests.itertuples(index=False)
    ]
    req_cols = [
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
        Column("Ausgezahlt", "money", total=True),
        Column("Bemerkung", width=40),
    ]
    return Table("Mittelabrufe", req_cols, req_rows)


def payment_data(src: Source, config, partners: tuple[str, ...]):
    """(position per partner, payment requests) of ``partners``."""
    money = cuts.accepted_months(src.engine, src.frames("money_months")[0])  # as the page
    requests = src.visible(queries.payment_requests(src.engine, partners=list(partners)))
    return payments.position(money, requests, config, partners), requests


def finance(src: Source, query: dict, f: flt.Filters) -> PageExport:
    version = planning.version_from(query)
    config = src.plan_config(version)
    money = cuts.accepted_months(src.engine, src.frames("money_months")[0])  # as the page
    model = sp.spending(money, config, f, src.today)
    t = model.totals
    cards = Table(
        "Kennzahlen",
        _money_cols(
            "Förderfähige Ausgaben",
            "Plan",
            "Zuwendung",
            config.eu_name,
            config.state_name,
            "Eigenanteil",
            "Prognose",
            "gefährdet",
            total=False,
        ),
        [
            [
                t["eligible"],
                model.plan,
                t["grant"],
                t["eu"],
                t["state"],
                t["own"],
                int(model.forecast["forecast"].sum()),
                int(model.forecast["at_risk"].sum()),
            ]
        ],
    )
    position, requests = payment_data(src, config, f.partner_list(src.config))
    tables = [cards, _burn(model), _lines(model, config), _eligible(model, config),
              _forecast(model, config)]
    tables += [*payment_tables(position, requests), _deadlines(model)]
    return PageExport(
        tables,
        [
            ("Berichtsstand", f"{model.as_of:%m/%Y}"),
            ("Planstand", plan_label(src, version)),
            (
                "Hinweis",
                "Module gelten hier nicht: Kosten werden je Partner und Jahr abgerechnet; "
                "Mittelabrufe über die ganze Laufzeit.",
            ),
        ],
        filters_apply=("partners", "years"),
    )
