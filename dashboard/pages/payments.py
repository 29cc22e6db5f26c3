"""Mittelabrufe: finance records payment requests per partner, approves them (also in part)
and books the payments; the position per partner shows what is due, requested and paid."""

from __future__ import annotations

from datetime import date

import dash
import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, ctx, dcc, html
from flask import request

from dashboard import access, data, fmt, planning
from dashboard.views import components as ui
from dashboard.views import grids
from dashboard.views import payments as pv
from etl.core.normalise import CellError, parse_money_cents
from etl.workflow import payments

dash.register_page(
    __name__,
    path="/mittelabrufe",
    name="Mittelabrufe",
    title="Mittelabrufe – Fördercockpit",
    order=2.6,
    roles=("finance",),
)


def _field(label: str, component, **col) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=component.id), component], **col)


def _date_picker(picker_id: str, day: date) -> dcc.DatePickerSingle:
    return dcc.DatePickerSingle(
        id=picker_id,
        date=day.isoformat(),
        display_format="DD.MM.YYYY",
        first_day_of_week=1,
        className="d-block",
    )


def record_card() -> dbc.Card:
    config, today = data.config(), data.today()
    months = [{"label": fmt.month_short(m), "value": f"{m:%Y-%m}"} for m in config.months()]
    partners = [{"label": f"{p.code} – {p.name}", "value": p.code} for p in config.partners]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Neuer Mittelabruf", className="h5"),
                dbc.Row(
                    [
                        _field(
                            "Partner",
                            dbc.Select(
                                id="payments-partner",
                                options=partners,
                                value=config.partner_codes[0],
                            ),
                            md=6,
                        ),
                        _field(
                            "Abrufdatum",
                            _date_picker("payments-requested-date", today),
                            md=6,
                        ),
                        _field(
                            "Zeitraum von",
                            dbc.Select(
                                id="payments-from", options=months, placeholder="Monat wählen"
                            ),
                            md=6,
                        ),
                        _field(
                            "Zeitraum bis",
                            dbc.Select(
                                id="payments-to", options=months, placeholder="Monat wählen"
                            ),
                            md=6,
                        ),
                        _field(
                            "Betrag (€)",
                            dbc.Input(id="payments-amount", placeholder="z. B. 45.000,00"),
                            md=6,
                        ),
                        _field("Bemerkung", dbc.Input(id="payments-note"), md=6),
                    ],
                    className="g-2",
                ),
                dbc.Button(
                    "Mittelabruf erfassen", id="payments-record", color="primary", className="mt-3"
                ),
                html.Div(id="payments-message", className="mt-3"),
            ]
        ),
        className="h-100 shadow-sm",
    )


def step_card() -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Bewilligung und Auszahlung", className="h5"),
                _field(
                    "Mittelabruf",
                    dbc.Select(
                        id="payments-request", options=[], placeholder="offenen Mittelabruf wählen"
                    ),
                ),
                dbc.Row(
                    [
                        _field(
                            "Betrag (€)",
                            dbc.Input(id="payments-step-amount", placeholder="leer: voller Betrag"),
                            md=6,
                        ),
                        _field(
                            "Datum",
                            _date_picker("payments-step-date", data.today()),
                            md=6,
                        ),
                    ],
                    className="g-2 mt-1",
                ),
                html.Div(
                    [
                        dbc.Button(
                            "Bewilligen", id="payments-approve", color="info", className="me-2"
                        ),
                        dbc.Button("Auszahlung buchen", id="payments-pay", color="success"),
                    ],
                    className="mt-3",
                ),
                html.Div(id="payments-step-message", className="mt-3"),
            ]
        ),
        className="h-100 shadow-sm",
    )


def layout(**_query) -> html.Div:
    grid = dag.AgGrid(
        id="payments-grid",
        columnDefs=pv.REQUEST_COLUMNS,
        rowData=[],
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        dashGridOptions={**grids.paged(15)},
        columnSize="responsiveSizeToFit",
        style={"height": None},
        className="ag-theme-alpine",
    )
    return html.Div(
        [
            ui.page_header("Mittelabrufe", "payments-lead"),
            dbc.Row(
                [
                    dbc.Col(record_card(), lg=6, className="mb-3"),
                    dbc.Col(step_card(), lg=6, className="mb-3"),
                ],
                className="g-3",
            ),
            ui.section(
                "Zahlungsstand je Partner",
                html.Div(id="payments-position"),
                hint="Ausstehend: beantragt oder bewilligt, noch nicht ausgezahlt. "
                "Noch nicht abgerufen: förderfähige Ausgaben in Monaten, die kein "
                "Mittelabruf abdeckt.",
            ),
            ui.section("Alle Mittelabrufe", grid),
        ]
    )


