"""A few cuts (Kürzungen) of the funding body's check in the demo, after the demo uploads:
in the first project year, for the first two partners with receipts, one receipt not
eligible at all, one accepted in part, and one staff row accepted in part. They change only
the report's ``accepted`` figures (the claimed ``eligible`` stay as reported)."""

from __future__ import annotations

from datetime import date

from etl.core.config import NetworkConfig
from etl.warehouse import queries
from etl.workflow import cuts

BY = "finanzen"
RECEIPT_REASONS = (
    "Bewirtung ist nach der Förderrichtlinie nicht zuwendungsfähig.",
    "Rechnung betrifft zur Hälfte ein anderes Projekt; nur der Projektanteil ist anerkannt.",
)
STAFF_REASON = "Stundennachweis deckt nur drei Viertel der abgerechneten Zeit."


def run_cut_demo(engine, config: NetworkConfig) -> None:
    """Record the demo's cuts (nothing when the first year has no receipts)."""
    year = config.years[0]
    decided = date(year + 1, 6, 30)
    if decided > date.today():
        return
    receipts = queries.expenditure_rows(engine, years=[year])
    staff = queries.personnel_rows(engine, years=[year])
    partners = list(dict.fromkeys(receipts["partner_code"]))[:2]
    for partner, reason, share in zip(partners, RECEIPT_REASONS, (0, 2), strict=False):
        row = receipts[receipts["partner_code"] == partner].iloc[0]
        key = cuts.CutKey(partner, row.month, "Ausgaben", row.receipt_no)
        accepted = 0 if share == 0 else int(row.amount_cents) // share
        cuts.record_cut(
            engine, config, key, accepted_cents=accepted, reason=reason, decided_on=decided, by=BY
        )
    if partners and not staff.empty:
        row = staff[staff["partner_code"] == partners[0]].iloc[-1]
        key = cuts.CutKey(partners[0], row.month, "Personal", row.staff_code)
        cuts.record_cut(
            engine,
            config,
            key,
            accepted_cents=int(row.amount_cents) * 3 // 4,
            reason=STAFF_REASON,
            decided_on=decided,
            by=BY,
        )
