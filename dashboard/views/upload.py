"""Building blocks of the upload page: result cards, the diff, the template form, history."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from dashboard import data, fmt
from dashboard.labels import UPLOAD_STATUS_LABELS
from dashboard.views import components as ui
from dashboard.views import grids
from etl.core.errors import Issue
from etl.core.money import format_eur
from etl.intake.diff import diff_uploads
from etl.intake.ingest import IngestResult
from etl.warehouse.queries import uploads

STATUS = {
    "accepted": ("angenommen", "success"),
    "replaced": ("angenommen – ersetzt die vorige Fassung", "success"),
    "unchanged": ("unverändert – identisch mit der angenommenen Fassung", "secondary"),
    "rejected": ("abgelehnt", "danger"),
}


def failed(name: str, message: str) -> IngestResult:
    """A result for a file that never reached the checks."""
    return IngestResult(file=name, status="rejected", errors=[Issue(None, None, None, message)])


def _diff_block(result: IngestResult) -> html.Div:
    d = diff_uploads(data.engine(), result.previous_id, result.upload_id)
    rows = [
        html.Li(f"{x.sheet}: {x.added} neu, {x.removed} entfernt, {x.changed} geändert")
        for x in d.sheets
        if x.added or x.removed or x.changed
    ]
    totals = [html.Li(total_line(n, old, new)) for n, (old, new) in d.totals.items() if old != new]
    return html.Div(
        [
            html.Strong("Änderungen gegenüber der vorigen Fassung"),
            html.Ul(rows or [html.Li("keine Zeile geändert")]),
            html.Strong("Summen des Monats") if totals else None,
            html.Ul(totals) if totals else None,
        ]
    )


def total_line(name: str, old, new) -> str:
    """One changed month total in German: euros from cents, hours with two places, counts
    with thousands dots ('Coaching-Stunden: 89,50 → 0,00')."""
    if "Cent" in name:
        return f"{name.replace(' (Cent)', '')}: {format_eur(int(old))} → {format_eur(int(new))}"
    places = 2 if "Stunden" in name else 0
    return f"{name}: {fmt.de_dec(old, places)} → {fmt.de_dec(new, places)}"


def _body(result: IngestResult) -> list:
    if result.status == "rejected":
        parts = [
            html.P(
                f"{len(result.errors)} Fehler gefunden; nichts wurde übernommen. "
                "Bitte korrigieren und erneut hochladen."
            ),
            ui.issue_table(result.errors, "Fehler"),
        ]
        if result.upload_id:
            parts.append(
                dbc.Button(
                    "Markierte Arbeitsmappe herunterladen",
                    color="danger",
                    outline=True,
                    href=f"/download/marked/{result.upload_id}",
                    external_link=True,
                    className="mt-2",
                )
            )
        return parts
    if result.status == "replaced":
        return [_diff_block(result)]
    if result.status == "accepted":
        return [html.P("Der Bericht wurde übernommen.")]
    return [html.P("Diese Datei ist bereits angenommen; nichts wurde geändert.")]


def result_card(result: IngestResult) -> dbc.Card:
    """One file's outcome: status, partner-month, errors or diff, notices."""
    label, color = STATUS[result.status]
    month = f"{result.month:%m/%Y}" if result.month else "–"
    notices = (
        [
            html.Details(
                [
                    html.Summary(f"{len(result.notices)} Hinweise"),
                    ui.issue_table(result.notices, "Hinweis"),
                ]
            )
        ]
        if result.notices
        else []
    )
    return dbc.Card(
        [
            dbc.CardHeader(
                [html.Strong(result.file), dbc.Badge(label, color=color, className="ms-2")]
            ),
            dbc.CardBody(
                [
                    html.P(
                        f"Partner {result.partner or '–'}, Berichtsmonat {month}",
                        className="text-muted",
                    ),
                    *_body(result),
                    *notices,
                ]
            ),
        ],
        className="mb-3 upload-result",
        id=f"upload-result-{result.status}",
    )


def template_card() -> dbc.Card:
    config = data.config()
    months = [{"label": f"{m:%m/%Y}", "value": f"{m:%Y-%m}"} for m in config.months()]
    return dbc.Card(
        dbc.CardBody(
            [
                html.H5("Leere Vorlage"),
                dbc.Label("Partner"),
                dbc.Select(
                    id="upload-template-partner",
                    options=[{"label": p.code, "value": p.code} for p in config.partners],
                ),
                dbc.Label("Berichtsmonat", className="mt-2"),
                dbc.Select(id="upload-template-month", options=months),
                dbc.Button(
                    "Vorlage herunterladen",
                    id="upload-template-link",
                    color="primary",
                    external_link=True,
                    className="mt-3",
                ),
            ]
        )
    )


HISTORY_COLUMNS = [
    grids.date_col("uploaded_at", "Eingang", with_time=True, width=150, sort="desc"),
    grids.text_col("partner_code", "Partner", width=105),
    grids.month_col("month", "Monat", width=135),
    grids.text_col("status", "Ergebnis", width=130),
    grids.text_col("file_name", "Datei", flex=2, minWidth=180, tooltipField="file_name"),
    grids.text_col("uploaded_by", "Von", flex=1, minWidth=140, tooltipField="uploaded_by"),
    grids.number_col("n_errors", "Fehler", width=95),
    {
        "field": "original",
        "headerName": "Original",
        "width": 120,
        "cellRenderer": "markdown",
        "sortable": False,
        "filter": False,
    },
]


def history_card() -> dbc.Card:
    grid = dag.AgGrid(
        id="upload-history",
        columnDefs=HISTORY_COLUMNS,
        rowData=[],
        dashGridOptions=grids.paged(10),
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
        style={"height": "470px"},
        className="ag-theme-alpine",
    )
    return dbc.Card(dbc.CardBody([html.H5("Bisherige Uploads"), grid]))


def history_rows(scope: tuple[str, ...] | None, username: str | None = None) -> list[dict]:
    """Upload history rows the user may see, newest first, formatted in German."""
    df = uploads(data.engine(), partners=scope, uploaded_by=username)
    return [
        {
            "uploaded_at": r.uploaded_at.isoformat(),
            "partner_code": r.partner_code or "–",
            "month": r.month.isoformat() if r.month else None,
            "status": UPLOAD_STATUS_LABELS[r.status],
            "file_name": r.file_name,
            "uploaded_by": r.uploaded_by,
            "n_errors": r.n_errors,
            "original": f"[herunterladen](/download/original/{r.id})",
        }
        for r in df.itertuples(index=False)
    ]
