"""The naive baseline of the dashboard benchmark: the same figures, computed per request from
the fact tables read into pandas, with no cache and no pre-aggregation.

The query functions below are a frozen copy of ``etl/queries.py`` as the dashboard used them
before the performance work (commit f9dd6b5), so the baseline does not get faster when the
product does. :func:`frames` replaces ``dashboard.data.frames`` in the baseline app
(:mod:`bench.baseline_app`): every callback reads its tables again.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, Select, and_, distinct, func, literal, or_, select, union_all

from etl.warehouse import queries
from etl.warehouse import schema as s


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


LOADERS = {
    "facts": monthly_facts,
    "reach": company_reach,
    "uploads": uploads,
    "events": event_rows,
    "coachings": coaching_rows,
    "participations": participation_rows,
    "personnel": personnel_rows,
    "expenditure": expenditure_rows,
}


def _derived():
    from dashboard import data
    from dashboard.calc import activity, finance

    return {
        **data.DERIVED,  # derived from a frame read here like any other
        "event_formats": ("events", activity.event_formats),  # from every event row
        "activity_months": ("facts", activity.activity_months),
        "money_months": ("facts", finance.money_months),
        "reach_coded": ("reach", reach_coded),
    }


def reach_coded(reach: pd.DataFrame) -> pd.DataFrame:
    """The participations of ``reach`` grouped in pandas to the grain (and dtypes) of
    ``etl.warehouse.queries.company_reach_coded``."""
    keys = ["partner_code", "module", "year", "company_id"]
    grouped = (
        reach.groupby(keys, as_index=False, sort=True)
        .agg(activity_date=("activity_date", "min"), size_class=("size_class", "first"),
             n_persons=("n_persons", "sum"))
    )
    grouped["year"] = grouped["year"].astype("int32")
    columns = ["partner_code", "module", "activity_date", "company_id", "size_class",
               "n_persons", "year"]
    return queries.code_reach(grouped[columns])


def load(name: str, engine: Engine) -> pd.DataFrame:
    """One frame of the dashboard, read from the warehouse now (no cache)."""
    derived = _derived()
    if name in derived:
        source, derive = derived[name]
        return derive(LOADERS[source](engine))
    return LOADERS[name](engine)


def frames(*names: str) -> tuple[pd.DataFrame, ...]:
    """Drop-in for ``dashboard.data.frames``: read every frame again, per request."""
    from dashboard import data

    engine = data.engine()
    return tuple(_visible(load(name, engine)) for name in names)


def _visible(df: pd.DataFrame) -> pd.DataFrame:
    """Only the rows of partners the logged-in user may see (as dashboard.data does)."""
    from dashboard.access import partner_scope

    scope = partner_scope()
    if scope is None or "partner_code" not in df.columns:
        return df
    return df[df["partner_code"].isin(scope)]
