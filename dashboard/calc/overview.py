"""The overview's figures for a filter: KPIs against targets, budget against time, attention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import activity, attention, finance, memo, periods, reporting, sizes
from etl.core.config import NetworkConfig


@dataclass(frozen=True)
class Kpi:
    """One KPI: its value, the value compared with the target (the same count: for distinct
    companies the distinct companies, against the distinct-companies target), the target for
    the selection (0: none) and what is expected by now. ``per_partner``: distinct companies
    counted per partner and summed (several, not all partners chosen)."""

    measure: str
    value: int
    counted: int
    target: int
    expected: Fraction
    per_partner: bool = False

    @property
    def attainment(self) -> Fraction | None:
        return activity.attainment(self.counted, self.target)

    @property
    def on_track(self) -> Fraction | None:
        return activity.attainment(self.counted, self.expected)


@dataclass(frozen=True)
class Overview:
    as_of: date
    elapsed: Fraction
    kpis: dict[str, Kpi]
    contacts: Kpi  # companies counted per partner x module x year, against those targets
    hours: object
    n_sme: int
    sme_share: Fraction | None
    eligible: int
    plan: int
    grant: int
    items: list
    attain: pd.DataFrame  # partner x measure: actual, expected by now, attainment
    whole: dict[str, Kpi] | None  # the KPIs without filters (None when no filter is set)
    whole_eligible: int | None


def selection(
    months: pd.DataFrame, reach: pd.DataFrame, f: flt.Filters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly activity rows (activity.activity_months) and participations in the filters."""
    return flt.apply(months, f), flt.apply(reach, f)


def kpis(
    months: pd.DataFrame,
    reach: pd.DataFrame,
    config: NetworkConfig,
    f: flt.Filters,
    as_of: date,
    grain: pd.DataFrame | None = None,
) -> dict[str, Kpi]:
    """Events, participants, coachings and distinct companies against their targets
    (``grain``: activity.totals at KEYS of the same selection, when already computed)."""
    targets = flt.apply(activity.targets_frame(config), f)
    expected = activity.expected_by(targets.assign(_all=0), config, as_of, ["_all"])
    if grain is None:
        grain = activity.totals(months, reach, list(activity.KEYS))
    counted = {m: int(grain[m].sum()) for m in activity.COUNTS}
    out = {
        m: Kpi(
            m,
            counted[m],
            counted[m],
            int(targets[m].sum()),
            expected[m].iloc[0] if len(expected) else Fraction(0),
        )
        for m in activity.COUNTS
    }
    out["companies"] = companies_kpi(reach, config, f, as_of)
    return out


def companies_kpi(reach: pd.DataFrame, config: NetworkConfig, f: flt.Filters, as_of: date) -> Kpi:
    """Distinct companies against the distinct-companies target (activity.unique_reached).
    The target holds for all modules and the whole period: with a module or year filter
    there is none to compare with (target 0)."""
    value, target, per_partner = activity.unique_reached(reach, config, f.partner_list(config))
    if f.modules or f.years or target is None:
        target = 0
    expected = Fraction(target) * periods.time_elapsed(config, as_of)
    return Kpi("companies", value, value, target, expected, per_partner)


def contacts_kpi(grain: pd.DataFrame, config: NetworkConfig, f: flt.Filters, as_of: date) -> Kpi:
    """Unternehmenskontakte: distinct companies per partner x module x year, summed, against
    the per-module-and-year companies targets (``grain``: activity.totals at KEYS)."""
    targets = flt.apply(activity.targets_frame(config), f)
    expected = activity.expected_by(targets.assign(_all=0), config, as_of, ["_all"])
    value = int(grain["companies"].sum()) if len(grain) else 0
    goal = expected["companies"].iloc[0] if len(expected) else Fraction(0)
    return Kpi("company_contacts", value, value, int(targets["companies"].sum()), goal)


