"""Links to the documents written from the reports: staff-hours records and the Sachbericht."""

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