def _refused():
    if access.current_role() != "finance":  # the page guard refuses others already
        return dbc.Alert("Nur die Finanzabteilung erfasst Mittelabrufe.", color="danger")
    return None


def _month(value: str | None) -> date:
    if not value:
        raise payments.PaymentError("Bitte den Zeitraum (von und bis) wählen.")
    year, month = (int(x) for x in value.split("-"))
    return date(year, month, 1)


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise payments.PaymentError("Bitte ein gültiges Datum wählen.") from None


def _cents(value: str | None, required: bool = True) -> int | None:
    if not (value or "").strip():
        if required:
            raise payments.PaymentError("Bitte einen Betrag eintragen.")
        return None
    try:
        return parse_money_cents(value)
    except CellError as exc:
        raise payments.PaymentError(str(exc)) from None


@callback(
    Output("payments-message", "children"),
    Input("payments-record", "n_clicks"),
    State("payments-partner", "value"),
    State("payments-requested-date", "date"),
    State("payments-from", "value"),
    State("payments-to", "value"),
    State("payments-amount", "value"),
    State("payments-note", "value"),
    prevent_initial_call=True,
)
def record(_n, partner, requested, start, end, amount, note):
    """Record a new payment request."""
    if refused := _refused():
        return refused
    try:
        request_id = payments.record_request(
            data.engine(),
            data.config(),
            partner=partner or "",
            requested_date=_day(requested),
            period_start=_month(start),
            period_end=_month(end),
            amount_cents=_cents(amount),
            by=access.current_user.username,
            note=note or "",
            ip=request.remote_addr,
        )
    except payments.PaymentError as exc:
        return dbc.Alert(str(exc), color="danger")
    return dbc.Alert(f"Mittelabruf Nr. {request_id} für {partner} erfasst.", color="success")


@callback(
    Output("payments-step-message", "children"),
    Input("payments-approve", "n_clicks"),
    Input("payments-pay", "n_clicks"),
    State("payments-request", "value"),
    State("payments-step-amount", "value"),
    State("payments-step-date", "date"),
    prevent_initial_call=True,
)
def step(_approve, _pay, request_id, amount, day):
    """Approve the chosen request (in full or in part) or book its payment."""
    if refused := _refused():
        return refused
    action = "approve" if ctx.triggered_id == "payments-approve" else "pay"
    return act(action, request_id, amount, day)


def act(action: str, request_id: str | None, amount: str | None, day: str | None) -> dbc.Alert:
    """'approve' or 'pay' one request as the logged-in user; the outcome as an alert."""
    who, ip = access.current_user.username, request.remote_addr
    try:
        if not request_id:
            raise payments.PaymentError("Bitte einen Mittelabruf wählen.")
        rid, cents, when = int(request_id), _cents(amount, required=False), _day(day)
        if action == "approve":
            cents = _requested(rid) if cents is None else cents
            payments.approve(
                data.engine(), rid, amount_cents=cents, approved_date=when, by=who, ip=ip
            )
            return dbc.Alert(f"Mittelabruf Nr. {rid}: {fmt.eur(cents)} bewilligt.", color="info")
        payments.mark_paid(data.engine(), rid, paid_date=when, by=who, amount_cents=cents, ip=ip)
        return dbc.Alert(f"Mittelabruf Nr. {rid}: Auszahlung gebucht.", color="success")
    except payments.PaymentError as exc:
        return dbc.Alert(str(exc), color="danger")


def _requested(request_id: int) -> int:
    rows = data.payment_requests()
    row = rows[rows["id"] == request_id]
    if row.empty:
        raise payments.PaymentError(f"Mittelabruf Nr. {request_id} gibt es nicht.")
    return int(row.iloc[0]["requested_cents"])


@callback(
    Output("payments-grid", "rowData"),
    Output("payments-position", "children"),
    Output("payments-request", "options"),
    Output("payments-lead", "children"),
    Input("payments-message", "children"),
    Input("payments-step-message", "children"),
    Input("url", "pathname"),
)
def refresh(_m1, _m2, _path):
    config = planning.config()
    requests = data.payment_requests()
    money = data.accepted_money_months()  # the grant follows the amounts accepted after cuts
    position = payments.position(money, requests, config, config.partner_codes)
    options = [
        {
            "label": f"Nr. {r['id']} · {r['partner']} · {r['period']} · "
            f"{fmt.eur(r['requested'])} · {r['status_label']}",
            "value": str(r["id"]),
        }
        for r in pv.request_rows(requests)
        if r["status"] != "paid"
    ]
    lead = (
        f"{len(requests)} Mittelabrufe · beantragt {fmt.eur(int(position['requested'].sum()))}"
        f" · ausgezahlt {fmt.eur(int(position['paid'].sum()))}"
    )
    return pv.request_rows(requests), pv.position_table(position, "payments-pos"), options, lead
