"""Read queries on the warehouse: the one place that knows its SQL.

Every function is keyword-only, reads current uploads only, and returns a DataFrame whose
grain its docstring states. Money columns are integer cents (``*_cents``). The CLI report
and the dashboard both call these, so their figures agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pandas as pd
from pandas.api.types import union_categoricals
from sqlalchemy import (
    Engine,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    distinct,
    func,
    literal,
    literal_column,
    or_,
    select,
    type_coerce,
    union_all,
)

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
    """The rows of ``stmt`` as a DataFrame, built column by column (a few times faster than
    from a list of rows, same dtypes) and fetched in chunks, with repeated texts and dates
    sharing one object (partner codes, modules, file names, months: far less memory)."""
    with engine.connect() as conn:
        result = conn.execute(stmt)
        keys = list(result.keys())
        if len(set(keys)) != len(keys):
            return pd.DataFrame(result.fetchall(), columns=keys)
        columns: list[list] = [[] for _ in keys]
        for chunk in result.partitions(50_000):
            for column, values in zip(columns, zip(*chunk, strict=True), strict=True):
                column.extend(values)
    if not columns or not columns[0]:
        return pd.DataFrame([], columns=keys)
    return pd.DataFrame({key: _shared(values) for key, values in zip(keys, columns, strict=True)})


def _shared(values: list) -> list:
    """``values`` with equal texts or dates replaced by one object each (same values)."""
    first = next((v for v in values if v is not None), None)
    if type(first) is not str and type(first) is not date:
        return values
    seen: dict = {}
    return [v if v is None or type(v) is not type(first) else seen.setdefault(v, v) for v in values]


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


def activity_keys(partner: str | None = None) -> Select:
    """Every current activity (of one partner): partner_code, activity_id, module,
    activity_date."""
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
    if partner is not None:
        ev, co = ev.where(e.c.partner_code == partner), co.where(c.c.partner_code == partner)
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


def _reached(
    activity, id_col, date_col, partner: str | None, upload_id: int | None = None
) -> Select:
    """Current participations joined to the current activity (events or coachings) they cite:
    partner, module, activity date, company, persons. Joined table by table on the
    (partner, id) indexes, so the plan stays an index lookup per row even before the
    database has statistics (a join to the union of both tables did not). With
    ``upload_id``: only that upload's participations."""
    p, u = s.participations, s.uploads
    current = select(u.c.id).where(u.c.status == "accepted")
    if partner is not None:
        current = current.where(u.c.partner_code == partner)
    current = current.scalar_subquery()
    stmt = (
        select(p.c.partner_code, activity.c.module, date_col.label("activity_date"),
               p.c.company_id, p.c.n_persons)
        .join(activity, (activity.c.partner_code == p.c.partner_code)
              & (id_col == p.c.activity_id))
        .where(activity.c.upload_id.in_(current))
    )
    if upload_id is not None:
        # no partner condition on the participations (the upload's rows are its partner's):
        # with one, SQLite without statistics loops over all the partner's activities and
        # scans the upload's participations for each (minutes for a 50 k-row file)
        return stmt.where(p.c.upload_id == upload_id)
    stmt = stmt.where(p.c.upload_id.in_(current))
    return stmt if partner is None else stmt.where(p.c.partner_code == partner)


def reach_select(partner: str | None = None, upload_id: int | None = None) -> Select:
    """The rows of ``fact_reach`` computed from the current facts (all partners, or one):
    partner x module x year x company, the first activity's date and the persons summed.
    With ``upload_id`` (and its partner): what that upload's participations add.
    :func:`etl.load.refresh_reach` stores them; the dashboard reads the stored table."""
    e, c = s.events, s.coachings
    rows = union_all(
        _reached(e, e.c.event_id, e.c.event_date, partner, upload_id),
        _reached(c, c.c.coaching_id, c.c.coaching_date, partner, upload_id),
    ).subquery()
    year = cast(func.extract("year", rows.c.activity_date), Integer)
    return select(
        rows.c.partner_code,
        rows.c.module,
        year.label("year"),
        rows.c.company_id,
        func.min(rows.c.activity_date).label("activity_date"),
        func.sum(rows.c.n_persons).label("n_persons"),
    ).group_by(rows.c.partner_code, rows.c.module, year, rows.c.company_id)


