"""Payment requests (Mittelabrufe): record, approve (also in part), mark paid; and where each
partner stands: eligible costs incurred, grant due, requested, approved, paid, outstanding.

Status runs requested -> approved -> paid; every step keeps its date and amount in cents and
is written to the audit log. Only finance records them (checked by the caller).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from etl.core.config import NetworkConfig
from etl.core.money import format_eur, monthly_amounts
from etl.warehouse import audit, db, queries
from etl.warehouse.store import payments as requests_

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, Row

POSITION_COLUMNS = [
    "partner_code",
    "eligible",
    "grant",
    "requested",
    "approved",
    "paid",
    "outstanding",
    "open_eligible",
    "open_grant",
]
STATUS_LABELS = {"requested": "beantragt", "approved": "bewilligt", "paid": "ausgezahlt"}


class PaymentError(ValueError):
    """A payment request step that cannot be done; the message is German and says why."""


def _month(day: date) -> date:
    return day.replace(day=1)


def _check_request(
    config: NetworkConfig, partner: str, requested: date, start: date, end: date, cents: int
) -> None:
    if partner not in config.partner_codes:
        raise PaymentError(f"Partner '{partner}' ist unbekannt.")
    if cents <= 0:
        raise PaymentError("Der beantragte Betrag muss größer als 0,00 € sein.")
    if end < start:
        raise PaymentError("Der Zeitraum endet vor seinem Beginn. Bitte die Monate prüfen.")
    if start < _month(config.start) or end > _month(config.end):
        raise PaymentError(
            f"Der Zeitraum liegt nicht in der Projektlaufzeit ({config.start:%m/%Y} bis "
            f"{config.end:%m/%Y})."
        )
    if requested < start:
        raise PaymentError("Das Abrufdatum liegt vor dem Beginn des abgerechneten Zeitraums.")


def record_request(
    engine: Engine,
    config: NetworkConfig,
    *,
    partner: str,
    requested_date: date,
    period_start: date,
    period_end: date,
    amount_cents: int,
    by: str,
    note: str = "",
    ip: str | None = None,
) -> int:
    """Record a payment request of ``partner`` for the months ``period_start``..``period_end``;
    returns its id."""
    start, end = _month(period_start), _month(period_end)
    _check_request(config, partner, requested_date, start, end, amount_cents)
    now = datetime.now()
    with db.writing(engine) as conn:
        db.lock_partner(conn, partner)
        request_id = requests_.insert_request(
            conn,
            partner=partner,
            requested_date=requested_date,
            period_start=start,
            period_end=end,
            requested_cents=int(amount_cents),
            note=(note or "").strip(),
            by=by,
            at=now,
        )
        _audit(conn, "payment_requested", by, partner, ip, request_id, amount_cents)
    return int(request_id)


def _audit(conn: Connection, action: str, by: str, partner: str, ip, request_id, cents) -> None:
    audit.record(
        conn,
        action,
        username=by,
        partner=partner,
        ip=ip,
        detail={"request": int(request_id), "amount": format_eur(int(cents))},
    )


def _row(conn: Connection, request_id: int) -> Row:
    row = requests_.request(conn, request_id=request_id)
    if row is None:
        raise PaymentError(f"Mittelabruf Nr. {request_id} gibt es nicht.")
    return row


def approve(
    engine: Engine,
    request_id: int,
    *,
    amount_cents: int,
    approved_date: date,
    by: str,
    ip: str | None = None,
) -> None:
    """Approve a requested amount in full or in part (0 < amount <= requested)."""
    with db.writing(engine) as conn:
        row = _row(conn, request_id)
        db.lock_partner(conn, row.partner_code)
        if row.status != "requested":
            raise PaymentError(
                f"Mittelabruf Nr. {request_id} ist bereits {STATUS_LABELS[row.status]}."
            )
        if not 0 < amount_cents <= row.requested_cents:
            raise PaymentError(
                "Der bewilligte Betrag muss größer als 0,00 € und höchstens der beantragte "
                f"Betrag ({format_eur(row.requested_cents)}) sein."
            )
        if approved_date < row.requested_date:
            raise PaymentError("Die Bewilligung kann nicht vor dem Abrufdatum liegen.")
        requests_.set_approved(
            conn,
            request_id=request_id,
            approved_date=approved_date,
            cents=int(amount_cents),
            by=by,
            at=datetime.now(),
        )
        _audit(conn, "payment_approved", by, row.partner_code, ip, request_id, amount_cents)


def mark_paid(
    engine: Engine,
    request_id: int,
    *,
    paid_date: date,
    by: str,
    amount_cents: int | None = None,
    ip: str | None = None,
) -> None:
    """Record the payment of an approved request (default: the approved amount)."""
    with db.writing(engine) as conn:
        row = _row(conn, request_id)
        db.lock_partner(conn, row.partner_code)
        if row.status != "approved":
            state = STATUS_LABELS[row.status]
            raise PaymentError(
                f"Mittelabruf Nr. {request_id} ist {state}: ausgezahlt werden kann nur ein "
                "bewilligter Abruf."
            )
        cents = row.approved_cents if amount_cents is None else int(amount_cents)
        if not 0 < cents <= row.approved_cents:
            raise PaymentError(
                "Der ausgezahlte Betrag muss größer als 0,00 € und höchstens der bewilligte "
                f"Betrag ({format_eur(row.approved_cents)}) sein."
            )
        if paid_date < row.approved_date:
            raise PaymentError("Die Auszahlung kann nicht vor der Bewilligung liegen.")
        requests_.set_paid(
            conn, request_id=request_id, paid_date=paid_date, cents=cents, by=by, at=datetime.now()
        )
        _audit(conn, "payment_paid", by, row.partner_code, ip, request_id, cents)


# --- where each partner stands --------------------------------------------------------------


def monthly_grant(money: pd.DataFrame, config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x month: the eligible costs and grant that month adds (cents).

    The cost rules apply to each year's running sums, and a month's amount is the difference
    to the month before, so the months of a year add up exactly to its partner x year figure.
    """
    out = monthly_amounts(money, config, ("eligible", "grant"))
    return out.assign(month=[m.date() for m in pd.DatetimeIndex(out["month"])])


