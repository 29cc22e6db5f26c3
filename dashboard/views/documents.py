"""Links to the documents written from the reports: the proof of use (Excel or PDF), staff-hours
records and the Sachbericht."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html


def report_links(periods: Sequence[tuple[str, str]], who: str) -> list:
    """Per period (label, query string such as ``?partner=DO&jahr=2025``): the staff-hours
    records (Excel) and the Sachbericht draft (Word)."""
    items = [
        html.Li(
            [
                f"{label}: ",
                html.A("Stundennachweise", href=f"/download/stunden{query}", download=""),
                " · ",
                html.A("Sachbericht", href=f"/download/sachbericht{query}", download=""),
            ]
        )
        for label, query in periods
    ]
    return [
        html.Div(
            f"Stundennachweise (Excel) und Sachbericht-Entwurf (Word) ({who}):",
            className="fw-semibold mb-1 mt-2",
        ),
        html.Ul(items, id="finance-reports", className="mb-0"),
    ]


def _with_pdf(query: str) -> str:
    return query + ("&" if query else "?") + "format=pdf"


def proof_links(links: Sequence[tuple[str, str]], who: str) -> list:
    """Per proof of use (label, query string): the Excel download and its PDF."""
    items = [
        html.Li(
            [
                html.A(label, href=f"/download/nachweis{q}", download=""),
                " · ",
                html.A("PDF", href=f"/download/nachweis{_with_pdf(q)}", download="",
                       title=f"{label} als PDF (A4)"),
            ]
        )
        for label, q in links
    ]
    return [
        html.Div(f"Zahlenteil als Excel oder PDF ({who}):", className="fw-semibold mb-1"),
        html.Ul(items, className="mb-0"),
    ]
