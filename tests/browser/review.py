"""Helpers of the browser tests on Freigabe: pick a month of the queue, tick rows, act."""

from __future__ import annotations

from tests.browser.conftest import App


def row(key: str) -> str:
    """The queue row of a partner-month (``"DO|2025-03"``)."""
    return f"#approval-queue .ag-row[row-id='{key}']"


def open_queue(app: App, search: str = "", state: str | None = None) -> None:
    """Open Freigabe (``search``: the filter bar's query) and wait for the queue's rows."""
    app.open(f"/freigabe{search}", "#approval-lead")
    if state:
        app.page.select_option("#approval-state", state)
    app.page.wait_for_selector("#approval-queue .ag-row")


def show_month(app: App, key: str) -> None:
    """Click a month of the queue and wait until its detail is shown."""
    partner, month = key.split("|")
    app.page.locator(f"{row(key)} .ag-cell[col-id=month]").click()
    app.page.wait_for_function(
        "([p, y]) => { const e = document.querySelector('#approval-detail');"
        " return e && e.textContent.includes(p + ' ·') && e.textContent.includes(y); }",
        arg=[partner, month[:4]])


def tick(app: App, *keys: str) -> None:
    """Select rows of the queue by their checkboxes."""
    for key in keys:
        app.page.locator(f"{row(key)} input[type=checkbox]").first.check()


def message(app: App, words: str) -> str:
    """Wait until the page's message says ``words``; returns it."""
    app.page.wait_for_function(
        "w => { const e = document.querySelector('#approval-message');"
        " return e && e.textContent.includes(w); }", arg=words)
    return app.text("#approval-message")
