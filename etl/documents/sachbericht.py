"""The narrative report (Sachbericht) as a Word draft, for one partner or the whole project, one
year or the whole period.

The figures come from :func:`etl.documents.report.build_report` (the figures of ``python -m etl
report --json``) and the rows behind them; their names from the registry
(:mod:`etl.core.figures`). The partner finishes the text in Word: every section has a grey
placeholder saying what belongs there. Everything is German (numbers ``1.234,5``, dates
``31.10.2026``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from etl.core import figures
from etl.core.config import NetworkConfig
from etl.documents import wordfile
from etl.documents.proof import Scope
from etl.documents.report import build_report
from etl.warehouse import queries
from etl.workflow import plan

if TYPE_CHECKING:
    from docx.document import Document

# report key -> (registry key, target key or None)
KPIS = {
    "events": ("events", "events"),
    "participants": ("participants", "participants"),
    "coachings": ("coachings", "coachings"),
    "coaching_hours": ("coaching_hours", None),
    "companies": ("company_contacts", "companies"),
}
SIZE_CLASSES = ("Kleinst", "Klein", "Mittel", "Groß")
COMMENT_KINDS = {
    "note": "Bemerkung",
    "question": "Rückfrage",
    "answer": "Antwort",
    "reply": "Antwort Prüfung",
}  # as dashboard.labels.COMMENT_KIND_LABELS


def title(scope: Scope) -> str:
    when = scope.label if scope.year else "gesamte Laufzeit"
    return f"Sachbericht (Entwurf) – {scope.partner or 'gesamtes Projekt'} – {when}"


def file_name(scope: Scope) -> str:
    """``Sachbericht_DO_2025.docx`` or ``Sachbericht_Projekt.docx``."""
    tag = scope.label.replace("/", "-")
    parts = ["Sachbericht", scope.partner or "Projekt", *([tag] if scope.year else [])]
    return "_".join(parts) + ".docx"


def de_int(n: int) -> str:
    return f"{int(n):,}".replace(",", ".")


def de_dec(value: Decimal, places: int = 2) -> str:
    return f"{Decimal(value):,.{places}f}".replace(",", "X").replace(".", ",").replace("X", ".")


def de_pct(actual: Decimal, target: int) -> str:
    return de_dec(Decimal(actual) * 100 / target, 1) + " %" if target else "–"


@dataclass(frozen=True)
class Content:
    """What the draft shows, as numbers and rows (the docx is only its rendering)."""

    scope: Scope
    network: str
    kpis: dict[str, dict[str, tuple[Decimal, int | None]]]  # module -> report key -> (ist, ziel)
    reach: dict  # unique companies and SMEs over the whole period (report's ``sme``)
    events: pd.DataFrame
    coachings: pd.DataFrame
    sizes: dict[str, dict[str, int]]  # module -> size class -> company contacts
    comments: pd.DataFrame


def _kpis(rep: dict, config: NetworkConfig, scope: Scope) -> dict:
    rows = [
        r for r in rep["activities"] if r["partner"] in scope.partners and r["year"] in scope.years
    ]
    out = {}
    for module in config.modules:
        mine = [r for r in rows if r["module"] == module]
        out[module] = {
            key: (
                sum((Decimal(r[key]) for r in mine), Decimal(0)),
                None
                if target is None
                else sum(
                    config.targets.get((r["partner"], module, r["year"], target), 0) for r in mine
                ),
            )
            for key, (_fig, target) in KPIS.items()
        }
    return out


def _reach(rep: dict, scope: Scope) -> dict:
    if scope.partner is None:
        return rep["sme"]["network"]
    return next(p for p in rep["sme"]["partners"] if p["partner"] == scope.partner)


def _sizes(engine, config: NetworkConfig, scope: Scope) -> dict[str, dict[str, int]]:
    """Company contacts (companies per partner x module x year, summed) by the class each
    partner reported, per module."""
    df = queries.company_reach_by_group(
        engine, partners=list(scope.partners), years=list(scope.years)
    )
    counts = df.groupby(["module", "size_class"]).size().to_dict() if not df.empty else {}
    return {m: {c: int(counts.get((m, c), 0)) for c in SIZE_CLASSES} for m in config.modules}


def _comments(engine, scope: Scope) -> pd.DataFrame:
    df = queries.month_comments(engine, partners=list(scope.partners))
    first, last = scope.span if scope.span else (date.min, date.max)
    return df[[first <= m <= last for m in df["month"]]] if not df.empty else df


def content(engine, config: NetworkConfig, scope: Scope, *, rep: dict | None = None) -> Content:
    """The draft's figures and rows for ``scope``, from the report (``rep``: already built by
    :func:`build_report`) and its source rows."""
    rep = rep or build_report(engine, config)
    effective = plan.current_config(engine, config, rep["plan_version"])
    narrowing = {"partners": list(scope.partners), "years": list(scope.years)}
    return Content(
        scope,
        config.name,
        _kpis(rep, effective, scope),
        _reach(rep, scope),
        queries.event_rows(engine, **narrowing),
        queries.coaching_rows(engine, **narrowing),
        _sizes(engine, config, scope),
        _comments(engine, scope),
    )


def _kpi_rows(c: Content) -> list[list[str]]:
    rows = []
    modules = [*c.kpis, "Gesamt"]
    for module in modules:
        for key, (fig, _t) in KPIS.items():
            values = (
                [c.kpis[m][key] for m in c.kpis] if module == "Gesamt" else [c.kpis[module][key]]
            )
            actual = sum((v[0] for v in values), Decimal(0))
            target = None if values[0][1] is None else sum(v[1] for v in values)
            shown = de_dec(actual) if key == "coaching_hours" else de_int(int(actual))
            rows.append(
                [
                    module,
                    figures.name(fig),
                    shown,
                    "–" if target is None else de_int(target),
                    "–" if target is None else de_pct(actual, target),
                ]
            )
    return rows


KPI_HEADERS = ["Modul", "Kennzahl", "Ist", figures.name("target"), figures.name("attainment")]


def _kpi_section(doc: Document, c: Content) -> None:
    doc.add_heading("2 Kennzahlen und Zielerreichung", level=1)
    doc.add_paragraph(
        "Ist-Werte aus den Monatsberichten, Ziele aus dem Finanzplan; "
        f"{figures.name('company_contacts')}: {figures.definition('company_contacts')}"
    )
    wordfile.table(
        doc,
        KPI_HEADERS,
        _kpi_rows(c),
        numeric=[False, False, True, True, True],
        widths=[2.8, 5.2, 2.6, 2.6, 3.8],
    )
    sme, n = c.reach["sme"], c.reach["companies"]
    doc.add_paragraph(f"{figures.name('unique_companies')} über die gesamte Laufzeit:")
    wordfile.table(
        doc,
        [figures.name("unique_companies"), "davon KMU", figures.name("sme_share")],
        [[de_int(n), de_int(sme), de_pct(Decimal(sme), n)]],
        numeric=[True, True, True],
        widths=[6, 5.5, 5.5],
    )
    doc.add_heading("Zielerreichung und Abweichungen", level=2)
    wordfile.placeholder(doc, "Abweichungen von den Zielen erläutern: Ursachen, Gegenmaßnahmen.")


def _partner_col(c: Content) -> bool:
    return c.scope.partner is None


def _widths(lead: list, widths: list[float]) -> list[float]:
    """Column widths (cm, 17 in all); a leading Partner column (2 cm) takes from the widest."""
    if not lead:
        return widths
    wide = widths.index(max(widths))
    return [2.0, *(w - 2.0 if i == wide else w for i, w in enumerate(widths))]


def _events(doc: Document, c: Content, module: str) -> None:
    rows = c.events[c.events["module"] == module]
    doc.add_heading(f"Veranstaltungen: {de_int(len(rows))}", level=3)
    if rows.empty:
        doc.add_paragraph("Keine Veranstaltungen im Berichtszeitraum.")
        return
    lead = ["Partner"] if _partner_col(c) else []
    body = [
        [
            *([r.partner_code] if lead else []),
            f"{r.event_date:%d.%m.%Y}",
            r.title,
            r.format,
            de_int(r.n_participants),
        ]
        for r in rows.itertuples(index=False)
    ]
    total = [*([""] if lead else []), "Summe", "", "", de_int(rows["n_participants"].sum())]
    wordfile.table(
        doc,
        [*lead, "Datum", "Titel", "Format", figures.name("participants")],
        body,
        numeric=[*([False] if lead else []), False, False, False, True],
        total=total,
        widths=_widths(lead, [2.3, 9.2, 2.5, 3]),
    )


def _coachings(doc: Document, c: Content, module: str) -> None:
    rows = c.coachings[c.coachings["module"] == module]
    doc.add_heading(f"Coachings: {de_int(len(rows))}", level=3)
    if rows.empty:
        doc.add_paragraph("Keine Coachings im Berichtszeitraum.")
        return
    lead = ["Partner"] if _partner_col(c) else []
    body = [
        [
            *([r.partner_code] if lead else []),
            f"{r.coaching_date:%d.%m.%Y}",
            r.company_name,
            r.topic or "",
            de_dec(r.hours),
        ]
        for r in rows.itertuples(index=False)
    ]
    hours = sum((Decimal(h) for h in rows["hours"]), Decimal(0))
    total = [*([""] if lead else []), "Summe", "", "", de_dec(hours)]
    wordfile.table(
        doc,
        [*lead, "Datum", "Unternehmen", "Thema", "Stunden"],
        body,
        numeric=[*([False] if lead else []), False, False, False, True],
        total=total,
        widths=_widths(lead, [2.3, 6.2, 6.2, 2.3]),
    )


def _sizes_table(doc: Document, c: Content, module: str) -> None:
    counts = c.sizes[module]
    doc.add_heading("Erreichte Unternehmen nach Größenklasse", level=3)
    wordfile.table(
        doc,
        ["Größenklasse", figures.name("company_contacts")],
        [[k, de_int(v)] for k, v in counts.items()],
        numeric=[False, True],
        total=["Summe", de_int(sum(counts.values()))],
        widths=[5, 5],
    )


def _modules(doc: Document, c: Content) -> None:
    doc.add_heading("3 Aktivitäten nach Modul", level=1)
    for i, module in enumerate(c.kpis, start=1):
        doc.add_heading(f"3.{i} Modul {module}", level=2)
        wordfile.placeholder(doc, f"Inhalte, Ergebnisse und Erfahrungen im Modul {module}.")
        _events(doc, c, module)
        _coachings(doc, c, module)
        _sizes_table(doc, c, module)


def _comments_section(doc: Document, c: Content) -> None:
    doc.add_heading("4 Anmerkungen aus den Monatsberichten", level=1)
    if c.comments.empty:
        doc.add_paragraph("Keine Anmerkungen im Berichtszeitraum.")
        return
    lead = ["Partner"] if _partner_col(c) else []
    body = [
        [
            *([r.partner_code] if lead else []),
            f"{r.month:%m/%Y}",
            f"{r.at:%d.%m.%Y}",
            COMMENT_KINDS.get(r.kind, r.kind),
            r.text,
        ]
        for r in c.comments.itertuples()
    ]
    wordfile.table(
        doc,
        [*lead, "Monat", "Datum", "Art", "Text"],
        body,
        numeric=[False] * (len(lead) + 4),
        widths=_widths(lead, [1.8, 2.3, 2.8, 10.1]),
    )
    wordfile.placeholder(doc, "Was aus diesen Anmerkungen folgt (falls etwas).")


def _front(doc: Document, c: Content, config: NetworkConfig, stand: str, who: str) -> None:
    doc.add_heading(title(c.scope).replace(" (Entwurf)", ""), level=0)
    note = doc.add_paragraph()
    note.add_run("Entwurf aus dem Fördercockpit. ").bold = True
    note.add_run(
        "Zahlen und Listen sind aus den Monatsberichten übernommen; die grau "
        "markierten Stellen bitte in Word ausformulieren."
    )
    first, last = config.years_period(c.scope.years)
    partners = ", ".join(f"{p} – {config.partner(p).name}" for p in c.scope.partners)
    wordfile.fields(
        doc,
        [
            ("Projekt", c.network),
            ("Partner", partners),
            ("Berichtszeitraum", f"{first:%d.%m.%Y} bis {last:%d.%m.%Y}"),
            ("Stand der Daten", stand),
            ("Erstellt", f"{datetime.now():%d.%m.%Y %H:%M} von {who}"),
        ],
    )
    doc.add_heading("1 Zusammenfassung", level=1)
    wordfile.placeholder(doc, "Das Wichtigste des Berichtszeitraums in wenigen Sätzen.")


def render(c: Content, config: NetworkConfig, *, stand: str, exported_by: str) -> Document:
    """The Word draft of ``c``."""
    doc = wordfile.new_document(title(c.scope))
    _front(doc, c, config, stand, exported_by)
    _kpi_section(doc, c)
    _modules(doc, c)
    _comments_section(doc, c)
    for heading, hint in (
        (
            "5 Zielgruppen, Öffentlichkeitsarbeit und Querschnittsziele",
            "Wen das Projekt erreicht hat, wie es bekannt gemacht wurde; Gleichstellung, "
            "Nichtdiskriminierung, ökologische Nachhaltigkeit.",
        ),
        ("6 Ausblick", "Was im nächsten Zeitraum geplant ist."),
    ):
        doc.add_heading(heading, level=1)
        wordfile.placeholder(doc, hint)
    return doc


def sachbericht_docx(
    engine, config: NetworkConfig, scope: Scope, *, exported_by: str, stand: str
) -> bytes:
    """The Sachbericht draft (.docx bytes) for ``scope``."""
    doc = render(content(engine, config, scope), config, stand=stand, exported_by=exported_by)
    return wordfile.to_bytes(doc)
