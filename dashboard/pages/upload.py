"""Hochladen: partners drop their monthly workbooks and see at once what became of each.

A replacement that would remove much of its month is held: its card shows what it removes,
"Trotzdem übernehmen" applies the archived file confirmed, "Abbrechen" leaves everything as
it was. Finance and project steering restore a superseded version from the history."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

import dash
import dash_bootstrap_components as dbc
from dash import ALL, MATCH, Input, Output, State, callback, ctx, dcc, html
from flask import request

from dashboard import access, data, planning
from dashboard.views import review
from dashboard.views import upload as view
from dashboard.views import upload_history as past
from etl.core.settings import get_settings
from etl.intake import versions
from etl.intake.ingest import IngestResult, Sender, ingest_bytes
from etl.workflow import months

TECHNICAL = (
    "Technischer Fehler beim Speichern; nichts wurde geändert. "
    "Die Datei ist archiviert. Bitte später erneut versuchen."
)

dash.register_page(__name__, path="/hochladen", name="Hochladen", order=5)

# Files one drop may carry: each is read in its own process and archived, so a drop of
# thousands of small files would tie up the server (the request size is bounded separately,
# by MAX_CONTENT_LENGTH in dashboard.auth).
MAX_FILES = 50


def too_many_files(count: int) -> str:
    """The German message for a drop of more than MAX_FILES files (nothing is processed)."""
    return (
        f"Es wurden {count} Dateien auf einmal hochgeladen; höchstens {MAX_FILES} sind möglich. "
        "Keine der Dateien wurde gespeichert oder verarbeitet. Bitte die Dateien in kleineren "
        "Gruppen hochladen."
    )


def layout(**_query) -> html.Div:
    limit_mb = get_settings().max_upload_bytes // (1024 * 1024)
    return html.Div(
        [
            html.H2("Monatsbericht hochladen"),
            dcc.Upload(
                id="upload-files",
                multiple=True,
                max_size=get_settings().max_upload_bytes,
                className="upload-drop",
                children=html.Div(
                    [
                        html.Div(
                            "Arbeitsmappen hierher ziehen oder klicken zum Auswählen",
                            className="upload-drop-title",
                        ),
                        html.Div(
                            f".xlsx, .xlsm, .ods oder .xls, höchstens {limit_mb} MB je Datei; "
                            f"bis zu {MAX_FILES} Dateien auf einmal möglich.",
                            className="text-muted",
                        ),
                    ]
                ),
            ),
            review.note_field(
                "upload-note",
                "Bemerkung zum Monat (optional), z. B. „Veranstaltung auf April "
                "verschoben“ – wird mit dem angenommenen Bericht gespeichert",
            ),
            dcc.Loading(
                html.Div(id="upload-results", className="mt-3"),
                type="default",
                overlay_style={"visibility": "visible", "filter": "blur(1px)"},
            ),
            # full width each: the history grid's columns (file names, addresses) need it
            html.Div(view.template_card(), className="mt-4"),
            html.Div(past.history_card(access.current_role()), className="mt-3"),
        ]
    )


def _ingest(content: str, name: str) -> IngestResult:
    try:
        raw = base64.b64decode(content.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        return view.failed(name, "Die Datei kam unvollständig an. Bitte erneut hochladen.")
    try:
        return ingest_bytes(raw, name, sender=_sender(), **_context())
    except Exception:  # noqa: BLE001 - never a traceback in the UI; the file is archived
        return view.failed(name, TECHNICAL)


def _sender() -> Sender:
    """The logged-in user as sender; a large drop waits for their confirmation."""
    user = access.current_user
    return Sender(
        user=user.username,
        received_at=datetime.now(),
        ip=request.remote_addr,
        partner_scope=user.partner_code if user.role == "partner" else None,
        hold_drops=True,
    )


def _context() -> dict:
    # the plan's unit-cost table prices the staff rows
    return {"engine": data.engine(), "config": planning.config(), "settings": get_settings()}


@callback(
    Output("upload-results", "children"),
    Input("upload-files", "contents"),
    State("upload-files", "filename"),
    State("upload-note", "value"),
    prevent_initial_call=True,
)
def process(contents, names, note):
    if not contents:
        return dash.no_update
    if len(contents) > MAX_FILES:
        return dbc.Alert(too_many_files(len(contents)), color="danger")
    results = [_ingest(c, n) for c, n in zip(contents, names, strict=True)]
    return [view.result_card(r) for r in results] + _note(results, note)


def _note(results: list[IngestResult], note: str | None) -> list:
    """The upload's note (Bemerkung) on each month whose report was accepted."""
    if not (note or "").strip():
        return []
    user = access.current_user
    actor = months.Actor(user.username, access.current_role(), user.partner_code)
    saved = []
    for r in results:
        if r.status != "rejected" and r.partner and r.month:
            try:
                months.comment(data.engine(), r.partner, r.month, note, actor)
            except months.ApprovalError as exc:
                return [dbc.Alert(str(exc), color="danger", id="upload-note-saved")]
            saved.append(f"{r.partner} {r.month:%m/%Y}")
    text = (
        f"Bemerkung gespeichert zu {', '.join(saved)}."
        if saved
        else ("Bemerkung nicht gespeichert: kein Bericht wurde angenommen.")
    )
    return [dbc.Alert(text, color="info", id="upload-note-saved")]


