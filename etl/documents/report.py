"""The warehouse's figures as one structure (``python -m etl report``) and as German text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import pandas as pd

from etl.core import figures
from etl.core import stand as berichtsstand
from etl.core.config import NetworkConfig
from etl.core.labels import ELIGIBLE_HEADERS, eligible_headers
from etl.core.money import eur, format_eur, partner_years, rules_summary
from etl.core.years import year_label
from etl.documents import report_sheets
from etl.documents.indicators import indicator_report
from etl.documents.report_grant import accepted, grant_caps, renamed
from etl.warehouse import queries
from etl.workflow import plan

if TYPE_CHECKING:
    from sqlalchemy import Engine

COUNT_MEASURES = ("events", "participants", "coachings", "coaching_hours")
CATEGORY_MEASURES = {
    "sachkosten_cents": "Sachkosten",
    "fremdleistungen_cents": "Fremdleistungen",
    "reisekosten_cents": "Reisekosten",
}


def _settled(frame: pd.DataFrame, column: str, stand: date | None) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` (a date in a month) is not after the Stand
    ``stand`` (all rows without one): later months are vorläufig and count nowhere."""
    if stand is None or frame.empty:
        return frame
    end = pd.Timestamp(berichtsstand.add_months(berichtsstand.first_of(stand), 1))
    return frame[pd.to_datetime(frame[column]) < end]


def _sum(frame: pd.DataFrame, keys: list[str], measure: str) -> dict:
    part = frame[frame["measure"] == measure]
    out: dict = {}
    for row in part.itertuples(index=False):
        key = tuple(getattr(row, k) for k in keys)
        out[key] = out.get(key, Decimal(0)) + Decimal(row.value)
    return out


def activities(engine: Engine, config: NetworkConfig, stand: date | None = None) -> list[dict]:
    """One row per partner x module x year of the project (zeros where nothing was
    reported), of the months up to ``stand`` (all months without one)."""
    facts = _settled(queries.monthly_facts(engine, measures=COUNT_MEASURES), "month", stand)
    sums = {m: _sum(facts, ["partner_code", "module", "year"], m) for m in COUNT_MEASURES}
    reach = _settled(queries.company_reach(engine), "activity_date", stand)
    companies = (
        reach.groupby(["partner_code", "module", "year"])["company_id"].nunique().to_dict()
        if not reach.empty
        else {}
    )
    rows = []
    for p in config.partner_codes:
        for m in config.modules:
            for y in config.years:
                key = (p, m, y)
                rows.append(
                    {
                        "partner": p,
                        "module": m,
                        "year": y,
                        "events": int(sums["events"].get(key, 0)),
                        "participants": int(sums["participants"].get(key, 0)),
                        "coachings": int(sums["coachings"].get(key, 0)),
                        "coaching_hours": f"{sums['coaching_hours'].get(key, Decimal(0)):.2f}",
                        "companies": int(companies.get(key, 0)),
                    }
                )
    return rows


def sme(engine: Engine, config: NetworkConfig, stand: date | None = None) -> dict:
    """Distinct companies and SMEs (not 'Groß'), per partner by the classes it reported
    itself and network-wide by the latest report across partners (activity date, then the
    newer upload), and the companies reported with conflicting classes (companies reached
    up to ``stand``; the conflicts of every month)."""
    reach = _settled(queries.company_reach_by_group(engine), "activity_date", stand)
    own = reach.drop_duplicates(["partner_code", "company_id"])
    network = reach.drop_duplicates("company_id")
    partners = [
        {
            "partner": p,
            "companies": int((own["partner_code"] == p).sum()),
            "sme": int(((own["partner_code"] == p) & (own["size_class"] != "Groß")).sum()),
        }
        for p in config.partner_codes
    ]
    classes = dict(zip(network["company_id"], network["network_class"], strict=True))
    conflicts: dict[int, dict] = {}
    for r in queries.size_class_conflicts(engine).itertuples(index=False):
        entry = conflicts.setdefault(r.company_id, {
            "company": r.display_name, "plz": r.plz,
            "network_class": classes.get(r.company_id), "reports": []})
        entry["reports"].append({"partner": r.partner_code, "size_class": r.size_class,
                                 "reported_on": r.reported_on.isoformat()})
    return {
        "partners": partners,
        "network": {"companies": len(network),
                    "sme": int((network["network_class"] != "Groß").sum())},
        "conflicts": list(conflicts.values()),
    }


