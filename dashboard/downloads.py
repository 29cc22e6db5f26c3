"""File downloads: archived originals, marked-up error workbooks, blank templates.

Each route checks the user's partner scope on the server (a partner account gets only its
own partner's files) and writes an audit row.
"""

from __future__ import annotations

import io
import json
from datetime import date

from flask import Flask, abort, request, send_file
from sqlalchemy import select

from dashboard import auth
from etl import archive, audit, db
from etl import schema as s
from etl.config import get_config
from etl.errors import Issue
from etl.markup import marked_workbook
from etl.normalise import CellError, parse_month
from etl.settings import get_settings
from etl.template import template_bytes
from etl.workbook import report_file_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(upload_id: int):
    with auth._engine().connect() as conn:
        row = conn.execute(select(s.uploads).where(s.uploads.c.id == upload_id)).first()
    if row is None:
        abort(404)
    scope = auth.partner_scope()
    # a partner sees its own partner's uploads, and files it sent itself (even unreadable ones)
    mine = row.uploaded_by == getattr(auth.current_user, "username", None)
    if scope is not None and row.partner_code not in scope and not mine:
        abort(404)  # not 403: do not confirm that the upload exists
    return row


def _audit(what: str, partner: str | None, month: date | None, detail: dict) -> None:
    with db.writing(auth._engine()) as conn:
        audit.record(
            conn,
            "download",
            username=auth.current_user.username,
            partner=partner,
            month=month,
            ip=request.remote_addr,
            detail={"what": what, **detail},
        )


def archived(upload_id: int):
    """The file as it was received."""
    row = _upload(upload_id)
    data = archive.read(get_settings().archive_dir, row.archive_path)
    _audit("original", row.partner_code, row.month, {"upload_id": upload_id})
    return send_file(io.BytesIO(data), as_attachment=True, download_name=row.file_name)


def marked(upload_id: int):
    """The rejected file with its errors marked (built from the archive and the stored errors)."""
    row = _upload(upload_id)
    if row.status != "rejected":
        abort(404)
    settings = get_settings()
    data = archive.read(settings.archive_dir, row.archive_path)
    errors = [Issue(**e) for e in json.loads(row.errors_json)]
    out = marked_workbook(
        data,
        row.file_name,
        errors,
        max_bytes=settings.max_upload_bytes,
        max_unpacked_bytes=settings.max_unpacked_bytes,
    )
    _audit("marked", row.partner_code, row.month, {"upload_id": upload_id})
    stem = row.file_name.rsplit(".", 1)[0]
    return send_file(
        io.BytesIO(out), as_attachment=True, download_name=f"{stem}_Fehler.xlsx", mimetype=XLSX
    )


def template():
    """A blank monthly workbook for ``?partner=DO&month=2025-03``."""
    config = get_config()
    partner = request.args.get("partner", "").upper()
    scope = auth.partner_scope()
    if partner not in config.partner_codes or (scope is not None and partner not in scope):
        abort(404)
    try:
        month = parse_month(request.args.get("month", ""))
    except CellError:
        abort(400)
    data = template_bytes(config, partner, month)
    _audit("template", partner, month, {})
    return send_file(
        io.BytesIO(data),
        as_attachment=True,
        mimetype=XLSX,
        download_name=report_file_name(partner, month),
    )


def install(server: Flask) -> None:
    """Register the download routes (behind the login guard of :mod:`dashboard.auth`)."""
    server.add_url_rule("/download/original/<int:upload_id>", "download_original", archived)
    server.add_url_rule("/download/marked/<int:upload_id>", "download_marked", marked)
    server.add_url_rule("/download/template", "download_template", template)