REACH_CHUNK = 50_000  # rows of fact_reach per fetch


def _concat_coded(parts: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """The chunks as one frame; categorical columns stay categorical (their categories
    united), so a repeated partner code costs one byte, not one string object."""
    if not parts:
        return pd.DataFrame({n: [] for n in names}).astype({"activity_date": "M8[us]"})
    coded = [n for n in names if isinstance(parts[0][n].dtype, pd.CategoricalDtype)]
    df = pd.concat([p.drop(columns=coded) for p in parts], ignore_index=True)
    for n in coded:
        df[n] = union_categoricals([p[n] for p in parts], sort_categories=True)
    return df[names]


def company_reach_by_group(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """One row per partner x module x year x company reached by a current participation (the
    grain at which the targets count companies): the date of the first activity in that group,
    the company's current SME class and the persons summed (from ``fact_reach``).

    :func:`company_reach` at a coarser grain: distinct companies by partner, module and/or
    year, SME shares and the month a company was first reached come out the same, from
    fewer rows.
    """
    df = _reach_rows(engine, partners=partners, years=years)
    df["activity_date"] = df["activity_date"].dt.date
    return df


def _reach_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """:func:`company_reach_by_group` with ``activity_date`` as datetime64: no Python date
    objects (460 k of them at a million fact rows cost ~20 MB, and pickling them for the
    shared cache ~120 MB at its peak)."""
    r, c = s.fact_reach, s.companies
    # Hundreds of thousands of rows: no join or sort in SQL, no per-value conversion of the
    # date (read as text on SQLite, parsed once per column), SME class mapped from companies.
    stmt = select(r.c.partner_code, r.c.module, type_coerce(r.c.activity_date, String),
                  r.c.company_id, r.c.n_persons, r.c.year)
    if partners:
        stmt = stmt.where(r.c.partner_code.in_(list(partners)))
    if years:
        stmt = stmt.where(r.c.year.in_([int(y) for y in years]))
    names = ["partner_code", "module", "activity_date", "company_id", "n_persons", "year"]
    parts = []
    with engine.connect() as conn:
        # straight from the driver's cursor (no column here needs a result processor; 460 k
        # Row objects would cost more than the query), in chunks that become compact frames
        # at once: a whole list of tuples would take ~250 MB at a million fact rows
        cursor = conn.execute(stmt).cursor
        while rows := cursor.fetchmany(REACH_CHUNK):
            part = pd.DataFrame(dict(zip(names, zip(*rows, strict=True), strict=True)))
            part["activity_date"] = pd.to_datetime(part["activity_date"])
            parts.append(part.astype({"partner_code": "category", "module": "category"}))
        classes = dict(conn.execute(select(c.c.id, c.c.size_class)).all())
    df = _concat_coded(parts, names)
    df.insert(4, "size_class", df["company_id"].map(classes))
    df["year"] = df["year"].astype("int32")
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


def event_counts(engine: Engine) -> pd.DataFrame:
    """Current events counted per partner x month x module x format (column ``n``): what the
    format chart needs, without reading every event row (titles, files) into memory."""
    e = s.events
    n = func.count().label("n")
    stmt = (
        _current(e)
        .with_only_columns(e.c.partner_code, e.c.month, e.c.module, e.c.format, n)
        .group_by(e.c.partner_code, e.c.month, e.c.module, e.c.format)
        .order_by(e.c.partner_code, e.c.month, e.c.module, e.c.format)
    )
    return _frame(engine, stmt)


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
    """The current upload and the review state of one partner-month (one row as a dict)."""
    u, ms = s.uploads, s.month_states
    with engine.connect() as conn:
        up = conn.execute(
            select(u.c.id, u.c.file_name, u.c.uploaded_at, u.c.uploaded_by).where(
                u.c.partner_code == partner, u.c.month == month, u.c.status == "accepted"
            )
        ).first()
        st = conn.execute(
            select(ms.c.state, ms.c.approved_by, ms.c.approved_at).where(
                ms.c.partner_code == partner, ms.c.month == month
            )
        ).first()
    return {
        "upload_id": up.id if up else None,
        "file_name": up.file_name if up else None,
        "uploaded_at": up.uploaded_at if up else None,
        "uploaded_by": up.uploaded_by if up else None,
        "state": st.state if st else "due",
        "approved_by": st.approved_by if st else None,
        "approved_at": st.approved_at if st else None,
    }


def month_locks(engine: Engine) -> pd.DataFrame:
    """One row per locked partner-month (freigegeben or im Nachweis)."""
    ms = s.month_states
    cols = [ms.c.partner_code, ms.c.month, ms.c.approved_by, ms.c.approved_at, ms.c.upload_id]
    stmt = select(*cols, ms.c.state).where(ms.c.state.in_(s.LOCKED_STATES))
    return _frame(engine, stmt.order_by(ms.c.partner_code, ms.c.month))


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


def company_reach_coded(engine: Engine) -> pd.DataFrame:
    """:func:`company_reach_by_group` for the dashboard's group-bys: partner, module and SME
    class as categoricals (grouping and filtering hundreds of thousands of rows without
    hashing strings) and ``month``, the first day of the month of ``activity_date``."""
    return code_reach(_reach_rows(engine))


def code_reach(df: pd.DataFrame) -> pd.DataFrame:
    """A :func:`company_reach_by_group` frame as :func:`company_reach_coded` returns it
    (changed in place; ``activity_date`` as dates or datetime64, kept as it is)."""
    for col in ("partner_code", "module", "size_class"):
        df[col] = df[col].astype("category")
    dates = pd.to_datetime(df["activity_date"]) if not df.empty else pd.Series(dtype="M8[s]")
    df["month"] = dates.dt.to_period("M").dt.to_timestamp()
    # one row per partner x module x year x company (lets counts skip a distinct pass)
    df.attrs["unique_by"] = ["partner_code", "module", "year", "company_id"]
    return df


# --- the Daten page: one dataset's rows, narrowed in SQL, a page at a time ----------------

RECORD_DATASETS = ("veranstaltungen", "coachings", "teilnahmen", "kosten", "eingaenge")


def _within(col, *, years: Sequence[int] | None, month: date | None):
    """Conditions on a date column: inside one of ``years`` and inside ``month`` (ranges, so
    an index on the column can serve them)."""
    out = []
    if years:
        out.append(
            or_(*(and_(col >= date(int(y), 1, 1), col < date(int(y) + 1, 1, 1)) for y in years))
        )
    if month is not None:
        nxt = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        out.append(and_(col >= month.replace(day=1), col < nxt))
    return out


def _no_index(col):
    """``col + 0``: the same value, but no index on ``col`` drives the plan (SQLite would read
    all current rows by upload id and sort them, instead of a page in index order)."""
    return col + 0


def _record_branches(
    dataset: str,
    *,
    scope: Sequence[str] | None = None,
    partners: Sequence[str] | None = None,
    modules: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    month: date | None = None,
    cost_kind: str | None = None,
    size: str | None = None,
    format: str | None = None,
) -> list[Select]:
    """The SELECTs (one per source table) whose union is the dataset, every filter applied to
    the table's own columns. ``scope`` is the partner clamp of the logged-in account (None:
    all partners; empty: none)."""

    def narrowed(stmt: Select, partner_col, date_col, module_col) -> Select:
        if scope is not None:
            stmt = stmt.where(partner_col.in_(list(scope)))
        if partners:
            stmt = stmt.where(partner_col.in_(list(partners)))
        if modules and module_col is not None:
            stmt = stmt.where(module_col.in_(list(modules)))
        return stmt.where(*_within(date_col, years=years, month=month))

    u = s.uploads
    accepted = select(u.c.id).where(u.c.status == "accepted")

    def source(t, sheet: str, _files=None) -> list:
        # the file name per shown row (a page), not joined for every row of the table
        name = select(u.c.file_name).where(u.c.id == t.c.upload_id).scalar_subquery()
        return [
            name.label("file_name"),
            literal(sheet).label("sheet"),
            t.c.source_row,
            t.c.id.label("row_id"),
        ]

    def current(t, *cols) -> Select:
        """Rows of current (accepted) uploads only; a semi-join, so SQLite can read the
        table in the order of its (partner, id) index and stop after a page."""
        return select(*cols).where(_no_index(t.c.upload_id).in_(accepted))

    if dataset == "veranstaltungen":
        e, up = s.events, s.uploads
        stmt = current(
            e,
            e.c.partner_code,
            e.c.month,
            e.c.event_date,
            e.c.event_id,
            e.c.title,
            e.c.module,
            e.c.format,
            e.c.n_participants,
            e.c.n_women,
            *source(e, "Veranstaltungen", up),
        )
        if format:
            stmt = stmt.where(e.c.format == format)
        return [narrowed(stmt, e.c.partner_code, e.c.month, e.c.module)]
    if dataset == "coachings":
        c, up = s.coachings, s.uploads
        stmt = current(
            c,
            c.c.partner_code,
            c.c.month,
            c.c.coaching_date,
            c.c.coaching_id,
            c.c.company_name,
            c.c.module,
            c.c.hours,
            c.c.topic,
            *source(c, "Coachings", up),
        )
        return [narrowed(stmt, c.c.partner_code, c.c.month, c.c.module)]
    if dataset == "teilnahmen":
        p = s.participations
        out = []
        for act, id_col, date_col, kind in (
            (s.events, "event_id", "event_date", "event"),
            (s.coachings, "coaching_id", "coaching_date", "coaching"),
        ):
            stmt = (
                select(
                    p.c.partner_code,
                    act.c[date_col].label("activity_date"),
                    p.c.activity_id,
                    literal(kind).label("kind"),
                    act.c.module,
                    p.c.company_name,
                    p.c.plz,
                    s.companies.c.size_class,
                    p.c.n_persons,
                    p.c.company_id,
                    *source(p, "Teilnehmende"),
                )
                .select_from(p)
                .join(
                    act,
                    (act.c.partner_code == p.c.partner_code) & (act.c[id_col] == p.c.activity_id),
                )
                .join(s.companies, s.companies.c.id == p.c.company_id)
                .where(
                    _no_index(p.c.upload_id).in_(accepted),
                    _no_index(act.c.upload_id).in_(accepted),
                )
            )
            if size:
                stmt = stmt.where(s.companies.c.size_class == size)
            out.append(narrowed(stmt, p.c.partner_code, act.c[date_col], act.c.module))
        return out
    if dataset == "kosten":
        t, x, up = s.personnel, s.expenditure, s.uploads
        pers = current(
            t,
            t.c.partner_code,
            t.c.month,
            literal("personnel").label("kind"),
            literal("Personal").label("category"),
            t.c.staff_code.label("reference"),
            cast(None, s.expenditure.c.booking_date.type).label("date"),
            t.c.module,
            ("Leistungsgruppe " + cast(t.c.pay_group, String) + ", " + t.c.billing).label("detail"),
            t.c.quantity,
            t.c.amount_cents,
            *source(t, "Personal", up),
        )
        exp = current(
            x,
            x.c.partner_code,
            x.c.month,
            literal("expenditure").label("kind"),
            x.c.cost_category.label("category"),
            x.c.receipt_no.label("reference"),
            x.c.booking_date.label("date"),
            x.c.module,
            x.c.description.label("detail"),
            cast(None, t.c.quantity.type).label("quantity"),
            x.c.amount_cents,
            *source(x, "Ausgaben", up),
        )
        branches = []
        if cost_kind in (None, "personnel"):
            branches.append(narrowed(pers, t.c.partner_code, t.c.month, t.c.module))
        if cost_kind in (None, "expenditure"):
            branches.append(narrowed(exp, x.c.partner_code, x.c.month, x.c.module))
        return branches
    if dataset == "eingaenge":
        u = s.uploads
        stmt = select(
            u.c.partner_code,
            u.c.month,
            u.c.uploaded_at,
            u.c.status,
            u.c.file_name,
            u.c.uploaded_by,
            u.c.n_errors,
            u.c.id.label("row_id"),
        )
        return [narrowed(stmt, u.c.partner_code, u.c.month, None)]
    raise ValueError(f"unknown dataset {dataset!r}")


def record_select(dataset: str, **narrowing) -> Select:
    """All rows of ``dataset`` inside the narrowing (see :func:`_record_branches`), as one
    SELECT over a subquery whose columns are the grid's fields (plus ``row_id``)."""
    branches = _record_branches(dataset, **narrowing)
    sub = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("r")
    return select(*sub.c)


# The order without a sort: the columns of the (partner, id) indexes, then the row.
RECORD_ORDER = {
    "veranstaltungen": ("partner_code", "event_id", "row_id"),
    "coachings": ("partner_code", "coaching_id", "row_id"),
    "teilnahmen": ("partner_code", "activity_id", "row_id"),
    "kosten": ("partner_code", "reference", "row_id"),
    "eingaenge": ("uploaded_at", "row_id"),
}
_TEXT_OPS = {
    "contains": lambda c, v: c.contains(v, autoescape=True),
    "notContains": lambda c, v: ~c.contains(v, autoescape=True),
    "equals": lambda c, v: c == v,
    "notEqual": lambda c, v: c != v,
    "startsWith": lambda c, v: c.startswith(v, autoescape=True),
    "endsWith": lambda c, v: c.endswith(v, autoescape=True),
}
_CMP_OPS = {
    "equals": lambda c, v: c == v,
    "notEqual": lambda c, v: c != v,
    "lessThan": lambda c, v: c < v,
    "lessThanOrEqual": lambda c, v: c <= v,
    "greaterThan": lambda c, v: c > v,
    "greaterThanOrEqual": lambda c, v: c >= v,
}


def _grid_condition(col, model: dict):
    """One AG Grid filter model (text, number or date; simple or combined) as SQL; None when
    it cannot be translated (ignored)."""
    if "conditions" in model:
        parts = [_grid_condition(col, m) for m in model["conditions"]]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return or_(*parts) if model.get("operator") == "OR" else and_(*parts)
    kind, op = model.get("filterType"), model.get("type")
    if op == "blank":
        return col.is_(None)
    if op == "notBlank":
        return col.is_not(None)
    if kind == "text" and op in _TEXT_OPS and model.get("filter") not in (None, ""):
        text = cast(col, String)
        return _TEXT_OPS[op](func.lower(text), str(model["filter"]).lower())
    if kind == "number" and model.get("filter") is not None:
        try:
            value, to = Decimal(str(model["filter"])), model.get("filterTo")
        except ArithmeticError:
            return None
        if op == "inRange" and to is not None:
            return and_(col >= value, col <= Decimal(str(to)))
        return _CMP_OPS[op](col, value) if op in _CMP_OPS else None
    if kind == "date" and model.get("dateFrom"):
        try:
            start = date.fromisoformat(str(model["dateFrom"])[:10])
            end = date.fromisoformat(str(model.get("dateTo") or model["dateFrom"])[:10])
        except ValueError:
            return None
        d = func.substr(cast(col, String), 1, 10)  # dates and timestamps alike, as ISO text
        if op == "inRange":
            return and_(d >= start.isoformat(), d <= end.isoformat())
        return _CMP_OPS[op](d, start.isoformat()) if op in _CMP_OPS else None
    return None


def record_query(
    dataset: str,
    *,
    sort: Sequence[dict] | None = None,
    filters: dict | None = None,
    **narrowing,
) -> Select:
    """The dataset's rows with the grid's column filters (AG Grid filterModel) applied in each
    source SELECT and its sort (sortModel), the natural order breaking ties (stable pages).

    No wrapping subquery: the natural order follows the (partner, id) indexes, so SQLite reads
    a page of an unfiltered table in index order (merging the branches of a union)."""
    out = []
    for branch in _record_branches(dataset, **narrowing):
        cols = {c.name: getattr(c, "element", c) for c in branch.selected_columns}
        for field, model in (filters or {}).items():
            if field in cols and isinstance(model, dict):
                cond = _grid_condition(cols[field], model)
                if cond is not None:
                    branch = branch.where(cond)
        out.append(branch)
    stmt = out[0] if len(out) == 1 else union_all(*out)
    keys = list(stmt.selected_columns.keys())

    def column(name: str):
        # a union is ordered by position (SQLite matches no other term there)
        return (
            literal_column(str(keys.index(name) + 1))
            if len(out) > 1
            else (stmt.selected_columns[name])
        )

    order = []
    for item in sort or []:
        field = item.get("colId") if isinstance(item, dict) else None
        if field in keys:
            col = column(field)
            order.append(col.desc() if item.get("sort") == "desc" else col.asc())
    natural = [column(c) for c in RECORD_ORDER[dataset]]
    if dataset == "eingaenge":  # newest first
        natural = [c.desc() for c in natural]
    return stmt.order_by(*order, *natural)


def record_page(engine: Engine, dataset: str, *, start: int, end: int, **options) -> list[dict]:
    """Rows ``start`` to ``end`` (exclusive) of :func:`record_query` as dicts."""
    stmt = (
        record_query(dataset, **options)
        .offset(max(int(start), 0))
        .limit(max(int(end) - int(start), 0))
    )
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]


def record_count(engine: Engine, dataset: str, *, filters: dict | None = None, **narrowing) -> int:
    """How many rows :func:`record_query` gives (with the grid's column filters)."""
    sub = record_query(dataset, filters=filters, **narrowing).order_by(None).subquery()
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(sub)).scalar() or 0)