def personnel(engine: Engine, stand: date | None = None) -> list[dict]:
    """One row per partner x year x pay group x billing type (months up to ``stand``)."""
    df = _settled(queries.personnel_by_group(engine), "month", stand)
    out: dict[tuple, list] = {}
    for r in df.itertuples(index=False):
        key = (r.partner_code, int(r.year), int(r.pay_group), r.billing)
        acc = out.setdefault(key, [Decimal(0), 0])
        acc[0] += Decimal(r.quantity)
        acc[1] += int(r.amount_cents)
    return [
        {
            "partner": k[0],
            "year": k[1],
            "pay_group": k[2],
            "billing": k[3],
            "quantity": f"{q.quantize(Decimal('0.0001')).normalize():f}",
            "amount_eur": eur(c),
        }
        for k, (q, c) in sorted(out.items())
    ]


def money_by_partner_year(engine: Engine, stand: date | None = None) -> dict[str, dict]:
    """Measure -> (partner, year) -> cents summed from fact_monthly (personnel, expenditure and
    its cost categories) of the months up to ``stand``: what :func:`eligible` and
    :func:`expenditure` take."""
    facts = queries.monthly_facts(
        engine, measures=["personnel_cents", "expenditure_cents", *CATEGORY_MEASURES]
    )
    facts = _settled(facts, "month", stand)
    return {
        m: _sum(facts, ["partner_code", "year"], m)
        for m in ("personnel_cents", "expenditure_cents", *CATEGORY_MEASURES)
    }


def expenditure(money: dict[str, dict]) -> list[dict]:
    """One row per partner x year x cost category with bookings."""
    rows = []
    for measure, category in CATEGORY_MEASURES.items():
        for (p, y), cents in money[measure].items():
            rows.append(
                {
                    "partner": p,
                    "year": int(y),
                    "cost_category": category,
                    "amount_eur": eur(int(cents)),
                }
            )
    return sorted(rows, key=lambda r: (r["partner"], r["year"], r["cost_category"]))


def eligible(money: dict[str, dict], config: NetworkConfig) -> list[dict]:
    """One row per partner x project year: eligible costs and their financing."""
    rows = []
    for p in config.partners:
        sums = {
            y: (
                int(money["personnel_cents"].get((p.code, y), 0)),
                int(money["expenditure_cents"].get((p.code, y), 0)),
            )
            for y in config.years
        }
        for y, e in partner_years(config, p.code, sums).items():
            rows.append(
                {
                    "partner": p.code,
                    "year": y,
                    **{f"{k}_eur": eur(v) for k, v in renamed(e.as_dict()).items()},
                }
            )
    return rows


def unique_companies(engine: Engine, stand: date | None = None) -> int:
    """Distinct companies reached by a current participation up to ``stand``."""
    if stand is None:
        return queries.unique_companies(engine)
    reach = queries.company_reach(engine)
    settled = _settled(reach, "activity_date", stand)
    if len(settled) == len(reach):
        return queries.unique_companies(engine)
    return int(settled["company_id"].nunique())


def provisional(engine: Engine, stand: date) -> list[dict]:
    """The partner-months after the Stand with an accepted report: vorläufig, counted in no
    figure of the report."""
    ups = queries.uploads(engine)
    ups = ups[ups["status"] == "accepted"] if not ups.empty else ups
    later = ups[pd.to_datetime(ups["month"]) > pd.Timestamp(stand)] if not ups.empty else ups
    keys = sorted({(r.partner_code, pd.Timestamp(r.month)) for r in later.itertuples()})
    return [{"partner": p, "month": f"{m:%Y-%m}"} for p, m in keys]


def build_report(
    engine: Engine,
    config: NetworkConfig,
    *,
    version_id: int | None = None,
    stand: date | None = None,
) -> dict:
    """Everything ``report --json`` prints; money as strings with two decimals.

    Funding rates and material mode come from the current finance plan version (or
    ``version_id``), see :func:`etl.workflow.plan.current_config`. With a Stand (the first
    of a month, :mod:`etl.core.stand`) the figures count the months up to it only; the
    report names it (``stand``) and the vorläufig partner-months after it
    (``provisional``). Without one, every month received counts.
    """
    chosen = (
        plan.plan_as_of(engine, config, version_id)
        if version_id
        else plan.current_plan(engine, config)
    )
    version = chosen.version.id
    config = plan.apply(config, chosen.data)
    money = money_by_partner_year(engine, stand)
    elig = eligible(money, config)
    keys = [k for k in elig[0] if k.endswith("_eur")] if elig else []
    totals = {k: eur(sum(int(Decimal(r[k]) * 100) for r in elig)) for k in keys}
    caps = grant_caps(money, config)  # only for networks that cap a grant (a new key)
    rep = {
        "network": config.name,
        "plan_version": version,
        "activities": activities(engine, config, stand),
        "personnel": personnel(engine, stand),
        "expenditure": expenditure(money),
        "eligible": elig,
        "eligible_total": totals,
        "unique_companies": unique_companies(engine, stand),
        "rules": rules_summary(config),
        "sme": sme(engine, config, stand),
        "indicators": indicator_report(engine, config, stand),
        "accepted": accepted(engine, money, config),
        **({"grant_caps": caps} if caps else {}),
        # project years (a new key): every "year" above is the one its project year starts in
        **({"year_start_month": config.year_start_month} if config.year_start_month > 1 else {}),
    }
    if config.activity_sheets:  # only for a network that configures any (a new key)
        rep["activity_sheets"] = report_sheets.activity_sheets(engine, config, stand)
    if stand is not None:
        rep["stand"] = f"{stand:%Y-%m}"
        rep["provisional"] = provisional(engine, stand)
    return rep


