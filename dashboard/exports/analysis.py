"""Exports of the pages with figures: Übersicht, Aktivitäten, Finanzen, Meldestand.

Each computes its tables with the page's own calculation (dashboard.calc) for the filters,
so the workbook holds what the page shows; a chart becomes the table of its data.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import activity, periods
from dashboard.calc import overview as ov
from dashboard.calc import reporting as rp
from dashboard.calc import sheets as sheet_calc
from dashboard.calc import sizes as size_calc
from dashboard.exports import PageExport
from dashboard.exports import sheets as sheet_exports
from dashboard.exports.source import Source
from dashboard.labels import (
    ATTAINMENT_LABELS,
    COMMENT_KIND_LABELS,
    MEASURE_LABELS,
    MONTH_STATE_LABELS,
    STATUS_LABELS,
)
from dashboard.views.attention import text as attention_text
from etl.core import figures
from etl.core.config import TARGET_MEASURES
from etl.core.normalise import SIZE_CLASSES
from etl.documents.book import Column, Table
from etl.warehouse import queries

FORMATS = ("Präsenz", "Online", "Hybrid")
SEVERITY = {"flag": "dringend", "warn": "Hinweis"}


def as_number(value) -> float | None:
    """An exact share or count as a number for a cell (None stays empty)."""
    return None if value is None else float(Fraction(value))


# --- Übersicht ------------------------------------------------------------------------------


def overview(src: Source, _query: dict, f: flt.Filters) -> PageExport:
    """The Übersicht as tables: KPIs, budget, attention list, attainment per partner."""
    config = src.plan_config(None)
    frames = src.frames("activity_months", "money_months", "reach", "uploads")
    sheets = sheet_exports.views(src, config, f)  # configured sheets, if any
    m = ov.overview(*frames, config, f, src.today, sheet_calc.behind(sheets, config))
    tables = [_kpi_table(m, _whole_label(src)), _budget_table(m), _attention_table(m)]
    tables += [_attain_table(m), *sheet_exports.kpi_tables(sheets)]
    return PageExport(
        tables, [("Berichtsstand", f"{m.as_of:%m/%Y}"), ("Planstand", plan_label(src, None))]
    )


def _whole_label(src: Source) -> str:
    """The unfiltered total's column: the whole project, or a partner account's own total."""
    return f"Gesamt (Partner {', '.join(src.scope)})" if src.scope else "Gesamtes Projekt"


def _kpi_table(m: ov.Overview, whole_label: str = "Gesamtes Projekt") -> Table:
    """The KPIs against target (with the unfiltered value when a filter is set); companies
    are the distinct ones against their own target, the Unternehmenskontakte a row of their
    own (names from the registry of figures)."""
    kpis = [*m.kpis.values(), m.contacts]
    names = {"companies": figures.name("unique_companies")}
    kpi_rows = [
        [
            names.get(k.measure) or figures.name(k.measure),
            k.value,
            k.counted,
            k.target,
            as_number(k.expected),
            as_number(k.attainment),
            as_number(k.on_track),
        ]
        + ([_whole_value(m, k.measure)] if m.whole else [])
        for k in kpis
    ]
    kpi_cols = [
        Column("Kennzahl"),
        Column("Ist", "int"),
        Column("Ist (mit dem Ziel verglichen)", "int"),
        Column("Ziel", "int"),
        Column("zeitanteilig erwartet", "decimal"),
        Column("Zielerreichung", "pct"),
        Column("gegen Erwartung", "pct"),
    ] + ([Column(whole_label, "int")] if m.whole else [])
    return Table("Kennzahlen", kpi_cols, kpi_rows)


def _whole_value(m: ov.Overview, measure: str) -> int | None:
    """The unfiltered value of a KPI (None for the Unternehmenskontakte: not kept)."""
    whole = m.whole.get(measure)
    return whole.value if whole else None


def _budget_table(m: ov.Overview) -> Table:
    share = Fraction(m.eligible, m.plan) if m.plan else None
    return Table(
        "Budget",
        [
            Column("Förderfähige Ausgaben", "money"),
            Column("Budget (Plan)", "money"),
            Column("ausgegeben", "pct"),
            Column("verstrichene Laufzeit", "pct"),
            Column("Zuwendung", "money"),
        ],
        [[m.eligible, m.plan, as_number(share), as_number(m.elapsed), m.grant]],
        note="Kosten werden je Partner und Jahr abgerechnet: der Modulfilter gilt hier nicht.",
    )


def _attention_table(m: ov.Overview) -> Table:
    return Table(
        "Aufmerksamkeit",
        [
            Column("Dringlichkeit"),
            Column("Hinweis", width=90),
            Column("Partner"),
            Column("Jahr", "id"),
        ],
        [
            [SEVERITY.get(i.severity, i.severity), attention_text(i), i.partner, i.year]
            for i in m.items
        ],
    )


def _attain_table(m: ov.Overview) -> Table:
    return Table(
        "Zielerreichung je Partner",
        [
            Column("Partner"),
            Column("Kennzahl"),
            Column("Ist", "int"),
            Column("zeitanteilig erwartet", "decimal"),
            Column("Zielerreichung", "pct"),
        ],
        [
            [
                r.partner_code,
                ATTAINMENT_LABELS[r.measure],
                int(r.actual),
                as_number(r.expected),
                as_number(r.attainment),
            ]
            for r in m.attain.itertuples(index=False)
        ],
    )


def plan_label(src: Source, version_id: int | None) -> str:
    from etl.workflow import plan

    versions = plan.versions(src.engine, src.config)
    chosen = next((v for v in versions if v.id == version_id), versions[0])
    current = " (aktuell)" if chosen.id == versions[0].id else ""
    return f"{chosen.label}{current}: {chosen.reason}"


# --- Aktivitäten ----------------------------------------------------------------------------


def _actual_and_target(months, reach, config, f: flt.Filters) -> Table:
    actual = activity.totals(months, reach, list(activity.KEYS))
    targets = flt.apply(activity.targets_frame(config), f)
    both = targets.merge(actual, on=list(activity.KEYS), how="left", suffixes=("_target", ""))
    rows = []
    for r in both.itertuples(index=False):
        values = [0 if pd.isna(getattr(r, k)) else int(getattr(r, k)) for k in activity.MEASURES]
        hours = r.coaching_hours if not pd.isna(r.coaching_hours) else 0
        goals = [int(getattr(r, f"{k}_target")) for k in TARGET_MEASURES]
        rows.append([r.partner_code, r.module, config.year_cell(r.year), *values, hours, *goals])
    columns = [Column("Partner"), Column("Modul"), Column("Jahr", "id")]
    columns += [Column(MEASURE_LABELS[k], "int", total=True) for k in activity.MEASURES]
    columns += [Column("Coachingstunden", "decimal", total=True)]
    columns += [Column(f"Ziel {MEASURE_LABELS[k]}", "int", total=True) for k in TARGET_MEASURES]
    return Table(
        "Ist und Ziel",
        columns,
        rows,
        note="Unternehmenskontakte: Unternehmen je Partner, Modul und Jahr gezählt "
        "(wie die Ziele); die Summe zählt ein Unternehmen daher mehrfach.",
    )


def _monthly(months, reach) -> Table:
    frames = {k: activity.monthly_by_partner(months, reach, k) for k in activity.MEASURES}
    keys = sorted(
        {(r.month, r.partner_code) for fr in frames.values() for r in fr.itertuples(index=False)}
    )
    values = {
        k: {(r.month, r.partner_code): int(r.value) for r in fr.itertuples(index=False)}
        for k, fr in frames.items()
    }
    rows = [[m, p, *[values[k].get((m, p), 0) for k in activity.MEASURES]] for m, p in keys]
    columns = [Column("Monat", "month"), Column("Partner")]
    columns += [Column(MEASURE_LABELS[k], "int", total=True) for k in activity.MEASURES]
    return Table(
        "Monatlich",
        columns,
        rows,
        note="Unternehmen im Monat ihrer ersten Teilnahme "
        "je Partner, Modul und Jahr (wie im Diagramm 'Kumuliert gegen das Ziel').",
    )


def activities(src: Source, _query: dict, f: flt.Filters) -> PageExport:
    config = src.plan_config(None)
    as_of = f.as_of(src.config, src.today)  # later months are vorläufig: not exported
    frames = [periods.settled(x, as_of) for x in src.frames("activity_months", "reach")]
    months, reach = ov.selection(*frames, f)
    (events,) = src.frames("events")
    sizes = size_calc.companies_by_size(reach, SIZE_CLASSES)
    dated = activity.with_year(events, start=config.year_start_month)
    formats = activity.format_counts(flt.apply(dated, f), FORMATS)
    n, n_sme, share = size_calc.sme_share(reach)
    tables = [
        _actual_and_target(months, reach, config, f),
        _monthly(months, reach),
        Table(
            "Größenklassen",
            [Column("Größenklasse"), Column("Unternehmen", "int", total=True)],
            [[k, v] for k, v in sizes.items()],
            note=f"{n} eindeutige Unternehmen, davon {n_sme} KMU ({_pct(share)}).",
        ),
        Table(
            "Formate",
            [Column("Format"), Column("Veranstaltungen", "int", total=True)],
            [[k, v] for k, v in formats.items()],
        ),
    ]
    if config.activity_sheets:  # the configured sheets' measures, as on the page
        (facts,) = src.frames("sheet_measures")
        tables += sheet_exports.sheet_tables(facts, config, f, as_of)
    return PageExport(tables)


def _pct(share) -> str:
    return "–" if share is None else f"{float(share) * 100:.0f} %"


# --- Meldestand -----------------------------------------------------------------------------


def _with_review(src: Source, matrix: pd.DataFrame, years) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The matrix with each month's review state and comment count; the comments of ``years``."""
    states = src.visible(queries.month_states(src.engine))
    comments = src.visible(queries.month_comments(src.engine))
    comments = comments[[src.config.year_of(m) in years for m in comments["month"]]]
    return rp.with_states(matrix, states, comments), comments


