"""Login, sessions and the request guard for the Flask server behind Dash. Deny by default.

Every request needs a logged-in, active user except the login page and static assets. A
session is valid only while its account's ``session_generation`` is the one it was made in
(logout, password, active state and role change bump it), so a copied cookie dies with it.
Dash callbacks are allowed by the page prefix of their output ids (``upload-…``), so a
callback of a page that a role may not open is refused with 403 before it runs. Who may see
what (roles, pages, partners) is decided in :mod:`dashboard.access`.

Every state-changing request (any method but GET/HEAD/OPTIONS) must carry the session's CSRF
token: the login and logout forms as a form field, Dash callbacks in the ``X-CSRFToken``
header. dash-renderer sends that header on each request by itself, copied
from the (script-readable) ``_csrf_token`` cookie that :func:`_csrf_cookie` keeps equal to
the token in the signed session, so a token from another session or browser is refused.
"""

from __future__ import annotations

import hmac
import json
import math
import os
import secrets
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    has_request_context,
    redirect,
    request,
    session,
)
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, current_user, login_user, logout_user
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard import data
from dashboard.access import callback_allowed, current_role, may_open
from dashboard.views import errors, login
from etl.core.settings import get_settings
from etl.warehouse import audit, db
from etl.workflow import users

# Served without login: exactly these paths, and the files under /assets/ (Dash answers any
# other path with the app shell, so a prefix test would let "/loginx" through).
PUBLIC_PATHS = frozenset({"/login", "/_favicon.ico", "/healthz"})
PUBLIC_PREFIX = "/assets/"
# Login throttling per user name x address: after FREE_FAILURES failures since the pair's last
# success (within FAILURE_MEMORY), the next try waits 2^n s after the n-th, at most MAX_DELAY.
# One address gets at most ADDRESS_FAILURES failures per ADDRESS_WINDOW over all names. No
# rule counts a name's failures from other addresses: nobody can lock an account out.
FREE_FAILURES, MAX_DELAY, FAILURE_MEMORY = 3, timedelta(minutes=15), timedelta(hours=24)
ADDRESS_FAILURES, ADDRESS_WINDOW = 30, timedelta(minutes=15)
IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "60")))
# dash-renderer's defaults (Dash(csrf_token_name=…, csrf_header_name=…)): it copies the cookie
# into the header of every request it makes.
CSRF_COOKIE, CSRF_HEADER = "_csrf_token", "X-CSRFToken"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CSRF_REFUSED = (
    "Sicherheitsprüfung fehlgeschlagen: Die Anfrage trägt kein gültiges Sitzungs-Token. "
    "Bitte die Seite neu laden."
)

login_manager = LoginManager()


class SessionUser(users.User):
    """The flask-login view of an account."""

    is_authenticated, is_anonymous = True, False

    def get_id(self) -> str:
        return str(self.id)


@login_manager.user_loader
def _load_user(user_id: str):
    """The session's account, if still active and the session not ended since (the signed
    cookie cannot be withdrawn from the browser, so the account's generation decides)."""
    user = users.get_user_by_id(data.engine(), int(user_id)) if user_id.isdigit() else None
    if user is None or not user.is_active or session.get("gen") != user.session_generation:
        return None
    return SessionUser(**vars(user))


def service_session(server: Flask, user: users.User) -> dict[str, str]:
    """The cookies of a fresh session of ``user`` on ``server`` (signed like a login's), for
    a command that prints the pages in Chromium on the user's behalf (``python -m dashboard
    pack``); whoever runs it holds the warehouse and the secret key anyway."""
    with server.test_request_context("/"):
        login_user(SessionUser(**vars(user)))
        session["gen"] = user.session_generation
        session["seen"] = datetime.now().timestamp()
        token = csrf_token()
        value = server.session_interface.get_signing_serializer(server).dumps(dict(session))
    return {server.config["SESSION_COOKIE_NAME"]: value, CSRF_COOKIE: token}


def secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in DATA_DIR (0600)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(get_settings().data_dir) / ".secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def guarded(page: dict):
    """The page's layout function, answering 'Kein Zugriff' to roles it is not for."""
    inner = page["layout"]

    def layout(**query):
        # Only the page router's callback renders for a user; Dash also calls every layout
        # once (inside the first request) to validate callbacks, which must see them all.
        routed = has_request_context() and request.path.endswith("_dash-update-component")
        if routed and not may_open(page):
            return errors.panel(403)
        return inner(**query) if callable(inner) else inner

    return layout


