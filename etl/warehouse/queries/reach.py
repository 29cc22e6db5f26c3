"""Companies reached: reads at participation grain (one row per current participation) and
at the targets' grain (partner x module x year x company, stored in ``fact_reach``), the
SELECT that computes ``fact_reach``, and the activity keys participations cite."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from pandas.api.types import union_categoricals
from sqlalchemy import (
    Engine,
    Select,
    String,
    distinct,
    func,
    literal,
    select,
    type_coerce,
    union_all,
)

from etl.core.years import years_of
from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _filtered, _frame
from etl.warehouse.years import start_month


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
    """One row per current participation: partner, module and year of the activity, company,
    and the SME class as that participation reported it."""
    p = s.participations
    acts = activity_keys().subquery()
    stmt = (
        _current(p)
        .join(
            acts,
            (acts.c.partner_code == p.c.partner_code) & (acts.c.activity_id == p.c.activity_id),
        )
        .with_only_columns(
            p.c.partner_code,
            acts.c.module,
            acts.c.activity_date,
            acts.c.kind,
            p.c.company_id,
            p.c.size_class,
            p.c.n_persons,
        )
    )
    start = start_month(engine)
    stmt = _filtered(stmt, p.c.partner_code, acts.c.activity_date, partners=partners,
                     years=years, start=start)
    df = _frame(engine, stmt)
    df["year"] = years_of(df["activity_date"], start) if not df.empty else pd.Series(dtype=int)
    return df


REACH_CHUNK = 50_000  # rows of fact_reach per fetch


def _concat_coded(parts: list[pd.DataFrame], names: list[str]) -> pd.DataFrame:
    """The chunks as one frame; categorical columns stay categorical (their categories
    united), so a repeated partner code costs one byte, not one string object."""
    if not parts:
        dates = {n: "M8[us]" for n in ("activity_date", "class_date") if n in names}
        return pd.DataFrame({n: [] for n in names}).astype(dates)
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
    the company's SME class and the persons summed (from ``fact_reach``).

    Two SME classes, as :func:`resolve_classes` defines them: ``size_class``, the class this
    row's partner reported itself (for a partner's own figures: another partner's reports never
    change them), and ``network_class``, one class per company for counts across partners.

    :func:`company_reach` at a coarser grain: distinct companies by partner, module and/or
    year, SME shares and the month a company was first reached come out the same, from
    fewer rows.
    """
    df = _reach_rows(engine, partners=partners, years=years)
    df["activity_date"] = df["activity_date"].dt.date
    return df


NAMES = ["partner_code", "module", "activity_date", "company_id", "n_persons", "year"]
CLASS_NAMES = ["partner_code", "company_id", "size_class", "class_date", "class_upload_id",
               "class_row"]


def _read(conn, stmt: Select, names: list[str]) -> list[pd.DataFrame]:
    """The rows of ``stmt`` as compact frames, straight from the driver's cursor (no column
    here needs a result processor; 460 k Row objects would cost more than the query), in
    chunks: a whole list of tuples would take ~250 MB at a million fact rows."""
    coded = {n: "category" for n in ("partner_code", "module", "size_class") if n in names}
    parts = []
    cursor = conn.execute(stmt).cursor
    while rows := cursor.fetchmany(REACH_CHUNK):
        part = pd.DataFrame(dict(zip(names, zip(*rows, strict=True), strict=True)))
        for n in ("activity_date", "class_date"):
            if n in part:
                part[n] = pd.to_datetime(part[n])
        parts.append(part.astype(coded))
    return parts


def resolve_classes(reports: pd.DataFrame) -> pd.DataFrame:
    """Per partner x company (one row each): ``size_class``, the class of the partner's own
    latest report of the company, and ``network_class``, the class of the latest report of the
    company by any partner (the network-wide rule). Latest = latest activity date, then newer
    upload, then later sheet row. ``reports``: fact_reach's class columns (``CLASS_NAMES``)."""
    order = reports.sort_values(["class_date", "class_upload_id", "class_row"], kind="stable")
    own = order.drop_duplicates(["partner_code", "company_id"], keep="last")
    network = own.drop_duplicates("company_id", keep="last").set_index("company_id")
    out = own[["partner_code", "company_id", "size_class"]].reset_index(drop=True)
    out["network_class"] = out["company_id"].map(network["size_class"])
    return out


