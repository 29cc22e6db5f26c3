"""The German text of the overview's attention items (dashboard.calc.attention)."""

from __future__ import annotations

from dashboard import data, fmt
from dashboard.calc.attention import Item
from dashboard.labels import ATTAINMENT_LABELS, CATEGORY_LABELS
from dashboard.views import components as ui
from etl.core import figures

NAMES_SHOWN = 8  # partner codes named in a grouped item; more are left as " …"


def _label(measure: str) -> str:
    """A measure's name: a built-in one's, else a configured sheet's measure's."""
    if measure in ATTAINMENT_LABELS:
        return ATTAINMENT_LABELS[measure]
    return figures.configured_name(measure, data.config())


def _behind(item: Item) -> str:
    parts = ", ".join(f"{_label(m)} {fmt.de_pct(a)}" for m, a in item.measures)
    return f"{item.partner} liegt hinter dem zeitanteiligen Ziel: {parts}"


def _budget(item: Item) -> str:
    line = f"{item.partner} {ui.year_text(item.year)} {CATEGORY_LABELS[item.category]}"
    if item.under:
        risk = " – Mittel gefährdet" if item.severity == "flag" else ""
        return f"{line}: {fmt.de_pct(-item.share)} unter Plan bis Stand{risk}"
    consent = " – Zustimmung des Fördergebers nötig" if item.severity == "flag" else ""
    return f"{line}: {fmt.de_pct(item.share)} über Plan{consent}"


def _month_missing(item: Item) -> str:
    codes = item.partners
    names = ", ".join(codes[:NAMES_SHOWN]) + (" …" if len(codes) > NAMES_SHOWN else "")
    return (
        f"Monatsbericht {fmt.month_long(item.months[0])} fehlt bei {fmt.de_int(len(codes))} "
        f"Partnern: {names}"
    )


def _missing(item: Item) -> str:
    return f"{item.partner}: Monatsbericht fehlt für {', '.join(map(fmt.month_long, item.months))}"


def _late(item: Item) -> str:
    return (
        f"{item.partner}: nur {fmt.de_pct(item.share)} der Monatsberichte rechtzeitig "
        f"({item.count} verspätet)"
    )


TEXTS = {
    "behind": _behind,
    "budget": _budget,
    "month_missing": _month_missing,
    "missing": _missing,
    "late": _late,
}


def text(item: Item) -> str:
    """The line the overview and its export show for ``item``."""
    return TEXTS[item.kind](item)
