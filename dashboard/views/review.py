"""Fragments of the month review: the queue grid, a month's figures against its average and
plan, the change list against the previous version, the comment thread, the note field."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from urllib.parse import quote, unquote

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from dashboard import fmt
from dashboard.labels import COMMENT_KIND_LABELS, MONTH_STATE_LABELS, MONTH_STATE_SYMBOLS
from dashboard.views import grids
from etl.core.money import format_eur
from etl.intake.diff import diff_uploads

QUEUE_COLUMNS = [
    grids.text_col("partner_code", "Partner", width=110),
    grids.month_col(width=165),
    grids.text_col("state_label", "Status", width=150),
    grids.date_col("uploaded_at", "eingegangen", with_time=True, width=170),
    grids.text_col("uploaded_by", "von", width=150),
    grids.number_col("n_comments", "Bemerkungen", width=130),
    grids.text_col("last_comment", "letzte Bemerkung", flex=1, minWidth=200),
]
# a month below half or above twice the partner's average is marked
OUTLIER = (Fraction(1, 2), Fraction(2))
MEASURE_LABELS = {
    "events": "Veranstaltungen",
    "participants": "Teilnehmende",
    "coachings": "Coachings",
    "eligible": "förderfähige Kosten",
}


def state_badge(state: str) -> html.Span:
    """The state as a coloured badge with its symbol (the colours of Meldestand)."""
    return html.Span(
        f"{MONTH_STATE_SYMBOLS[state]} {MONTH_STATE_LABELS[state]}",
        className=f"state-badge ms-{state}",
    )


def queue_grid(config=None) -> dag.AgGrid:
    """The queue: one row per partner-month, several selectable for approval (the partner
    column as wide as ``config``'s longest code)."""
    return dag.AgGrid(
        id="approval-queue",
        columnDefs=grids.fitted(QUEUE_COLUMNS, config) if config else QUEUE_COLUMNS,
        rowData=[],
        getRowId="params.data.key",
        dashGridOptions={
            **grids.paged(15),
            "rowSelection": {"mode": "multiRow", "checkboxes": True, "headerCheckbox": True},
        },
        defaultColDef={"sortable": True, "resizable": True},
                className="ag-theme-alpine",
    )


def queue_rows(queue: pd.DataFrame) -> list[dict]:
    """The queue frame as grid rows (German state names)."""
    rows = grids.json_rows(queue, list(queue.columns))
    for r in rows:
        r["state_label"] = f"{MONTH_STATE_SYMBOLS[r['state']]} {MONTH_STATE_LABELS[r['state']]}"
    return rows


def _number(measure: str, value) -> str:
    if value is None:
        return "–"
    if measure == "eligible":
        return format_eur(round(value))
    return fmt.de_num(value, 0 if float(value).is_integer() else 1)


def comparison_table(cmp: pd.DataFrame) -> html.Div:
    """The month's figures beside the partner's monthly average and the plan's share."""
    head = html.Thead(
        html.Tr(
            [
                html.Th("Kennzahl"),
                html.Th("dieser Monat", className="num"),
                html.Th("Ø Partner", className="num", title="Monatsmittel des Partners"),
                html.Th("Plan/Monat", className="num", title="Jahresplan ÷ Monate"),
                html.Th("zum Ø", className="num", title="dieser Monat im Verhältnis zum Ø"),
            ]
        )
    )
    rows = []
    for r in cmp.itertuples(index=False):
        ratio = r.vs_average
        outlier = ratio is not None and not OUTLIER[0] <= ratio <= OUTLIER[1]
        rows.append(
            html.Tr(
                [
                    html.Td(MEASURE_LABELS[r.measure]),
                    html.Td(_number(r.measure, r.value), className="num fw-bold"),
                    html.Td(_number(r.measure, r.average), className="num"),
                    html.Td(_number(r.measure, r.plan), className="num"),
                    html.Td(
                        fmt.de_pct(ratio) if ratio is not None else "–",
                        className="num" + (" flag-warn" if outlier else ""),
                    ),
                ],
                id=f"approval-cmp-{r.measure}",
            )
        )
    return html.Div(
        dbc.Table([head, html.Tbody(rows)], className="money-table mb-0", size="sm"),
        className="table-responsive",
        id="approval-comparison",
    )


def diff_list(old_id: int | None, new_id: int | None, engine) -> html.Div:
    """What the current version changed against the version it replaced."""
    if pd.isna(old_id) or pd.isna(new_id) or not (old_id and new_id):
        return html.Div("Erste Fassung dieses Monats: keine frühere Version.", className="small")
    d = diff_uploads(engine, int(old_id), int(new_id))
    items = [
        html.Li(f"{x.sheet}: {x.added} neu, {x.removed} entfernt, {x.changed} geändert")
        for x in d.sheets
        if x.added or x.removed or x.changed
    ]
    for name, (old, new) in d.totals.items():
        if old != new:
            if "Cent" in name:
                name, old, new = (
                    name.replace(" (Cent)", ""),
                    format_eur(int(old)),
                    format_eur(int(new)),
                )
            items.append(html.Li(f"{name}: {old} → {new}"))
    return html.Ul(items or [html.Li("keine Zeile geändert")], className="small mb-0")


def thread(comments: pd.DataFrame) -> html.Div:
    """The comments of one month, oldest first."""
    if comments.empty:
        return html.Div("Noch keine Bemerkung.", className="text-muted small")
    items = [
        html.Div(
            [
                html.Div(
                    f"{COMMENT_KIND_LABELS.get(c.kind, c.kind)} · {c.author} · "
                    f"{fmt.de_date(c.at)} {c.at:%H:%M}",
                    className="small text-muted",
                ),
                html.Div(c.text),
            ],
            className=f"comment comment-{c.kind}",
        )
        for c in comments.itertuples(index=False)
    ]
    return html.Div(items, className="comment-thread")


def month_title(partner: str, month: date, state: str) -> html.Div:
    """Heading of the selected month with its state."""
    return html.Div(
        [html.Strong(f"{partner} · {fmt.month_long(month)} "), state_badge(state)],
        className="mb-2",
    )


def note_field(field_id: str, placeholder: str) -> dbc.Textarea:
    """A comment field (Bemerkung)."""
    return dbc.Textarea(id=field_id, placeholder=placeholder, rows=2, maxLength=4000)


def state_legend(two_steps: bool = False) -> html.Div:
    """The legend of the review states (symbols and colours of the Meldestand cells);
    'geprüft' only with two review steps."""
    return html.Div(
        [html.Span("Status: ", className="fw-semibold me-2")]
        + [
            html.Span(
                [html.Span(MONTH_STATE_SYMBOLS[k], className=f"state-mark ms-{k}"), text],
                className="me-3 d-inline-block",
            )
            for k, text in MONTH_STATE_LABELS.items()
            if two_steps or k != "checked"
        ]
        + [html.Span([html.Span("✎", className="comment-mark me-1"), "Bemerkung"])],
        className="state-legend report-legend mb-3",
        id="reporting-state-legend",
    )


def note_panel(partners: list[dict], months: list[dict], month: str) -> html.Div:
    """Meldestand: read the comments of a partner-month and add one (partners: on their own
    months; a partner's note on a month with a Rückfrage answers it)."""
    return html.Div(
        [
            dbc.Row(
                [
                    dbc.Col(
                        [
                            dbc.Label("Partner", html_for="reporting-note-partner"),
                            dbc.Select(
                                id="reporting-note-partner",
                                options=partners,
                                value=partners[0]["value"] if partners else None,
                            ),
                        ],
                        md=4,
                    ),
                    dbc.Col(
                        [
                            dbc.Label("Berichtsmonat", html_for="reporting-note-month"),
                            dbc.Select(id="reporting-note-month", options=months, value=month),
                        ],
                        md=4,
                    ),
                ],
                className="g-3 mb-2",
            ),
            html.Div(id="reporting-note-thread", className="mt-2"),
            note_field(
                "reporting-note-text",
                "Bemerkung zum Monat, z. B. „Veranstaltung auf April verschoben“",
            ),  # fmt: skip
            dbc.Button("Bemerkung speichern", id="reporting-note-save", className="mt-2"),
            html.Div(id="reporting-note-message", className="mt-2"),
        ]
    )


NOTE_HASH = "#bemerkung="


def note_hash(partner: str, month: date) -> str:
    """The Meldestand address fragment that opens a month's comment thread."""
    return NOTE_HASH + quote(f"{partner}|{month:%Y-%m}", safe="")


def key_of_hash(hash_: str | None) -> str | None:
    """``'#bemerkung=DO%7C2025-03'`` -> ``'DO|2025-03'`` (None for any other fragment)."""
    if not hash_ or not hash_.startswith(NOTE_HASH):
        return None
    return unquote(hash_[len(NOTE_HASH) :]) or None


def note_dialog() -> dbc.Modal:
    """Meldestand: the dialog a matrix cell opens – the month's comment thread, a link to its
    files and a field to add a comment (filled by the page's callback)."""
    return dbc.Modal(
        [
            dbc.ModalHeader(dbc.ModalTitle(id="reporting-dialog-title")),
            dbc.ModalBody(
                [
                    html.Div(id="reporting-dialog-state", className="mb-2"),
                    html.Div(id="reporting-dialog-thread", className="mb-3"),
                    dbc.Label("Neue Bemerkung", html_for="reporting-dialog-text"),
                    note_field(
                        "reporting-dialog-text",
                        "Bemerkung oder Antwort auf eine Rückfrage zu diesem Monat",
                    ),
                    html.Div(id="reporting-dialog-message", className="mt-2"),
                ]
            ),
            dbc.ModalFooter(
                [
                    dcc.Link(
                        "Eingegangene Dateien dieses Monats",
                        id="reporting-dialog-files",
                        href="/daten",
                        className="me-auto",
                    ),
                    dbc.Button("Bemerkung speichern", id="reporting-dialog-save"),
                    dbc.Button("Schließen", id="reporting-dialog-close", color="secondary"),
                ],
                className="flex-wrap gap-2",
            ),
        ],
        id="reporting-dialog",
        is_open=False,
        size="lg",
        scrollable=True,
    )


def version_line(file_name: str | None, uploaded_at, uploaded_by: str | None) -> html.Div:
    """Which version of the month is under review."""
    if not file_name:
        return html.Div("Noch kein angenommener Bericht.", className="small text-muted mb-2")
    return html.Div(
        f"Angenommene Fassung: {file_name}, eingegangen {fmt.de_date(uploaded_at)} "
        f"{uploaded_at:%H:%M} von {uploaded_by}",
        className="small text-muted mb-2",
        id="approval-version-line",
    )