def csrf_token() -> str:
    """The session's CSRF token (made on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _csrf_ok() -> bool:
    """Whether the request carries this session's token (header, or field of a form post)."""
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.mimetype in FORM_TYPES:
        sent = request.form.get("csrf", "")
    expected = session.get("csrf", "")
    return bool(sent and expected) and hmac.compare_digest(sent.encode(), expected.encode())


def _https() -> bool:
    """Whether this request came by HTTPS (directly, or through a proxy trusted with
    ``TRUSTED_PROXIES``)."""
    return has_request_context() and request.is_secure


class _Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, Secure with ``COOKIE_SECURE=1`` and on any HTTPS
    request (so a forgotten COOKIE_SECURE behind HTTPS still gives Secure cookies)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or _https()


def login_delay(failures: int) -> timedelta:
    """How long after the ``failures``-th failure of a name from an address the next try
    must wait: nothing for the first FREE_FAILURES, then 2^n seconds up to MAX_DELAY."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    return min(timedelta(seconds=2 ** min(failures, 20)), MAX_DELAY)


def _throttled(username: str, ip: str) -> int:
    """Seconds this name must wait before trying again from this address (0: may try now)."""
    now, engine = datetime.now(), data.engine()
    if audit.address_failures(engine, ip=ip, since=now - ADDRESS_WINDOW) >= ADDRESS_FAILURES:
        return int(ADDRESS_WINDOW.total_seconds())
    n, last = audit.login_failures(engine, username=username, ip=ip, since=now - FAILURE_MEMORY)
    wait = (last + login_delay(n) - now).total_seconds() if last else 0
    return max(0, math.ceil(wait))


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds} Sekunde" if seconds == 1 else f"{seconds} Sekunden"
    minutes = math.ceil(seconds / 60)
    return "1 Minute" if minutes == 1 else f"{minutes} Minuten"


def safe_next(target: str) -> str:
    r"""``target`` if it is a path on this site, else ``/`` (no open redirect).

    Browsers drop tabs and newlines from URLs and read ``\`` as ``/``, so ``/<TAB>/evil``
    and ``/\evil`` mean ``//evil``: anything with control characters, whitespace or
    backslashes is refused before the URL is parsed.
    """
    if any(c == "\\" or c.isspace() or unicodedata.category(c)[0] == "C" for c in target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _audit(action: str, username: str | None, detail: object = "") -> None:
    with db.writing(data.engine()) as conn:
        audit.record(conn, action, username=username, ip=request.remote_addr, detail=detail)


def _login_post() -> Response:
    username = request.form.get("username", "").strip().lower()[:100]
    if not _csrf_ok():
        return login.render("Die Sitzung ist abgelaufen. Bitte erneut anmelden.", 400)
    wait = _throttled(username, request.remote_addr or "")
    if wait:
        resp = login.render(
            f"Zu viele Fehlversuche. Bitte in {_wait_text(wait)} erneut versuchen.", 429
        )
        resp.headers["Retry-After"] = str(wait)
        return resp
    user = users.authenticate(data.engine(), username, request.form.get("password", ""))
    if user is None:
        _audit("login_failed", username)
        return login.render("Benutzername oder Passwort ist falsch.", 401)
    session.clear()  # no session fixation: a fresh session for the logged-in user
    login_user(SessionUser(**vars(user)))
    session["seen"] = datetime.now().timestamp()
    session["gen"] = user.session_generation
    _audit("login", user.username)
    return redirect(safe_next(request.args.get("next", "/")))


def _login() -> Response:
    if request.method == "POST":
        return _login_post()
    return login.render()


def _logout() -> Response:
    """End the session (POST with the session's token, checked by the guard): every session
    of the account ends, including copies of this session's cookie. GET only asks."""
    if request.method == "GET":
        return login.render_logout(current_user.username)
    if current_role():
        users.log_out(data.engine(), current_user.username, ip=request.remote_addr)
    logout_user()
    session.clear()
    return redirect("/login")


def _flat(items) -> list:
    out = []
    for item in items if isinstance(items, list) else [items]:
        out.extend(_flat(item) if isinstance(item, list) else [item])
    return out


def _callback_outputs() -> list[str]:
    """Output component ids of a Dash callback request (wildcard outputs flattened)."""
    try:
        body = json.loads(request.get_data(cache=True) or b"{}")
    except ValueError:
        return []
    ids = [o.get("id") for o in _flat(body.get("outputs")) if isinstance(o, dict)]
    return [json.dumps(i, sort_keys=True) if isinstance(i, dict) else str(i) for i in ids if i]


def _expired() -> bool:
    seen = session.get("seen")
    return seen is None or datetime.now() - datetime.fromtimestamp(seen) > IDLE_TIMEOUT


def _guard() -> Response | None:
    path = request.path
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIX):
        return None
    if not current_role() or _expired():
        logout_user()
        if path.startswith("/_dash") or request.method != "GET":
            abort(401)
        return redirect("/login?next=" + quote(request.full_path.rstrip("?"), safe="/"))
    session["seen"] = datetime.now().timestamp()
    if request.method not in SAFE_METHODS and not _csrf_ok():
        return Response(CSRF_REFUSED, 403, mimetype="text/plain")
    if (
        request.method == "POST"
        and path.endswith("_dash-update-component")
        and not callback_allowed(_callback_outputs(), current_role())
    ):
        abort(403)
    return None


