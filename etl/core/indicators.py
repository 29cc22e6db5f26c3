"""EU output indicators (Outputindikatoren, EFRE regulation 2021/1058 Annex I): the registry
of the network's indicators and how each is counted from the facts.

An indicator is configuration: a code, a German name, a definition, a counting rule chosen
from the small fixed set :data:`COUNTING_RULES` (``counted_as``, with its parameters) and
optional targets per year. Without an ``[[indicators]]`` table a network gets
:data:`DEFAULT_INDICATORS` (RCO01, RCO04); ``[indicator_targets.CODE]`` sets targets for
them without redefining them.

Counting is pure (a frame of companies reached, no database): every rule counts distinct
companies of the participations, at the grain of ``fact_reach`` (partner x module x year x
company). A company counts in the year it was first reached within the scope; its size class
is the one the size-class rule gives (a partner's own report for one partner, the network's
most recent report across partners; README "Size classes").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

SIZE_CLASSES = ("Kleinst", "Klein", "Mittel", "Groß")  # as etl.core.normalise
SIZE_LABELS = {
    "Kleinst": "Kleinstunternehmen",
    "Klein": "kleine Unternehmen",
    "Mittel": "mittlere Unternehmen",
    "Groß": "große Unternehmen",
}

# counted_as -> how it is counted, in German (the Kennzahlen page and the export name it)
COUNTING_RULES = {
    "companies": "Anzahl verschiedener Unternehmen (Name und PLZ normalisiert) mit mindestens "
    "einer Teilnahme an einer Veranstaltung oder einem Coaching (Blatt Teilnehmende)",
    "companies_by_size": "Anzahl verschiedener Unternehmen mit mindestens einer Teilnahme, "
    "aufgeteilt nach Größenklasse (Kleinst, Klein, Mittel, Groß; jüngste Meldung)",
    "smes": "Anzahl verschiedener KMU (Größenklasse Kleinst, Klein oder Mittel, jüngste "
    "Meldung) mit mindestens einer Teilnahme",
}


@dataclass(frozen=True)
class Indicator:
    """One indicator: ``code`` (e.g. RCO01), German ``name`` and ``definition``,
    ``counted_as`` (a key of :data:`COUNTING_RULES`), ``modules`` (only participations in
    these modules; empty: all) and ``targets`` (year -> count, optional)."""

    code: str
    name: str
    definition: str
    counted_as: str
    modules: tuple[str, ...] = ()
    targets: Mapping[int, int] = field(default_factory=dict)

    @property
    def split_by_size(self) -> bool:
        return self.counted_as == "companies_by_size"

    def counting_text(self) -> str:
        """How the indicator is counted, in German."""
        text = COUNTING_RULES[self.counted_as]
        if self.modules:
            text += "; nur Module " + ", ".join(self.modules)
        return text + "; je Jahr zählt ein Unternehmen im Jahr seiner ersten Teilnahme"


DEFAULT_INDICATORS = (
    Indicator(
        "RCO01",
        "Unterstützte Unternehmen (davon: Kleinst-, kleine, mittlere, große Unternehmen)",
        "Unternehmen, die vom Projekt eine Unterstützung erhalten haben (VO (EU) 2021/1058, "
        "Anhang I, RCO01); jedes zählt einmal, aufgeteilt nach Größenklasse.",
        "companies_by_size",
    ),
    Indicator(
        "RCO04",
        "Unternehmen mit nichtfinanzieller Unterstützung",
        "Unternehmen, die Beratung, Information, Coaching oder Vernetzung erhalten haben "
        "(VO (EU) 2021/1058, Anhang I, RCO04). Das Netzwerk unterstützt nur nichtfinanziell, "
        "daher entspricht RCO04 der Summe von RCO01.",
        "companies",
    ),
)


def _targets(raw: object, key: str) -> dict[int, int]:
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{key}: erwartet eine Tabelle Jahr = Zielwert.")
    out = {}
    for year, value in raw.items():
        try:
            out[int(year)] = int(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{key}.{year}: '{value}' ist keine ganze Zahl.") from exc
    return out


def _one(raw: Mapping, i: int) -> Indicator:
    key = f"indicators[{i}]"
    missing = [k for k in ("code", "name", "definition", "counted_as") if not raw.get(k)]
    if missing:
        raise ValueError(f"{key}: es fehlt {', '.join(missing)}.")
    if raw["counted_as"] not in COUNTING_RULES:
        raise ValueError(
            f"{key}.counted_as: '{raw['counted_as']}' ist keine Zählregel. "
            f"Erlaubt: {', '.join(COUNTING_RULES)}."
        )
    return Indicator(
        str(raw["code"]).strip(),
        str(raw["name"]).strip(),
        str(raw["definition"]).strip(),
        str(raw["counted_as"]),
        tuple(str(m) for m in raw.get("modules") or ()),
        _targets(raw.get("targets"), f"{key}.targets"),
    )


def parse_indicators(defined: object, targets: object) -> tuple[Indicator, ...]:
    """The indicators of a configuration: ``[[indicators]]`` (or the defaults), with the
    targets of ``[indicator_targets.CODE]`` added. ValueError names the key."""
    if defined is None:
        found = DEFAULT_INDICATORS
    elif isinstance(defined, list):
        found = tuple(_one(raw, i) for i, raw in enumerate(defined))
    else:
        raise ValueError("indicators: erwartet [[indicators]]-Tabellen.")
    codes = [i.code for i in found]
    if len(set(codes)) != len(codes):
        raise ValueError("indicators: Indikator-Codes müssen eindeutig sein.")
    extra = targets or {}
    if not isinstance(extra, Mapping):
        raise ValueError("indicator_targets: erwartet [indicator_targets.CODE]-Tabellen.")
    unknown = sorted(set(extra) - set(codes))
    if unknown:
        raise ValueError(f"indicator_targets.{unknown[0]}: unbekannter Indikator.")
    return tuple(
        replace(i, targets={**i.targets, **_targets(extra[i.code], f"indicator_targets.{i.code}")})
        if i.code in extra
        else i
        for i in found
    )


@dataclass(frozen=True)
class YearCount:
    """One year of an indicator: target and actual (companies first reached in the year),
    cumulated up to the year, and the actual by size class (empty unless split)."""

    year: int
    target: int | None
    actual: int
    target_cumulative: int | None
    actual_cumulative: int
    by_size: dict[str, int]


def _first_reached(reach: pd.DataFrame, ind: Indicator, network: bool) -> pd.DataFrame:
    """One row per company counted by ``ind``: the year first reached and its size class."""
    if ind.modules:
        reach = reach[reach["module"].astype(str).isin(ind.modules)]
    column = "network_class" if network and "network_class" in reach else "size_class"
    first = reach.sort_values("year", kind="stable").drop_duplicates("company_id")
    out = pd.DataFrame(
        {
            "year": first["year"].astype(int).to_numpy(),
            "size_class": first[column].astype(str).to_numpy(),
        }
    )
    if ind.counted_as == "smes":
        out = out[out["size_class"] != "Groß"]
    return out


def count(
    ind: Indicator, reach: pd.DataFrame, years: Iterable[int], *, network: bool
) -> list[YearCount]:
    """Target vs actual per year of ``years`` for ``ind`` from the reach rows given
    (``fact_reach`` grain with ``size_class``/``network_class``, already limited to the
    partners in scope; ``network``: across partners, so the network-wide class)."""
    first = _first_reached(reach, ind, network)
    out, actual_sum, target_sum = [], 0, 0
    for y in sorted(years):
        rows = first[first["year"] == y]
        actual_sum += len(rows)
        target = ind.targets.get(y)
        target_sum += target or 0
        any_target = any(ind.targets.get(t) is not None for t in ind.targets if t <= y)
        sizes = rows["size_class"].value_counts()
        out.append(
            YearCount(
                y,
                target,
                len(rows),
                target_sum if any_target else None,
                actual_sum,
                {c: int(sizes.get(c, 0)) for c in SIZE_CLASSES} if ind.split_by_size else {},
            )
        )
    return out


def total_target(ind: Indicator, years: Iterable[int]) -> int | None:
    """The target over ``years`` (None when no year has one)."""
    values = [ind.targets[y] for y in years if y in ind.targets]
    return sum(values) if values else None
