"""File downloads: archived originals, marked-up error workbooks, blank templates, Excel
exports of the pages, the proof of use, staff-hours records, the Sachbericht draft, and the
finance plan workbook.

Each route checks the user's partner scope on the server (a partner account gets only its
own partner's files) and writes an audit row.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date
from urllib.parse import urlencode

import dash
from flask import Flask, Response, abort, request, send_file, stream_with_context

from dashboard import access, data
from etl.core.config import get_config
from etl.core.normalise import CellError, parse_month
from etl.core.settings import get_settings
from etl.documents.cells import neutral_text
from etl.documents.markup import marked_workbook
from etl.documents.template import template_bytes
from etl.documents.workbook import report_file_name
from etl.intake import archive
from etl.warehouse import audit, db, files

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
MAX_NAME = 150


def attachment_name(name: str, fallback: str = "download") -> str:
    """A file name fit for ``Content-Disposition``: the name a user gave a file, without what
    breaks the header or misleads the reader.

    CR/LF would make the header invalid (werkzeug refuses it: a 500 for every download of
    that file); other control and format characters (NUL, bidi overrides such as U+202E that
    show ``xslx.exe`` as ``exe.xlsx``, zero-width) and path separators are dropped or
    replaced; what is left is NFC-normalised and shortened, keeping the extension. Werkzeug
    then writes it per RFC 6266: ``filename="…"`` (ASCII) plus ``filename*=UTF-8''…``.
    """
    text = unicodedata.normalize("NFC", name)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    text = re.sub(r'[\\/"]', "_", text)
    text = re.sub(r"\s+", " ", text).strip(" .")
    if len(text) > MAX_NAME:
        stem, dot, ext = text.rpartition(".")
        keep = f".{ext}" if dot and len(ext) <= 10 else ""
        text = text[: MAX_NAME - len(keep)].rstrip(" .") + keep
    return text or fallback


def _send(body: bytes, name: str, mimetype: str | None = None):
    """``body`` as a download named ``name`` (sanitised)."""
    return send_file(
        io.BytesIO(body),
        as_attachment=True,
        download_name=attachment_name(name),
        mimetype=mimetype,
    )


def _upload(upload_id: int) -> files.UploadFile:
    row = files.upload_file(data.engine(), upload_id)
    if row is None:
        abort(404)
    scope = access.partner_scope()
    # a partner sees its own partner's uploads, and files it sent itself (even unreadable ones)
    mine = row.uploaded_by == getattr(access.current_user, "username", None)
    if scope is not None and row.partner_code not in scope and not mine:
        abort(404)  # not 403: do not confirm that the upload exists
    return row


def _audit(what: str, partner: str | None, month: date | None, detail: dict) -> None:
    with db.writing(data.engine()) as conn:
        audit.record(
            conn,
            "download",
            username=access.current_user.username,
            partner=partner,
            month=month,
            ip=request.remote_addr,
            detail={"what": what, **detail},
        )


def archived(upload_id: int):
    """The file as it was received."""
    row = _upload(upload_id)
    body = archive.read(get_settings().archive_dir, row.archive_path)
    _audit("original", row.partner_code, row.month, {"upload_id": upload_id})
    return _send(body, row.file_name)


def marked(upload_id: int):
    """The rejected file with its errors marked (built from the archive and the stored errors)."""
    row = _upload(upload_id)
    if row.status != "rejected":
        abort(404)
    settings = get_settings()
    body = archive.read(settings.archive_dir, row.archive_path)
    errors = row.errors()
    out = marked_workbook(
        body,
        row.file_name,
        errors,
        max_bytes=settings.max_upload_bytes,
        max_unpacked_bytes=settings.max_unpacked_bytes,
    )
    _audit("marked", row.partner_code, row.month, {"upload_id": upload_id})
    stem = row.file_name.rsplit(".", 1)[0]
    return _send(out, f"{stem}_Fehler.xlsx", XLSX)


def template():
    """A blank monthly workbook for ``?partner=DO&month=2025-03``."""
    config = get_config()
    partner = request.args.get("partner", "").upper()
    scope = access.partner_scope()
    if partner not in config.partner_codes:
        abort(404)
    if scope is not None and partner not in scope:
        abort(403)  # the partner codes are no secret; say plainly that it is not yours
    try:
        month = parse_month(request.args.get("month", ""))
    except CellError:
        abort(400)
    body = template_bytes(config, partner, month)
    _audit("template", partner, month, {})
    return _send(body, report_file_name(partner, month), XLSX)


PLAN_ROLES = ("finance", "steering")


def _xlsx(body: bytes, name: str):
    return _send(body, name, XLSX)


def _page(path: str) -> dict | None:
    return next((p for p in dash.page_registry.values() if p["path"] == path), None)


def page_export():
    """The workbook of a page (``?seite=/finanzen&partner=DO&jahr=2025``) as the user sees it."""
    from dashboard.exports import export_page, page_file_name
    from dashboard.exports.source import web_source

    params = request.args.to_dict()
    path = params.pop("seite", "/") or "/"
    page = _page(path)
    if page is None:
        abort(404)
    if not access.may_open(page):
        abort(403)
    source = web_source()
    body = export_page(path, urlencode(params), source=source)
    _audit("export", None, None, {"page": path})
    return _xlsx(body, page_file_name(path, source.today))


def plan_workbook():
    """The finance plan workbook of the current version (or ``?version=3``)."""
    from etl.documents.plan_workbook import file_name, plan_workbook_bytes
    from etl.workflow import plan

    if access.current_role() not in PLAN_ROLES:
        abort(403)
    engine, config = data.engine(), data.config()
    version = request.args.get("version", "")
    try:
        chosen = (
            plan.plan_as_of(engine, config, int(version))
            if version.isdigit()
            else plan.current_plan(engine, config)
        )
    except plan.PlanError:
        abort(404)
    _audit("finanzplan", None, None, {"version": chosen.version.id})
    return _xlsx(plan_workbook_bytes(config, chosen), file_name(chosen, data.today()))


def plan_original(version_id: int):
    """The uploaded file a plan version was made from, as received."""
    from etl.warehouse import queries

    if access.current_role() not in PLAN_ROLES:
        abort(403)
    row = queries.plan_version(data.engine(), version_id=version_id)
    if row is None or not row["archive_path"]:
        abort(404)
    body = archive.read(get_settings().data_dir, row["archive_path"])
    _audit("finanzplan", None, None, {"version": version_id, "file": row["file_name"]})
    return _send(body, row["file_name"])


def _csv_cell(col: dict, value) -> str:
    """A value as the Daten grid shows it (German numbers, dates and months)."""
    from dashboard import fmt

    if value is None or value == "":
        return ""
    formatter = (col.get("valueFormatter") or {}).get("function", "")
    if formatter.startswith("eurCents"):
        return fmt.eur(int(value))
    if formatter.startswith("deNumber"):
        places = int(formatter.rsplit(",", 1)[1].strip(" )") or 0)
        return fmt.de_dec(value, places)
    if formatter.startswith("deDate"):
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        out = fmt.de_date(text)
        return f"{out} {text[11:16]}" if "true" in formatter and len(text) >= 16 else out
    if formatter.startswith("deMonth"):
        month = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        return fmt.month_long(month)
    return neutral_text(str(value))  # text from uploads and users: never a formula


def _csv_line(cells) -> str:
    return ";".join('"' + c.replace('"', '""') + '"' for c in cells) + "\r\n"


def records_csv():
    """Every row of the Daten page's selection (``?tabelle=kosten&partner=DO&jahr=2025``) as
    CSV, streamed from SQL in chunks: the same columns and German formatting as the grid,
    clamped to the user's partners."""
    from dashboard.pages.records import _selection, sheet_selection
    from dashboard.views import grids, sheet_grid
    from etl.warehouse import queries

    search = "?" + urlencode(request.args.to_dict(), safe=",")
    dataset, narrowing = _selection(search)
    scope, engine = data.record_scope(), data.engine()
    sheet, frame = sheet_selection(search)
    cols = sheet_grid.columns(sheet) if sheet else grids.RECORD_COLUMNS[dataset]
    _audit("csv", None, None, {"page": "/daten", "tabelle": dataset})

    def chunks():
        if sheet is None:
            yield from queries.record_chunks(engine, dataset, scope=scope, **narrowing)
        else:  # a configured sheet: its rows as the grid shows them
            yield sheet_grid.rows(sheet, frame)

    def lines():
        yield "\ufeff" + _csv_line(c["headerName"] for c in cols)
        for chunk in chunks():
            shown = (grids.shown(dataset, r) for r in chunk)  # once per row, not per column
            yield "".join(
                _csv_line(_csv_cell(c, row.get(c["field"])) for c in cols) for row in shown
            )

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="foerdercockpit-daten.csv"'},
    )


def install(server: Flask) -> None:
    from dashboard import document_downloads as documents

    """Register the download routes (behind the login guard of :mod:`dashboard.auth`)."""
    server.add_url_rule("/download/original/<int:upload_id>", "download_original", archived)
    server.add_url_rule("/download/marked/<int:upload_id>", "download_marked", marked)
    server.add_url_rule("/download/template", "download_template", template)
    server.add_url_rule("/download/export", "download_export", page_export)
    documents.install(server)
    server.add_url_rule("/download/finanzplan", "download_plan", plan_workbook)
    server.add_url_rule("/download/daten", "download_records_csv", records_csv)
    server.add_url_rule(
        "/download/finanzplan/original/<int:version_id>", "download_plan_original", plan_original
    )
