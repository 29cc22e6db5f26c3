"""The global filters (partners, modules, years, Stand) and their home in the URL's query string.

A link such as ``/finanzen?partner=DO,BO&jahr=2025&stand=2026-06`` reproduces a view. Empty
means "all" (and, for the Stand, the default Stand: :func:`etl.core.stand.default_stand`).
Pages may carry further keys of their own (``/daten?tabelle=kosten&monat=2025-03``);
changing a global filter keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, unquote, urlencode

import pandas as pd

from dashboard import access
from etl.core import stand as berichtsstand
from etl.core.config import NetworkConfig

PARTNER_KEY, MODULE_KEY, YEAR_KEY, STAND_KEY = "partner", "modul", "jahr", "stand"
GLOBAL_KEYS = (PARTNER_KEY, MODULE_KEY, YEAR_KEY, STAND_KEY)


@dataclass(frozen=True)
class Filters:
    """Selected partners, modules and years (an empty tuple selects everything) and the
    chosen Stand (None: the default Stand)."""

    partners: tuple[str, ...] = ()
    modules: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    stand: date | None = None

    @property
    def is_active(self) -> bool:
        return bool(self.partners or self.modules or self.years)

    def partner_list(self, config: NetworkConfig) -> tuple[str, ...]:
        """The selected partner codes, or all of them."""
        return self.partners or config.partner_codes

    def module_list(self, config: NetworkConfig) -> tuple[str, ...]:
        """The selected modules, or all of them."""
        return self.modules or config.modules

    def year_list(self, config: NetworkConfig) -> tuple[int, ...]:
        """The selected years, or every project year."""
        return self.years or config.years

    def as_of(self, config: NetworkConfig, today: date) -> date:
        """The Stand the figures stand at (first day of a month): the chosen one when it may
        be chosen on ``today``, else the default (:func:`etl.core.stand.resolve`)."""
        return berichtsstand.resolve(config, today, self.stand)

    def query(self) -> dict[str, str]:
        """The non-empty filters as query parameters."""
        out = {
            PARTNER_KEY: join_values(self.partners),
            MODULE_KEY: join_values(self.modules),
            YEAR_KEY: join_values(str(y) for y in self.years),
            STAND_KEY: f"{self.stand:%Y-%m}" if self.stand else "",
        }
        return {k: v for k, v in out.items() if v}


def parse_search(search: str | None) -> dict[str, str]:
    """``'?a=1&b=x'`` -> ``{'a': '1', 'b': 'x'}`` (the last value of a repeated key wins)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def join_values(values) -> str:
    """Several values in one parameter, comma-separated; a comma inside a value (a module
    "Vernetzung, Öffentlichkeit") is written as %2C so that it stays one value."""
    return ",".join(str(v).replace("%", "%25").replace(",", "%2C") for v in values)


def split_values(raw: str | None) -> list[str]:
    """The values :func:`join_values` wrote, each unescaped."""
    return [unquote(v) for v in (raw or "").split(",")]


def _pick(raw: str | None, allowed) -> list[str]:
    wanted = {v.strip().casefold() for v in split_values(raw) if v.strip()}
    return [a for a in allowed if str(a).casefold() in wanted]


def _visible_partners(picked: list[str], config: NetworkConfig) -> tuple[str, ...]:
    """The picked partners the logged-in user may see; a partner account always sees its own."""
    scope = access.partner_scope()
    if scope is None:
        return tuple(picked)
    return tuple(p for p in config.partner_codes if p in scope)


def _stand(raw: str | None, config: NetworkConfig) -> date | None:
    """``'2026-06'`` -> the first of that month when it is a project month, else None."""
    wanted = (raw or "").strip()
    return next((m for m in config.months() if f"{m:%Y-%m}" == wanted), None)


def from_query(query: Mapping[str, str], config: NetworkConfig) -> Filters:
    """Filters from query parameters; unknown values are dropped, configuration order kept.

    Partners are clamped to what the logged-in user may see (server side, not only in the UI).
    """
    return Filters(
        partners=_visible_partners(_pick(query.get(PARTNER_KEY), config.partner_codes), config),
        modules=tuple(_pick(query.get(MODULE_KEY), config.modules)),
        years=tuple(int(y) for y in _pick(query.get(YEAR_KEY), config.years)),
        stand=_stand(query.get(STAND_KEY), config),
    )


def from_search(search: str | None, config: NetworkConfig) -> Filters:
    """Filters from a query string such as ``'?partner=DO&jahr=2025'``."""
    return from_query(parse_search(search), config)


def to_search(params: Mapping[str, str]) -> str:
    """Query parameters as ``'?k=v&...'`` (commas kept readable), or ``''`` when empty."""
    return "?" + urlencode(dict(params), safe=",") if params else ""


def merge_search(search: str | None, filters: Filters) -> str:
    """``search`` with its global keys replaced by ``filters``; page-specific keys are kept."""
    params = {k: v for k, v in parse_search(search).items() if k not in GLOBAL_KEYS}
    return to_search({**filters.query(), **params})


def href(path: str, filters: Filters, **extra: str | None) -> str:
    """A link to ``path`` with the global filters and further (non-empty) parameters."""
    params = {**filters.query(), **{k: str(v) for k, v in extra.items() if v not in (None, "")}}
    return path + to_search(params)


def apply(
    frame: pd.DataFrame,
    filters: Filters,
    *,
    partner: str | None = "partner_code",
    module: str | None = "module",
    year: str | None = "year",
) -> pd.DataFrame:
    """Rows of ``frame`` inside the filters (a column given as None is not filtered); when
    nothing narrows it, a shallow copy (a new frame as always, without copying the rows of a
    large frame: copy-on-write copies them only if the caller changes it)."""
    if not (
        (partner and filters.partners) or (module and filters.modules) or (year and filters.years)
    ):
        return frame.copy(deep=False)
    mask = pd.Series(True, index=frame.index)
    if partner and filters.partners:
        mask &= frame[partner].isin(filters.partners)
    if module and filters.modules:
        mask &= frame[module].isin(filters.modules)
    if year and filters.years:
        mask &= frame[year].isin(filters.years)
    return frame[mask]
