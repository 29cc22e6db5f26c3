"""Partners with another role: associated partners, funding, reporting duty, membership, grant
ceiling, and the names of the funding sources (all optional configuration keys)."""

from __future__ import annotations

import copy
import tomllib
from datetime import date
from decimal import Decimal

import pytest

from etl.core import duty
from etl.core.config import ConfigError, parse_config
from etl.core.labels import ELIGIBLE_HEADERS, eligible_headers, financing_labels
from etl.core.money import Eligible, capped, eligible_costs, partner_years
from etl.core.settings import REPO_ROOT

with open(REPO_ROOT / "data" / "config.toml", "rb") as fh:
    EXAMPLE = tomllib.load(fh)


def _raw(**partner_keys) -> dict:
    """The example network with ``partner_keys`` set on its second partner (BO)."""
    raw = copy.deepcopy(EXAMPLE)
    raw["partners"][1].update(partner_keys)
    return raw


def _problems(raw: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(raw)
    return str(info.value).splitlines()


def test_defaults_keep_every_partner_a_funded_monthly_member_and_the_old_names():
    cfg = parse_config(copy.deepcopy(EXAMPLE))
    for p in cfg.partners:
        assert (p.role, p.funded, p.reporting, p.joins, p.leaves) == (
            "partner", True, "monthly", None, None,
        )
        assert p.grant_ceiling is None and p.grant_cap_cents is None
    assert (cfg.eu_name, cfg.state_name) == ("EU (EFRE)", "Land NRW")
    assert eligible_headers(cfg) == ELIGIBLE_HEADERS


def test_funding_source_names_come_from_the_configuration():
    raw = copy.deepcopy(EXAMPLE)
    raw["funding_sources"] = {"eu": "EU (ESF Plus)", "state": "Land Niedersachsen"}
    cfg = parse_config(raw)
    assert financing_labels(cfg) == {
        "eu": "EU (ESF Plus)", "state": "Land Niedersachsen", "own": "Eigenanteil",
    }
    headers = eligible_headers(cfg)
    assert "EU (ESF Plus)" in headers and "Land Niedersachsen" in headers
    assert "EU (EFRE)" not in headers and "Land NRW" not in headers
    raw["funding_sources"] = {"eu": "", "state": "EU (ESF Plus)"}
    problems = _problems(raw)
    assert any(p.startswith("funding_sources.eu: Name fehlt") for p in problems)


def test_an_associated_partner_is_unfunded_unless_said_otherwise():
    cfg = parse_config(_raw(role="associated", reporting="quarterly", joins="2025-04"))
    bo = cfg.partner("BO")
    assert (bo.role, bo.funded, bo.reporting, bo.joins) == (
        "associated", False, "quarterly", date(2025, 4, 1),
    )
    assert bo.grant_cap_cents == 0
    funded = parse_config(_raw(role="associated", funded=True)).partner("BO")
    assert funded.funded and funded.grant_cap_cents is None


def test_role_keys_are_checked_with_their_key_path():
    assert "partners.BO.role: 'kammer' ist nicht erlaubt" in _problems(_raw(role="kammer"))[0]
    assert "partners.BO.reporting" in _problems(_raw(reporting="weekly"))[0]
    assert "partners.BO.joins: '2025/04' ist kein Monat" in _problems(_raw(joins="2025/04"))[0]
    problems = _problems(_raw(joins="2023-06", leaves="2023-05", funded=False,
                              grant_ceiling_eur="1000.00"))
    keys = [p.split(":")[0] for p in problems]
    assert keys == [
        "partners.BO.joins", "partners.BO.leaves", "partners.BO.leaves",
        "partners.BO.grant_ceiling_eur",
    ], problems
    raw = copy.deepcopy(EXAMPLE)
    raw["partners"][0]["role"] = "associated"  # DO is the lead
    assert _problems(raw)[0].startswith("partners.DO.lead:")
    assert "partners.BO.grant_ceiling_eur" in _problems(_raw(grant_ceiling_eur="-1"))[0]


def test_due_months_follow_membership_and_reporting_duty():
    cfg = parse_config(_raw(joins="2025-02", leaves="2025-11", reporting="quarterly"))
    dues = duty.report_dues(cfg, "BO")
    assert min(dues) == date(2025, 2, 1) and max(dues) == date(2025, 11, 1)
    assert len(dues) == 10
    # Feb and Mar close the first quarter of membership: due with March, on 10 April
    assert dues[date(2025, 2, 1)] == dues[date(2025, 3, 1)] == date(2025, 4, 10)
    assert {dues[date(2025, m, 1)] for m in (4, 5, 6)} == {date(2025, 7, 10)}
    # the partner leaves in November: its last quarter is due after November
    assert dues[date(2025, 10, 1)] == dues[date(2025, 11, 1)] == date(2025, 12, 10)
    monthly = duty.report_dues(cfg, "DO")
    assert len(monthly) == 36 and monthly[date(2024, 12, 1)] == date(2025, 1, 10)
    none = parse_config(_raw(reporting="none"))
    assert duty.report_dues(none, "BO") == {}
    assert not duty.required(none, "BO", date(2025, 3, 1))


def test_a_month_outside_membership_is_refused_with_a_german_message():
    cfg = parse_config(_raw(joins="2025-02", leaves="2025-11"))
    assert duty.membership_problem(cfg, "BO", date(2025, 2, 1)) is None
    text = duty.membership_problem(cfg, "BO", date(2025, 1, 1))
    assert text == (
        "BO gehört im Berichtsmonat 01/2025 nicht zum Netzwerk (Mitglied von 02/2025 bis "
        "11/2025). Bitte den Berichtsmonat prüfen."
    )
    assert duty.membership_problem(cfg, "BO", date(2025, 12, 1)) is not None


def _e(eligible: int, rate: str = "0.80", eu: str = "0.40") -> Eligible:
    grant = eligible * Decimal(rate)
    e_eu = eligible * Decimal(eu)
    return Eligible(eligible, 0, 0, eligible, int(grant), int(e_eu), int(grant - e_eu),
                    eligible - int(grant))


def test_the_grant_ceiling_fills_the_years_in_order():
    years = [_e(100_000), _e(100_000), _e(50_000)]  # grants 800, 800, 400 EUR
    out = capped(years, 120_000)  # 1,200.00 EUR over the project
    assert out[0] == years[0]
    # year 2 gets the remaining 400 EUR; the EU keeps its half of the grant (400 of 800)
    assert (out[1].grant, out[1].eu, out[1].state, out[1].own) == (40_000, 20_000, 20_000, 60_000)
    assert (out[2].grant, out[2].eu, out[2].state, out[2].own) == (0, 0, 0, 50_000)
    assert sum(e.grant for e in out) == 120_000
    assert capped(years, None) == years
    unfunded = capped(years, 0)
    assert all((e.grant, e.eu, e.state, e.own) == (0, 0, 0, e.eligible) for e in unfunded)


def test_partner_years_apply_rate_then_ceiling(config):
    raw = _raw(grant_ceiling_eur="5000.00")
    cfg = parse_config(raw)
    sums = {2024: (400_000, 100_000), 2025: (400_000, 0)}  # personnel, expenditure (cents)
    got = partner_years(cfg, "BO", sums)
    plain = {y: eligible_costs(*sums.get(y, (0, 0)), Decimal("0.80"), cfg.rules)
             for y in cfg.years}
    # 2024: 4,000 + 600 overheads + 1,000 = 5,600 eligible -> 4,480 grant (under the cap)
    assert got[2024] == plain[2024] and plain[2024].grant == 448_000
    # 2025: 4,600 eligible -> 3,680 by the rate, but only 520 left under the 5,000 cap
    assert got[2025].grant == 500_000 - 448_000
    assert got[2025].eu + got[2025].state == got[2025].grant
    assert got[2025].own == got[2025].eligible - got[2025].grant
    assert got[2026].grant == 0
