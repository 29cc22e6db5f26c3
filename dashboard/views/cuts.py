"""The page Kürzungen's fragments: claimed vs accepted per partner x year, the list of cuts,
and finance's form to record one."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import fmt
from dashboard.views import components as ui

COMPARE_HEADERS = (
    "Partner",
    "Jahr",
    "förderfähig beantragt",
    "förderfähig anerkannt",
    "Kürzung (förderfähig)",
    "Zuwendung beantragt",
    "Zuwendung anerkannt",
)
CUT_HEADERS = (
    "Partner",
    "Monat",
    "Blatt",
    "Beleg/Kürzel",
    "Art",
    "beantragt",
    "anerkannt",
    "gekürzt",
    "Grund",
    "Prüfung vom",
    "erfasst von",
)


NOWRAP = {"whiteSpace": "nowrap"}


def _cell(header: str, value: str) -> html.Td:
    money = value.endswith(" €") or header in ("Monat", "Prüfung vom", "Beleg/Kürzel")
    # a reason keeps a readable width (the table scrolls on a phone instead of squeezing it)
    style = NOWRAP if money else ({"minWidth": "16rem"} if header == "Grund" else None)
    return html.Td(value, style=style, **{"data-label": header})


def _table(headers, rows, table_id: str) -> dbc.Table:
    """A small table (on a phone it scrolls sideways)."""
    body = [html.Tr([_cell(h, c) for h, c in zip(headers, r, strict=True)]) for r in rows]
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in headers])), html.Tbody(body)],
        size="sm",
        striped=True,
        className="mb-0 cuts-table",
        id=table_id,
    )


def comparison_table(cmp: pd.DataFrame) -> html.Div | dbc.Table:
    """Claimed vs accepted per partner x year (only where a cut changes them)."""
    if cmp.empty:
        return html.P(
            "Keine Kürzungen: beantragte und anerkannte Beträge sind gleich.",
            className="text-muted mb-0",
            id="cuts-compare-empty",
        )
    rows = [
        [
            r.partner_code,
            ui.year_text(r.year),
            fmt.eur(r.claimed_eligible),
            fmt.eur(r.accepted_eligible),
            fmt.eur(r.cut),
            fmt.eur(r.claimed_grant),
            fmt.eur(r.accepted_grant),
        ]
        for r in cmp.itertuples(index=False)
    ]
    total = ["Summe", "", *(fmt.eur(int(cmp[c].sum())) for c in cmp.columns[2:])]
    return _table(COMPARE_HEADERS, [*rows, total], "cuts-compare")


def _claimed(r) -> str:
    return fmt.eur(int(r.claimed_cents)) if r.applies else "nicht im aktuellen Bericht"


def cut_table(rows: pd.DataFrame) -> html.Div | dbc.Table:
    """Every cut with the amounts claimed and accepted, reason and date."""
    if rows.empty:
        return html.P("Keine Kürzungen erfasst.", className="text-muted mb-0", id="cuts-empty")
    body = [
        [
            r.partner_code,
            fmt.month_short(pd.Timestamp(r.month).date()),
            r.sheet,
            r.row_key,
            r.what or "–",
            _claimed(r),
            fmt.eur(int(r.accepted_cents)),
            fmt.eur(int(r.off)),
            r.reason,
            fmt.de_date(r.decided_on),
            r.updated_by,
        ]
        for r in rows.itertuples(index=False)
    ]
    return _table(CUT_HEADERS, body, "cuts-list")


def _field(label: str, component, **col) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=component.id), component], **col)


def form(config, today: date) -> dbc.Card:
    """Finance's form: the row (partner, month, sheet, receipt or staff code), the amount
    accepted, the reason and the date of the check."""
    partners = [{"label": f"{p.code} – {p.name}", "value": p.code} for p in config.partners]
    months = [{"label": fmt.month_short(m), "value": f"{m:%Y-%m}"} for m in config.months()]
    sheets = [
        {"label": "Ausgaben (Beleg)", "value": "Ausgaben"},
        {"label": "Personal (Kürzel)", "value": "Personal"},
    ]
    fields = [
        _field(
            "Partner",
            dbc.Select(id="cuts-partner", options=partners, value=config.partner_codes[0]),
            md=4,
        ),
        _field(
            "Berichtsmonat",
            dbc.Select(id="cuts-month", options=months, placeholder="Monat wählen"),
            md=4,
        ),
        _field("Blatt", dbc.Select(id="cuts-sheet", options=sheets, value="Ausgaben"), md=4),
        _field(
            "Zeile", dbc.Select(id="cuts-row", options=[], placeholder="erst Monat wählen"), md=12
        ),
        _field(
            "Anerkannter Betrag (€)", dbc.Input(id="cuts-amount", placeholder="z. B. 0,00"), md=4
        ),
        _field(
            "Prüfung vom",
            dcc.DatePickerSingle(
                id="cuts-date",
                date=today.isoformat(),
                display_format="DD.MM.YYYY",
                first_day_of_week=1,
                className="d-block",
            ),
            md=4,
        ),
        _field(
            "Grund",
            dbc.Input(id="cuts-reason", placeholder="z. B. Bewirtung nicht zuwendungsfähig"),
            md=12,
        ),
    ]
    buttons = [
        dbc.Button("Kürzung speichern", id="cuts-save", color="primary", className="me-2"),
        dbc.Button("Kürzung aufheben", id="cuts-remove", color="secondary", outline=True),
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H3("Kürzung erfassen oder ändern", className="h5"),
                dbc.Row(fields, className="g-2"),
                html.Div(buttons, className="mt-3"),
                html.Div(id="cuts-message", className="mt-3"),
            ]
        ),
        className="mb-4 shadow-sm",
        id="cuts-form",
    )


def row_options(rows: pd.DataFrame, sheet: str) -> list[dict]:
    """The receipts or staff rows of a partner-month as options (amount claimed)."""
    key = "receipt_no" if sheet == "Ausgaben" else "staff_code"
    what = "cost_category" if sheet == "Ausgaben" else "billing"
    return [
        {"label": f"{r[key]} · {r[what]} · {fmt.eur(int(r['amount_cents']))}", "value": str(r[key])}
        for _, r in rows.iterrows()
    ]


def finance_note(cmp: pd.DataFrame, search: str | None) -> html.Span:
    """Finanzen's line on the funding body's cuts: claimed and accepted where they differ,
    and a link to the page Kürzungen (where finance records them)."""
    link = dcc.Link("Kürzungen", href="/kuerzungen" + (search or ""), id="finance-cuts-link")
    if cmp.empty:
        return html.Span([link, " des Fördergebers: keine"], id="finance-cuts-note")
    claimed, accepted = int(cmp["claimed_eligible"].sum()), int(cmp["accepted_eligible"].sum())
    return html.Span(
        [
            f"Nach Kürzungen des Fördergebers: förderfähig anerkannt {fmt.eur(accepted)} von "
            f"beantragt {fmt.eur(claimed)}, Zuwendung {fmt.eur(int(cmp['accepted_grant'].sum()))} "
            f"statt {fmt.eur(int(cmp['claimed_grant'].sum()))} (",
            link,
            ")",
        ],
        id="finance-cuts-note",
    )
