"""Read queries on the warehouse: the one place that knows its SQL.

Every function is keyword-only, reads current uploads only, and returns a DataFrame whose
grain its docstring states. Money columns are integer cents (``*_cents``). The CLI report
and the dashboard both call these, so their figures agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pandas as pd
from sqlalchemy import (
    Engine,
    Select,
    and_,
    case,
    distinct,
    func,
    literal,
    or_,
    select,
    union_all,
)

from etl import schema as s


def _current(table) -> Select:
    return (
        select(table)
        .join(s.uploads, s.uploads.c.id == table.c.upload_id)
        .where(s.uploads.c.status == "accepted")
    )


def _filtered(
    stmt: Select,
    col_partner,
    col_month,
    *,
    partners: Sequence[str] | None,
    years: Sequence[int] | None,
) -> Select:
    if partners:
        stmt = stmt.where(col_partner.in_(list(partners)))
    if years:
        stmt = stmt.where(func.extract("year", col_month).in_([int(y) for y in years]))
    return stmt


def _frame(engine: Engine, stmt: Select) -> pd.DataFrame:
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def monthly_facts(
    engine: Engine,
    *,
    partners: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    measures: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One row per partner x month x module x measure (module '' where none was given)."""
    f = s.fact_monthly
    stmt = select(f.c.partner_code, f.c.month, f.c.module, f.c.measure, f.c.value)
    if measures:
        stmt = stmt.where(f.c.measure.in_(list(measures)))
    stmt = _filtered(stmt, f.c.partner_code, f.c.month, partners=partners, years=years)
    df = _frame(engine, stmt.order_by(f.c.partner_code, f.c.month, f.c.module, f.c.measure))
    if not df.empty:
        df["month"] = pd.to_datetime(df["month"])
        df["year"] = df["month"].dt.year
    return df


ACTIVITY_MEASURES = ("events", "participants", "coachings")


def _pivot(engine: Engine, keys: list, measures: Sequence[str]) -> pd.DataFrame:
    """``fact_monthly`` summed by ``keys`` with one column per measure (None where a group
    has no row of that measure); only groups with a row of some measure."""
    f = s.fact_monthly
    stmt = (
        select(
            *keys,
            *[func.sum(case((f.c.measure == m, f.c.value))).label(m) for m in measures],
        )
        .where(f.c.measure.in_(list(measures)))
        .group_by(*keys)
    )
    return _frame(engine, stmt)


def activity_months(engine: Engine) -> pd.DataFrame:
    """One row per partner x month x module with events, participants, coachings (int) and
    coaching hours (Decimal): ``fact_monthly`` pivoted in SQL (the same frame as
    ``dashboard.calc.activity.activity_months(monthly_facts(engine))``)."""
    f = s.fact_monthly
    counts = list(ACTIVITY_MEASURES)
    cols = ["partner_code", "month", "year", "module", *counts, "coaching_hours"]
    df = _pivot(engine, [f.c.partner_code, f.c.month, f.c.module], [*counts, "coaching_hours"])
    if df.empty:
        return pd.DataFrame(columns=cols)
    df["month"] = pd.to_datetime(df["month"])
    df["year"] = df["month"].dt.year
    for measure in counts:
        df[measure] = [0 if v is None else int(v) for v in df[measure]]
    df["coaching_hours"] = pd.Series(
        [Decimal(0) if v is None else Decimal(v) for v in df["coaching_hours"]], dtype=object
    )
    return df.sort_values(["partner_code", "month", "module"], ignore_index=True)[cols]


def money_months(engine: Engine) -> pd.DataFrame:
    """One row per partner x month: personnel and booked expenditure in cents (int), from
    ``fact_monthly`` summed in SQL (the same frame as
    ``dashboard.calc.finance.money_months(monthly_facts(engine))``)."""
    f = s.fact_monthly
    cols = ["partner_code", "year", "month", "personnel", "expenditure"]
    df = _pivot(engine, [f.c.partner_code, f.c.month], ["personnel_cents", "expenditure_cents"])
    if df.empty:
        return pd.DataFrame(columns=cols)
    month = pd.to_datetime(df["month"])
    out = pd.DataFrame(
        {
            "partner_code": df["partner_code"],
            "year": [int(y) for y in month.dt.year],
            "month": month,
            "personnel": [0 if v is None else int(v) for v in df["personnel_cents"]],
            "expenditure": [0 if v is None else int(v) for v in df["expenditure_cents"]],
        }
    )
    return out.sort_values(["partner_code", "year", "month"], ignore_index=True)[cols]


