"""EFRE.NRW 2021-2027 cost rules: unit costs for staff, flat rates, eligible costs, grant split.

All amounts are integer cents; rates are ``Decimal``. Rounding is half-up to the cent:
per ``Personal`` row for personnel, and on the aggregate (partner x year, or whatever
grain the caller sums to) for overheads, flat material costs and the funding split.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from decimal import Decimal

import numpy as np
import pandas as pd

from etl.core.config import NetworkConfig, RateTable, Rules
from etl.core.normalise import round_cents
from etl.core.years import years_of


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


def capped(years: list[Eligible], cap: int | None) -> list[Eligible]:
    """A partner's years (in order) with the grant capped at ``cap`` cents over all of them
    (the grant notice's ceiling; 0 for a partner without funding; None: unchanged).

    Years are filled in order: once the ceiling is reached, later years get no grant. A
    capped year keeps the EU's part of its grant in proportion (half-up to the cent);
    state = grant - EU and own = eligible - grant as always."""
    if cap is None:
        return list(years)
    out, left = [], cap
    for e in years:
        grant = min(e.grant, max(left, 0)) if e.grant > 0 else e.grant
        left -= grant
        eu = e.eu if grant == e.grant else _share(e.eu, grant, e.grant)
        out.append(replace(e, grant=grant, eu=eu, state=grant - eu, own=e.eligible - grant))
    return out


def partner_years(
    config: NetworkConfig, code: str, sums: dict[int, tuple[int, int]]
) -> dict[int, Eligible]:
    """Project year -> the cost rules applied to partner ``code``'s summed personnel and
    booked expenditure of the year (``sums``, cents; missing years count 0), with its grant
    capped (:func:`capped`)."""
    p = config.partner(code)
    plain = [
        eligible_costs(*sums.get(y, (0, 0)), p.funding_rate, config.rules) for y in config.years
    ]
    return dict(zip(config.years, capped(plain, p.grant_cap_cents), strict=True))


def _share(part: int, num: int, den: int) -> int:
    """``part x num / den`` rounded half-up (cents; ``den`` > 0)."""
    return round_cents(Decimal(part) * num / den / 100) if den else 0


# --- the same rules on whole numpy arrays (exact int64 cents) --------------------------


def exact_ratio(rate: Decimal) -> tuple[int, int]:
    """A decimal rate as an exact integer ratio (numerator, positive denominator)."""
    num, den = Decimal(rate).as_integer_ratio()
    return int(num), int(den)


def _fits(values: np.ndarray, factor: int) -> bool:
    """Whether ``2 * |values| * factor`` (plus a denominator) stays well inside int64."""
    top = int(np.abs(values).max()) if len(values) else 0
    return 2 * top * abs(factor) + 1 < 2**62


def times_rate(cents, num, den) -> np.ndarray:
    """``cents x num / den`` rounded half-up (halves away from zero), element-wise and exact:
    the same as ``etl.core.normalise.round_cents(Decimal(cents) * rate / 100)`` for
    ``rate = num / den``. ``num`` and ``den`` may be scalars or arrays like ``cents``."""
    x = np.asarray(cents, dtype=np.int64)
    n = np.broadcast_to(np.asarray(num, dtype=np.int64), x.shape)
    d = np.broadcast_to(np.asarray(den, dtype=np.int64), x.shape)
    if len(x) and not _fits(x, int(np.abs(n).max())):  # beyond int64: Python integers
        xo, no, do = x.astype(object), n.astype(object), d.astype(object)
        sign = np.where((xo < 0) != (no < 0), -1, 1)
        q = (2 * abs(xo) * abs(no) + do) // (2 * do)
        return (sign * q).astype(object)
    prod = np.abs(x) * np.abs(n)
    sign = np.where((x < 0) != (n < 0), -1, 1)
    return sign * ((2 * prod + d) // (2 * d))


def eligible_arrays(
    personnel, expenditure, funding_num, funding_den, rules: Rules
) -> dict[str, np.ndarray]:
    """:func:`etl.core.money.eligible_costs` on whole arrays of summed cents (one funding rate per
    element as an exact ratio); integer arithmetic only, identical results."""
    pers = np.asarray(personnel, dtype=np.int64)
    overheads = times_rate(pers, *exact_ratio(rules.overhead_rate))
    if rules.material_mode == "flat":
        material = times_rate(pers, *exact_ratio(rules.material_flat_rate))
    else:
        material = np.asarray(expenditure, dtype=np.int64)
    eligible = pers + overheads + material
    grant = times_rate(eligible, funding_num, funding_den)
    eu = times_rate(eligible, *exact_ratio(rules.eu_share))
    return {
        "personnel": pers,
        "overheads": overheads,
        "material": material,
        "eligible": eligible,
        "grant": grant,
        "eu": eu,
        "state": grant - eu,
        "own": eligible - grant,
    }


def funding_ratios(config: NetworkConfig, codes) -> tuple[np.ndarray, np.ndarray]:
    """Each code's funding rate as numerator and denominator arrays (KeyError for a code that
    is not a partner, like ``config.partner``)."""
    rates = {p.code: p.funding_rate for p in config.partners}
    ratio = {code: exact_ratio(rates[code]) for code in dict.fromkeys(codes)}
    pairs = [ratio[c] for c in codes]
    return (
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
    )


def _running(values: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Cumulative sums that restart at the rows where ``start`` (each row's group start)
    points to themselves."""
    total = np.cumsum(values)
    before = np.concatenate([[0], total[:-1]])
    return total - before[start]


