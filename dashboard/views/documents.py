"""Links to the documents written from the reports: the proof of use (Excel or PDF), staff-hours
records and the Sachbericht."""

from __future__ import annotations

from collections.abc import Sequence

from dash import html

from dashboard import filters as flt


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


def proof_links(
    links: Sequence[tuple[str, str]], who: str, path: str = "/download/nachweis",
    heading: str = "Zahlenteil als Excel oder PDF",
) -> list:
    """Per document (label, query string): the Excel download and its PDF."""
    items = [
        html.Li(
            [
                html.A(label, href=f"{path}{q}", download=""),
                " · ",
                html.A("PDF", href=f"{path}{_with_pdf(q)}", download="",
                       title=f"{label} als PDF (A4)"),
            ]
        )
        for label, q in links
    ]
    return [
        html.Div(f"{heading} ({who}):", className="fw-semibold mb-1 mt-2"),
        html.Ul(items, className="mb-0"),
    ]


def finance_documents(config, partner: str | None) -> list:
    """The document downloads on Finanzen for one partner (None: the whole project): the
    proof of use per year and for the period, staff-hours records and Sachbericht."""
    who = partner or "gesamtes Projekt"
    query = {"partner": partner} if partner else {}
    per_year = [(y, flt.to_search({**query, "jahr": str(y)})) for y in config.years]
    whole = flt.to_search(query)
    label = config.year_label
    proofs = [(f"Zwischennachweis {label(y)}", q) for y, q in per_year[:-1]]
    receipts = [(f"Belegliste {label(y)}", q) for y, q in per_year]
    return [
        *proof_links([*proofs, ("Verwendungsnachweis", whole)], who),
        *proof_links([*receipts, ("Belegliste gesamte Laufzeit", whole)], who,
                     "/download/belegliste", "Belege je Kostenposition, Excel oder PDF"),
        *report_links([(label(y), q) for y, q in per_year] + [("gesamte Laufzeit", whole)], who),
    ]
