"""The configured measures of the activity sheets (``[[activity_sheets]]``) as figures of the
registry (etl.core.figures): one group per sheet, named by its label, so that the page
Kennzahlen, the cards' ⓘ, the exports and the report name and define them in one place.

Pure data from the configuration (no database). The first network configures none: no
figures.
"""

from __future__ import annotations

from etl.core.config import NetworkConfig
from etl.core.figures import Figure


def _literal(text: str) -> str:
    """Configured text inside a registry formula or rule, whose braces name configured
    values (etl.core.figures.rule_text): braces of the text kept as they are."""
    return text.replace("{", "{{").replace("}", "}}")


def _rows(sheet, measure) -> str:
    """'Zeilen im Blatt Gutscheine mit Status = ausgegeben'."""
    where = " und ".join(f"{c} = {v}" for c, v in measure.where)
    return f"Zeilen im Blatt {sheet.sheet}" + (f" mit {where}" if where else "")


def _formula(sheet, measure) -> str:
    if measure.sum_column is None:
        return f"Anzahl der {_rows(sheet, measure)}"
    return f"Summe der Spalte {measure.sum_column} der {_rows(sheet, measure)}"


def _rule(sheet, measure) -> str:
    if sheet.of_type("module") is None:
        return "keine Ziele: das Blatt hat keine Modulspalte"
    unit = " in Euro" if measure.unit == "eur" else ""
    return (
        f"Ziele je Partner, Modul und Jahr in der Konfiguration ([targets], Kennzahl "
        f"{measure.key}{unit})"
    )


def configured_figures(config: NetworkConfig) -> list[Figure]:
    """Every configured measure as a figure; its group is its sheet's label."""
    return [
        Figure(
            m.key,
            s.label,
            m.label,
            f"{m.label}, aus dem Blatt {s.sheet} der Monatsberichte "
            f"({'Betrag in Euro' if m.unit == 'eur' else 'Anzahl'}).",
            _literal(_formula(s, m)),
            (s.sheet,),
            _literal(_rule(s, m)),
        )
        for s in config.activity_sheets
        for m in s.measures
    ]


def configured_groups(config: NetworkConfig) -> list[str]:
    """The groups of the configured figures (the sheets' labels), in configuration order."""
    return [s.label for s in config.activity_sheets]


def configured_figure(key: str, config: NetworkConfig) -> Figure | None:
    """The configured figure ``key`` (None when ``config`` has no such measure)."""
    return next((f for f in configured_figures(config) if f.key == key), None)