def monthly_amounts(
    money: pd.DataFrame, config: NetworkConfig, fields: tuple[str, ...] = ("eligible",)
) -> pd.DataFrame:
    """One row per partner x month with money (``partner_code``, ``month``, ``fields``): what
    each month adds to the figures of :func:`eligible_costs` (cents).

    The cost rules are applied to the running sums within each year, and the month's amount
    is the difference to the month before, so a year's months add up exactly to the
    partner x year figure. ``money``: partner_code, month, personnel, expenditure
    (cents); vectorised, the same as calling :func:`eligible_costs` month by month.
    """
    cols = ["partner_code", "month", *fields]
    if money.empty:
        return pd.DataFrame(columns=cols)
    m = money[["partner_code", "month", "personnel", "expenditure"]]
    codes, months = m["partner_code"].to_numpy(), pd.DatetimeIndex(m["month"])
    years = config.years_of(months).to_numpy(dtype=np.int64)
    order = np.lexsort((months.asi8, years, pd.factorize(codes, sort=True)[0]))
    codes, years, months = codes[order], years[order], months[order]
    pers = m["personnel"].to_numpy(dtype=np.int64)[order]
    exp = m["expenditure"].to_numpy(dtype=np.int64)[order]
    # running sums within each partner x year (rows sorted by partner, year, month)
    first = np.ones(len(m), dtype=bool)
    first[1:] = (codes[1:] != codes[:-1]) | (years[1:] != years[:-1])
    start = np.maximum.accumulate(np.where(first, np.arange(len(m)), 0))
    pers, exp = _running(pers, start), _running(exp, start)
    num, den = funding_ratios(config, codes.tolist())
    running = eligible_arrays(pers, exp, num, den, config.rules)
    out = {"partner_code": codes, "month": months.to_numpy()}
    for name in fields:
        values = running[name]
        before = np.concatenate([[0], values[:-1]])
        out[name] = np.where(first, values, values - before).astype(np.int64)
    _cap_months(out, config)
    return pd.DataFrame(out, columns=cols)


