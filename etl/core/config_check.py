"""Consistency of a parsed network configuration: every problem, located by key path, in German.

``etl.core.config`` parses the TOML file into typed objects and stops at the first value it
cannot read (a date that is no date). Once it has a :class:`NetworkConfig`, the rules here
look at the whole and report every inconsistency at once, so that whoever edits the file
for a new network sees all of them before anything touches the warehouse
(``python -m etl config check``; the app and every command refuse such a file at start).
Only what is really inconsistent is rejected: a file that worked before keeps working.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # config imports this module to check what it parsed
    from etl.core.config import NetworkConfig

# Column widths of the warehouse (etl.warehouse.schema uses these very constants).
PARTNER_CODE_MAX = 16
PARTNER_NAME_MAX = 200
MODULE_NAME_MAX = 50
FUNDING_NAME_MAX = 40  # a column header and a card line
# Partner codes travel in addresses (?partner=DO,BO), file names and sheet cells.
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]*$")

Problem = str  # "key.path: German message"


def _partners(cfg: NetworkConfig) -> Iterator[Problem]:
    eu = cfg.rules.eu_share
    for p in cfg.partners:
        key = f"partners.{p.code}"
        if len(p.code) > PARTNER_CODE_MAX:
            yield f"{key}.code: Kürzel ist {len(p.code)} Zeichen lang, höchstens " \
                  f"{PARTNER_CODE_MAX} sind erlaubt."
        if not _CODE.match(p.code):
            yield f"{key}.code: Kürzel darf nur Buchstaben A–Z, Ziffern, '-' und '_' enthalten."
        if not p.name or len(p.name) > PARTNER_NAME_MAX:
            yield f"{key}.name: Name fehlt oder ist länger als {PARTNER_NAME_MAX} Zeichen."
        if not Decimal(0) < p.funding_rate <= Decimal(1):
            yield f"{key}.funding_rate: Förderquote {p.funding_rate} liegt nicht in (0, 1]."
        elif p.funding_rate < eu:
            yield (f"{key}.funding_rate: Förderquote {p.funding_rate} liegt unter dem EU-Anteil "
                   f"{eu} (rules.eu_share); der Landesanteil wäre negativ.")


def _roles(cfg: NetworkConfig) -> Iterator[Problem]:
    """Role, membership and grant ceiling of each partner (all optional keys)."""
    first, last = cfg.start.replace(day=1), cfg.end.replace(day=1)
    for p in cfg.partners:
        key = f"partners.{p.code}"
        if p.lead and not (p.role == "partner" and p.funded):
            yield f"{key}.lead: die Konsortialführung muss ein geförderter Partner sein."
        for name, month in (("joins", p.joins), ("leaves", p.leaves)):
            if month is not None and not first <= month <= last:
                yield (f"{key}.{name}: {month:%m/%Y} liegt außerhalb der Projektlaufzeit "
                       f"({first:%m/%Y} bis {last:%m/%Y}).")
        if p.joins and p.leaves and p.leaves < p.joins:
            yield f"{key}.leaves: Austritt {p.leaves:%m/%Y} liegt vor dem Eintritt {p.joins:%m/%Y}."
        if p.grant_ceiling is not None:
            if not p.funded:
                yield (f"{key}.grant_ceiling_eur: ein Partner ohne Förderung (funded = false) "
                       "hat keine Zuwendung, die begrenzt werden könnte.")
            elif p.grant_ceiling < 0 or p.grant_ceiling != p.grant_ceiling.quantize(
                Decimal("0.01")
            ):
                yield (f"{key}.grant_ceiling_eur: {p.grant_ceiling} ist kein Betrag ab 0 mit "
                       "höchstens zwei Nachkommastellen.")


def _funding_names(cfg: NetworkConfig) -> Iterator[Problem]:
    for key, name in (("eu", cfg.eu_name), ("state", cfg.state_name)):
        if not name or len(name) > FUNDING_NAME_MAX:
            yield (f"funding_sources.{key}: Name fehlt oder ist länger als {FUNDING_NAME_MAX} "
                   "Zeichen.")
    if cfg.eu_name and cfg.eu_name == cfg.state_name:
        yield "funding_sources.state: heißt wie die EU-Quelle; die Spalten wären nicht zu trennen."


def _modules(cfg: NetworkConfig) -> Iterator[Problem]:
    seen: set[str] = set()
    for name in cfg.modules:
        key = f"network.modules.{name!r}"
        if not name.strip() or len(name) > MODULE_NAME_MAX:
            yield f"{key}: Modulname fehlt oder ist länger als {MODULE_NAME_MAX} Zeichen."
        if name.casefold() in seen:
            yield f"{key}: Modul ist doppelt (Groß-/Kleinschreibung zählt nicht)."
        seen.add(name.casefold())


def _shares(cfg: NetworkConfig) -> Iterator[Problem]:
    r = cfg.rules
    for key, value in (("overhead_rate", r.overhead_rate), ("eu_share", r.eu_share),
                       ("material_flat_rate", r.material_flat_rate)):
        if not Decimal(0) <= value <= Decimal(1):
            yield f"rules.{key}: {value} liegt nicht zwischen 0 und 1."
    if not Decimal(0) < r.deviation_warn <= r.deviation_flag:
        yield (f"rules.deviation_warn/deviation_flag: Warnschwelle {r.deviation_warn} muss "
               f"größer 0 und höchstens die Schwelle {r.deviation_flag} sein.")
    if r.hours_per_year <= 0:
        yield "rules.hours_per_year: muss größer 0 sein."
    for table in r.rate_tables:
        for group, amount in table.monthly.items():
            if amount <= 0:
                yield (f"rules.rate_tables.{table.valid_from:%Y-%m-%d}.monthly.{group}: "
                       f"Pauschale {amount} muss größer 0 sein.")


def _period(cfg: NetworkConfig) -> Iterator[Problem]:
    if not 1 <= cfg.report_due_day <= 28:
        yield f"network.report_due_day: {cfg.report_due_day} liegt nicht zwischen 1 und 28."
    if cfg.grant_notice_date > cfg.end:
        yield "network.grant_notice_date: der Zuwendungsbescheid liegt nach dem Projektende."
    month, day = cfg.rules.interim_proof_due
    if not (1 <= month <= 12 and 1 <= day <= 31):
        yield f"rules.interim_proof_due: '{month:02d}-{day:02d}' ist kein Datum (MM-TT)."


def _budget(cfg: NetworkConfig) -> Iterator[Problem]:
    for (code, year, cat), amount in sorted(cfg.budget.items()):
        if amount < 0:
            yield f"budget.{code}.{year}.{cat}: Betrag {amount} ist negativ."
        if amount != amount.quantize(Decimal("0.01")):
            yield f"budget.{code}.{year}.{cat}: Betrag {amount} hat mehr als zwei Nachkommastellen."
    planned = sum(cfg.budget.values(), Decimal(0))
    if cfg.budget and cfg.total_budget and planned != cfg.total_budget:
        yield (f"network.total_budget_eur: {cfg.total_budget} weicht von der Summe der "
               f"Budgetzeilen ({planned}) ab.")
    for key, value in sorted(cfg.targets.items()):
        if value < 0:
            yield f"targets.{'.'.join(map(str, key))}: Zielwert {value} ist negativ."


def _indicators(cfg: NetworkConfig) -> Iterator[Problem]:
    years = set(cfg.years)
    for ind in cfg.indicators:
        for year, value in sorted(ind.targets.items()):
            if year not in years:
                yield f"indicators.{ind.code}.targets.{year}: Jahr liegt außerhalb der Laufzeit."
            if value < 0:
                yield f"indicators.{ind.code}.targets.{year}: Zielwert {value} ist negativ."
        for module in ind.modules:
            if module not in cfg.modules:
                yield f"indicators.{ind.code}.modules: unbekanntes Modul '{module}'."


def _activity_sheets(cfg: NetworkConfig) -> Iterator[Problem]:
    """A measure's ``where`` on a module column names a configured module."""
    for sheet in cfg.activity_sheets:
        for m in sheet.measures:
            for column, value in m.where:
                if sheet.column(column).type == "module" and value not in cfg.modules:
                    yield (f"activity_sheets.{sheet.key}.measures.{m.key}.where.{column}: "
                           f"unbekanntes Modul '{value}'.")


CHECKS: tuple[Callable[[NetworkConfig], Iterator[Problem]], ...] = (
    _partners, _roles, _funding_names, _modules, _shares, _period, _budget, _indicators,
    _activity_sheets,
)


def problems(cfg: NetworkConfig) -> list[Problem]:
    """Every inconsistency of ``cfg``, each as "key.path: German message"; empty when sound."""
    return [problem for check in CHECKS for problem in check(cfg)]
