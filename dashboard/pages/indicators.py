"""Indikatoren: the EU output indicators (RCO01, RCO04, … from the configuration), target vs
actual per year, for the network or the partners chosen (a partner account: its own)."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, html

from dashboard import data
from dashboard import filters as flt
from dashboard.views import components as ui
from dashboard.views import indicators as views
from etl.documents.indicators import results, scope_text

dash.register_page(
    __name__,
    path="/indikatoren",
    name="Indikatoren",
    title="Indikatoren – Fördercockpit",
    order=1.5,
    filters=True,
)


def layout(**_query) -> html.Div:
    return html.Div(
        [ui.page_header("Indikatoren", "indicators-lead"), html.Div(id="indicators-cards")]
    )


@callback(
    Output("indicators-lead", "children"),
    Output("indicators-cards", "children"),
    Input("url", "search"),
)
def update(search):
    """One card per indicator for the partners and years in the filter."""
    config = data.config()
    f = flt.from_search(search, config)
    partners = f.partner_list(config)
    shown = None if set(partners) == set(config.partner_codes) else partners
    found = results(config, data.frame("reach"), shown)
    lead = (
        f"EU-Outputindikatoren (VO (EU) 2021/1058, Anhang I): {scope_text(shown)}. "
        "Ist = Unternehmen im Jahr ihrer ersten Teilnahme; die Ziele (Konfiguration) gelten "
        "für das ganze Netzwerk. "
        "Der Modulfilter wirkt hier nicht."
    )
    cards = [views.indicator_card(ind, counts, config.years, f.years) for ind, counts in found]
    return lead, cards
