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


SHEET_PREFIX = "blatt-"  # a configured activity sheet's dataset: blatt-<key>


def sheet_dataset(key: str) -> str:
    """The Daten dataset of the configured activity sheet ``key``."""
    return SHEET_PREFIX + key


def datasets(config) -> dict[str, str]:
    """The Daten datasets of ``config``'s network: the built-in ones, then one per configured
    activity sheet (named by its label)."""
    return {**DATASETS, **{sheet_dataset(s.key): s.label for s in config.activity_sheets}}


def sheet_of(dataset: str, config):
    """The configured activity sheet shown as ``dataset``, or None (a built-in dataset)."""
    return next((s for s in config.activity_sheets if sheet_dataset(s.key) == dataset), None)


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
