"""Payment requests (Mittelabrufe): record, approve (also in part), mark paid; and where each
partner stands: eligible costs incurred, grant due, requested, approved, paid, outstanding.

Status runs requested -> approved -> paid; every step keeps its date and amount in cents and
is written to the audit log. Only finance records them (checked by the caller).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from sqlalchemy import Connection, Engine, select

from etl import audit, db, queries
from etl import schema as s
from etl.config import NetworkConfig
from etl.money import eligible_costs, format_eur

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
        request_id = conn.execute(
            s.payment_requests.insert().values(
                partner_code=partner,
                requested_date=requested_date,
                period_start=start,
                period_end=end,
                requested_cents=int(amount_cents),
                status="requested",
                note=(note or "").strip(),
                created_by=by,
                created_at=now,
                updated_by=by,
                updated_at=now,
            )
        ).inserted_primary_key[0]
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


def _row(conn: Connection, request_id: int):
    row = conn.execute(
        select(s.payment_requests).where(s.payment_requests.c.id == request_id)
    ).first()
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
        conn.execute(
            s.payment_requests.update()
            .where(s.payment_requests.c.id == request_id)
            .values(
                status="approved",
                approved_date=approved_date,
                approved_cents=int(amount_cents),
                updated_by=by,
                updated_at=datetime.now(),
            )
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
        conn.execute(
            s.payment_requests.update()
            .where(s.payment_requests.c.id == request_id)
            .values(
                status="paid",
                paid_date=paid_date,
                paid_cents=cents,
                updated_by=by,
                updated_at=datetime.now(),
            )
        )
        _audit(conn, "payment_paid", by, row.partner_code, ip, request_id, cents)


# --- where each partner stands --------------------------------------------------------------


def money_months(engine: Engine) -> pd.DataFrame:
    """One row per partner x month: personnel and booked expenditure in cents."""
    facts = queries.monthly_facts(engine, measures=["personnel_cents", "expenditure_cents"])
    cols = ["partner_code", "month", "personnel", "expenditure"]
    if facts.empty:
        return pd.DataFrame(columns=cols)
    facts = facts.assign(cents=[int(v) for v in facts["value"]])
    wide = facts.pivot_table(
        index=["partner_code", "month"], columns="measure", values="cents", aggfunc="sum"
    ).fillna(0)
    wide = wide.reindex(columns=["personnel_cents", "expenditure_cents"], fill_value=0)
    out = wide.reset_index().rename(
        columns={"personnel_cents": "personnel", "expenditure_cents": "expenditure"}
    )
    out[["personnel", "expenditure"]] = out[["personnel", "expenditure"]].astype("int64")
    return out[cols]


def monthly_grant(money: pd.DataFrame, config: NetworkConfig) -> pd.DataFrame:
    """One row per partner x month: the eligible costs and grant that month adds (cents).

    The cost rules apply to each year's running sums, and a month's amount is the difference
    to the month before, so the months of a year add up exactly to its partner x year figure.
    """
    rows = []
    if money.empty:
        return pd.DataFrame(columns=["partner_code", "month", "eligible", "grant"])
    frame = money.assign(month=pd.to_datetime(money["month"]))
    frame = frame.assign(year=frame["month"].dt.year).sort_values("month")
    for (code, _year), grp in frame.groupby(["partner_code", "year"]):
        rate, pers, exp, before = config.partner(code).funding_rate, 0, 0, (0, 0)
        for r in grp.itertuples(index=False):
            pers, exp = pers + int(r.personnel), exp + int(r.expenditure)
            e = eligible_costs(pers, exp, rate, config.rules)
            rows.append(
                {
                    "partner_code": code,
                    "month": r.month.date(),
                    "eligible": e.eligible - before[0],
                    "grant": e.grant - before[1],
                }
            )
            before = (e.eligible, e.grant)
    return pd.DataFrame(rows, columns=["partner_code", "month", "eligible", "grant"])


def _periods(requests: pd.DataFrame) -> dict[str, list[tuple[pd.Timestamp, pd.Timestamp]]]:
    """The months each partner's requests cover, as (first, last) per request."""
    if requests.empty or "period_start" not in requests:
        return {}
    out: dict[str, list[tuple[pd.Timestamp, pd.Timestamp]]] = {}
    for code, a, b in zip(
        requests["partner_code"], requests["period_start"], requests["period_end"], strict=True
    ):
        out.setdefault(code, []).append((pd.Timestamp(a), pd.Timestamp(b)))
    return out


def _uncovered(months: pd.Series, periods: list[tuple[pd.Timestamp, pd.Timestamp]]) -> pd.Series:
    """True for each month that no request's period covers."""
    stamps = pd.to_datetime(months)
    covered = pd.Series(False, index=months.index)
    for a, b in periods:
        covered |= (stamps >= a) & (stamps <= b)
    return ~covered


def _outstanding(r) -> int:
    if r.status == "requested":
        return int(r.requested_cents)
    if r.status == "approved":
        return int(r.approved_cents)
    return 0


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
    by_partner = dict(tuple(months.groupby("partner_code", sort=False)))
    req_by_partner = {} if requests.empty else dict(tuple(requests.groupby("partner_code")))
    periods = _periods(requests)
    rows = []
    for code in partners:
        mine = by_partner.get(code, months.iloc[0:0])
        reqs = req_by_partner.get(code, requests.iloc[0:0])
        open_ = mine[_uncovered(mine["month"], periods.get(code, []))]
        rows.append(
            {
                "partner_code": code,
                "eligible": int(mine["eligible"].sum()),
                "grant": int(mine["grant"].sum()),
                "requested": int(reqs["requested_cents"].sum()) if not reqs.empty else 0,
                "approved": int(reqs["approved_cents"].fillna(0).sum()) if not reqs.empty else 0,
                "paid": int(reqs["paid_cents"].fillna(0).sum()) if not reqs.empty else 0,
                "outstanding": sum(_outstanding(r) for r in reqs.itertuples(index=False)),
                "open_eligible": int(open_["eligible"].sum()),
                "open_grant": int(open_["grant"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=POSITION_COLUMNS)


def position_of(
    engine: Engine, config: NetworkConfig, partners: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """:func:`position` straight from the warehouse."""
    partners = partners or config.partner_codes
    return position(
        money_months(engine), queries.payment_requests(engine, partners=partners), config, partners
    )
