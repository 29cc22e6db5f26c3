"""Downloads of the documents for the funding body and steering: proof of use, Belegliste,
staff-hours records, Sachbericht, steering pack. Each route checks the user's partner scope on
the server (a partner account gets only its own partner's, another partner is a 404) and is
audited."""

from __future__ import annotations

from flask import Flask, Response, abort, request

from dashboard.downloads import DOCX, PDF, XLSX, _audit, _send, _xlsx
from etl.core.normalise import CellError, parse_month


def proof():
    """Zwischennachweis (``?partner=DO&jahr=2025``) or Verwendungsnachweis (no year), as
    Excel or with ``&format=pdf`` as PDF; a partner account gets only its own partner's."""
    from dashboard.exports.source import web_source
    from etl.documents.proof import file_name, proof_workbook, scope_of

    source = web_source()
    scope = _document_scope(source, scope_of)
    fmt = "pdf" if request.args.get("format") == "pdf" else "xlsx"
    body = proof_workbook(
        source.engine,
        source.config,
        scope,
        exported_by=source.user,
        stand=_stand(source),
        fmt=fmt,
    )
    _audit_document("nachweis", scope, fmt)
    return _send(body, file_name(scope, fmt), PDF if fmt == "pdf" else XLSX)


def _document_scope(source, scope_of):
    """The partner (``?partner=DO``; a partner account: its own, another is a 404) and year
    (``?jahr=2025``, none: the whole period) of a document download."""
    partner = request.args.get("partner", "").upper() or None
    year = request.args.get("jahr", "")
    if source.scope is not None:
        partner = partner or source.scope[0]
        if partner not in source.scope:
            abort(404)
    try:
        return scope_of(source.config, partner, int(year) if year.isdigit() else None)
    except ValueError:
        abort(404)


def _audit_document(what: str, scope, fmt: str | None = None) -> None:
    detail = {"partner": scope.partner or "alle", "year": scope.year}
    _audit(what, scope.partner, None, detail | ({"format": fmt} if fmt else {}))


def hours():
    """Staff-hours records with timesheets and declarations (``?partner=DO&jahr=2025``)."""
    from dashboard.exports.source import web_source
    from etl.documents.hours import file_name, hours_workbook
    from etl.documents.proof import scope_of

    source = web_source()
    scope = _document_scope(source, scope_of)
    body = hours_workbook(
        source.engine, source.config, scope, exported_by=source.user, stand=_stand(source)
    )
    _audit_document("stunden", scope)
    return _xlsx(body, file_name(scope))


def steering():
    """The Steuerungspaket (PDF) for the filters of the query string, printed from the pages
    with the user's own session (so with the user's partner scope); 503 with the reason in
    German when Chromium is missing or cannot print."""
    from dashboard import pack
    from dashboard.exports.source import web_source

    search = flt_search(request.args.to_dict())
    source = web_source()
    try:
        body = pack.steering_pack(source, pack.base_url(), dict(request.cookies), search)
    except pack.PackError as exc:
        return Response(str(exc), 503, mimetype="text/plain")
    _audit("steuerung", None, None, {"query": search})
    return _send(body, pack.file_name(source, search), PDF)


def flt_search(params: dict[str, str]) -> str:
    """The dashboard filters of ``params`` as a query string (``?partner=DO&jahr=2025``)."""
    from dashboard import filters as flt

    return flt.to_search({k: v for k, v in params.items() if k in flt.GLOBAL_KEYS})


def narrative():
    """The Sachbericht draft as a Word file (``?partner=DO&jahr=2025``)."""
    from dashboard.exports.source import web_source
    from etl.documents.proof import scope_of
    from etl.documents.sachbericht import file_name, sachbericht_docx

    source = web_source()
    scope = _document_scope(source, scope_of)
    body = sachbericht_docx(
        source.engine, source.config, scope, exported_by=source.user, stand=_stand(source)
    )
    _audit_document("sachbericht", scope)
    return _send(body, file_name(scope), DOCX)


def receipts():
    """Belegliste (``?partner=DO&jahr=2025``, or ``von=2025-03&bis=2025-06``, or neither: the
    whole period); a partner account gets only its own partner's, like the proof of use."""
    from dashboard.exports.source import web_source
    from etl.documents.belegliste import (
        belegliste_document,
        belegliste_workbook,
        file_name,
        scope_of,
    )
    from etl.documents.pdf import document_bytes as pdf_document

    source = web_source()
    partner = request.args.get("partner", "").upper() or None
    if source.scope is not None:
        partner = partner or source.scope[0]
        if partner not in source.scope:
            abort(404)
    year = request.args.get("jahr", "")
    try:
        months = [
            parse_month(v) if v else None for v in (request.args.get(k, "") for k in ("von", "bis"))
        ]
        scope = scope_of(source.config, partner, int(year) if year.isdigit() else None, *months)
    except (ValueError, CellError):
        abort(404)
    who = {"exported_by": source.user, "stand": _stand(source)}
    pdf = request.args.get("format") == "pdf"
    if pdf:
        body = pdf_document(*belegliste_document(source.engine, source.config, scope, **who))
    else:
        body = belegliste_workbook(source.engine, source.config, scope, **who)
    detail = {
        "partner": partner or "alle",
        "period": scope.period,
        "format": "pdf" if pdf else "xlsx",
    }
    _audit("belegliste", partner, None, detail)
    name = file_name(scope)
    return _send(body, name[:-4] + "pdf", PDF) if pdf else _xlsx(body, name)


def _stand(source) -> str:
    from dashboard.exports import stand

    return stand(source)


def install(server: Flask) -> None:
    """Register the document routes (behind the login guard of :mod:`dashboard.auth`)."""
    server.add_url_rule("/download/nachweis", "download_proof", proof)
    server.add_url_rule("/download/stunden", "download_hours", hours)
    server.add_url_rule("/download/sachbericht", "download_narrative", narrative)
    server.add_url_rule("/download/steuerung", "download_steering", steering)
    server.add_url_rule("/download/belegliste", "download_receipts", receipts)