def _reach_rows(
    engine: Engine, *, partners: Sequence[str] | None = None, years: Sequence[int] | None = None
) -> pd.DataFrame:
    """:func:`company_reach_by_group` with ``activity_date`` as datetime64: no Python date
    objects (460 k of them at a million fact rows cost ~20 MB, and pickling them for the
    shared cache ~120 MB at its peak)."""
    r = s.fact_reach
    # Hundreds of thousands of rows: no join or sort in SQL, no per-value conversion of the
    # date (read as text on SQLite, parsed once per column), SME classes resolved in pandas.
    cls = [r.c.size_class, type_coerce(r.c.class_date, String), r.c.class_upload_id,
           r.c.class_row]
    stmt = select(r.c.partner_code, r.c.module, type_coerce(r.c.activity_date, String),
                  r.c.company_id, r.c.n_persons, r.c.year, *cls)
    if partners:
        stmt = stmt.where(r.c.partner_code.in_(list(partners)))
    if years:
        stmt = stmt.where(r.c.year.in_([int(y) for y in years]))
    names = [*NAMES, *CLASS_NAMES[2:]]
    with engine.connect() as conn:
        df = _concat_coded(_read(conn, stmt, names), names)
        # a partner's class and the network's come from all its groups, whatever the filter
        everything = select(r.c.partner_code, r.c.company_id, *cls)
        reports = (_concat_coded(_read(conn, everything, CLASS_NAMES), CLASS_NAMES)
                   if partners or years else df[CLASS_NAMES])
    classes = resolve_classes(reports)
    df = df[NAMES]
    keys = pd.MultiIndex.from_frame(classes[["partner_code", "company_id"]].astype(
        {"partner_code": str}))
    at = keys.get_indexer(pd.MultiIndex.from_arrays(
        [df["partner_code"].astype(str), df["company_id"]]))
    df.insert(4, "size_class", classes["size_class"].to_numpy()[at] if len(df) else [])
    df.insert(5, "network_class", classes["network_class"].to_numpy()[at] if len(df) else [])
    df["year"] = df["year"].astype("int32")
    return df.sort_values(["partner_code", "module", "year", "company_id"], ignore_index=True)


def unique_companies(engine: Engine) -> int:
    """Distinct companies reached by any current participation (the EU output indicator)."""
    p = s.participations
    stmt = _current(p).with_only_columns(func.count(distinct(p.c.company_id)))
    with engine.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def company_reach_coded(engine: Engine) -> pd.DataFrame:
    """:func:`company_reach_by_group` for the dashboard's group-bys: partner, module and SME
    class as categoricals (grouping and filtering hundreds of thousands of rows without
    hashing strings) and ``month``, the first day of the month of ``activity_date``."""
    return code_reach(_reach_rows(engine))


def code_reach(df: pd.DataFrame) -> pd.DataFrame:
    """A :func:`company_reach_by_group` frame as :func:`company_reach_coded` returns it
    (changed in place; ``activity_date`` as dates or datetime64, kept as it is)."""
    for col in ("partner_code", "module", "size_class", "network_class"):
        df[col] = df[col].astype("category")
    dates = pd.to_datetime(df["activity_date"]) if not df.empty else pd.Series(dtype="M8[s]")
    df["month"] = dates.dt.to_period("M").dt.to_timestamp()
    # one row per partner x module x year x company (lets counts skip a distinct pass)
    df.attrs["unique_by"] = ["partner_code", "module", "year", "company_id"]
    return df


def size_class_conflicts(engine: Engine) -> pd.DataFrame:
    """One row per company x partner x SME class reported for a company that current
    participations report with more than one class (by one partner or several): its name and
    PLZ, and the latest activity date of that partner's reports with that class. Sorted by
    company, then date. Steering resolves these; figures follow :func:`resolve_classes`."""
    p, co = s.participations, s.companies
    conflicted = (
        _current(p)
        .with_only_columns(p.c.company_id)
        .group_by(p.c.company_id)
        .having(func.count(distinct(p.c.size_class)) > 1)
    )
    acts = activity_keys().subquery()
    group = [p.c.company_id, co.c.display_name, co.c.plz, p.c.partner_code, p.c.size_class]
    stmt = (
        _current(p)
        .join(acts, (acts.c.partner_code == p.c.partner_code)
              & (acts.c.activity_id == p.c.activity_id))
        .join(co, co.c.id == p.c.company_id)
        .where(p.c.company_id.in_(conflicted))
        .with_only_columns(*group, func.max(acts.c.activity_date).label("reported_on"))
        .group_by(*group)
    )
    df = _frame(engine, stmt)
    if not df.empty:
        df["reported_on"] = pd.to_datetime(df["reported_on"]).dt.date
    return df.sort_values(["display_name", "plz", "reported_on", "partner_code"],
                          ignore_index=True)
