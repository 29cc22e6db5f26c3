"""German 404 and 403 answers with the right HTTP status.

Dash answers every address with its page (status 200) and draws "not found" in the browser;
here a full page load of an address that is no page gets 404, and of a page the role may not
open 403 (the browser still shows the shell with the German text). Refused plain requests
(downloads, ``abort(403)``/``abort(404)``) get the server-rendered German page instead of
Flask's English one; Dash's own requests (``/_dash-…``) keep a short plain text.
"""

from __future__ import annotations

import dash
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from dashboard import access
from dashboard.views import errors

CATCH_ALL_RULES = ("/", "/<path:path>")  # the rules under which Dash serves its index page


def page_of(path: str) -> dict | None:
    """The registered page at ``path`` (trailing slash ignored), None for the 404 page too."""
    wanted = "/" + path.strip("/")
    for page in dash.page_registry.values():
        if page["path"] == wanted and not page["module"].endswith("not_found_404"):
            return page
    return None


def page_status(path: str) -> int:
    """The HTTP status of a full page load of ``path``: 200, 403 or 404."""
    page = page_of(path)
    if page is None:
        return 404
    return 200 if access.may_open(page) else 403


def _status_of_index(resp: Response) -> Response:
    rule = request.url_rule.rule if request.url_rule else None
    if request.method == "GET" and rule in CATCH_ALL_RULES and resp.status_code == 200:
        resp.status_code = page_status(request.path)
    return resp


def _refused(exc: HTTPException):
    if request.path.startswith("/_dash"):
        text = errors.TEXTS[exc.code][0]
        return Response(text, status=exc.code, mimetype="text/plain")
    return errors.render(exc.code)


def install(server: Flask) -> None:
    """German error pages for 403/404 and the status of Dash page loads."""
    server.register_error_handler(403, _refused)
    server.register_error_handler(404, _refused)
    server.after_request(_status_of_index)
