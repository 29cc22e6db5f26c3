"""Export of the page Indikatoren: target vs actual per indicator and year, and the
definitions (the same tables as ``python -m etl export indikatoren``)."""

from __future__ import annotations

from dashboard import filters as flt
from dashboard.exports import PageExport
from dashboard.exports.source import Source
from etl.documents.indicators import indicator_tables


def indicators(src: Source, _query: dict, f: flt.Filters) -> PageExport:
    """The indicator tables for the partners and years of the filter."""
    (reach,) = src.frames("reach")
    reach = src.visible(reach)
    partners = f.partner_list(src.config)
    shown = None if set(partners) == set(src.config.partner_codes) else partners
    tables = indicator_tables(src.config, reach, shown, f.years or None)
    return PageExport(tables, filters_apply=("partners", "years"))
