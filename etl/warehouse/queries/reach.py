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

from etl.warehouse import schema as s
from etl.warehouse.queries.common import _current, _filtered, _frame


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
