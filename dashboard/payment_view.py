"""Tables of payment requests (Mittelabrufe) and of each partner's payment position; pure
functions of the frames from etl.payments and etl.queries."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import fmt, grids
from etl.payments import STATUS_LABELS

POSITION = (
    ("eligible", "Förderfähig angefallen"),
    ("grant", "Zuwendung darauf"),
    ("requested", "Beantragt"),
    ("paid", "Ausgezahlt"),
    ("outstanding", "Ausstehend"),
    ("open_eligible", "Förderfähig, noch nicht abgerufen"),
)
STATUS_COLORS = {"requested": "warning", "approved": "info", "paid": "success"}


def position_table(position: pd.DataFrame, table_id: str) -> dbc.Table:
    """Per partner and in total: eligible, grant due, requested, paid, outstanding, not yet
    requested (money in cents)."""
    head = html.Thead(
        html.Tr([html.Th("Partner"), *[html.Th(label, className="num") for _k, label in POSITION]])
    )
    rows = [
        html.Tr(
            [html.Td(r.partner_code), *[_money(getattr(r, k)) for k, _l in POSITION]],
            id=f"{table_id}-{r.partner_code}",
        )
        for r in position.itertuples(index=False)
    ]
    totals = html.Tr(
        [html.Th("Gesamt"), *[_money(position[k].sum(), True) for k, _l in POSITION]],
        id=f"{table_id}-total",
        className="table-light",
    )
    return dbc.Table(
        [head, html.Tbody([*rows, totals])],
        className="money-table mb-0",
        hover=True,
        responsive=True,
        id=table_id,
    )


def _money(cents, bold: bool = False) -> html.Td:
    return html.Td(fmt.eur(int(cents)), className="num" + (" fw-bold" if bold else ""))


def request_rows(requests: pd.DataFrame) -> list[dict]:
    """Rows for the payment request grid (money in cents, dates ISO)."""
    out = []
    for r in requests.itertuples(index=False):
        out.append(
            {
                "id": int(r.id),
                "partner": r.partner_code,
                "requested_date": r.requested_date.isoformat(),
                "period": f"{fmt.month_short(r.period_start)} – {fmt.month_short(r.period_end)}",
                "requested": int(r.requested_cents),
                "status": r.status,
                "status_label": STATUS_LABELS[r.status],
                "approved_date": _iso(r.approved_date),
                "approved": _cents(r.approved_cents),
                "paid_date": _iso(r.paid_date),
                "paid": _cents(r.paid_cents),
                "note": r.note,
            }
        )
    return out


def _iso(value) -> str | None:
    return None if value is None or pd.isna(value) else value.isoformat()


def _cents(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


REQUEST_COLUMNS = [
    grids.number_col("id", "Nr.", minWidth=75),
    grids.text_col("partner", "Partner", minWidth=105),
    grids.date_col("requested_date", "Abruf am", minWidth=125),
    grids.text_col("period", "Zeitraum", minWidth=200),
    grids.money_col("requested", "Beantragt", minWidth=140),
    {
        "field": "status_label",
        "headerName": "Status",
        "minWidth": 125,
        "cellClassRules": {
            "pay-requested": "params.data.status === 'requested'",
            "pay-approved": "params.data.status === 'approved'",
            "pay-paid": "params.data.status === 'paid'",
        },
    },
    grids.date_col("approved_date", "Bewilligt am", minWidth=140),
    grids.money_col("approved", "Bewilligt", minWidth=140),
    grids.date_col("paid_date", "Ausgezahlt am", minWidth=150),
    grids.money_col("paid", "Ausgezahlt", minWidth=140),
    grids.text_col("note", "Bemerkung", minWidth=120, flex=1, tooltipField="note"),
]
