"""Realistic demo data: the monthly workbooks of every partner, as they would have arrived.

:func:`build_demo` generates one workbook per partner and month from the project start to
a given month, with the storylines a controller should spot on the dashboard:

- one partner (HA, else the third) spends clearly below plan and is behind its targets;
- one partner (HAM, else the last) reports late (after the due day) most months;
- a few partner-months are uploaded twice: a first version with typos, then a corrected
  version a few days later that replaces it;
- a few files are rejected (date outside the month, missing sheet, unknown module, a
  coaching of 250 hours), each followed a day later by the corrected file.

:func:`run_demo` feeds the files through the real upload path. Generation is
deterministic for a seed and never reads the clock.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from etl.core.config import NetworkConfig
from etl.core.duty import is_member, report_dues
from etl.documents.workbook import DATA_SHEETS, report_bytes, report_file_name
from etl.ops import demo_sheets, demo_v2
from etl.ops.demo_data import USERS, WRITES_FULL_NAME
from etl.ops.demo_report import ReportGenerator, Sheets

EXPECTS = ("accepted", "replaced", "rejected")
REJECTIONS = ("coaching_hours", "date_outside", "missing_sheet", "unknown_module")
CORRECTIONS = 2
LATE_SHARE = 0.8  # share of months the late partner misses the due day
UNKNOWN_MODULE = "Beratung"


@dataclass(frozen=True)
class DemoUpload:
    """One file as a partner uploaded it, and the outcome the upload should have."""

    file_name: str
    data: bytes
    partner: str
    month: date
    received_at: datetime
    user: str
    expect: str  # accepted, replaced or rejected


def _roles(config: NetworkConfig) -> tuple[str, str]:
    """(under-spending partner, late partner): HA and HAM in the first network; otherwise
    the third and the last funded partner with a monthly duty."""
    codes = tuple(
        p.code for p in config.partners if p.funded and p.reporting == "monthly"
    ) or config.partner_codes
    under = "HA" if "HA" in codes else codes[min(2, len(codes) - 1)]
    late = "HAM" if "HAM" in codes else codes[-1]
    return under, late


def _months(config: NetworkConfig, until: date) -> list[date]:
    last = min(date(until.year, until.month, 1), config.end)
    return [m for m in config.months() if m <= last]


def _next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def last_complete_month(today: date) -> date:
    """First day of the month before ``today``'s month."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


# --- storylines ----------------------------------------------------------------------------


def _suits(kind: str, sheets: Sheets) -> bool:
    if kind == "coaching_hours":
        return bool(sheets["Coachings"])
    if kind == "correction":
        people = {r["Aktivität"] for r in sheets["Teilnehmende"]}
        return any(e["ID"] in people for e in sheets["Veranstaltungen"]) and any(
            r["Betrag"] > 0 for r in sheets["Ausgaben"]
        )
    return bool(sheets["Ausgaben"])


def _plan_stories(
    rng: random.Random, reports: dict[tuple[str, date], Sheets], months: list[date]
) -> dict[tuple[str, date], str]:
    """Which partner-months get a rejected first file or a corrected second version."""
    inner = set(months[1:-1])
    candidates = [key for key in reports if key[1] in inner]
    rng.shuffle(candidates)
    stories: dict[tuple[str, date], str] = {}
    for kind in (*REJECTIONS, *["correction"] * CORRECTIONS):
        used = {code for code, _ in stories}
        fits = [k for k in candidates if k not in stories and _suits(kind, reports[k])]
        fresh = [k for k in fits if k[0] not in used]  # spread the stories over the partners
        if fresh or fits:
            stories[(fresh or fits)[0]] = kind
    return stories


def _break(kind: str, sheets: Sheets) -> tuple[Sheets, set[str]]:
    """A faulty copy of a report (and the sheets to leave out) for a rejection story."""
    bad = copy.deepcopy(sheets)
    if kind == "coaching_hours":
        bad["Coachings"][0]["Stunden"] = 250
    elif kind == "date_outside":
        rows = bad["Veranstaltungen"] or bad["Ausgaben"]
        rows[0]["Datum"] = rows[0]["Datum"].replace(day=1) - timedelta(days=1)
    elif kind == "unknown_module":
        rows = bad["Veranstaltungen"] or bad["Coachings"] or bad["Ausgaben"]
        rows[0]["Modul"] = UNKNOWN_MODULE
    elif kind == "missing_sheet":
        empty = [name for name in DATA_SHEETS if not bad[name]]
        return bad, {empty[0] if empty else "Ausgaben"}
    return bad, set()


