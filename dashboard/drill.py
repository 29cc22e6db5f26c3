"""Drill-down links: from a bar or a KPI to the Daten page, filtered to the rows behind it."""

from __future__ import annotations

from dashboard import filters as flt

RECORDS_PATH = "/daten"
DATASETS = {
    "veranstaltungen": "Veranstaltungen",
    "coachings": "Coachings",
    "teilnahmen": "Teilnahmen (Unternehmen je Aktivität)",
    "kosten": "Kosten (Personal und Ausgaben)",
    "eingaenge": "Eingegangene Dateien",
}
MEASURE_DATASET = {
    "events": "veranstaltungen",
    "participants": "veranstaltungen",
    "coachings": "coachings",
    "coaching_hours": "coachings",
    "companies": "teilnahmen",
}


def records_href(f: flt.Filters, dataset: str, **extra: str | None) -> str:
    """Link to the Daten page showing ``dataset`` inside the filters ``f`` and ``extra``."""
    return flt.href(RECORDS_PATH, f, tabelle=dataset, **extra)


def narrowed(
    f: flt.Filters,
    *,
    partner: str | None = None,
    module: str | None = None,
    year: int | None = None,
) -> flt.Filters:
    """``f`` narrowed to one partner, module or year (the point that was clicked)."""
    return flt.Filters(
        partners=(partner,) if partner else f.partners,
        modules=(module,) if module else f.modules,
        years=(int(year),) if year else f.years,
        stand=f.stand,
    )


def href_of_click(click: dict | None) -> str | None:
    """The drill-down link stored in a clicked point's customdata, if any."""
    points = (click or {}).get("points") or []
    if not points:
        return None
    data = points[0].get("customdata")
    link = data[0] if isinstance(data, list) and data else data
    return link if isinstance(link, str) and link.startswith("/") else None
