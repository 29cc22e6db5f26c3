"""The content of one demo monthly report: events, coachings, participants, staff, expenditure.

:class:`ReportGenerator` keeps the state that makes the demo coherent over time: the staff
of each partner, the companies a partner has reached before (regulars come back), the
yearly spending level. Everything is drawn from one ``random.Random``; called in the same
order it produces the same reports.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date

from etl.core.config import NetworkConfig
from etl.documents.workbook import FORMATS
from etl.ops.demo_activities import (
    COACHING_TOPICS,
    DEFAULT_PROFILE,
    EVENT_TITLES,
    EXPENSE_ITEMS,
    EXPENSE_WEIGHTS,
    GENERIC_TITLES,
    MODULE_PROFILES,
    ModuleProfile,
)
from etl.ops.demo_data import (
    PARTNER_REGIONS,
    SIZE_ALIASES,
    Company,
    company_pool,
    spelling_variant,
)

Sheets = dict[str, list[dict]]

# Activity per calendar month (sums to 12): quiet August and late December, busy spring/autumn.
SEASON = {
    1: 0.8,
    2: 1.0,
    3: 1.25,
    4: 1.2,
    5: 1.25,
    6: 1.0,
    7: 0.75,
    8: 0.3,
    9: 1.2,
    10: 1.3,
    11: 1.25,
    12: 0.7,
}
RAMP_MONTHS = 6
MAX_HOURS_PER_MONTH = 110.0  # hourly staff: at most 1,320 h a year, well below the cap
MIN_HOURS_PER_MONTH = 8.0
DEFAULT_PERSONNEL_YEAR = 150_000.0  # when the configuration has no budget line
DEFAULT_MATERIAL_YEAR = 70_000.0


@dataclass(frozen=True)
class Staff:
    code: str
    pay_group: int
    module: str | None


@dataclass
class PartnerState:
    code: str
    activity: float  # events/coachings relative to the KPI targets
    spend: tuple[float, float]  # range of the yearly spending level relative to the plan
    home: list[Company]
    staff: list[Staff] = field(default_factory=list)
    seen: list[Company] = field(default_factory=list)
    seen_names: set[str] = field(default_factory=set)


def ramp(index: int) -> float:
    """Share of full activity in the ``index``-th project month (0-based)."""
    return min(1.0, 0.35 + 0.65 * index / RAMP_MONTHS)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


class ReportGenerator:
    """Generates the sheets of monthly reports, partner by partner, month by month."""

    def __init__(self, config: NetworkConfig, rng: random.Random, underspender: str | None):
        self.cfg, self.rng = config, rng
        self._months_cache: dict[tuple[str, int], int] = {}
        self.pool = company_pool()
        self.rates = {g: float(v) for g, v in config.rate_table().monthly.items()}
        self.hours_per_year = config.rules.hours_per_year
        self._levels: dict[tuple[str, int], float] = {}
        self._staff_year: dict[tuple[str, int], list[tuple[Staff, str, float]]] = {}
        self.partners = {
            code: self._partner(code, code == underspender) for code in config.partner_codes
        }

    # --- partners and staff ------------------------------------------------------------

    def _partner(self, code: str, under: bool) -> PartnerState:
        cities = set(PARTNER_REGIONS.get(code, ()))
        home = [c for c in self.pool if c.city in cities] or list(self.pool)
        activity = self.rng.uniform(0.55, 0.65) if under else self.rng.uniform(1.0, 1.15)
        spend = (0.62, 0.68) if under else (0.94, 1.02)
        state = PartnerState(code, activity, spend, home)
        state.staff = self._roster(state)
        return state

    def _months_in(self, code: str, year: int) -> int:
        """The partner's months in the network in ``year`` (12 for a whole year): configured
        plans and targets of a year cover these months only."""
        known = self._months_cache.get((code, year))
        if known is None:
            p = self.cfg.partner(code)
            first, last = p.joins or self.cfg.start.replace(day=1), p.leaves or self.cfg.end
            known = sum(first <= m <= last for m in self.cfg.year_months(year)) or 12
            self._months_cache[(code, year)] = known
        return known

    def _plan_month(self, code: str, year: int, category: str, default: float) -> float:
        """A planned yearly amount over the partner's months of the year (a default: twelve)."""
        configured = self.cfg.budget.get((code, year, category))
        if configured is None:
            return default / 12
        return float(configured) / self._months_in(code, year)

    def level(self, code: str, year: int) -> float:
        """The partner's spending level in ``year`` relative to its plan (drawn once)."""
        key = (code, year)
        if key not in self._levels:
            self._levels[key] = self.rng.uniform(*self.partners[code].spend)
        return self._levels[key]

    def _hourly_rate(self, pay_group: int) -> float:
        return self.rates[pay_group] * 12 / self.hours_per_year

    def _roster(self, st: PartnerState) -> list[Staff]:
        """Full-time staff until the plan is almost covered, plus one person billed by the hour."""
        years = self.cfg.years
        need = max(
            self._plan_month(st.code, y, "personnel", DEFAULT_PERSONNEL_YEAR) for y in years
        )
        need = need * st.spend[1]
        hourly_group = self.rng.choice((2, 3))
        enough = 0.45 * MAX_HOURS_PER_MONTH * self._hourly_rate(hourly_group)
        groups: list[int] = []
        while len(groups) < 3 and need > enough:
            group = self.rng.choice((1, 2, 2)) if not groups else self.rng.choice((2, 3, 3, 4))
            groups.append(group)
            need -= self.rates[group]
        groups.append(hourly_group)
        modules = self.cfg.modules
        return [
            Staff(f"{st.code}-{i + 1:02d}", g, None if i == 0 else self.rng.choice(modules))
            for i, g in enumerate(groups)
        ]

    def staff_plan(self, code: str, year: int) -> list[tuple[Staff, str, float]]:
        """(staff, billing, Umfang) for a year: monthly shares fill the plan, hours the rest."""
        key = (code, year)
        if key in self._staff_year:
            return self._staff_year[key]
        st = self.partners[code]
        left = self._plan_month(code, year, "personnel", DEFAULT_PERSONNEL_YEAR)
        left *= self.level(code, year)
        *monthly, hourly = st.staff
        reserve = 15 * self._hourly_rate(hourly.pay_group)
        plan: list[tuple[Staff, str, float]] = []
        for person in monthly:
            share = next(
                (u for u in (1.0, 0.75, 0.5) if self.rates[person.pay_group] * u <= left - reserve),
                None,
            )
            if share is not None:
                plan.append((person, "Monat", share))
                left -= self.rates[person.pay_group] * share
        hours = left / self._hourly_rate(hourly.pay_group)
        plan.append((hourly, "Stunden", min(max(hours, MIN_HOURS_PER_MONTH), MAX_HOURS_PER_MONTH)))
        self._staff_year[key] = plan
        return plan

    # --- the sheets ----------------------------------------------------------------------

    def report(self, code: str, month: date, index: int) -> Sheets:
        """The data sheets of partner ``code`` for ``month`` (the ``index``-th project month)."""
        st = self.partners[code]
        events, event_people = self._events(st, month, index)
        coachings, coaching_people = self._coachings(st, month, index)
        funded = self.cfg.partner(code).funded  # an unfunded partner books no costs
        return {
            "Veranstaltungen": events,
            "Coachings": coachings,
            "Teilnehmende": event_people + coaching_people,
            "Personal": self._personnel(code, month) if funded else [],
            "Ausgaben": self._expenses(code, month, index) if funded else [],
        }

    def _expected(
        self, st: PartnerState, module: str, month: date, index: int, measure: str
    ) -> float:
        profile = MODULE_PROFILES.get(module, DEFAULT_PROFILE)
        default = profile.default_events if measure == "events" else profile.default_coachings
        yearly = self.cfg.targets.get((st.code, module, self.cfg.year_of(month), measure))
        months = 12 if yearly is None else self._months_in(st.code, self.cfg.year_of(month))
        yearly = default if yearly is None else yearly
        return yearly * SEASON[month.month] / months * ramp(index) * st.activity

    def _count(self, expected: float) -> int:
        whole = int(expected)
        return whole + (self.rng.random() < expected - whole)

    def _workday(self, month: date, last: int | None = None) -> date:
        end = min(last or 31, month_end(month).day)
        days = [d for d in range(1, end + 1) if month.replace(day=d).weekday() < 5]
        return month.replace(day=self.rng.choice(days))

    def _events(self, st: PartnerState, month: date, index: int) -> tuple[list, list]:
        events = []
        for module in self.cfg.modules:
            profile = MODULE_PROFILES.get(module, DEFAULT_PROFILE)
            for _ in range(self._count(self._expected(st, module, month, index, "events"))):
                events.append(self._event(st.code, month, module, profile))
        events.sort(key=lambda e: e["Datum"])
        people: list[dict] = []
        for n, event in enumerate(events, start=1):
            event["ID"] = f"{st.code}-V-{month:%Y-%m}-{n:02d}"
            if self.rng.random() < 0.85:
                people += self._event_people(st, event)
        return events, people

    def _event_size(self, code: str, module: str, year: int, profile: ModuleProfile) -> int:
        """Around the planned participants per event (from the targets), within the profile."""
        low, high = profile.event_size
        events = self.cfg.targets.get((code, module, year, "events"), 0)
        people = self.cfg.targets.get((code, module, year, "participants"), 0)
        mean = people / events if events and people else (low + high) / 2
        return min(max(round(mean * self.rng.uniform(0.6, 1.45)), low), high)

    def _event(self, code: str, month: date, module: str, profile: ModuleProfile) -> dict:
        size = self._event_size(code, module, self.cfg.year_of(month), profile)
        titles = EVENT_TITLES.get(module) or tuple(f"{t} {module}" for t in GENERIC_TITLES)
        women = round(size * self.rng.uniform(0.15, 0.5)) if self.rng.random() < 0.85 else None
        return {
            "ID": None,
            "Datum": self._workday(month, 19 if month.month == 12 else None),
            "Titel": self.rng.choice(titles),
            "Modul": module,
            "Format": self.rng.choices(FORMATS, weights=profile.formats)[0],
            "Teilnehmende": size,
            "davon Frauen": women,
        }

    def _event_people(self, st: PartnerState, event: dict) -> list[dict]:
        size = event["Teilnehmende"]
        wanted = max(1, round(size * self.rng.uniform(0.2, 0.4)))
        rows, total = [], 0
        for company in self.pick_companies(st, wanted):
            persons = self.rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
            if total + persons > size:
                break
            total += persons
            rows.append(self._participant(event["ID"], company, persons))
        return rows

    def _coachings(self, st: PartnerState, month: date, index: int) -> tuple[list, list]:
        coachings: list[dict] = []
        for module in self.cfg.modules:
            profile = MODULE_PROFILES.get(module, DEFAULT_PROFILE)
            for _ in range(self._count(self._expected(st, module, month, index, "coachings"))):
                coachings.append(self._coaching(st, month, module, profile))
        coachings.sort(key=lambda c: c["Datum"])
        people = []
        for n, coaching in enumerate(coachings, start=1):
            coaching["ID"] = f"{st.code}-C-{month:%Y-%m}-{n:02d}"
            company = coaching.pop("_company")
            persons = self.rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
            people.append(
                self._participant(coaching["ID"], company, persons, written=coaching["Unternehmen"])
            )
        return coachings, people

    def _coaching(self, st: PartnerState, month: date, module: str, profile: ModuleProfile) -> dict:
        company = self.pick_companies(st, 1)[0]
        low, high, mode = profile.coaching_hours
        hours = max(low, round(self.rng.triangular(low, high, mode) * 2) / 2)
        topic = self.rng.choice(COACHING_TOPICS)
        return {
            "ID": None,
            "Datum": self._workday(month, 22 if month.month == 12 else None),
            "Unternehmen": self.written_name(company),
            "Modul": module,
            "Stunden": hours,
            "Thema": topic if self.rng.random() < 0.9 else None,
            "_company": company,
        }

    # --- companies -----------------------------------------------------------------------

    def pick_companies(self, st: PartnerState, wanted: int) -> list[Company]:
        """Distinct companies: often regulars, mostly from the home region, some from anywhere."""
        chosen: dict[str, Company] = {}
        for _ in range(wanted * 4):
            if len(chosen) >= wanted:
                break
            draw = self.rng.random()
            if st.seen and draw < 0.35:
                company = self.rng.choice(st.seen)
            elif draw < 0.85:
                company = self.rng.choice(st.home)
            else:
                company = self.rng.choice(self.pool)
            chosen.setdefault(company.name, company)
        for company in chosen.values():
            if company.name not in st.seen_names:
                st.seen_names.add(company.name)
                st.seen.append(company)
        return list(chosen.values())

    def written_name(self, company: Company) -> str:
        """The company name as a partner types it: now and then spelt differently."""
        return spelling_variant(company.name, self.rng) if self.rng.random() < 0.1 else company.name

    def _participant(
        self, activity: str, company: Company, persons: int, written: str | None = None
    ) -> dict:
        size = company.size
        if self.rng.random() < 0.05:
            size = SIZE_ALIASES[size]
        plz: object = int(company.plz) if self.rng.random() < 0.1 else company.plz
        return {
            "Aktivität": activity,
            "Unternehmen": written or self.written_name(company),
            "PLZ": plz,
            "Größenklasse": size,
            "Personen": persons,
        }

    # --- money ---------------------------------------------------------------------------

    def _personnel(self, code: str, month: date) -> list[dict]:
        rows = []
        for person, billing, amount in self.staff_plan(code, self.cfg.year_of(month)):
            if billing == "Stunden":
                amount = amount * self.rng.uniform(0.75, 1.25)
                amount = min(max(round(amount * 2) / 2, 4.0), MAX_HOURS_PER_MONTH)
            rows.append(
                {
                    "Kürzel": person.code,
                    "Leistungsgruppe": person.pay_group,
                    "Abrechnung": billing,
                    "Umfang": amount,
                    "Modul": person.module,
                }
            )
        return rows

    def _expense_total(self, code: str, month: date, index: int) -> float:
        year = self.cfg.year_of(month)
        monthly = self._plan_month(code, year, "material", DEFAULT_MATERIAL_YEAR)
        season = 0.6 + 0.4 * SEASON[month.month]
        return monthly * self.level(code, year) * season * (0.5 + 0.5 * ramp(index))

    def _expense(self, month: date) -> dict:
        kinds = list(EXPENSE_WEIGHTS)
        kind = self.rng.choices(kinds, weights=[EXPENSE_WEIGHTS[k] for k in kinds])[0]
        text, low, high = self.rng.choice(EXPENSE_ITEMS[kind])
        module = self.rng.choice(self.cfg.modules) if self.rng.random() < 0.65 else None
        day = self._workday(month, 23 if month.month == 12 else None)
        return {
            "Belegnummer": None,
            "Datum": day,
            "Kostenart": kind,
            "Betrag": round(self.rng.uniform(low, high), 2),
            "Modul": module,
            "Beschreibung": text,
        }

    def _expenses(self, code: str, month: date, index: int) -> list[dict]:
        left = self._expense_total(code, month, index)
        rows: list[dict] = []
        while left > 0 and len(rows) < 30:
            row = self._expense(month)
            if row["Betrag"] > left:
                row["Betrag"] = round(max(left, 20.0) + self.rng.random(), 2)
            left -= row["Betrag"]
            rows.append(row)
        if self.rng.random() < 0.05:  # a credit note for an earlier invoice
            credit = self._expense(month)
            credit["Betrag"] = -round(self.rng.uniform(20, 250), 2)
            credit["Beschreibung"] = f"Gutschrift {credit['Beschreibung']}"
            rows.append(credit)
        rows.sort(key=lambda r: r["Datum"])
        for n, row in enumerate(rows, start=1):
            row["Belegnummer"] = f"{code}-{month:%Y}-{month:%m}{n:02d}"
        return rows