def _with_typos(rng: random.Random, sheets: Sheets) -> Sheets:
    """A first version with two typos: one event's participants and one amount."""
    bad = copy.deepcopy(sheets)
    people: dict[str, int] = {}
    for row in bad["Teilnehmende"]:
        people[row["Aktivität"]] = people.get(row["Aktivität"], 0) + row["Personen"]
    event = next(e for e in bad["Veranstaltungen"] if e["ID"] in people)
    true = event["Teilnehmende"]
    swapped = int(str(true)[::-1]) if true >= 10 else true
    floor = max(people[event["ID"]], event["davon Frauen"] or 0)
    event["Teilnehmende"] = swapped if swapped != true and swapped >= floor else true + 10
    expense = next(r for r in bad["Ausgaben"] if r["Betrag"] > 0)
    expense["Betrag"] = round(expense["Betrag"] + rng.choice((9.0, 90.0, 900.0)), 2)
    return bad


# --- files and arrival times ---------------------------------------------------------------


class _Uploads:
    """Turns reports into uploaded files with arrival times, users and expected outcomes."""

    def __init__(self, config: NetworkConfig, rng: random.Random, late: str):
        self.cfg, self.rng, self.late = config, rng, late
        self.dues = {code: report_dues(config, code) for code in config.partner_codes}

    def received_at(self, code: str, month: date) -> datetime:
        # the month the report is due in: the next one, or after the quarter (etl.core.duty)
        due = self.dues[code].get(month)
        due = due.replace(day=1) if due else _next_month(month)
        if code == self.late and self.rng.random() < LATE_SHARE:
            day = self.rng.randint(self.cfg.report_due_day + 4, self.cfg.report_due_day + 15)
        else:
            day = self.rng.randint(2, max(2, self.cfg.report_due_day - 1))
        day = min(day, 28)
        return datetime(due.year, due.month, day, self.rng.randint(8, 17), self.rng.randint(0, 59))

    def later(self, when: datetime, days: int) -> datetime:
        return (when + timedelta(days=days)).replace(
            hour=self.rng.randint(8, 17), minute=self.rng.randint(0, 59)
        )

    def workbook(
        self,
        code: str,
        month: date,
        sheets: Sheets,
        saved: datetime,
        omit: frozenset[str] | set[str] = frozenset(),
    ) -> bytes:
        user = USERS.get(code)
        partner = self.cfg.partner(code).name if code in WRITES_FULL_NAME else code
        return report_bytes(
            partner=partner,
            month=f"{month:%Y-%m}",
            contact=user and user[1],
            template_version=demo_v2.template_version(code, month),
            sheets=sheets,
            omit_sheets=omit,
            timestamp=saved,
            activity_sheets=self.cfg.activity_sheets,
        )

    def files(self, code: str, month: date, sheets: Sheets, story: str | None) -> list[DemoUpload]:
        user = USERS.get(code, (f"bericht@{code.lower()}.example.org", None))[0]

        def upload(
            suffix: str,
            content: Sheets,
            at: datetime,
            expect: str,
            omit: frozenset[str] | set[str] = frozenset(),
        ) -> DemoUpload:
            saved = at - timedelta(minutes=self.rng.randint(5, 90))  # saved before the upload
            data = self.workbook(code, month, content, saved, omit)
            return DemoUpload(
                report_file_name(code, month, suffix), data, code, month, at, user, expect
            )

        when = self.received_at(code, month)
        if story is None:
            return [upload("", sheets, when, "accepted")]
        if story == "correction":
            fixed_at = self.later(when, self.rng.randint(2, 5))
            return [
                upload("", _with_typos(self.rng, sheets), when, "accepted"),
                upload("_korrigiert", sheets, fixed_at, "replaced"),
            ]
        bad, omit = _break(story, sheets)
        return [
            upload("", bad, when, "rejected", omit),
            upload("_v2", sheets, self.later(when, 1), "accepted"),
        ]


