"""Excel export of a page: one workbook with what the page shows under the current filters.

Each page has an exporter that computes its tables with the same calculations as the page
callbacks (dashboard.calc); :func:`export_page` adds the cover sheet (page, filters, Stand,
who exported) and writes the workbook with :mod:`etl.documents.book`. Used by the download
route (the user's partner scope applies) and by ``python -m etl export seite``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from dashboard import filters as flt
from dashboard import fmt
from dashboard.calc import periods
from dashboard.exports.source import Source
from etl.documents.book import Cover, Table, workbook_bytes


class PageExportError(ValueError):
    """No export for this address (unknown page); the message is German."""


@dataclass(frozen=True)
class PageExport:
    """A page's tables, and what the cover sheet should say beyond the global filters."""

    tables: list[Table]
    fields: list[tuple[str, object]] = field(default_factory=list)
    filters_apply: tuple[str, ...] = ("partners", "modules", "years")


Exporter = Callable[[Source, dict[str, str], flt.Filters], PageExport]


def _registry() -> dict[str, tuple[str, Exporter]]:
    from dashboard.exports import analysis, cuts, definitions, indicators, lists, money

    return {
        "/": ("Übersicht", analysis.overview),
        "/aktivitaeten": ("Aktivitäten", analysis.activities),
        "/finanzen": ("Finanzen", money.finance),
        "/meldestand": ("Meldestand", analysis.reporting),
        "/daten": ("Daten", lists.records),
        "/hochladen": ("Hochladen", lists.uploads),
        "/freigabe": ("Freigabe", lists.approvals),
        "/protokoll": ("Protokoll", lists.audit),
        "/benutzer": ("Benutzer", lists.accounts),
        "/finanzplan": ("Finanzplan", lists.plan),
        "/mittelabrufe": ("Mittelabrufe", lists.payments),
        "/kennzahlen": ("Kennzahlen", definitions.definitions),
        "/einstellungen": ("Benachrichtigungen", lists.notifications),
        "/indikatoren": ("Indikatoren", indicators.indicators),
        "/kuerzungen": ("Kürzungen", cuts.cut_page),
    }


def page_title(path: str) -> str:
    """The German name of the page at ``path`` (PageExportError when there is none)."""
    entry = _registry().get(_normal(path))
    if entry is None:
        raise PageExportError(f"Für die Seite '{path}' gibt es keinen Export.")
    return entry[0]


def _normal(path: str) -> str:
    path = "/" + (path or "").strip().strip("/")
    return path


def page_file_name(path: str, today: date) -> str:
    """``Export_Finanzen_2026-11-21.xlsx``."""
    title = page_title(path).replace("Ü", "Ue").replace("ä", "ae")
    return f"Export_{title}_{today:%Y-%m-%d}.xlsx"


def stand(source: Source, f: flt.Filters | None = None) -> str:
    """What the figures stand at: the Berichtsstand of ``f`` (the default Stand: reports
    due by today) and the latest file received."""
    (uploads,) = source.frames("uploads")
    as_of = (f or flt.Filters()).as_of(source.config, source.today)
    default = periods.default_stand(source.config, source.today)
    how = (
        f"Standard: fällig bis {fmt.de_date(source.today)}"
        if as_of == default
        else f"gewählt; Standard wäre {fmt.month_long(default)}"
    )
    text = (
        f"Monatsberichte bis {fmt.month_long(as_of)} ({how}); spätere Monate vorläufig, "
        "in keiner Kennzahl gezählt"
    )
    accepted = uploads[uploads["status"] == "accepted"] if not uploads.empty else uploads
    if not accepted.empty:
        text += f"; letzter angenommener Eingang {max(accepted['uploaded_at']):%d.%m.%Y %H:%M}"
    return text


def _filter_fields(
    f: flt.Filters, applies: tuple[str, ...], label=str
) -> list[tuple[str, str]]:
    out = []
    if "partners" in applies:
        out.append(("Partner", ", ".join(f.partners) if f.partners else "alle Partner"))
    if "modules" in applies:
        out.append(("Module", ", ".join(f.modules) if f.modules else "alle Module"))
    if "years" in applies:
        labels = ", ".join(label(y) for y in f.years)
        out.append(("Jahre", labels if f.years else "alle Jahre"))
    return out


def export_page(path: str, search: str, *, source: Source) -> bytes:
    """The workbook of the page at ``path`` for the query string ``search``."""
    title = page_title(path)
    exporter = _registry()[_normal(path)][1]
    query = flt.parse_search(search)
    f = flt.from_query(query, source.config)
    if source.scope is not None and not f.partners:
        f = flt.Filters(tuple(source.scope), f.modules, f.years, f.stand)  # a partner sees its own
    result = exporter(source, query, f)
    address = _normal(path) + flt.to_search(query)
    cover = Cover(
        title=f"Export der Seite {title}",
        fields=[
            ("Seite", f"{title} ({address})"),
            *_filter_fields(f, result.filters_apply, source.config.year_label),
            *result.fields,
        ],
        stand=stand(source, f),
        exported_by=source.user,
        exported_at=datetime.now(),
        network=source.config.name,
    )
    return workbook_bytes(cover, result.tables)