def _sum_by(at: np.ndarray, values, n: int) -> np.ndarray:
    """Exact int64 sums of ``values`` into ``n`` slots by position ``at`` (-1: left out)."""
    out = np.zeros(n, dtype=np.int64)
    inside = at >= 0
    np.add.at(out, at[inside], np.asarray(values, dtype=np.int64)[inside])
    return out


def _covered(months: pd.DataFrame, requests: pd.DataFrame) -> np.ndarray:
    """True for each partner-month row that a request of its partner covers."""
    covered = np.zeros(len(months), dtype=bool)
    if requests.empty or months.empty:
        return covered
    rows = pd.DataFrame(
        {
            "row": np.arange(len(months)),
            "partner_code": months["partner_code"].to_numpy(),
            "stamp": pd.to_datetime(months["month"]),
        }
    )
    spans = pd.DataFrame(
        {
            "partner_code": requests["partner_code"].to_numpy(),
            "first": pd.to_datetime(requests["period_start"]),
            "last": pd.to_datetime(requests["period_end"]),
        }
    )
    pairs = rows.merge(spans, on="partner_code")
    inside = (pairs["stamp"] >= pairs["first"]) & (pairs["stamp"] <= pairs["last"])
    covered[pairs.loc[inside, "row"].to_numpy()] = True
    return covered


def _cents(values: pd.Series) -> np.ndarray:
    """A column of cents (missing: 0) as int64."""
    return pd.to_numeric(values).fillna(0).to_numpy(dtype=np.int64)


def position(
    money: pd.DataFrame,
    requests: pd.DataFrame,
    config: NetworkConfig,
    partners: tuple[str, ...],
) -> pd.DataFrame:
    """One row per partner (cents): eligible costs incurred and the grant due on them;
    requested, approved, paid and outstanding (requested or approved, not yet paid); eligible
    costs and grant in months no request covers yet."""
    months = monthly_grant(money, config)
    slots = pd.Index(list(partners))
    n = len(slots)
    m_at = slots.get_indexer(months["partner_code"])
    open_ = ~_covered(months, requests)
    r_at = slots.get_indexer(requests["partner_code"]) if not requests.empty else np.array([], int)
    req = {
        c: _cents(requests[f"{c}_cents"]) if not requests.empty else np.array([], np.int64)
        for c in ("requested", "approved", "paid")
    }
    status = requests["status"].to_numpy() if not requests.empty else np.array([])
    outstanding = np.where(
        status == "requested", req["requested"], np.where(status == "approved", req["approved"], 0)
    )
    eligible, grant = months["eligible"].to_numpy(), months["grant"].to_numpy()
    columns = {
        "partner_code": list(partners),
        "eligible": _sum_by(m_at, eligible, n),
        "grant": _sum_by(m_at, grant, n),
        "requested": _sum_by(r_at, req["requested"], n),
        "approved": _sum_by(r_at, req["approved"], n),
        "paid": _sum_by(r_at, req["paid"], n),
        "outstanding": _sum_by(r_at, outstanding, n),
        "open_eligible": _sum_by(m_at, np.where(open_, eligible, 0), n),
        "open_grant": _sum_by(m_at, np.where(open_, grant, 0), n),
    }
    return pd.DataFrame(columns, columns=POSITION_COLUMNS)


def position_of(
    engine: Engine, config: NetworkConfig, partners: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """:func:`position` straight from the warehouse."""
    partners = partners or config.partner_codes
    return position(
        queries.money_months(engine),
        queries.payment_requests(engine, partners=partners),
        config,
        partners,
    )