def build_demo(config: NetworkConfig, *, until: date, seed: int = 42) -> list[DemoUpload]:
    """All demo uploads from the project start to the month of ``until``, in arrival order."""
    rng = random.Random(seed)
    under, late = _roles(config)
    generator = ReportGenerator(config, rng, under)
    months = _months(config, until)
    reports = {
        (p.code, month): generator.report(p.code, month, index)
        for index, month in enumerate(months)
        for p in config.partners
        if is_member(p, config, month)  # a partner reports while it belongs to the network
    }
    for (code, month), sheets in reports.items():
        demo_v2.fill(code, month, sheets)
    demo_sheets.fill(config, reports, seed)
    stories = _plan_stories(rng, reports, months)
    files = _Uploads(config, rng, late)
    uploads = [
        u
        for (code, month), sheets in reports.items()
        for u in files.files(code, month, sheets, stories.get((code, month)))
    ]
    return sorted(uploads, key=lambda u: u.received_at)


def run_demo(
    engine,
    config: NetworkConfig,
    settings,
    *,
    until: date | None = None,
    now: datetime | None = None,
) -> list:
    """Upload the demo files through :func:`etl.intake.ingest.ingest_bytes`, oldest first.

    Without ``until`` the demo runs "as of now": up to the last complete month, and files
    that would only arrive later (a late partner's last report) are held back. With an
    explicit ``until`` every file is uploaded, unless ``now`` is given as well.
    """
    from etl.intake.ingest import ingest_bytes

    if until is None:
        now = now or datetime.now()
        until = last_complete_month(now.date())
    results = []
    for upload in build_demo(config, until=until):
        if now is not None and upload.received_at > now:
            continue
        results.append(
            ingest_bytes(
                upload.data,
                upload.file_name,
                engine=engine,
                config=config,
                settings=settings,
                user=upload.user,
                received_at=upload.received_at,
            )
        )
    return results


def run_review_demo(engine, config: NetworkConfig) -> None:
    """After :func:`run_demo`: months in every review state and a few comments
    (:mod:`etl.ops.demo_review`)."""
    from etl.ops import demo_review

    demo_review.run_review_demo(engine, config, late=_roles(config)[1])


def run_cut_demo(engine, config: NetworkConfig) -> None:
    """After :func:`run_review_demo`: a few cuts of the funding body's check
    (:mod:`etl.ops.demo_cuts`; they change only the report's ``accepted`` figures)."""
    from etl.ops import demo_cuts

    demo_cuts.run_cut_demo(engine, config)


# Demo accounts, created together with the demo data only (never with SEED_DEMO=0).
STAFF_ACCOUNTS = (
    ("admin", "admin", "demo-admin-2026"),
    ("steuerung", "steering", "demo-steuerung-2026"),
    ("finanzen", "finance", "demo-finanzen-2026"),
)
PARTNER_PASSWORD = "demo-partner-2026"
DEMO_MAIL_DOMAIN = "example.org"  # reserved for examples: mail to it reaches nobody


def demo_accounts(config: NetworkConfig) -> list[tuple[str, str, str | None, str]]:
    """(username, role, partner, password) of the demo accounts: one per staff role and one
    partner account bound to the network's lead partner (the first one if none leads)."""
    lead = next((p for p in config.partners if p.lead), config.partners[0])
    partner = (f"partner-{lead.code.lower()}", "partner", lead.code, PARTNER_PASSWORD)
    return [(name, role, None, password) for name, role, password in STAFF_ACCOUNTS] + [partner]


def create_demo_accounts(engine, config: NetworkConfig) -> list[tuple[str, str, str]]:
    """One account per role for trying the demo; returns (username, role, password)."""
    from etl.workflow import users

    made = []
    for username, role, partner, password in demo_accounts(config):
        user = users.get_user(engine, username)
        if user is None:
            user = users.create_user(engine, username, password, role, partner, by="demo")
            made.append((username, role, password))
        if not user.email:  # so that `python -m etl notify` has someone to write to
            users.set_email(engine, username, f"{username}@{DEMO_MAIL_DOMAIN}", by="demo")
    return made
