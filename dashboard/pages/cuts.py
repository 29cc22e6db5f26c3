"""Kürzungen: the funding body's check. Finance records, per receipt or staff row, the amount
accepted and the reason; everyone sees the cuts (a partner its own) and the eligible costs
and grant as claimed and as accepted. Finanzen and the proof of use follow the accepted."""

from __future__ import annotations

from datetime import date

import dash
import dash_bootstrap_components as dbc
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html
from flask import request

from dashboard import access, data, fmt, planning
from dashboard import filters as flt
from dashboard.calc import cuts as calc
from dashboard.views import components as ui
from dashboard.views import cuts as views
from etl.core.normalise import CellError, parse_money_cents
from etl.workflow import cuts

dash.register_page(
    __name__,
    path="/kuerzungen",
    name="Kürzungen",
    title="Kürzungen – Fördercockpit",
    order=2.7,
    filters=True,
    nav=False,  # linked from Finanzen (the menu is full)
)


def layout(**_query) -> html.Div:
    # the form is finance's; hidden for everyone else (recording is refused on the server too)
    form = views.form(data.config(), data.today())
    if access.current_role() != "finance":
        form.style = {"display": "none"}
    return html.Div(
        [
            ui.page_header("Kürzungen", "cuts-lead"),
            dcc.Store(id="cuts-refresh"),
            form,
            ui.section(
                "Beantragt und anerkannt je Partner und Jahr",
                html.Div(id="cuts-compare-box"),
                hint="Förderfähige Ausgaben und Zuwendung vor und nach den Kürzungen des "
                "Fördergebers; Finanzen, Mittelabrufe und Nachweis rechnen mit den "
                "anerkannten Beträgen.",
            ),
            ui.section(
                "Kürzungen je Beleg und Personalzeile",
                html.Div(id="cuts-list-box"),
                hint="Eine Kürzung gehört zu Partner, Monat, Blatt und Belegnummer bzw. "
                "Kürzel: sie bleibt bei einer korrigierten Fassung des Monats bestehen.",
            ),
        ]
    )


@callback(
    Output("cuts-lead", "children"),
    Output("cuts-compare-box", "children"),
    Output("cuts-list-box", "children"),
    Input("url", "search"),
    Input("cuts-refresh", "data"),
)
def update(search, _refresh):
    """Claimed vs accepted and the cuts, for the partners and years of the filter."""
    config = planning.config()
    f = flt.from_search(search, config)
    partners, years = f.partner_list(config), f.years
    rows = calc.cut_rows(data.audit_cuts(), partners, years, config.year_start_month)
    cmp = calc.comparison(
        data.frame("money_months"), data.accepted_money_months(), config, partners, years
    )
    n = "1 Kürzung" if len(rows) == 1 else f"{len(rows)} Kürzungen"
    lead = (
        f"{n} · gekürzt {fmt.eur(int(rows['off'].sum()))} (Belege und "
        f"Personal) · {ui.selection_text(config, flt.Filters(f.partners, (), f.years))}"
    )
    return lead, views.comparison_table(cmp), views.cut_table(rows)


@callback(
    Output("cuts-row", "options"),
    Input("cuts-partner", "value"),
    Input("cuts-month", "value"),
    Input("cuts-sheet", "value"),
)
def row_choices(partner, month, sheet):
    """The receipts or staff rows of the chosen partner-month."""
    if not (partner and month and sheet):
        return []
    rows = data.frame("expenditure" if sheet == "Ausgaben" else "personnel")
    chosen = rows[
        (rows["partner_code"] == partner)
        & (pd.to_datetime(rows["month"]) == pd.Timestamp(f"{month}-01"))
    ]
    return views.row_options(chosen, sheet)


@callback(
    Output("cuts-message", "children"),
    Output("cuts-refresh", "data"),
    Input("cuts-save", "n_clicks"),
    Input("cuts-remove", "n_clicks"),
    State("cuts-partner", "value"),
    State("cuts-month", "value"),
    State("cuts-sheet", "value"),
    State("cuts-row", "value"),
    State("cuts-amount", "value"),
    State("cuts-reason", "value"),
    State("cuts-date", "date"),
    prevent_initial_call=True,
)
def save(_s, _r, partner, month, sheet, row, amount, reason, day):
    """Record or remove the cut of the chosen row (finance only, checked again below)."""
    action = "remove" if ctx.triggered_id == "cuts-remove" else "save"
    message = act(action, partner, month, sheet, row, amount, reason, day)
    return message, (f"{action}|{row}|{_s}|{_r}" if message.color != "danger" else dash.no_update)


def act(action, partner, month, sheet, row, amount, reason, day) -> dbc.Alert:
    """'save' or 'remove' the cut of a row as the logged-in user; the outcome as an alert."""
    try:
        if not (partner and month and sheet and row):
            raise cuts.CutError("Bitte Partner, Monat, Blatt und Zeile wählen.")
        key = cuts.CutKey(partner, date.fromisoformat(f"{month}-01"), sheet, row)
        who = {
            "by": access.current_user.username,
            "role": access.current_role(),
            "ip": request.remote_addr,
        }
        if action == "remove":
            cuts.remove_cut(data.engine(), data.config(), key, **who)
            return dbc.Alert(f"Kürzung für {row} aufgehoben.", color="info")
        cuts.record_cut(
            data.engine(),
            data.config(),
            key,
            accepted_cents=_cents(amount),
            reason=reason or "",
            decided_on=_day(day),
            **who,
        )
    except cuts.CutError as exc:
        return dbc.Alert(str(exc), color="danger")
    return dbc.Alert(f"Kürzung für {row} gespeichert.", color="success")


def _cents(value: str | None) -> int:
    if not (value or "").strip():
        raise cuts.CutError("Bitte den anerkannten Betrag eintragen (0,00 für nichts).")
    try:
        return parse_money_cents(value)
    except CellError as exc:
        raise cuts.CutError(str(exc)) from None


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise cuts.CutError("Bitte das Datum der Prüfung wählen.") from None
