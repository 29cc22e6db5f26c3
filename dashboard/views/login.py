"""The login form: plain server-rendered HTML (works before any Dash JavaScript is allowed)."""

from __future__ import annotations

from flask import Response, render_template_string

from etl.core.config import get_config

_PAGE = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Anmelden – Fördercockpit</title>
<link rel="stylesheet" href="/assets/login.css"></head>
<body><main class="login">
  <h1>Fördercockpit</h1>
  <p class="network">{{ network }}</p>
  {% if message %}<p class="error" role="alert">{{ message }}</p>{% endif %}
  <form method="post" autocomplete="on">
    <input type="hidden" name="csrf" value="{{ csrf_token() }}">
    <label for="username">Benutzername</label>
    <input id="username" name="username" type="text" autocomplete="username" required autofocus>
    <label for="password">Passwort</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
    <button type="submit">Anmelden</button>
  </form>
</main></body></html>"""


def render(message: str | None = None, status: int = 200) -> Response:
    """The login page, optionally with a German error message."""
    html = render_template_string(_PAGE, message=message, network=get_config().name)
    return Response(html, status=status, mimetype="text/html")


_LOGOUT = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Abmelden – Fördercockpit</title>
<link rel="stylesheet" href="/assets/login.css"></head>
<body><main class="login">
  <h1>Fördercockpit</h1>
  <p class="network">Angemeldet als {{ username }}</p>
  <form method="post" action="/logout">
    <input type="hidden" name="csrf" value="{{ csrf_token() }}">
    <button type="submit">Abmelden</button>
  </form>
  <p class="back"><a href="/">Zurück zum Cockpit</a></p>
</main></body></html>"""


def render_logout(username: str) -> Response:
    """The page at ``GET /logout`` (a bookmark, a typed address): it asks, and only its
    button (a POST with the session's token) logs out, so no link or image can."""
    html = render_template_string(_LOGOUT, username=username)
    return Response(html, status=200, mimetype="text/html")