@callback(
    Output({"type": "upload-held", "index": MATCH}, "children"),
    Input({"type": "upload-confirm", "index": MATCH}, "n_clicks"),
    Input({"type": "upload-cancel", "index": MATCH}, "n_clicks"),
    State({"type": "upload-held", "index": MATCH}, "id"),
    prevent_initial_call=True,
)
def confirm(confirmed, cancelled, box):
    """'Trotzdem übernehmen' applies the held file; 'Abbrechen' leaves everything as it was."""
    if not (confirmed or cancelled):
        return dash.no_update
    held = past.upload_row(box["index"])
    name = held.file_name if held else ""
    if ctx.triggered_id["type"] == "upload-cancel":
        return view.cancelled_card(name)
    try:
        result = versions.confirm_held(box["index"], sender=_sender(), **_context())
    except versions.VersionError as exc:
        return view.result_card(view.failed(name, str(exc)))
    except Exception:  # noqa: BLE001 - never a traceback in the UI
        return view.result_card(view.failed(name, TECHNICAL))
    return view.result_card(result)


@callback(
    Output("upload-restore-message", "children"),
    Input("upload-history", "cellRendererData"),
    prevent_initial_call=True,
)
def restore(clicked):
    """'Fassung wiederherstellen' (finance, project steering): the superseded version again."""
    if not clicked or not clicked.get("value"):
        return dash.no_update
    if access.current_role() not in past.RESTORE_ROLES:
        return dbc.Alert("Frühere Fassungen kann nur die Finanzabteilung oder die "
                         "Projektsteuerung wiederherstellen.", color="danger")
    upload_id = int(clicked["value"])
    row = past.upload_row(upload_id)
    sender = Sender(user=access.current_user.username, received_at=datetime.now(),
                    ip=request.remote_addr)
    try:
        result = versions.restore(upload_id, sender=sender, **_context())
    except versions.VersionError as exc:
        return dbc.Alert(str(exc), color="danger")
    except Exception:  # noqa: BLE001 - never a traceback in the UI
        return dbc.Alert(TECHNICAL, color="danger")
    return past.restore_message(result, row)


@callback(
    Output("upload-history", "rowData"),
    Input("upload-results", "children"),
    Input("url", "pathname"),
    Input({"type": "upload-held", "index": ALL}, "children"),
    Input("upload-restore-message", "children"),
)
def history(_results, _path, _held, _restored):
    return past.history_rows(
        access.partner_scope(), access.current_user.username, access.current_role()
    )


@callback(
    Output("upload-template-link", "href"),
    Input("upload-template-partner", "value"),
    Input("upload-template-month", "value"),
)
def template_link(partner, month):
    return f"/download/template?partner={partner}&month={month}" if partner and month else None


@callback(
    Output("upload-template-hint", "children"),
    Input("upload-template-link", "n_clicks"),
    Input("upload-template-partner", "value"),
    Input("upload-template-month", "value"),
    prevent_initial_call=True,
)
def template_hint(clicks, partner, month):
    """A click without a choice says what is missing (the button has no address yet)."""
    if not clicks or (partner and month):
        return None
    missing = [w for w, v in (("den Partner", partner), ("den Berichtsmonat", month)) if not v]
    return f"Bitte zuerst {' und '.join(missing)} wählen."
