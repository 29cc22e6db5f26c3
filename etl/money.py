"""EFRE.NRW 2021-2027 cost rules: unit costs for staff, flat rates, eligible costs, grant split.

All amounts are integer cents; rates are ``Decimal``. Rounding is half-up to the cent:
per ``Personal`` row for personnel, and on the aggregate (partner x year, or whatever
grain the caller sums to) for overheads, flat material costs and the funding split.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

from etl.config import NetworkConfig, RateTable, Rules
from etl.normalise import round_cents


def hourly_rate(table: RateTable, pay_group: int, hours_per_year: int) -> Decimal:
    """Unrounded hourly unit cost: monthly rate x 12 / full-time hours per year."""
    return table.monthly[pay_group] * 12 / Decimal(hours_per_year)


def personnel_cents(
    billing: str, quantity: Decimal, pay_group: int, table: RateTable, hours_per_year: int
) -> int:
    """Cost of one ``Personal`` row in cents, rounded half-up."""
    if billing == "Monat":
        return round_cents(table.monthly[pay_group] * quantity)
    return round_cents(table.monthly[pay_group] * 12 * quantity / Decimal(hours_per_year))


@dataclass(frozen=True)
class Eligible:
    """Eligible costs and their financing for one aggregate, in cents."""

    personnel: int
    overheads: int
    material: int
    eligible: int
    grant: int
    eu: int
    state: int
    own: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def eligible_costs(
    personnel: int, expenditure: int, funding_rate: Decimal, rules: Rules
) -> Eligible:
    """Apply the cost rules to summed personnel and booked expenditure (cents)."""
    overheads = round_cents(Decimal(personnel) * rules.overhead_rate / 100)
    if rules.material_mode == "flat":
        material = round_cents(Decimal(personnel) * rules.material_flat_rate / 100)
    else:
        material = expenditure
    eligible = personnel + overheads + material
    grant = round_cents(Decimal(eligible) * funding_rate / 100)
    eu = round_cents(Decimal(eligible) * rules.eu_share / 100)
    return Eligible(
        personnel, overheads, material, eligible, grant, eu, grant - eu, eligible - grant
    )


def eur(cents: int) -> str:
    """Cents as a plain decimal string with two places (``123456`` -> ``'1234.56'``)."""
    sign = "-" if cents < 0 else ""
    whole, rest = divmod(abs(int(cents)), 100)
    return f"{sign}{whole}.{rest:02d}"


def format_eur(cents: int) -> str:
    """Cents in German notation: ``123456789`` -> ``'1.234.567,89 €'``."""
    text = eur(cents)
    sign = "-" if text.startswith("-") else ""
    whole, frac = text.lstrip("-").split(".")
    return f"{sign}{int(whole):,}".replace(",", ".") + f",{frac} €"


def rules_summary(config: NetworkConfig) -> dict[str, object]:
    """The rates and percentages in force, for reports (decimals as strings)."""
    r = config.rules
    table = config.rate_table()
    return {
        "rate_table_valid_from": table.valid_from.isoformat(),
        "monthly_rates_eur": {str(g): f"{v:.2f}" for g, v in sorted(table.monthly.items())},
        "hourly_rates_eur": {
            str(g): f"{hourly_rate(table, g, r.hours_per_year):.4f}" for g in sorted(table.monthly)
        },
        "hours_per_year": r.hours_per_year,
        "overhead_rate": str(r.overhead_rate),
        "material_mode": r.material_mode,
        "material_flat_rate": str(r.material_flat_rate),
        "eu_share": str(r.eu_share),
        "funding_rates": {p.code: str(p.funding_rate) for p in config.partners},
        "deviation_warn": str(r.deviation_warn),
        "deviation_flag": str(r.deviation_flag),
        "grant_notice_date": config.grant_notice_date.isoformat(),
    }