def latest_loaded_upload(engine: Engine) -> str:
    """Version of the figures: id and file hash of the latest upload that loaded fact rows
    (accepted, or superseded since); ``'f0'`` when none did."""
    u = s.uploads
    stmt = (
        select(u.c.id, u.c.sha256)
        .where(u.c.status.in_(["accepted", "superseded"]))
        .order_by(u.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(stmt).first()
    return f"f{row.id}:{row.sha256[:16]}" if row else "f0"


def activity_keys() -> Select:
    """Every current activity: partner_code, activity_id, module, activity_date."""
    e, c = s.events, s.coachings
    ev = _current(e).with_only_columns(
        e.c.partner_code,
        e.c.event_id.label("activity_id"),
        e.c.module,
        e.c.event_date.label("activity_date"),
        literal("event").label("kind"),
    )
    co = _current(c).with_only_columns(
        c.c.partner_code,
        c.c.coaching_id.label("activity_id"),
        c.c.module,
        c.c.coaching_date.label("activity_date"),
        literal("coaching").label("kind"),
    )
    return union_all(ev, co)


def company_reach(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current participation: partner, module and year of the activity, company."""
    p = s.participations
    acts = activity_keys().subquery()
    stmt = (
        _current(p)
        .join(
            acts,
            (acts.c.partner_code == p.c.partner_code) & (acts.c.activity_id == p.c.activity_id),
        )
        .join(s.companies, s.companies.c.id == p.c.company_id)
        .with_only_columns(
            p.c.partner_code,
            acts.c.module,
            acts.c.activity_date,
            acts.c.kind,
            p.c.company_id,
            s.companies.c.size_class,
            p.c.n_persons,
        )
    )
    stmt = _filtered(stmt, p.c.partner_code, acts.c.activity_date, partners=partners, years=years)
    df = _frame(engine, stmt)
    df["year"] = (
        pd.to_datetime(df["activity_date"]).dt.year if not df.empty else pd.Series(dtype=int)
    )
    return df


def company_reach_by_group(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per partner x module x year x company reached by a current participation (the
    grain at which the targets count companies): the date of the first activity in that group,
    the company's current SME class and the persons summed.

    :func:`company_reach` at a coarser grain: distinct companies by partner, module and/or
    year, SME shares and the month a company was first reached come out the same, from
    fewer rows.
    """
    p = s.participations
    acts = activity_keys().subquery()
    year = func.extract("year", acts.c.activity_date)
    stmt = (
        _current(p)
        .join(
            acts,
            (acts.c.partner_code == p.c.partner_code) & (acts.c.activity_id == p.c.activity_id),
        )
        .join(s.companies, s.companies.c.id == p.c.company_id)
        .with_only_columns(
            p.c.partner_code,
            acts.c.module,
            func.min(acts.c.activity_date).label("activity_date"),
            p.c.company_id,
            s.companies.c.size_class,
            func.sum(p.c.n_persons).label("n_persons"),
            year.label("year"),
        )
        .group_by(p.c.partner_code, acts.c.module, year, p.c.company_id, s.companies.c.size_class)
    )
    stmt = _filtered(stmt, p.c.partner_code, acts.c.activity_date, partners=partners, years=years)
    df = _frame(engine, stmt)
    df["year"] = df["year"].astype("int32") if not df.empty else pd.Series(dtype="int32")
    return df.sort_values(["partner_code", "module", "year", "company_id"], ignore_index=True)


def unique_companies(engine: Engine) -> int:
    """Distinct companies reached by any current participation (the EU output indicator)."""
    p = s.participations
    stmt = _current(p).with_only_columns(func.count(distinct(p.c.company_id)))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def personnel_by_group(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current Personal row: partner, month, pay group, billing, quantity, cents."""
    t = s.personnel
    stmt = _current(t).with_only_columns(
        t.c.partner_code,
        t.c.month,
        t.c.pay_group,
        t.c.billing,
        t.c.quantity,
        t.c.amount_cents,
        t.c.module,
    )
    df = _frame(
        engine, _filtered(stmt, t.c.partner_code, t.c.month, partners=partners, years=years)
    )
    df["year"] = pd.to_datetime(df["month"]).dt.year if not df.empty else pd.Series(dtype=int)
    return df


def uploads(
    engine: Engine, *, partners: Sequence[str] | None = None, uploaded_by: str | None = None
) -> pd.DataFrame:
    """One row per received file (all statuses), newest first.

    With ``partners``, only their files, plus unreadable files (no partner) that
    ``uploaded_by`` sent.
    """
    u = s.uploads
    stmt = select(
        u.c.id,
        u.c.partner_code,
        u.c.month,
        u.c.status,
        u.c.file_name,
        u.c.uploaded_by,
        u.c.uploaded_at,
        u.c.n_errors,
        u.c.previous_id,
        u.c.sha256,
    )
    if partners:
        own = u.c.partner_code.in_(list(partners))
        if uploaded_by:
            own = or_(own, and_(u.c.partner_code.is_(None), u.c.uploaded_by == uploaded_by))
        stmt = stmt.where(own)
    return _frame(engine, stmt.order_by(u.c.uploaded_at.desc(), u.c.id.desc()))


def latest_upload_id(engine: Engine) -> int:
    """The highest upload id (0 when empty): a cheap version stamp that changes with every file."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(s.uploads.c.id))).scalar() or 0)


def _source(table, sheet: str) -> list:
    """Columns naming where a fact row came from: upload id, file name, sheet and row."""
    return [
        table.c.upload_id,
        s.uploads.c.file_name,
        literal(sheet).label("sheet"),
        table.c.source_row,
    ]


def event_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current event, with the file, sheet and row it came from."""
    e = s.events
    stmt = _current(e).with_only_columns(
        e.c.partner_code,
        e.c.month,
        e.c.event_id,
        e.c.event_date,
        e.c.title,
        e.c.module,
        e.c.format,
        e.c.n_participants,
        e.c.n_women,
        *_source(e, "Veranstaltungen"),
    )
    stmt = _filtered(stmt, e.c.partner_code, e.c.month, partners=partners, years=years)
    return _frame(engine, stmt.order_by(e.c.partner_code, e.c.event_date, e.c.event_id))


def coaching_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current coaching, with the file, sheet and row it came from."""
    c = s.coachings
    stmt = _current(c).with_only_columns(
        c.c.partner_code,
        c.c.month,
        c.c.coaching_id,
        c.c.coaching_date,
        c.c.company_name,
        c.c.module,
        c.c.hours,
        c.c.topic,
        *_source(c, "Coachings"),
    )
    stmt = _filtered(stmt, c.c.partner_code, c.c.month, partners=partners, years=years)
    return _frame(engine, stmt.order_by(c.c.partner_code, c.c.coaching_date, c.c.coaching_id))


def participation_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current participation (company x activity), with the activity's module,
    date and kind, the company's current SME class, and the file, sheet and row it came from."""
    p = s.participations
    acts = activity_keys().subquery()
    stmt = (
        _current(p)
        .join(
            acts,
            (acts.c.partner_code == p.c.partner_code) & (acts.c.activity_id == p.c.activity_id),
        )
        .join(s.companies, s.companies.c.id == p.c.company_id)
        .with_only_columns(
            p.c.partner_code,
            p.c.month,
            p.c.activity_id,
            acts.c.kind,
            acts.c.module,
            acts.c.activity_date,
            p.c.company_id,
            p.c.company_name,
            p.c.plz,
            s.companies.c.size_class,
            p.c.n_persons,
            *_source(p, "Teilnehmende"),
        )
    )
    stmt = _filtered(stmt, p.c.partner_code, acts.c.activity_date, partners=partners, years=years)
    return _frame(engine, stmt.order_by(p.c.partner_code, acts.c.activity_date, p.c.activity_id))


def personnel_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current Personal row (staff member x month), cents, and its source row."""
    t = s.personnel
    stmt = _current(t).with_only_columns(
        t.c.partner_code,
        t.c.month,
        t.c.staff_code,
        t.c.pay_group,
        t.c.billing,
        t.c.quantity,
        t.c.module,
        t.c.amount_cents,
        *_source(t, "Personal"),
    )
    stmt = _filtered(stmt, t.c.partner_code, t.c.month, partners=partners, years=years)
    return _frame(engine, stmt.order_by(t.c.partner_code, t.c.month, t.c.staff_code))


def expenditure_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per current Ausgaben row (receipt), cents, and its source row."""
    t = s.expenditure
    stmt = _current(t).with_only_columns(
        t.c.partner_code,
        t.c.month,
        t.c.receipt_no,
        t.c.booking_date,
        t.c.cost_category,
        t.c.amount_cents,
        t.c.module,
        t.c.description,
        *_source(t, "Ausgaben"),
    )
    stmt = _filtered(stmt, t.c.partner_code, t.c.month, partners=partners, years=years)
    return _frame(engine, stmt.order_by(t.c.partner_code, t.c.booking_date, t.c.receipt_no))


def month_status(engine: Engine, *, partner: str, month) -> dict:
    """The current upload and the approval lock of one partner-month (one row as a dict)."""
    u, lk = s.uploads, s.month_locks
    with engine.connect() as conn:
        up = conn.execute(
            select(u.c.id, u.c.file_name, u.c.uploaded_at, u.c.uploaded_by).where(
                u.c.partner_code == partner, u.c.month == month, u.c.status == "accepted"
            )
        ).first()
        lock = conn.execute(
            select(lk.c.approved_by, lk.c.approved_at).where(
                lk.c.partner_code == partner, lk.c.month == month
            )
        ).first()
    return {
        "upload_id": up.id if up else None,
        "file_name": up.file_name if up else None,
        "uploaded_at": up.uploaded_at if up else None,
        "uploaded_by": up.uploaded_by if up else None,
        "approved_by": lock.approved_by if lock else None,
        "approved_at": lock.approved_at if lock else None,
    }


def month_locks(engine: Engine) -> pd.DataFrame:
    """One row per approved (locked) partner-month."""
    lk = s.month_locks
    return _frame(engine, select(lk).order_by(lk.c.partner_code, lk.c.month))


def audit_rows(engine: Engine, *, limit: int = 20_000) -> pd.DataFrame:
    """One row per audit event, newest first (at most ``limit``)."""
    a = s.audit_log
    return _frame(engine, select(a).order_by(a.c.at.desc(), a.c.id.desc()).limit(limit))


# --- finance plan versions and payment requests ---------------------------------------------


def latest_plan_version_id(engine: Engine) -> int:
    """The newest finance plan version number (0 when there is none yet)."""
    with engine.connect() as conn:
        return int(conn.execute(select(func.max(s.plan_versions.c.id))).scalar() or 0)


def plan_versions(engine: Engine) -> pd.DataFrame:
    """One row per finance plan version (who, when, why, file, total), newest first."""
    v = s.plan_versions
    return _frame(engine, select(v).order_by(v.c.id.desc()))


def plan_version(engine: Engine, *, version_id: int) -> dict | None:
    """One finance plan version's row as a dict (None when it does not exist)."""
    v = s.plan_versions
    with engine.connect() as conn:
        row = conn.execute(select(v).where(v.c.id == version_id)).mappings().first()
    return dict(row) if row else None


def plan_content(
    engine: Engine, *, version_id: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A plan version's budget lines (partner x year x category), targets (partner x module x
    year x measure) and funding rates (partner), each one frame."""
    lines, targets, rates = s.plan_lines, s.plan_targets, s.plan_funding_rates
    return (
        _frame(engine, select(lines).where(lines.c.version_id == version_id)),
        _frame(engine, select(targets).where(targets.c.version_id == version_id)),
        _frame(engine, select(rates).where(rates.c.version_id == version_id)),
    )


def payment_requests(engine: Engine, *, partners: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per payment request (Mittelabruf), oldest first."""
    t = s.payment_requests
    stmt = select(t)
    if partners:
        stmt = stmt.where(t.c.partner_code.in_(list(partners)))
    return _frame(engine, stmt.order_by(t.c.requested_date, t.c.id))


def personnel_recorded(engine: Engine) -> bool:
    """True when any current upload holds a Personal row (its amount used a unit-cost table)."""
    t = s.personnel
    with engine.connect() as conn:
        return conn.execute(_current(t).with_only_columns(t.c.id).limit(1)).first() is not None
