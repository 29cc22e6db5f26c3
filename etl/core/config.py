"""The network configuration: partners, modules, period, cost rules, budget plan, KPI targets.

Everything a network may differ in lives in a TOML file (``data/config.toml`` by default);
this module turns it into typed, validated objects. Money is ``Decimal``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from etl.core.activity_sheets import ActivitySheet, parse_activity_sheets, target_measures
from etl.core.config_check import problems
from etl.core.config_keys import text_default
from etl.core.config_values import (
    ConfigError,
    choice,
    date_value,
    decimal_value,
    month_number,
    month_value,
)
from etl.core.indicators import DEFAULT_INDICATORS, Indicator, parse_indicators
from etl.core.years import ProjectYears

COST_CATEGORIES = ("personnel", "overheads", "material")
TARGET_MEASURES = ("events", "participants", "coachings", "companies")
MATERIAL_MODES = ("actual", "flat")
ROLES = ("partner", "associated")
REPORTING = ("monthly", "quarterly", "none")


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    funding_rate: Decimal
    lead: bool = False
    role: str = "partner"  # or "associated" (e.g. a chamber)
    funded: bool = True  # False: no grant (grant, EU and state shares 0)
    reporting: str = "monthly"  # "quarterly" or "none" (see etl.core.duty)
    joins: date | None = None  # first month of membership (None: project start)
    leaves: date | None = None  # last month of membership (None: project end)
    grant_ceiling: Decimal | None = None  # the grant notice's cap over the whole project

    @property
    def grant_cap_cents(self) -> int | None:
        """The most the partner's grant may add up to, in cents (0 when it is not funded;
        None: only the funding rate limits it)."""
        if not self.funded:
            return 0
        return None if self.grant_ceiling is None else int(self.grant_ceiling * 100)


@dataclass(frozen=True)
class RateTable:
    """Monthly unit cost per pay group, applicable from ``valid_from``."""

    valid_from: date
    monthly: dict[int, Decimal]


@dataclass(frozen=True)
class Rules:
    overhead_rate: Decimal
    material_mode: str
    material_flat_rate: Decimal
    eu_share: Decimal
    hours_per_year: int
    deviation_warn: Decimal
    deviation_flag: Decimal
    interim_proof_due: tuple[int, int]
    final_proof_months: int
    rate_tables: tuple[RateTable, ...]


@dataclass(frozen=True)
class NetworkConfig(ProjectYears):
    name: str
    short_name: str
    start: date
    end: date
    total_budget: Decimal
    grant_notice_date: date
    report_due_day: int
    modules: tuple[str, ...]
    partners: tuple[Partner, ...]
    rules: Rules
    # budget[(partner, year, category)] -> EUR
    budget: dict[tuple[str, int, str], Decimal] = field(default_factory=dict)
    # targets[(partner, module, year, measure)] -> count
    targets: dict[tuple[str, str, int, str], int] = field(default_factory=dict)
    # valid_from of the unit-cost table chosen by the finance plan (None: the one in force on
    # the grant notice date); see etl.workflow.plan
    rate_table_from: date | None = None
    # unique_company_targets[partner] -> distinct companies to reach over the whole period,
    # and the network's (a company reached by several partners counts once); optional: the
    # per-module-and-year "companies" targets count a company once per module and year
    unique_company_targets: dict[str, int] = field(default_factory=dict)
    network_unique_target: int | None = None
    # [review] steps: () = one step (steering or finance approve a month); two roles = the
    # first checks a month ("geprüft"), the second approves it (etl.workflow.months)
    review_steps: tuple[str, ...] = ()
    # the EU output indicators (etl.core.indicators); default RCO01 and RCO04
    indicators: tuple[Indicator, ...] = DEFAULT_INDICATORS
    # names of the funding sources: [funding_sources] eu / state
    eu_name: str = text_default("funding_sources.eu")
    state_name: str = text_default("funding_sources.state")
    # [network] year_start_month: the month project years start in (1: calendar years)
    year_start_month: int = 1
    # [[activity_sheets]]: configured sheets of the workbook (etl.core.activity_sheets)
    activity_sheets: tuple[ActivitySheet, ...] = ()

    @property
    def partner_codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.partners)

    def partner(self, code: str) -> Partner:
        for p in self.partners:
            if p.code == code:
                return p
        raise KeyError(code)

    def rate_table(self) -> RateTable:
        """The rate table in force on the grant notice date (fixed for the whole project), or the
        one the finance plan names."""
        if self.rate_table_from is not None:
            for table in self.rules.rate_tables:
                if table.valid_from == self.rate_table_from:
                    return table
            raise ConfigError(
                f"Keine Pauschalentabelle gilt ab {self.rate_table_from:%d.%m.%Y} "
                "(Finanzplan und Konfiguration passen nicht zusammen)."
            )
        usable = [t for t in self.rules.rate_tables if t.valid_from <= self.grant_notice_date]
        if not usable:
            raise ConfigError("Keine Pauschalentabelle gilt am Datum des Zuwendungsbescheids.")
        return max(usable, key=lambda t: t.valid_from)

    def months(self) -> list[date]:
        """First days of every month of the project period."""
        out, y, m = [], self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append(date(y, m, 1))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def _rules(raw: dict) -> Rules:
    mode = raw.get("material_mode", text_default("rules.material_mode"))
    if mode not in MATERIAL_MODES:
        raise ConfigError(
            f"rules.material_mode: '{mode}' ist nicht erlaubt, nur {' oder '.join(MATERIAL_MODES)}."
        )
    tables = tuple(
        RateTable(
            valid_from=date_value(t["valid_from"], "rules.rate_tables.valid_from"),
            monthly={
                int(k): decimal_value(v, f"rules.rate_tables.monthly.{k}")
                for k, v in t["monthly"].items()
            },
        )
        for t in raw.get("rate_tables", [])
    )
    if not tables:
        raise ConfigError("rules.rate_tables: mindestens eine Pauschalentabelle ist nötig.")
    month, day = (
        int(x)
        for x in str(raw.get("interim_proof_due", text_default("rules.interim_proof_due"))).split(
            "-"
        )
    )
    return Rules(
        overhead_rate=decimal_value(
            raw.get("overhead_rate", text_default("rules.overhead_rate")), "rules.overhead_rate"
        ),
        material_mode=mode,
        material_flat_rate=decimal_value(
            raw.get("material_flat_rate", text_default("rules.material_flat_rate")),
            "rules.material_flat_rate",
        ),
        eu_share=decimal_value(
            raw.get("eu_share", text_default("rules.eu_share")), "rules.eu_share"
        ),
        hours_per_year=int(raw.get("hours_per_year", text_default("rules.hours_per_year"))),
        deviation_warn=decimal_value(
            raw.get("deviation_warn", text_default("rules.deviation_warn")), "rules.deviation_warn"
        ),
        deviation_flag=decimal_value(
            raw.get("deviation_flag", text_default("rules.deviation_flag")), "rules.deviation_flag"
        ),
        interim_proof_due=(month, day),
        final_proof_months=int(
            raw.get("final_proof_months", text_default("rules.final_proof_months"))
        ),
        rate_tables=tables,
    )


def _budget(raw: dict, codes: set[str], years: set[int]) -> dict[tuple[str, int, str], Decimal]:
    out: dict[tuple[str, int, str], Decimal] = {}
    for code, by_year in raw.items():
        if code not in codes:
            raise ConfigError(f"budget.{code}: unbekannter Partner.")
        for year, cats in by_year.items():
            if int(year) not in years:
                raise ConfigError(
                    f"budget.{code}.{year}: Jahr liegt außerhalb der Projektlaufzeit."
                )
            for cat, amount in cats.items():
                if cat not in COST_CATEGORIES:
                    raise ConfigError(f"budget.{code}.{year}.{cat}: unbekannte Kostenart.")
                out[(code, int(year), cat)] = decimal_value(amount, f"budget.{code}.{year}.{cat}")
    return out


def _targets(
    raw: dict, codes: set[str], modules: set[str], extra: tuple[str, ...] = ()
) -> dict[tuple[str, str, int, str], int]:
    out: dict[tuple[str, str, int, str], int] = {}
    for code, by_module in raw.items():
        if code not in codes:
            raise ConfigError(f"targets.{code}: unbekannter Partner.")
        for module, by_year in by_module.items():
            if module not in modules:
                raise ConfigError(f"targets.{code}.{module}: unbekanntes Modul.")
            for year, measures in by_year.items():
                for measure, value in measures.items():
                    if measure not in TARGET_MEASURES + extra:
                        raise ConfigError(
                            f"targets.{code}.{module}.{year}.{measure}: unbekannte Kennzahl."
                        )
                    out[(code, module, int(year), measure)] = int(value)
    return out


def _unique_targets(raw: dict, codes: set[str]) -> tuple[dict[str, int], int | None]:
    """``[unique_company_targets]``: ``network = n`` and one ``CODE = n`` per partner."""
    out: dict[str, int] = {}
    network = None
    for key, value in raw.items():
        try:
            number = int(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"unique_company_targets.{key}: '{value}' ist keine Zahl.") from exc
        if number < 0:
            raise ConfigError(f"unique_company_targets.{key}: darf nicht negativ sein.")
        if key == "network":
            network = number
        elif key in codes:
            out[key] = number
        else:
            raise ConfigError(f"unique_company_targets.{key}: unbekannter Partner.")
    return out, network


REVIEW_ROLES = ("steering", "finance")


def _review_steps(raw: dict) -> tuple[str, ...]:
    """``[review] steps``: none (one step) or two different reviewer roles, in order."""
    steps = tuple(str(r).strip() for r in raw.get("steps", ()))
    if not steps:
        return ()
    if len(steps) != 2 or len(set(steps)) != 2 or not set(steps) <= set(REVIEW_ROLES):
        raise ConfigError(
            "review.steps: entweder weglassen (ein Prüfschritt) oder zwei verschiedene Rollen "
            'in Reihenfolge, z. B. ["steering", "finance"].'
        )
    return steps


def _partner(p: dict) -> Partner:
    """One ``[[partners]]`` table; optional keys take their defaults from config_keys."""
    code = str(p["code"]).strip().upper()
    key = f"partners.{code}"
    role = choice(p.get("role", text_default("partners[].role")), ROLES, f"{key}.role")
    ceiling = p.get("grant_ceiling_eur")
    return Partner(
        code=code,
        name=str(p["name"]).strip(),
        funding_rate=decimal_value(
            p.get("funding_rate", text_default("partners[].funding_rate")), f"{key}.funding_rate"
        ),
        lead=bool(p.get("lead", False)),
        role=role,
        funded=bool(p.get("funded", role == "partner")),
        reporting=choice(
            p.get("reporting", text_default("partners[].reporting")), REPORTING, f"{key}.reporting"
        ),
        joins=month_value(p.get("joins"), f"{key}.joins"),
        leaves=month_value(p.get("leaves"), f"{key}.leaves"),
        grant_ceiling=None
        if ceiling is None
        else decimal_value(ceiling, f"{key}.grant_ceiling_eur"),
    )


def _funding_names(raw: dict) -> dict[str, str]:
    """``[funding_sources]``: the names of the EU and the co-funding source."""
    return {
        "eu_name": str(raw.get("eu", text_default("funding_sources.eu"))).strip(),
        "state_name": str(raw.get("state", text_default("funding_sources.state"))).strip(),
    }


def _members(raw: dict) -> tuple[tuple[Partner, ...], tuple[str, ...]]:
    """The partners (distinct codes) and modules of the network, at least one of each."""
    partners = tuple(_partner(p) for p in raw.get("partners", []))
    if not partners:
        raise ConfigError("partners: mindestens ein Partner ist nötig.")
    if len({p.code for p in partners}) != len(partners):
        raise ConfigError("partners: Partnerkürzel müssen eindeutig sein.")
    modules = tuple(str(m) for m in (raw.get("network") or {}).get("modules", []))
    if not modules:
        raise ConfigError("network.modules: mindestens ein Modul ist nötig.")
    return partners, modules


def parse_config(raw: dict) -> NetworkConfig:
    """Validate a parsed TOML document and return the network configuration."""
    net = raw.get("network") or {}
    partners, modules = _members(raw)
    codes = {p.code for p in partners}
    year_start = month_number(
        net.get("year_start_month", text_default("network.year_start_month")),
        "network.year_start_month",
    )
    start = date_value(net.get("start"), "network.start")
    end = date_value(net.get("end"), "network.end")
    if end < start:
        raise ConfigError("network.end: Projektende liegt vor dem Projektbeginn (network.start).")
    sheets = parse_activity_sheets(raw.get("activity_sheets"))
    cfg = NetworkConfig(
        name=str(net.get("name", text_default("network.name"))),
        short_name=str(net.get("short_name", net.get("name", ""))),
        start=start,
        end=end,
        total_budget=decimal_value(
            net.get("total_budget_eur", text_default("network.total_budget_eur")),
            "network.total_budget_eur",
        ),
        grant_notice_date=date_value(
            net.get("grant_notice_date", start), "network.grant_notice_date"
        ),
        report_due_day=int(net.get("report_due_day", text_default("network.report_due_day"))),
        modules=modules,
        partners=partners,
        year_start_month=year_start,
        rules=_rules(raw.get("rules") or {}),
        targets=_targets(
            raw.get("targets") or {}, codes, set(modules), target_measures(sheets)
        ),
        activity_sheets=sheets,
    )
    unique, network = _unique_targets(raw.get("unique_company_targets") or {}, codes)
    cfg = replace(
        cfg,
        budget=_budget(raw.get("budget") or {}, codes, set(cfg.years)),
        unique_company_targets=unique,
        network_unique_target=network,
        review_steps=_review_steps(raw.get("review") or {}),
        **_funding_names(raw.get("funding_sources") or {}),
    )
    try:
        indicators = parse_indicators(raw.get("indicators"), raw.get("indicator_targets"))
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    cfg = replace(cfg, indicators=indicators)
    cfg.rate_table()  # fails early when no table applies
    found = problems(cfg)
    if found:
        raise ConfigError("\n".join(found))
    return cfg


def load_config(path: Path) -> NetworkConfig:
    """Read and validate the TOML configuration at ``path``."""
    with open(path, "rb") as fh:
        return parse_config(tomllib.load(fh))


@lru_cache(maxsize=8)
def _cached(path: str, mtime: float) -> NetworkConfig:
    return load_config(Path(path))


def get_config(path: Path | None = None) -> NetworkConfig:
    """The configuration at ``path`` (default: from settings), re-read when the file changes."""
    if path is None:
        from etl.core.settings import get_settings

        path = get_settings().config_path
    return _cached(str(path), path.stat().st_mtime)
