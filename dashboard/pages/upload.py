"""Hochladen: partners drop their monthly workbooks and see at once what became of each."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

import dash
from dash import Input, Output, State, callback, dcc, html
from flask import request

from dashboard import access, data, planning
from dashboard.views import upload as view
from etl.core.settings import get_settings
from etl.intake.ingest import IngestResult, Sender, ingest_bytes

dash.register_page(__name__, path="/hochladen", name="Hochladen", order=5)


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
                            "mehrere Dateien auf einmal möglich.",
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
            # full width each: the history grid's columns (file names, addresses) need it
            html.Div(view.template_card(), className="mt-4"),
            html.Div(view.history_card(), className="mt-3"),
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
