"""The grant in ``report --json`` beyond the claimed figures: after the funding body's cuts
(``accepted``) and under a partner's grant ceiling (``grant_caps``)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.money import eligible_costs, eur, partner_years
from etl.workflow import cuts

if TYPE_CHECKING:
    from sqlalchemy import Engine


def renamed(amounts: dict[str, int]) -> dict[str, int]:
    """The cost rules' field names as ``report --json`` spells them."""
    names = {"overheads": "overhead"}
    return {names.get(k, k): v for k, v in amounts.items()}


def accepted(engine: Engine, money: dict[str, dict], config: NetworkConfig) -> dict:
    """The figures after the funding body's check (``report --json``'s ``accepted``): the
    cuts recorded, and per partner x project year the cents cut off personnel and booked
    material and the eligible costs and their financing on the accepted amounts (the grant
    due, capped like ``eligible``); equal to ``eligible`` where nothing was cut."""
    recorded, off = cuts.cuts_by_year(engine)
    rows = []
    for p in config.partners:
        sums = {
            y: (
                int(money["personnel_cents"].get((p.code, y), 0)) - off.get((p.code, y), (0, 0))[0],
                int(money["expenditure_cents"].get((p.code, y), 0))
                - off.get((p.code, y), (0, 0))[1],
            )
            for y in config.years
        }
        for y, e in partner_years(config, p.code, sums).items():
            p_off, e_off = off.get((p.code, y), (0, 0))
            rows.append(
                {
                    "partner": p.code,
                    "year": y,
                    "cut_personnel_eur": eur(p_off),
                    "cut_expenditure_eur": eur(e_off),
                    **{f"{k}_eur": eur(v) for k, v in renamed(e.as_dict()).items()},
                }
            )
    keys = [k for k in rows[0] if k.endswith("_eur")] if rows else []
    totals = {k: eur(sum(int(Decimal(r[k]) * 100) for r in rows)) for k in keys}
    applied = int(recorded["claimed_cents"].notna().sum()) if not recorded.empty else 0
    return {"cuts": len(recorded), "applied": applied, "eligible": rows, "eligible_total": totals}


def grant_caps(money: dict[str, dict], config: NetworkConfig) -> list[dict]:
    """One row per partner whose grant is capped (a ceiling, or no funding): the ceiling, the
    grant the funding rate gives, the grant after the cap, and whether the cap bites."""
    rows = []
    for p in config.partners:
        cap = p.grant_cap_cents
        if cap is None:
            continue
        uncapped = sum(
            eligible_costs(
                int(money["personnel_cents"].get((p.code, y), 0)),
                int(money["expenditure_cents"].get((p.code, y), 0)),
                p.funding_rate,
                config.rules,
            ).grant
            for y in config.years
        )
        rows.append(
            {
                "partner": p.code,
                "funded": p.funded,
                "ceiling_eur": eur(cap),
                "by_rate_eur": eur(uncapped),
                "grant_eur": eur(min(uncapped, cap) if uncapped > 0 else uncapped),
                "capped": uncapped > cap,
            }
        )
    return rows
