"""Steuerungspaket: the steering pages as one PDF, as the user sees them.

Übersicht, Finanzen and Meldestand are printed from the real pages in headless Chromium
(Playwright), with the user's own session and filters, through the print stylesheet
(``assets/print.css``): the charts are the screen's charts. Then the full attention list
(every item, not only the page's first 15) and a cover page with the filters, Stand and
contents, both laid out by :mod:`etl.documents.pdf`; the parts are joined and numbered
"Seite x von N" across the whole pack.

Chromium is no Python package: ``pip install -e .`` brings Playwright but not a browser.
:func:`chromium` finds one (``CHROMIUM_PATH``, else the system's ``chromium``); without it
the button says so (:data:`MISSING`) and the download answers 503 with the same words.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from datetime import datetime

from reportlab.lib.pagesizes import A4, landscape

from dashboard import filters as flt
from dashboard.exports import stand
from dashboard.exports.source import Source
from dashboard.views.components import selection_text
from etl.documents import pdf
from etl.documents.book import Cover, Table

# page path, section title, element whose text says the page has drawn its figures
SECTIONS = (
    ("/", "Übersicht", "#overview-kpi-events-value"),
    ("/finanzen", "Finanzen", "#finance-kpi-eligible-value"),
    ("/meldestand", "Meldestand", "#reporting-lead"),
)
ATTENTION = "Was Aufmerksamkeit braucht – alle Hinweise"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MISSING = (
    "Das Steuerungspaket (PDF) braucht Chromium auf dem Server, und das ist hier nicht "
    "installiert. Installieren: apt-get install chromium (oder CHROMIUM_PATH setzen); "
    "siehe README, Abschnitt Dokumente und PDF."
)
# the pack numbers its pages itself, across all parts
NO_PAGE_BOXES = "@page { @bottom-left { content: none; } @bottom-right { content: none; } }"
READY = "s => { const e = document.querySelector(s); return e && e.textContent.trim(); }"
TIMEOUT_MS = 90_000


class PackError(RuntimeError):
    """The pack could not be printed; the message is German."""


def chromium() -> str | None:
    """The Chromium to print with, or None when there is none (or no Playwright)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return None
    named = os.environ.get("CHROMIUM_PATH")
    if named:
        return named if os.access(named, os.X_OK) else None
    return next((p for p in map(shutil.which, BROWSERS) if p), None)


def base_url() -> str:
    """Where Chromium reaches this app: ``PACK_BASE_URL``, else the address ``python app.py``
    listens on (``HOST``/``PORT``). Never the request's Host header: a forged one would make
    the server print pages of another host."""
    named = os.environ.get("PACK_BASE_URL")
    if named:
        return named.rstrip("/")
    host = os.environ.get("HOST", "127.0.0.1")
    host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{host}:{os.environ.get('PORT', '8050')}"


def print_pages(base: str, cookies: dict[str, str], search: str) -> list[tuple[str, bytes]]:
    """Each section's page printed to PDF by Chromium, logged in with ``cookies``."""
    from playwright.sync_api import Error, sync_playwright

    executable = chromium()
    if executable is None:
        raise PackError(MISSING)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900},
                                          locale="de-DE")
            context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
            page = context.new_page()
            return [(title, _print(page, base + path + search, ready))
                    for path, title, ready in SECTIONS]
        except Error as exc:
            raise PackError(f"Chromium konnte die Seiten nicht drucken: {exc}") from exc
        finally:
            browser.close()


def _print(page, url: str, ready: str) -> bytes:
    page.emulate_media(media="screen")
    page.goto(url)
    if "/login" in page.url:
        raise PackError("Die Sitzung ist abgelaufen: bitte neu anmelden.")
    page.wait_for_function(READY, arg=ready, timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")  # as print does
    page.emulate_media(media="print")
    page.add_style_tag(content=NO_PAGE_BOXES)
    return page.pdf(prefer_css_page_size=True, print_background=True)


def scoped_filters(source: Source, search: str) -> flt.Filters:
    """The filters of ``search`` as the pages apply them (a partner: its own partner)."""
    f = flt.from_query(flt.parse_search(search), source.config)
    if source.scope is not None and not f.partners:
        f = flt.Filters(tuple(source.scope), f.modules, f.years)
    return f


def attention_table(source: Source, search: str) -> Table:
    """Every attention item of the Übersicht for these filters (the page shows the first 15)."""
    from dashboard.exports import analysis

    f = scoped_filters(source, search)
    tables = analysis.overview(source, flt.parse_search(search), f).tables
    table = next(t for t in tables if t.sheet == "Aufmerksamkeit")
    return dataclasses.replace(table, sheet=ATTENTION)


def _cover(source: Source, search: str, contents: list[tuple[str, int, int]]) -> Cover:
    f = scoped_filters(source, search)
    pages = "; ".join(
        f"{title} (Seite {a})" if a == b else f"{title} (Seiten {a}–{b})"
        for title, a, b in contents
    )
    return Cover(
        "Steuerungspaket",
        [("Filter", selection_text(source.config, f)), ("Inhalt", pages)],
        stand=stand(source), exported_by=source.user, exported_at=datetime.now(),
        network=source.config.name,
    )


def _pages(body: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(body)).pages)


def steering_pack(source: Source, base: str, cookies: dict[str, str], search: str) -> bytes:
    """The whole pack: cover, the printed pages, the full attention list; numbered."""
    size = landscape(A4)
    printed = print_pages(base, cookies, search)
    table = attention_table(source, search)
    attention = pdf.document_bytes(None, [table], size=size, numbered=False)
    parts = [(title, body) for title, body in printed] + [("Aufmerksamkeit", attention)]
    contents, first = [], 2  # the cover is page 1
    for title, body in parts:
        n = _pages(body)
        contents.append((title, first, first + n - 1))
        first += n
    cover = pdf.document_bytes(_cover(source, search, contents), [], size=size, numbered=False)
    whole = pdf.merge([cover, *(body for _title, body in parts)])
    return pdf.number_pages(whole, f"Fördercockpit · Steuerungspaket · Stand: {stand(source)}")


def file_name(source: Source, search: str) -> str:
    """``Steuerungspaket_DO_2026-12-04.pdf`` (the partner when exactly one is chosen)."""
    f = scoped_filters(source, search)
    who = f.partners[0] if len(f.partners) == 1 else "Projekt"
    return f"Steuerungspaket_{who}_{source.today:%Y-%m-%d}.pdf"