def _comments_table(comments: pd.DataFrame, shown: set[str]) -> Table:
    """One row per comment (Bemerkung) of the partners shown, oldest first."""
    rows = [
        [c.partner_code, c.month, c.at, c.author, COMMENT_KIND_LABELS.get(c.kind, c.kind), c.text]
        for c in comments.itertuples(index=False)
        if c.partner_code in shown
    ]
    cols = [
        Column("Partner"),
        Column("Berichtsmonat", "month"),
        Column("Zeitpunkt", "datetime"),
        Column("von"),
        Column("Art"),
        Column("Bemerkung", width=80),
    ]
    return Table("Bemerkungen", cols, rows)


def reporting(src: Source, _query: dict, f: flt.Filters) -> PageExport:
    config = src.config
    years = f.year_list(config)
    months = [m for m in config.months() if config.year_of(m) in years]
    (uploads,) = src.frames("uploads")
    matrix = rp.report_matrix(
        uploads, f.partner_list(config), months, config.report_due_day, src.today
    )
    matrix = rp.with_duty(matrix, config, src.today)
    matrix, comments = _with_review(src, matrix, years)
    rows = [
        [
            r.partner_code,
            r.month,
            r.due,
            r.first_at,
            STATUS_LABELS[r.status],
            "ja" if r.corrected else "",
            int(r.n_rejected),
            MONTH_STATE_LABELS.get(r.state, ""),
            int(r.n_comments),
        ]
        for r in matrix.itertuples(index=False)
    ]
    cols = [
        Column("Partner"),
        Column("Berichtsmonat", "month"),
        Column("fällig am", "date"),
        Column("Eingang (erste Fassung)", "datetime"),
        Column("Status"),
        Column("korrigiert"),
        Column("abgelehnte Dateien", "int", total=True),
        Column("Prüfstatus"),
        Column("Bemerkungen", "int", total=True),
    ]
    rates = rp.on_time_rates(matrix)
    rate_rows = [
        [r.partner_code, r.due, r.on_time, r.late, r.missing, r.corrected, as_number(r.rate)]
        for r in rates.itertuples(index=False)
    ]
    rate_cols = (
        [Column("Partner")]
        + [
            Column(h, "int", total=True)
            for h in ("fällig", "rechtzeitig", "verspätet", "fehlt", "korrigiert")
        ]
        + [Column("Quote", "pct")]
    )
    return PageExport(
        [
            Table("Monatsberichte", cols, rows),
            Table("Pünktlichkeit", rate_cols, rate_rows),
            _comments_table(comments, set(f.partner_list(config))),
        ],
        [("Fällig", f"am {config.report_due_day}. des Folgemonats")],
        filters_apply=("partners", "years"),
    )
