"""What a replacement changed: rows added, removed and changed per sheet, and month totals."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

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