def record_totals(engine: Engine, dataset: str, **narrowing) -> dict:
    """The sums above the Daten grid, in SQL: rows, and per dataset participants, hours
    (Decimal), distinct companies and persons, cents by cost kind, or uploads by status."""
    needed = {
        "veranstaltungen": ["n_participants"],
        "coachings": ["hours"],
        "teilnahmen": ["company_id", "n_persons"],
        "kosten": ["kind", "amount_cents"],
        "eingaenge": ["status"],
    }[dataset]
    branches = [  # only the summed columns: no file name looked up per row
        b.with_only_columns(
            *[c for c in b.selected_columns if c.name in needed]
        )
        for b in _record_branches(dataset, **narrowing)
    ]
    sub = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery()
    n = func.count()
    with engine.connect() as conn:
        if dataset == "veranstaltungen":
            r = conn.execute(select(n, func.sum(sub.c.n_participants)).select_from(sub)).one()
            return {"rows": int(r[0]), "participants": int(r[1] or 0)}
        if dataset == "coachings":
            r = conn.execute(select(n, func.sum(sub.c.hours)).select_from(sub)).one()
            return {"rows": int(r[0]), "hours": Decimal(str(r[1] or 0)).quantize(Decimal("0.01"))}
        if dataset == "teilnahmen":
            r = conn.execute(
                select(
                    n, func.count(distinct(sub.c.company_id)), func.sum(sub.c.n_persons)
                ).select_from(sub)
            ).one()
            return {"rows": int(r[0]), "companies": int(r[1]), "persons": int(r[2] or 0)}
        if dataset == "kosten":
            by = dict(
                conn.execute(
                    select(sub.c.kind, func.sum(sub.c.amount_cents)).group_by(sub.c.kind)
                ).all()
            )
            rows = conn.execute(select(n).select_from(sub)).scalar()
            pers, exp = int(by.get("personnel") or 0), int(by.get("expenditure") or 0)
            return {
                "rows": int(rows),
                "personnel": pers,
                "expenditure": exp,
                "total": pers + exp,
            }
        by = dict(conn.execute(select(sub.c.status, n).group_by(sub.c.status)).all())
        return {"rows": sum(by.values()), "by_status": {k: int(v) for k, v in by.items()}}


def record_chunks(engine: Engine, dataset: str, *, chunk: int = 5_000, **options):
    """Every row of :func:`record_query` as dicts, ``chunk`` at a time (a streamed export:
    memory stays bounded)."""
    stmt = record_query(dataset, **options)
    with engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=chunk).execute(stmt)
        for part in result.mappings().partitions(chunk):
            yield [dict(r) for r in part]