def _csrf_cookie(resp: Response) -> None:
    """Hand the session's token to dash-renderer in the ``_csrf_token`` cookie.

    Not HttpOnly (the renderer reads it with JavaScript); it is no credential by itself: a
    request is accepted only when the header equals the token in the signed session cookie.
    A login clears the session, so every login gets a fresh token (and cookie).
    """
    if current_role():
        csrf_token()
    token = session.get("csrf")
    if token and request.cookies.get(CSRF_COOKIE) != token:
        resp.set_cookie(CSRF_COOKIE, token, httponly=False, samesite="Lax", path="/",
                        secure=current_app.session_interface.get_cookie_secure(current_app))
    elif not token and CSRF_COOKIE in request.cookies:
        resp.delete_cookie(CSRF_COOKIE, path="/")


def content_security_policy(script_hashes: Sequence[str] = ()) -> str:
    """The Content-Security-Policy of every response (measured in headless Chromium on every
    page and role: zero violations; tests/browser/test_security.py keeps it that way).

    script-src: the app's own files plus, by hash, the inline scripts Dash writes into its
    page (``var renderer = new DashRenderer();`` and the clientside callback of Dash pages).
    No 'unsafe-inline'. No 'unsafe-eval' either: dash-ag-grid evaluates ``{"function": …}``
    strings with esprima + static-eval, not eval; plotly.js compiles code only for WebGL
    traces (regl), which no chart here uses.
    style-src keeps 'unsafe-inline': dash-renderer, dcc, dash-ag-grid and plotly.js inject
    <style> elements and set style attributes at runtime (about 400 violations without it,
    and nothing that could be hashed). Inline styles cannot run script.
    img-src ``data:`` for the SVG icons of Bootstrap and AG Grid (CSS data URLs), ``blob:``
    for plotly's "Download plot as a PNG".
    """
    return "; ".join([
        "default-src 'self'",
        " ".join(["script-src 'self'", *script_hashes]),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ])


def _headers(resp: Response) -> Response:
    _csrf_cookie(resp)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("X-Frame-Options", "DENY")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    hashes = current_app.extensions.get("csp_script_hashes", tuple)()
    resp.headers.setdefault("Content-Security-Policy", content_security_policy(hashes))
    return resp


def install(server: Flask, script_hashes: Callable[[], Sequence[str]] = tuple) -> None:
    """Put login, session settings, the request guard and security headers on ``server``.

    ``script_hashes``: CSP hashes of the page's inline scripts (``Dash.csp_hashes``), asked
    per response, so that clientside callbacks registered late are covered too.
    With ``TRUSTED_PROXIES=n`` the ``X-Forwarded-For/-Proto/-Host`` headers of the ``n``
    reverse proxies in front are believed (client address for throttling and the audit log,
    HTTPS for Secure cookies); without it they are ignored (a client could forge them).
    """
    server.extensions["csp_script_hashes"] = script_hashes
    proxies = int(os.environ.get("TRUSTED_PROXIES", "0"))
    if proxies > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=proxies, x_proto=proxies,
                                   x_host=proxies)
    server.session_interface = _Sessions()
    server.config.update(
        SECRET_KEY=secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("COOKIE_SECURE", "0") == "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=10),
        MAX_CONTENT_LENGTH=get_settings().max_upload_bytes * 2 + 1024 * 1024,
    )
    login_manager.init_app(server)
    server.add_url_rule("/login", "login", _login, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", _logout, methods=["GET", "POST"])
    server.add_url_rule("/healthz", "healthz", lambda: "ok")
    server.before_request(_guard)
    server.after_request(_headers)
    server.jinja_env.globals["csrf_token"] = csrf_token
