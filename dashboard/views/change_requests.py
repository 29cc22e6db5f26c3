"""The Finanzplan page's change requests (Änderungsanträge): the list and finance's forms to
file one, record the funding body's decision and link it to the plan version it became."""

from __future__ import annotations

from datetime import date

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import fmt
from etl.workflow.change_requests import STATUS_LABELS

HEADERS = (
    "Nr.",
    "von Fassung",
    "Antrag vom",
    "Umschichtung",
    "Status",
    "Entscheidung vom",
    "Vermerk",
    "wurde Fassung",
)


def _cell(header: str, value) -> html.Td:
    return html.Td(value, **{"data-label": header})


def _text(value) -> str:
    return "–" if value is None or pd.isna(value) or value == "" else str(value)


def table(rows: pd.DataFrame) -> html.P | dbc.Table:
    """Every change request, newest first."""
    if rows.empty:
        return html.P(
            "Noch keine Änderungsanträge.", className="text-muted mb-0", id="plan-changes-empty"
        )
    body = [
        html.Tr(
            [
                _cell(h, v)
                for h, v in zip(
                    HEADERS,
                    [
                        str(r.id),
                        f"Version {r.based_on}",
                        fmt.de_date(r.requested_on),
                        r.description,
                        STATUS_LABELS[r.status],
                        fmt.de_date(r.decided_on) if r.decided_on else "–",
                        _text(r.decision_note),
                        f"Version {int(r.plan_version_id)}"
                        if _text(r.plan_version_id) != "–"
                        else "–",
                    ],
                    strict=True,
                )
            ]
        )
        for r in rows.itertuples(index=False)
    ]
    return dbc.Table(
        [html.Thead(html.Tr([html.Th(h) for h in HEADERS])), html.Tbody(body)],
        size="sm",
        striped=True,
        className="mb-0",
        id="plan-changes-table",
    )


def _field(label: str, component, **col) -> dbc.Col:
    return dbc.Col([dbc.Label(label, html_for=component.id), component], **col)


def _day(picker_id: str, today: date) -> dcc.DatePickerSingle:
    return dcc.DatePickerSingle(
        id=picker_id,
        date=today.isoformat(),
        display_format="DD.MM.YYYY",
        first_day_of_week=1,
        className="d-block",
    )


def forms(today: date) -> html.Div:
    """File a request; decide it; link it to a version (option lists filled by a callback)."""
    new = dbc.Row(
        [
            _field("von Fassung", dbc.Select(id="plan-change-base", options=[]), md=3),
            _field("Antrag vom", _day("plan-change-date", today), md=3),
            _field(
                "Umschichtung (was, warum)",
                dbc.Input(
                    id="plan-change-text",
                    placeholder="z. B. DO Sachausgaben 2024 → 2026, Veranstaltungen verschoben",
                ),
                md=6,
            ),
        ],
        className="g-2",
    )
    step = dbc.Row(
        [
            _field(
                "Antrag", dbc.Select(id="plan-change-pick", options=[], placeholder="wählen"), md=3
            ),
            _field(
                "Entscheidung",
                dbc.Select(
                    id="plan-change-decision",
                    value="approved",
                    options=[
                        {"label": "genehmigt", "value": "approved"},
                        {"label": "abgelehnt", "value": "rejected"},
                    ],
                ),
                md=3,
            ),
            _field("Entscheidung vom", _day("plan-change-decided", today), md=3),
            _field("wurde Fassung", dbc.Select(id="plan-change-version", options=[]), md=3),
            _field("Vermerk", dbc.Input(id="plan-change-note"), md=12),
        ],
        className="g-2 mt-2",
    )
    buttons = html.Div(
        [
            dbc.Button("Antrag erfassen", id="plan-change-file", color="primary", className="me-2"),
            dbc.Button(
                "Entscheidung speichern",
                id="plan-change-decide",
                color="secondary",
                className="me-2",
            ),
            dbc.Button(
                "Mit Fassung verknüpfen", id="plan-change-link", color="secondary", outline=True
            ),
        ],
        className="mt-3",
    )
    return html.Div(
        [new, step, buttons, html.Div(id="plan-change-message", className="mt-3")],
        id="plan-change-forms",
        className="mb-3",
    )