def partner_attainment(
    months: pd.DataFrame,
    reach: pd.DataFrame,
    config: NetworkConfig,
    f: flt.Filters,
    as_of: date,
    grain: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Partner x measure: actual and prorated target, attainment. Events, participants and
    coachings at the targets' grain; companies: the partner's distinct companies against its
    distinct-companies target (none with a module or year filter)."""
    actual = grain if grain is not None else activity.totals(months, reach, list(activity.KEYS))
    targets = flt.apply(activity.targets_frame(config), f)
    expected = activity.expected_by(targets, config, as_of, ["partner_code"])
    attain = activity.partner_attainment(actual, expected)
    if attain.empty:
        return attain
    mine = activity.unique_by_partner(reach)
    goals = {} if f.modules or f.years else config.unique_company_targets
    elapsed = periods.time_elapsed(config, as_of)
    rows = attain["measure"] == "companies"
    codes = attain.loc[rows, "partner_code"]
    actuals = [mine.get(p, 0) for p in codes]
    expects = [Fraction(goals.get(p, 0)) * elapsed for p in codes]
    attain.loc[rows, "actual"] = actuals
    attain.loc[rows, "expected"] = pd.Series(expects, index=codes.index, dtype=object)
    attain.loc[rows, "attainment"] = pd.Series(
        [activity.attainment(a, e) for a, e in zip(actuals, expects, strict=True)],
        index=codes.index,
        dtype=object,
    )
    return attain


def money(
    money_months: pd.DataFrame, config: NetworkConfig, f: flt.Filters
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Eligible costs per partner x year and the budget lines, for the partners and years."""
    partners, years = f.partner_list(config), f.year_list(config)
    elig = finance.eligible_table(money_months, config, partners, years)
    return elig, finance.budget_lines(config, partners, years)


def overview(
    activity_months: pd.DataFrame,
    money_months: pd.DataFrame,
    reach: pd.DataFrame,
    uploads: pd.DataFrame,
    config: NetworkConfig,
    f: flt.Filters,
    today: date,
    sheet_behind: pd.DataFrame | None = None,
) -> Overview:
    """Everything the overview shows for the filters ``f`` at their Stand (frames from
    activity.activity_months, finance.money_months, company reach and uploads); months after
    the Stand are vorläufig and count nowhere. ``today`` judges the reports' punctuality.
    ``sheet_behind``: partners behind in configured sheets' measures (calc.sheets.behind),
    listed with the others."""
    as_of = f.as_of(config, today)
    activity_months = periods.settled(activity_months, as_of)
    money_months = periods.settled(money_months, as_of)
    reach = periods.settled(reach, as_of)
    months, reach_f = selection(activity_months, reach, f)
    elig, budget = money(money_months, config, f)
    shares = finance.year_shares(config, f.year_list(config), as_of)
    lines = finance.plan_vs_actual(elig, budget, config.rules, shares)
    matrix = reporting.matrix_for(
        uploads, config, f.partner_list(config), f.year_list(config), today
    )
    # the totals at the targets' grain, of every partner, module and year, then filtered:
    # the same rows as totals of the filtered frames (the filters are on those keys)
    grain = flt.apply(_grain(activity_months, reach), f).reset_index(drop=True)
    attain = partner_attainment(months, reach_f, config, f, as_of, grain)
    behind = activity.behind(attain, config.rules.deviation_warn)
    if sheet_behind is not None and len(sheet_behind):
        behind = pd.concat([behind, sheet_behind], ignore_index=True)
    _n, n_sme, share = sizes.sme_share(reach_f)
    whole = whole_eligible = None
    if f.is_active:
        whole = _whole_kpis(activity_months, reach, config, as_of)
        whole_eligible = _whole_eligible(money_months, config)
    sums = finance.totals(elig)
    return Overview(
        as_of=as_of,
        elapsed=periods.elapsed_in(config, f.year_list(config), as_of),
        kpis=kpis(months, reach_f, config, f, as_of, grain),
        contacts=contacts_kpi(grain, config, f, as_of),
        hours=months["coaching_hours"].sum() if not months.empty else 0,
        n_sme=n_sme,
        sme_share=share,
        eligible=sums["eligible"],
        plan=int(budget["plan"].sum()),
        grant=sums["grant"],
        items=attention.attention(behind, lines, matrix, config.rules, config.year_start_month),
        attain=attain,
        whole=whole,
        whole_eligible=whole_eligible,
    )


@memo.per_frames
def _grain(activity_months: pd.DataFrame, reach: pd.DataFrame) -> pd.DataFrame:
    return activity.totals(activity_months, reach, list(activity.KEYS))


@memo.per_frames
def _whole_eligible(money_months: pd.DataFrame, config: NetworkConfig) -> int:
    return finance.totals(money(money_months, config, flt.Filters())[0])["eligible"]


@memo.per_frames
def _whole_kpis(months: pd.DataFrame, reach: pd.DataFrame, config: NetworkConfig, as_of: date):
    """The unfiltered KPIs, kept for the frames at hand, so a filter change does not count
    everything again (the totals at the targets' grain are :func:`_grain`'s)."""
    return kpis(months, reach, config, flt.Filters(), as_of, _grain(months, reach))


# --- the partner table: who is furthest behind -------------------------------------------

Cell = tuple  # (attainment or None, actual, expected by now) of one partner and measure


@dataclass(frozen=True)
class PartnerRanking:
    """The partner table's rows: each partner's cells by measure, the partners shown (all, or
    the ``limit`` furthest behind) and the others summed up per measure."""

    cells: dict[str, dict[str, Cell]]
    shown: list[str]
    rest: list[str]
    rest_cells: dict[str, Cell]


def rank_partners(attain: pd.DataFrame, limit: int) -> PartnerRanking:
    """Partners of ``attain`` (partner_attainment rows) in their order; with more than
    ``limit`` the ones with the lowest attainment in any measure first (no target: last),
    the rest summed (actual and expected; attainment of the sums)."""
    cells: dict = {}
    for code, measure, actual, expected, share in zip(
        attain["partner_code"],
        attain["measure"],
        attain["actual"],
        attain["expected"],
        attain["attainment"],
        strict=True,
    ):
        cells.setdefault(code, {})[measure] = (share, actual, expected)
    codes = list(cells)
    if len(codes) <= limit:
        return PartnerRanking(cells, codes, [], {})
    worst = {
        c: min((v[0] for v in cells[c].values() if v[0] is not None), default=None) for c in codes
    }
    ranked = sorted(
        range(len(codes)), key=lambda i: (worst[codes[i]] is None, worst[codes[i]] or 0, i)
    )
    shown, rest = [codes[i] for i in ranked[:limit]], [codes[i] for i in ranked[limit:]]
    return PartnerRanking(cells, shown, rest, _summed(cells, rest))


def _summed(cells: dict, rest: list[str]) -> dict[str, Cell]:
    """Per measure: the rest's actual and expected summed, and the attainment of the sums."""
    out = {}
    for m in activity.MEASURES:
        # companies: each partner's own distinct companies, summed over the rest
        actual = sum(int(cells[c][m][1]) for c in rest if m in cells[c])
        expected = sum((cells[c][m][2] for c in rest if m in cells[c]), Fraction(0))
        out[m] = (activity.attainment(actual, expected), actual, expected)
    return out
