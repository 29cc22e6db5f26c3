"""Cuts (Kürzungen) after the funding body's check: finance records, per receipt (sheet
Ausgaben) or per staff row (sheet Personal) of a partner-month, the amount accepted and the
reason; the grant is then computed on the accepted amounts.

A cut is keyed by partner, month, sheet and the row's stable identity: the receipt number
(unique per partner across months) or the staff code (unique within a month). So it survives
a re-upload of the month: it applies to the row with that identity in the current upload, to
at most its claimed amount, and to nothing while no such row exists (it is still listed).
Only finance records or removes cuts; every change goes to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.money import accepted_money, cut_reductions, format_eur
from etl.core.years import year_of
from etl.warehouse import audit, db, queries
from etl.warehouse import schema as s
from etl.warehouse.store import cuts as store
from etl.warehouse.years import start_month

if TYPE_CHECKING:
    from sqlalchemy import Engine

SHEETS = s.CUT_SHEETS
MIN_REASON = 5


class CutError(ValueError):
    """A cut that cannot be recorded; the message is German and says why."""


@dataclass(frozen=True)
class CutKey:
    """Which row a cut belongs to: partner, month (first day), sheet, receipt no./staff code."""

    partner: str
    month: date
    sheet: str
    row_key: str


def _check(config: NetworkConfig, role: str | None, key: CutKey) -> None:
    if role is not None and role != "finance":
        raise CutError("Kürzungen erfasst nur die Finanzabteilung.")
    if key.partner not in config.partner_codes:
        raise CutError(f"Partner '{key.partner}' ist unbekannt.")
    if key.sheet not in SHEETS:
        raise CutError(f"Kürzungen gibt es nur für die Blätter {' und '.join(SHEETS)}.")
    if not key.row_key.strip():
        raise CutError("Bitte die Belegnummer bzw. das Kürzel angeben.")


def _claimed(engine: Engine, key: CutKey) -> int:
    """The amount claimed for the row in the current upload (CutError when there is none)."""
    rows = queries.expenditure_rows if key.sheet == "Ausgaben" else queries.personnel_rows
    df = rows(engine, partners=[key.partner], years=[year_of(key.month, start_month(engine))])
    col = "receipt_no" if key.sheet == "Ausgaben" else "staff_code"
    hit = df[(pd.to_datetime(df["month"]) == pd.Timestamp(key.month)) & (df[col] == key.row_key)]
    if hit.empty:
        what = "Beleg" if key.sheet == "Ausgaben" else "Personalzeile"
        raise CutError(
            f"{what} '{key.row_key}' steht nicht im aktuellen Monatsbericht "
            f"{key.partner} {key.month:%m/%Y}."
        )
    return int(hit["amount_cents"].iloc[0])


def record_cut(
    engine: Engine,
    config: NetworkConfig,
    key: CutKey,
    *,
    accepted_cents: int,
    reason: str,
    decided_on: date,
    by: str,
    role: str | None = "finance",
    ip: str | None = None,
) -> None:
    """Record (or change) the accepted amount of one row after the funding body's check."""
    key = CutKey(key.partner, key.month.replace(day=1), key.sheet, key.row_key.strip())
    _check(config, role, key)
    claimed = _claimed(engine, key)
    if not 0 <= accepted_cents < claimed:
        raise CutError(
            f"Der anerkannte Betrag muss zwischen 0,00 € und weniger als dem "
            f"beantragten Betrag ({format_eur(claimed)}) liegen."
        )
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise CutError("Bitte den Grund der Kürzung angeben (mindestens fünf Zeichen).")
    if decided_on > date.today():
        raise CutError("Das Datum der Prüfung liegt in der Zukunft.")
    now = datetime.now()
    with db.writing(engine) as conn:
        db.lock_partner(conn, key.partner)
        store.save_cut(
            conn,
            partner=key.partner,
            month=key.month,
            sheet=key.sheet,
            row_key=key.row_key,
            accepted_cents=int(accepted_cents),
            reason=reason,
            decided_on=decided_on,
            by=by,
            at=now,
        )
        audit.record(
            conn,
            "cut_recorded",
            username=by,
            partner=key.partner,
            month=key.month,
            ip=ip,
            detail={
                "sheet": key.sheet,
                "row": key.row_key,
                "claimed": format_eur(claimed),
                "accepted": format_eur(int(accepted_cents)),
                "reason": reason,
                "decided_on": f"{decided_on:%d.%m.%Y}",
            },
        )


def remove_cut(
    engine: Engine,
    config: NetworkConfig,
    key: CutKey,
    *,
    by: str,
    role: str | None = "finance",
    reason: str = "",
    ip: str | None = None,
) -> None:
    """Remove the cut of one row (the claimed amount counts again)."""
    key = CutKey(key.partner, key.month.replace(day=1), key.sheet, key.row_key.strip())
    _check(config, role, key)
    with db.writing(engine) as conn:
        db.lock_partner(conn, key.partner)
        if not store.delete_cut(
            conn, partner=key.partner, month=key.month, sheet=key.sheet, row_key=key.row_key
        ):
            raise CutError("Für diese Zeile ist keine Kürzung erfasst.")
        audit.record(
            conn,
            "cut_removed",
            username=by,
            partner=key.partner,
            month=key.month,
            ip=ip,
            detail={"sheet": key.sheet, "row": key.row_key, "reason": reason},
        )


def accepted_months(engine: Engine, money: pd.DataFrame | None = None) -> pd.DataFrame:
    """The money-months frame (partner x month, cents) on the accepted amounts."""
    money = queries.money_months(engine) if money is None else money
    return accepted_money(money, cut_reductions(queries.audit_cuts(engine)))


def cuts_by_year(engine: Engine) -> tuple[pd.DataFrame, dict[tuple[str, int], tuple[int, int]]]:
    """The recorded cuts (queries.audit_cuts) and, per (partner, year), the cents they take
    off personnel and booked expenditure."""
    cuts = queries.audit_cuts(engine)
    red = cut_reductions(cuts)
    years = pd.to_datetime(red["month"]).dt.year
    sums = red.assign(year=years).groupby(["partner_code", "year"])[["personnel", "expenditure"]]
    return cuts, {
        (p, int(y)): (int(r.personnel), int(r.expenditure)) for (p, y), r in sums.sum().iterrows()
    }
