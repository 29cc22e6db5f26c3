"""Hochladen: partners drop their monthly workbooks and see at once what became of each."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

import dash
import dash_bootstrap_components as dbc
from dash import Input, Output, State, callback, dcc, html
from flask import request

from dashboard import access, data, planning
from dashboard.views import upload as view
from etl.core.settings import get_settings
from etl.intake.ingest import IngestResult, Sender, ingest_bytes

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
            dcc.Loading(
                html.Div(id="upload-results", className="mt-3"),
                type="default",
                overlay_style={"visibility": "visible", "filter": "blur(1px)"},
            ),
            dbc.Row(
                [
                    dbc.Col(view.template_card(), md=4),
                    dbc.Col(view.history_card(), md=8),
                ],
                className="mt-4 g-3",
            ),
        ]
    )


def _ingest(content: str, name: str) -> IngestResult:
    try:
        raw = base64.b64decode(content.split(",", 1)[1], validate=True)
    except (IndexError, binascii.Error):
        return view.failed(name, "Die Datei kam unvollständig an. Bitte erneut hochladen.")
    user = access.current_user
    sender = Sender(
        user=user.username,
        received_at=datetime.now(),
        ip=request.remote_addr,
        partner_scope=user.partner_code if user.role == "partner" else None,
    )
    try:
        return ingest_bytes(
            raw,
            name,
            engine=data.engine(),
            config=planning.config(),  # the plan's unit-cost table prices the staff rows
            settings=get_settings(),
            sender=sender,
        )
    except Exception:  # noqa: BLE001 - never a traceback in the UI; the file is archived
        return view.failed(
            name,
            "Technischer Fehler beim Speichern; nichts wurde geändert. "
            "Die Datei ist archiviert. Bitte später erneut versuchen.",
        )


@callback(
    Output("upload-results", "children"),
    Input("upload-files", "contents"),
    State("upload-files", "filename"),
    prevent_initial_call=True,
)
def process(contents, names):
    if not contents:
        return dash.no_update
    if len(contents) > MAX_FILES:
        return dbc.Alert(too_many_files(len(contents)), color="danger")
    results = [_ingest(c, n) for c, n in zip(contents, names, strict=True)]
    return [view.result_card(r) for r in results]


@callback(
    Output("upload-history", "rowData"),
    Input("upload-results", "children"),
    Input("url", "pathname"),
)
def history(_results, _path):
    return view.history_rows(access.partner_scope(), access.current_user.username)


@callback(
    Output("upload-template-link", "href"),
    Input("upload-template-partner", "value"),
    Input("upload-template-month", "value"),
)
def template_link(partner, month):
    return f"/download/template?partner={partner}&month={month}" if partner and month else None