def _cap_months(out: dict, config: NetworkConfig) -> None:
    """Cap the monthly grant of partners with a ceiling (rows sorted by partner and month):
    the running grant over all months stops at the ceiling, the own share takes the rest
    (the same as :func:`capped` on the partner x year figures)."""
    if "grant" not in out:
        return
    codes = out["partner_code"]
    for p in config.partners:
        cap = p.grant_cap_cents
        rows = np.flatnonzero(codes == p.code) if cap is not None else []
        if not len(rows):
            continue
        grant = out["grant"][rows]
        total = np.minimum(np.cumsum(grant), cap)
        now = np.diff(np.concatenate([[0], total]))
        if "own" in out:
            out["own"][rows] += grant - now
        out["grant"][rows] = now


MONEY_MONTH_COLUMNS = ["partner_code", "year", "month", "personnel", "expenditure"]
CUT_MEASURES = {"Personal": "personnel", "Ausgaben": "expenditure"}  # sheet -> money column


def cut_reductions(cuts: pd.DataFrame) -> pd.DataFrame:
    """Per partner x month (first day) the cents the funding body's cuts take off personnel
    and expenditure: claimed − accepted of each cut whose row is in the current upload. A cut
    never raises an amount (accepted above claimed takes nothing off); a cut whose row is
    gone applies to nothing. ``cuts``: queries.audit_cuts."""
    cols = ["partner_code", "month", "personnel", "expenditure"]
    live = cuts[cuts["claimed_cents"].notna()] if not cuts.empty else cuts
    if live.empty:
        return pd.DataFrame(columns=cols).astype({"personnel": "int64", "expenditure": "int64"})
    claimed = live["claimed_cents"].astype("int64")
    off = (claimed - np.minimum(live["accepted_cents"].astype("int64"), claimed)).clip(lower=0)
    frame = pd.DataFrame({"partner_code": live["partner_code"].to_numpy(),
                          "month": pd.to_datetime(live["month"]).to_numpy(),
                          "measure": live["sheet"].map(CUT_MEASURES).to_numpy(),
                          "off": off.to_numpy()})
    wide = frame.pivot_table(index=["partner_code", "month"], columns="measure", values="off",
                             aggfunc="sum", fill_value=0)
    out = wide.reindex(columns=["personnel", "expenditure"], fill_value=0).reset_index()
    return out.astype({"personnel": "int64", "expenditure": "int64"})[cols]


def accepted_money(money: pd.DataFrame, reductions: pd.DataFrame) -> pd.DataFrame:
    """A money-months frame (:data:`MONEY_MONTH_COLUMNS`) with the cuts of
    :func:`cut_reductions` taken off: the amounts the funding body accepted, on which the
    grant is computed. Unchanged (the same object) when there is no cut."""
    if reductions.empty or money.empty:
        return money
    keyed = reductions.assign(month=pd.to_datetime(reductions["month"]))
    out = money.assign(month=pd.to_datetime(money["month"])).merge(
        keyed, on=["partner_code", "month"], how="left", suffixes=("", "_off"))
    for col in ("personnel", "expenditure"):
        out[col] = out[col].astype("int64") - out[f"{col}_off"].fillna(0).astype("int64")
    return out[list(money.columns)]


def money_months_frame(
    partner_codes, months, personnel, expenditure, start: int = 1
) -> pd.DataFrame:
    """One row per partner x month (the frame :func:`monthly_amounts` and the finance pages
    read): personnel and booked expenditure in cents (int), from per-partner-month sums
    (None: no row of that measure), sorted by partner, year and month; ``year`` is the project
    year (starting in month ``start``, :mod:`etl.core.years`)."""
    if len(partner_codes) == 0:
        return pd.DataFrame(columns=MONEY_MONTH_COLUMNS)
    month = pd.to_datetime(pd.Series(list(months)))
    out = pd.DataFrame(
        {
            "partner_code": list(partner_codes),
            "year": [int(y) for y in years_of(month, start)],
            "month": month,
            "personnel": [0 if v is None else int(v) for v in personnel],
            "expenditure": [0 if v is None else int(v) for v in expenditure],
        }
    )
    return out.sort_values(["partner_code", "year", "month"], ignore_index=True)[
        MONEY_MONTH_COLUMNS
    ]


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
