"""What a replacement changes: rows added, removed and changed per sheet, month totals, and
the drop a replacement would cause against the version it replaces (before it is loaded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from etl.core.config import NetworkConfig
from etl.core.money import eligible_costs
from etl.intake import facts
from etl.intake.contract import Report, coachings, events, expenditure, participants
from etl.warehouse.store import facts as stored

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

# table -> (sheet shown to the partner, columns forming the natural key, columns compared)
SHEETS = {
    "events": (
        "Veranstaltungen",
        ("event_id",),
        ("event_date", "title", "module", "format", "n_participants", "n_women"),
    ),
    "coachings": (
        "Coachings",
        ("coaching_id",),
        ("coaching_date", "company_name", "module", "hours", "topic"),
    ),
    "participations": (
        "Teilnehmende",
        ("activity_id", "company_id"),
        ("company_name", "plz", "size_class", "n_persons"),
    ),
    "personnel": (
        "Personal",
        ("staff_code",),
        ("pay_group", "billing", "quantity", "module", "amount_cents"),
    ),
    "expenditure": (
        "Ausgaben",
        ("receipt_no",),
        ("booking_date", "cost_category", "amount_cents", "module", "description"),
    ),
}
# total shown -> (table, column summed or None for a row count)
TOTALS = {
    "Veranstaltungen": ("events", None),
    "Teilnehmende (Personen)": ("events", "n_participants"),
    "Coachings": ("coachings", None),
    "Coaching-Stunden": ("coachings", "hours"),
    "Personalausgaben (Cent)": ("personnel", "amount_cents"),
    "Sachausgaben (Cent)": ("expenditure", "amount_cents"),
}


@dataclass
class SheetDiff:
    sheet: str
    added: int = 0
    removed: int = 0
    changed: int = 0


@dataclass
class UploadDiff:
    """Differences of an upload against the version it replaced."""

    sheets: list[SheetDiff] = field(default_factory=list)
    totals: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # name -> (old, new)

    @property
    def unchanged(self) -> bool:
        return all(d.added == d.removed == d.changed == 0 for d in self.sheets)


def _rows(conn: Connection, table: str, upload_id: int) -> dict[tuple, tuple]:
    _sheet, key, compared = SHEETS[table]
    rows = stored.of_upload(conn, table=table, upload_id=upload_id, columns=key + compared)
    return {tuple(r[: len(key)]): tuple(r[len(key) :]) for r in rows}


def _total(rows: list, column: str | None, index: int | None) -> Decimal:
    if column is None:
        return Decimal(len(rows))
    return sum((Decimal(r[index] or 0) for r in rows), Decimal(0))


def diff_uploads(engine: Engine, old_id: int, new_id: int) -> UploadDiff:
    """Compare two uploads of the same partner-month row by row (by each sheet's natural key)."""
    out = UploadDiff()
    with engine.connect() as conn:
        loaded = {t: (_rows(conn, t, old_id), _rows(conn, t, new_id)) for t in SHEETS}
    for table, (old, new) in loaded.items():
        both = old.keys() & new.keys()
        out.sheets.append(
            SheetDiff(
                SHEETS[table][0],
                added=len(new.keys() - old.keys()),
                removed=len(old.keys() - new.keys()),
                changed=sum(old[k] != new[k] for k in both),
            )
        )
    for name, (table, column) in TOTALS.items():
        compared = SHEETS[table][2]
        index = compared.index(column) if column else None
        old, new = loaded[table]
        out.totals[name] = (
            _total(list(old.values()), column, index),
            _total(list(new.values()), column, index),
        )
    return out


# --- the drop: what a replacement removes, judged before anything is loaded ----------------


@dataclass(frozen=True)
class Drop:
    """What a replacement removes from the version it replaces (net, per partner-month):
    events and coachings fewer, eligible cents less (cost rules of :mod:`etl.core.money`),
    and whether the new version has no row at all."""

    previous_id: int
    previous_at: datetime
    events: int
    coachings: int
    eligible_cents: int
    personnel_cents: int
    expenditure_cents: int
    empty: bool

    def as_dict(self) -> dict[str, object]:
        """The ``"drop"`` field of the outcome file and of ``ingest --json``."""
        return {
            "previous_upload_id": self.previous_id,
            "previous_received_at": self.previous_at.isoformat(timespec="minutes"),
            "events_removed": self.events,
            "coachings_removed": self.coachings,
            "eligible_cents_removed": self.eligible_cents,
            "personnel_cents_removed": self.personnel_cents,
            "expenditure_cents_removed": self.expenditure_cents,
            "all_rows_removed": self.empty,
        }


@dataclass(frozen=True)
class _Month:
    """The measures of one version of a partner-month that a drop is judged by."""

    rows: int
    events: int
    coachings: int
    personnel_cents: int
    expenditure_cents: int

    @classmethod
    def of(cls, n_events: int, n_coachings: int, n_part: int, personnel: list[int],
           spent: list[int]) -> _Month:
        """The month from its row counts and its staff and expense amounts (cents)."""
        return cls(
            rows=n_events + n_coachings + n_part + len(personnel) + len(spent),
            events=n_events,
            coachings=n_coachings,
            personnel_cents=sum(personnel),
            expenditure_cents=sum(spent),
        )

    def eligible(self, config: NetworkConfig) -> int:
        """Eligible cents of the month (personnel, flat overheads, material by the rules)."""
        return eligible_costs(
            self.personnel_cents, self.expenditure_cents, Decimal(0), config.rules
        ).eligible


def _stored_month(conn: Connection, upload_id: int) -> _Month:
    def rows(table: str, column: str) -> list:
        return [r[0] for r in stored.of_upload(conn, table=table, upload_id=upload_id,
                                               columns=(column,))]

    personnel, spent = rows("personnel", "amount_cents"), rows("expenditure", "amount_cents")
    n_events, n_coachings = len(rows("events", "id")), len(rows("coachings", "id"))
    n_part = len(rows("participations", "id"))
    return _Month.of(n_events, n_coachings, n_part, personnel, spent)


def _report_month(report: Report, config: NetworkConfig) -> _Month:
    personnel = [r["amount_cents"] for r in facts.personnel_rows(report, 0, config)]
    spent = [int(r["Betrag"]) for r in report.rows(expenditure.SHEET)]
    n_events, n_coachings = len(report.rows(events.SHEET)), len(report.rows(coachings.SHEET))
    n_part = len(report.rows(participants.SHEET))
    return _Month.of(n_events, n_coachings, n_part, personnel, spent)


def _more_than_half(old: int, new: int) -> bool:
    return old > 0 and (old - new) * 2 > old


def measure_drop(conn: Connection, report: Report, config: NetworkConfig, current) -> Drop | None:
    """The drop of ``report`` against ``current`` (the accepted upload row of its partner-month:
    ``id``, ``uploaded_at``) when it is large: all rows of the month gone, or more than half of
    its activities or of its eligible costs; None otherwise. Grain: one partner-month."""
    old, new = _stored_month(conn, current.id), _report_month(report, config)
    old_eligible, new_eligible = old.eligible(config), new.eligible(config)
    empty = old.rows > 0 and new.rows == 0
    large = (
        empty
        or _more_than_half(old.events + old.coachings, new.events + new.coachings)
        or _more_than_half(old_eligible, new_eligible)
    )
    if not large:
        return None
    return Drop(
        previous_id=current.id,
        previous_at=current.uploaded_at,
        events=max(old.events - new.events, 0),
        coachings=max(old.coachings - new.coachings, 0),
        eligible_cents=max(old_eligible - new_eligible, 0),
        personnel_cents=max(old.personnel_cents - new.personnel_cents, 0),
        expenditure_cents=max(old.expenditure_cents - new.expenditure_cents, 0),
        empty=empty,
    )


def upload_totals(engine: Engine, upload_id: int) -> dict[str, Decimal]:
    """What one stored upload holds: the month totals of :data:`TOTALS` and the number of
    Personal rows (grain: one partner-month, as loaded)."""
    with engine.connect() as conn:
        loaded = {
            t: list(_rows(conn, t, upload_id).values())
            for t in ("events", "coachings", "personnel", "expenditure")
        }
    out = {
        name: _total(loaded[table], column, SHEETS[table][2].index(column) if column else None)
        for name, (table, column) in TOTALS.items()
    }
    out["Personal (Zeilen)"] = Decimal(len(loaded["personnel"]))
    return out
