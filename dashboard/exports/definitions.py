"""Export of the page Kennzahlen: the registry of figures (etl.core.figures) as one table."""

from __future__ import annotations

from dashboard import filters as flt
from dashboard.exports import PageExport
from dashboard.exports.source import Source
from etl.core import figures, sheet_figures
from etl.documents.book import Column, Table


def definitions(src: Source, _query: dict, _f: flt.Filters) -> PageExport:
    """Every registered figure: group, name, key, definition, formula, sources, rule."""
    config = src.plan_config(None)
    rows = [
        [
            f.group,
            figures.configured_name(f.key, config),
            f.key,
            f.definition,
            figures.formula_text(f, config),
            ", ".join(f.sources),
            figures.rule_text(f, config),
        ]
        for f in [
            *figures.FIGURES.values(),
            *sheet_figures.configured_figures(config),
            *figures.indicator_figures(config),
        ]
    ]
    cols = [
        Column("Bereich"),
        Column("Kennzahl", width=30),
        Column("Schlüssel"),
        Column("Definition", width=70),
        Column("Formel", width=60),
        Column("Quelle", width=40),
        Column("Regel", width=60),
    ]
    return PageExport([Table("Kennzahlen", cols, rows)], filters_apply=())
