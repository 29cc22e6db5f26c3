"""The German error pages (404, 403): one text each, shown inside the Dash shell when the
browser navigates inside the app, and as server-rendered HTML (same look: navbar, title)
when a plain request (a download, a typed address) is refused."""

from __future__ import annotations

from dash import dcc, html
from flask import Response, render_template_string

from etl.core.config import get_config

# status -> (title, explanation, what to do)
TEXTS = {
    404: (
        "Seite nicht gefunden",
        "Unter dieser Adresse gibt es im Fördercockpit keine Seite und keine Datei.",
        "Bitte die Adresse prüfen oder über die Navigation weitergehen.",
    ),
    403: (
        "Kein Zugriff",
        "Diese Seite oder Datei ist für Ihr Konto nicht freigegeben.",
        "Partnerkonten sehen nur die Daten des eigenen Partners. Wenn Sie Zugriff brauchen, "
        "wenden Sie sich bitte an die Projektsteuerung.",
    ),
}


def panel(status: int) -> html.Div:
    """The error text as a page of the Dash app (inside the shell's navbar)."""
    title, what, todo = TEXTS[status]
    return html.Div(
        [
            html.H1(title, className="h2 mb-3"),
            html.P(what, className="lead"),
            html.P(todo),
            dcc.Link("Zur Übersicht", href="/", className="btn btn-primary"),
            html.Span(f"Fehlercode {status}", className="text-muted small ms-3"),
        ],
        className="error-page",
        id="no-access" if status == 403 else "not-found",
    )


_PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – Fördercockpit</title>
<link rel="icon" href="/_favicon.ico">
<link rel="stylesheet" href="/assets/00-bootstrap-flatly.min.css">
<link rel="stylesheet" href="/assets/style.css"></head>
<body>
<nav class="navbar navbar-dark bg-primary mb-3 py-2"><div class="container-fluid">
  <a class="navbar-brand" href="/"><span class="fw-bold me-2">Fördercockpit</span>
  <span class="brand-network">{{ network }}</span></a>
  <a class="nav-link text-white" href="/">Zur Übersicht</a>
</div></nav>
<main class="container-fluid page-body"><div class="error-page" id="{{ element_id }}">
  <h1 class="h2 mb-3">{{ title }}</h1>
  <p class="lead">{{ what }}</p>
  <p>{{ todo }}</p>
  <a class="btn btn-primary" href="/">Zur Übersicht</a>
  <span class="text-muted small ms-3">Fehlercode {{ status }}</span>
</div></main></body></html>"""


def render(status: int) -> Response:
    """The error page as plain HTML with ``status`` (for requests outside the Dash app)."""
    title, what, todo = TEXTS[status]
    body = render_template_string(
        _PAGE,
        title=title,
        what=what,
        todo=todo,
        status=status,
        network=get_config().short_name,
        element_id="no-access" if status == 403 else "not-found",
    )
    return Response(body, status=status, mimetype="text/html")
