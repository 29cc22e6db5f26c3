"""The upload history card: every received file of the user's partners, the archived
originals and, for finance and steering, 'Fassung wiederherstellen'."""

from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import html

from dashboard import data
from dashboard.labels import UPLOAD_STATUS_LABELS
from dashboard.views import components as ui
from dashboard.views import grids
from etl.intake.ingest import IngestResult
from etl.warehouse import files
from etl.warehouse.queries import month_locks, uploads

RESTORE_ROLES = ("finance", "steering")  # who may make a superseded version current again


HISTORY_COLUMNS = [
    grids.date_col("uploaded_at", "Eingang", with_time=True, width=175, sort="desc"),
    grids.text_col("partner_code", "Partner", width=105),
    grids.month_col("month", "Monat", width=170),
    grids.text_col("status", "Ergebnis", width=160),
    grids.text_col("file_name", "Datei", flex=1, minWidth=260),
    grids.text_col("uploaded_by", "Von", flex=1, minWidth=260),
    grids.number_col("n_errors", "Fehler", width=100),
    {
        "field": "original",
        "headerName": "Original",
        "width": 135,
        "cellRenderer": "markdown",
        "sortable": False,
        "filter": False,
    },
]


RESTORE_COLUMN = {
    "field": "restore",
    "headerName": "Fassung",
    "width": 230,
    "cellRenderer": "RestoreButton",
    "sortable": False,
    "filter": False,
}


def history_card(role: str | None) -> dbc.Card:
    """The upload history; finance and project steering get a restore button per version."""
    columns = list(HISTORY_COLUMNS)
    if role in RESTORE_ROLES:  # beside the status, visible without scrolling sideways
        columns.insert(4, RESTORE_COLUMN)
    grid = dag.AgGrid(
        id="upload-history",
        columnDefs=columns,
        rowData=[],
        dashGridOptions=grids.paged(10),
        defaultColDef={"sortable": True, "filter": True, "resizable": True},
                className="ag-theme-alpine",
    )
    return dbc.Card(
        dbc.CardBody(
            [html.H5("Bisherige Uploads"), html.Div(id="upload-restore-message"), grid]
        )
    )


def _restorable(df, role: str | None) -> list[bool]:
    """Per history row: a superseded version of a month that is not approved (locked) and
    differs from the month's current version."""
    if role not in RESTORE_ROLES or df.empty:
        return [False] * len(df)
    locks = month_locks(data.engine())
    locked = set(zip(locks["partner_code"], locks["month"], strict=True)) if len(locks) else set()
    current = {
        (r.partner_code, r.month): r.sha256
        for r in df.itertuples(index=False)
        if r.status == "accepted"
    }
    return [
        r.status == "superseded"
        and (r.partner_code, r.month) not in locked
        and current.get((r.partner_code, r.month)) != r.sha256
        for r in df.itertuples(index=False)
    ]


def history_rows(
    scope: tuple[str, ...] | None, username: str | None = None, role: str | None = None
) -> list[dict]:
    """Upload history rows the user may see, newest first, formatted in German; ``restore``
    holds the upload id where ``role`` may make that version current again."""
    df = uploads(data.engine(), partners=scope, uploaded_by=username)
    restorable = _restorable(df, role)
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
            "restore": int(r.id) if ok else None,
        }
        for r, ok in zip(df.itertuples(index=False), restorable, strict=True)
    ]


def upload_row(upload_id: int) -> files.UploadFile | None:
    """One upload row (file name, time of receipt, status), None when unknown."""
    return files.upload_file(data.engine(), upload_id)


def restore_message(result: IngestResult, restored) -> dbc.Alert:
    """The German confirmation (or refusal) after 'Fassung wiederherstellen'."""
    month = f"{result.month:%m/%Y}" if result.month else "–"
    when = f"{restored.uploaded_at:%d.%m.%Y %H:%M}"
    if result.status == "replaced":
        return dbc.Alert(
            f"Die Fassung vom {when} ({restored.file_name}) gilt wieder für {result.partner} "
            f"{month}. Die bisher geltende Fassung bleibt in der Historie und lässt sich "
            "ebenso wiederherstellen.",
            color="success",
            id="upload-restore-done",
        )
    if result.status == "unchanged":
        return dbc.Alert(f"Die Fassung vom {when} gilt bereits.", color="info")
    return dbc.Alert(
        [
            html.P(f"Die Fassung vom {when} konnte nicht wiederhergestellt werden:"),
            ui.issue_table(result.errors, "Fehler"),
        ],
        color="danger",
    )
