"""Tables of payment requests (Mittelabrufe) and of each partner's payment position; pure
functions of the frames from etl.workflow.payments and etl.warehouse.queries."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import html

from dashboard import fmt
from dashboard.views import grids
from etl.workflow.payments import STATUS_LABELS

# Every column of the payment position (etl.workflow.payments.position) with its German
# header, in order: the one definition for the page's table and the Excel export.
POSITION_LABELS = (
    ("eligible", "Förderfähig angefallen"),
    ("grant", "Zuwendung darauf"),
    ("requested", "Beantragt"),
    ("approved", "Bewilligt"),
    ("paid", "Ausgezahlt"),
    ("outstanding", "Ausstehend"),
    ("open_eligible", "Förderfähig, noch nicht abgerufen"),
    ("open_grant", "Zuwendung darauf, noch nicht abgerufen"),
)
# The page shows these (the export all of them).
ON_PAGE = frozenset({"eligible", "grant", "requested", "paid", "outstanding", "open_eligible"})
POSITION = tuple((key, label) for key, label in POSITION_LABELS if key in ON_PAGE)
STATUS_COLORS = {"requested": "warning", "approved": "info", "paid": "success"}


# More partners than this: the table shows those with the most money pending and sums up
# the rest (hundreds of table rows would take the browser seconds to draw).
TOP_PARTNERS = 12


def position_table(position: pd.DataFrame, table_id: str) -> html.Div:
    """Per partner and in total: eligible, grant due, requested, paid, outstanding, not yet
    requested (money in cents). With more than :data:`TOP_PARTNERS` partners: the ones with
    the most money pending (outstanding + grant on months not yet requested), the others
    summed up in one row; the total is always over all."""
    shown, rest = _focus(position)
    head = html.Thead(
        html.Tr([html.Th("Partner"), *[html.Th(label, className="num") for _k, label in POSITION]])
    )
    rows = [
        html.Tr(
            [html.Td(r.partner_code), *[_money(getattr(r, k)) for k, _l in POSITION]],
            id=f"{table_id}-{r.partner_code}",
        )
        for r in shown.itertuples(index=False)
    ]
    if len(rest):
        rows.append(
            html.Tr(
                [
                    html.Td(f"Weitere ({len(rest)} Partner)", className="text-muted"),
                    *[_money(rest[k].sum()) for k, _l in POSITION],
                ],
                id=f"{table_id}-rest",
            )
        )
    totals = html.Tr(
        [html.Th("Gesamt"), *[_money(position[k].sum(), True) for k, _l in POSITION]],
        id=f"{table_id}-total",
        className="table-light",
    )
    table = dbc.Table(
        [head, html.Tbody([*rows, totals])],
        className="money-table mb-0",
        hover=True,
        responsive=True,
        id=table_id,
    )
    if not len(rest):
        return table
    note = html.P(
        f"{len(position)} Partner: gezeigt die {len(shown)} mit den höchsten ausstehenden und "
        "noch nicht abgerufenen Beträgen, die übrigen zusammengefasst. Partner oben filtern "
        "für einzelne Werte.",
        className="text-muted small mb-2",
        id=f"{table_id}-note",
    )
    return html.Div([note, table])


def _focus(position: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(partners shown, partners summed up): all shown up to :data:`TOP_PARTNERS`."""
    if len(position) <= TOP_PARTNERS:
        return position, position.iloc[0:0]
    pending = (position["outstanding"] + position["open_grant"]).to_numpy()
    order = sorted(range(len(position)), key=lambda i: (-int(pending[i]), i))
    return position.iloc[order[:TOP_PARTNERS]], position.iloc[order[TOP_PARTNERS:]]


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