def _table(headers: list[str], rows: list[list[str]]) -> str:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: list[str]) -> str:
        pairs = enumerate(zip(cells, widths, strict=True))
        return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs)

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _de_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# The text's columns: the registry's labels (etl.core.figures), the same figures as the
# cockpit's cards and tables.
ACTIVITY_HEADERS = [
    "Partner",
    "Modul",
    "Jahr",
    *(figures.label(k) for k in ("events", "participants", "coachings")),
    *(figures.label(k) for k in ("coaching_hours", "company_contacts")),
]
# the report's eligible-costs fields (JSON keys ``<field>_eur``), in ELIGIBLE_HEADERS' order
ELIGIBLE_KEYS = ("personnel", "overhead", "material", "eligible", "grant", "eu", "state", "own")


def _euro_text(value: str) -> str:
    """A report amount (euros as text) as German money text."""
    return format_eur(int(Decimal(value) * 100))


def _year(rep: dict, year: int) -> str:
    """``2025``, or ``2025/26`` in a report of project years."""
    return year_label(int(year), rep.get("year_start_month", 1))


def _activity_section(rep: dict) -> str:
    """The activities table: one line per partner x module x year with any activity."""
    rows = [
        [
            r["partner"],
            r["module"],
            _year(rep, r["year"]),
            _de_int(r["events"]),
            _de_int(r["participants"]),
            _de_int(r["coachings"]),
            r["coaching_hours"].replace(".", ","),
            _de_int(r["companies"]),
        ]
        for r in rep["activities"]
        if r["events"] or r["coachings"] or r["companies"]
    ]
    return "Aktivitäten\n" + _table(ACTIVITY_HEADERS, rows)


def _eligible_section(rep: dict, headers: tuple[str, ...] = ELIGIBLE_HEADERS) -> str:
    """The eligible-costs table: one line per partner x year (``headers``: the money
    columns' names, the funding sources as the network names them)."""
    rows = [
        [r["partner"], _year(rep, r["year"]), *(_euro_text(r[f"{k}_eur"]) for k in ELIGIBLE_KEYS)]
        for r in rep["eligible"]
    ]
    return f"{figures.name('eligible')}\n" + _table(["Partner", "Jahr", *headers], rows)


def _totals_line(rep: dict) -> str:
    """The eligible costs and grant over all partners and years."""
    total = rep["eligible_total"]
    return (
        f"{figures.label('eligible')} gesamt: {_euro_text(total.get('eligible_eur', '0'))}; "
        f"{figures.name('grant')} gesamt: {_euro_text(total.get('grant_eur', '0'))}"
    )


def _sme_line(sme_rep: dict) -> str:
    net = sme_rep["network"]
    line = (f"davon KMU (netzweit, jüngste Meldung): {_de_int(net['sme'])} "
            f"von {_de_int(net['companies'])}")
    if sme_rep["conflicts"]:
        line += f"; Größenklasse widersprüchlich: {_de_int(len(sme_rep['conflicts']))}"
    return line


def _stand_line(rep: dict) -> str:
    """The Stand and the vorläufig partner-months after it (empty without a Stand)."""
    if "stand" not in rep:
        return ""
    year, month = rep["stand"].split("-")
    line = f"Berichtsstand: Monatsberichte bis {month}/{year}"
    if rep["provisional"]:
        later = ", ".join(f"{p['partner']} {p['month'][5:]}/{p['month'][:4]}"
                          for p in rep["provisional"])
        line += f"; vorläufig (nicht gezählt): {later}"
    return line


def render_text(rep: dict, config: NetworkConfig | None = None) -> str:
    """A readable German rendering of :func:`build_report` (``config`` names the funding
    sources; default: the registry's names)."""
    head = f"Bericht: {rep['network']}"
    if rep.get("stand"):
        head += "\n" + _stand_line(rep)
    return "\n\n".join(
        [
            head,
            _activity_section(rep),
            _eligible_section(rep, eligible_headers(config) if config else ELIGIBLE_HEADERS),
            _totals_line(rep),
            f"{figures.name('unique_companies')}: {_de_int(rep['unique_companies'])}",
            _sme_line(rep["sme"]),
            *report_sheets.sections(rep, _table),
        ]
    )
