"""Colours, fonts and the German Plotly locale shared by every chart.

Each partner and each module keeps one colour on every chart: colours follow the order of
partners and modules in the network configuration, so another network gets its own set.
"""

from __future__ import annotations

from collections.abc import Sequence

from dashboard.fmt import DAYS, MONTHS, MONTHS_SHORT

PARTNER_PALETTE = (
    "#1f5fa8",
    "#e07b00",
    "#2a9d4b",
    "#c0392b",
    "#7b4fa0",
    "#8c6d31",
    "#d6608f",
    "#4d4d4d",
    "#17becf",
    "#bcbd22",
)
MODULE_PALETTE = ("#00897b", "#f2a900", "#ad1457", "#5c6bc0", "#6d4c41", "#7cb342")

SIZE_COLORS = {"Kleinst": "#9ecae1", "Klein": "#4292c6", "Mittel": "#2166ac", "Groß": "#08306b"}
FORMAT_COLORS = {"Präsenz": "#455a64", "Online": "#26a69a", "Hybrid": "#ffa726"}
CATEGORY_COLORS = {"personnel": "#3949ab", "overheads": "#9fa8da", "material": "#ff8f00"}
FINANCING_COLORS = {"eu": "#003399", "state": "#2e7d32", "own": "#9e9e9e"}
LINE_COLORS = {
    "actual": "#1f5fa8",
    "plan": "#37474f",
    "linear": "#9e9e9e",
    "forecast": "#1f5fa8",
    "target": "#37474f",
}

FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
FONT_SIZE = 15


def palette_for(names: Sequence[str], colours: Sequence[str]) -> dict[str, str]:
    """One colour per name, in the given order (cycling when there are more names)."""
    return {name: colours[i % len(colours)] for i, name in enumerate(names)}


def partner_colors(codes: Sequence[str]) -> dict[str, str]:
    """Colour of every partner code, by its position in the configuration."""
    return palette_for(codes, PARTNER_PALETTE)


def module_colors(modules: Sequence[str]) -> dict[str, str]:
    """Colour of every module, by its position in the configuration."""
    return palette_for(modules, MODULE_PALETTE)


DE_LOCALE = {
    "moduleType": "locale",
    "name": "de",
    "dictionary": {
        "Autoscale": "Automatische Skalierung",
        "Download plot as a png": "Als PNG herunterladen",
        "Download plot": "Grafik herunterladen",
        "Reset axes": "Achsen zurücksetzen",
        "Zoom": "Zoom",
        "Zoom in": "Vergrößern",
        "Zoom out": "Verkleinern",
        "Pan": "Verschieben",
        "Double-click to zoom back out": "Doppelklick zum Zurückzoomen",
        "Produced with Plotly.js": "Erstellt mit Plotly.js",
        "Click to enter Chart title": "Klicken, um den Titel einzugeben",
    },
    "format": {
        "days": list(DAYS[6:] + DAYS[:6]),
        "shortDays": ["So", "Mo", "Di", "Mi", "Do", "Fr", "Sa"],
        "months": list(MONTHS),
        "shortMonths": list(MONTHS_SHORT),
        "date": "%d.%m.%Y",
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["", " €"],
        "periods": ["AM", "PM"],
        "year": "%Y",
        "month": "%b %Y",
        "dayMonth": "%-d. %b",
        "dayMonthYear": "%-d. %b %Y",
    },
}

GRAPH_CONFIG = {
    "locale": "de",
    "locales": {"de": DE_LOCALE},
    "displaylogo": False,
    # no "send to Chart Studio" (it would post the figure's data to cloud.plotly.com)
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "responsive": True,
    "modeBarButtonsToRemove": [
        "select2d",
        "lasso2d",
        "zoomIn2d",
        "zoomOut2d",
        "autoScale2d",
        "toggleSpikelines",
        "hoverClosestCartesian",
        "hoverCompareCartesian",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def base_layout(**overrides) -> dict:
    """Layout shared by all charts: German separators, large fonts, legend above the plot."""
    layout = {
        "separators": ",.",
        "font": {"family": FONT_FAMILY, "size": FONT_SIZE, "color": "#212529"},
        "margin": {"l": 70, "r": 20, "t": 30, "b": 60},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"size": FONT_SIZE}},
        "legend": {
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
            "font": {"size": FONT_SIZE - 1},
            "traceorder": "normal",
        },
        "xaxis": {
            "showgrid": False,
            "linecolor": "#adb5bd",
            "ticks": "outside",
            "tickfont": {"size": FONT_SIZE - 1},
            "automargin": True,
        },
        "yaxis": {
            "gridcolor": "#e9ecef",
            "zeroline": True,
            "zerolinecolor": "#adb5bd",
            "tickfont": {"size": FONT_SIZE - 1},
            "automargin": True,
        },
        "bargap": 0.25,
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            layout[key] = {**layout[key], **value}
        else:
            layout[key] = value
    return layout
