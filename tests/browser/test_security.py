"""Web security in a real browser: the Content-Security-Policy (no 'unsafe-inline', no
'unsafe-eval' for scripts) breaks nothing — every page of every role draws its charts and
grids with zero CSP violations, drill-down, hover and PNG export work — and dash-renderer
sends the session's CSRF token with every callback."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import App

pytestmark = pytest.mark.browser

# Collected from the first script on each page on (Playwright's init scripts are not subject
# to the page's CSP).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    [e.effectiveDirective, e.blockedURI, (e.sourceFile || '') + ':' + e.lineNumber].join(' ')));
"""
DE_DATE = re.compile(r"^\d{2}\.\d{2}\.\d{4}")
MONTH = re.compile(r"^(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober"
                   r"|November|Dezember) \d{4}$")
MONEY = re.compile(r"-?\d{1,3}(\.\d{3})*,\d{2} €")

# path -> (element that exists once the page has drawn, number of charts on it)
PAGES = {
    "/": ("#overview-kpi-events-value", 0),
    "/aktivitaeten": ("#activities-bars-card .trace.bars .point path", 5),
    "/finanzen": ("#finance-lines .ag-center-cols-container .ag-row", 5),
    "/meldestand": ("#reporting-rates .trace", 1),
    "/daten": ("#records-grid .ag-center-cols-container .ag-row", 0),
    "/hochladen": ("#upload-history .ag-center-cols-container .ag-row", 0),
    "/protokoll": ("#audit-grid .ag-center-cols-container .ag-row", 0),
    "/benutzer": ("#admin-users .ag-center-cols-container .ag-row", 0),
    "/freigabe": ("#approval-queue .ag-center-cols-container .ag-row", 0),
    "/finanzplan": ("#plan-versions .ag-center-cols-container .ag-row", 0),
    "/mittelabrufe": ("#payments-grid .ag-root-wrapper", 0),
}
EVERYONE = ["/", "/aktivitaeten", "/finanzen", "/meldestand", "/daten", "/hochladen"]
ROLE_PAGES = {
    "admin": [*EVERYONE, "/protokoll", "/benutzer"],
    "steering": [*EVERYONE, "/protokoll", "/freigabe", "/finanzplan"],
    "finance": ["/mittelabrufe", "/freigabe", "/finanzplan"],
}
# A grid cell written by one of the assets/dashAgGridFunctions.js formatters, which
# dash-ag-grid runs through its own expression evaluator (not eval).
FORMATTED = {
    "/daten": ("#records-grid .ag-center-cols-container .ag-cell", MONTH),
    "/hochladen": ("#upload-history .ag-center-cols-container .ag-cell", DE_DATE),
    "/protokoll": ("#audit-grid .ag-center-cols-container .ag-cell", DE_DATE),
    "/finanzen": ("#finance-lines .ag-center-cols-container .ag-cell", MONEY),
}


def recording(app: App) -> App:
    app.page.add_init_script(RECORD_VIOLATIONS)
    return app


def violations(app: App) -> list[str]:
    return app.page.evaluate("() => window.__csp")


def texts(app: App, selector: str) -> list[str]:
    return [t.strip() for t in app.page.locator(selector).all_text_contents()]


@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_every_page_draws_without_a_csp_violation(app_as, role):
    app = recording(app_as(role))
    seen = {}
    for path in ROLE_PAGES[role]:
        ready, charts = PAGES[path]
        app.page.goto(app.base + path)
        app.page.locator(ready).first.wait_for()
        app.page.wait_for_load_state("networkidle")
        assert app.page.locator("#no-access").count() == 0, path
        drawn = app.page.locator(".js-plotly-plot .main-svg .trace")
        assert app.page.locator(".js-plotly-plot").count() >= charts, path
        assert charts == 0 or drawn.count() >= charts, path
        if path in FORMATTED:
            selector, pattern = FORMATTED[path]
            assert any(pattern.search(t) for t in texts(app, selector)), path
        seen[path] = violations(app)
    assert seen == {path: [] for path in ROLE_PAGES[role]}
    app.assert_clean()


def test_drill_down_hover_and_png_export_without_a_csp_violation(app):
    recording(app)
    app.open("/aktivitaeten", "#activities-lead")
    bar = app.page.locator("#activities-bars-card .trace.bars .point path").first
    bar.wait_for()
    bar.hover(force=True)
    app.page.locator(".hoverlayer .hovertext").first.wait_for()
    # plotly's "Download plot as a PNG": an <img> of a blob: URL drawn onto a canvas
    app.page.locator("#activities-bars-card .js-plotly-plot").hover()
    with app.page.expect_download() as download:
        app.page.locator("#activities-bars-card .modebar-btn[data-title*='PNG']").click()
    assert download.value.suggested_filename.endswith(".png")
    assert violations(app) == []

    box = bar.bounding_box()
    app.page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    app.page.wait_for_url("**/daten?**")
    first = app.page.locator("#records-grid .ag-center-cols-container .ag-row").first
    first.wait_for()
    app.page.locator("#records-grid .ag-header-cell").first.click()  # sort: grid code runs
    app.page.wait_for_load_state("networkidle")
    assert violations(app) == []


def test_callbacks_carry_the_sessions_csrf_token(app):
    headers = []
    app.page.on("request", lambda r: headers.append(r.headers.get("x-csrftoken"))
                if r.method == "POST" and "/_dash-update-component" in r.url else None)
    app.open("/", "#overview-kpi-events-value")
    app.page.wait_for_load_state("networkidle")
    cookie = next(c for c in app.page.context.cookies() if c["name"] == "_csrf_token")
    assert not cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert headers and set(headers) == {cookie["value"]}

    # The same request without the header (what a forged cross-site request looks like)
    status, text = app.page.evaluate("""async () => {
        const r = await fetch('/_dash-update-component', {method: 'POST',
            headers: {'Content-Type': 'application/json'}, body: '{}'});
        return [r.status, await r.text()];
    }""")
    assert status == 403 and "Sicherheitsprüfung fehlgeschlagen" in text
    app.page.wait_for_timeout(300)
    app.errors.clear()  # the browser logs the refused request as a console error


def test_logout_from_the_menu_posts_the_token_and_ends_the_session(app_as):
    app = app_as("finance")
    app.open("/mittelabrufe", "#payments-grid .ag-root-wrapper")
    posts = []
    app.page.on("request", lambda r: posts.append((r.method, r.post_data))
                if r.url.endswith("/logout") else None)
    token = next(c["value"] for c in app.page.context.cookies() if c["name"] == "_csrf_token")
    app.page.locator(".user-menu .dropdown-toggle").click()
    item = app.page.locator("#shell-logout")
    assert item.is_visible() and item.text_content().strip() == "Abmelden"
    item.click()
    app.page.wait_for_url(lambda url: url.endswith("/login"))
    assert posts == [("POST", f"csrf={token}")]  # a form post with the session's token
    app.page.goto(app.base + "/mittelabrufe")
    app.page.wait_for_url(lambda url: "/login?next=" in url)
