"""Warehouse invariants that SQL can state: keys unique and not null, fact rows linked to
their upload, the pre-aggregates ``fact_monthly`` and ``fact_reach`` equal to their
recomputation from the current fact rows (:mod:`etl.warehouse.recompute`), and each staff
row's amount equal to its unit cost. :mod:`etl.ops.check` runs them together with the money
check against the report (``python -m etl check``).

Each function returns the rows that break its invariant (one dict per row).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Connection,
    Engine,
    UniqueConstraint,
    case,
    func,
    or_,
    select,
    union_all,
)

from etl.core.config import NetworkConfig
from etl.core.money import personnel_cents
from etl.warehouse import schema as s
from etl.warehouse.recompute import (
    PLACES,
    current,
    expected_monthly,
    expected_reach,
)

LIMIT = 50  # failing rows kept per check: enough to find the cause, not a million lines
LOADED = ("accepted", "superseded")  # statuses whose uploads wrote fact rows


def sql_failures(engine: Engine, config: NetworkConfig | None = None) -> dict[str, list[dict]]:
    """The failing rows of each SQL invariant, by check name, read from one snapshot
    (``config``: its configured sheets' measures are part of ``fact_monthly``)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        return {
            "keys": key_failures(conn),
            "fact_uploads": upload_failures(conn),
            "fact_monthly": monthly_failures(conn, config.activity_sheets if config else ()),
            "fact_reach": reach_failures(conn),
        }


# --- keys ----------------------------------------------------------------------------------


def _key_groups(conn: Connection, label: str, stmt) -> list[dict]:
    """Groups of ``stmt``'s key columns that occur more than once or hold a NULL. A column
    labelled ``fold`` is the grouping key of a case-insensitive ID; the ID is shown as
    spelled (its smallest spelling)."""
    sub = stmt.subquery()
    keys = [c for c in sub.c if c.name != "shown"]
    shown = [func.min(sub.c.shown).label("id")] if "shown" in sub.c else []
    nulls = or_(*[c.is_(None) for c in keys])
    query = (
        select(*keys, *shown, func.count().label("n"))
        .group_by(*keys)
        .having(or_(func.count() > 1, nulls))
    )
    out = []
    for row in conn.execute(query):
        values = {k: v for k, v in row._mapping.items() if k != "fold"}
        out.append({"table": label, **values})
    return out


def _schema_keys() -> list[tuple[str, object]]:
    """Primary keys and unique constraints of every table."""
    keys: dict[tuple, list] = {}
    for t in s.metadata.sorted_tables:
        uniques = [list(con.columns) for con in t.constraints if isinstance(con, UniqueConstraint)]
        for cols in [list(t.primary_key.columns), *uniques, *([c] for c in t.columns if c.unique)]:
            if cols:  # one query per key, however often the schema declares it
                keys.setdefault((t.name, *(c.name for c in cols)), cols)
    return [(name[0], select(*cols)) for name, cols in keys.items()]


def _natural_keys() -> list[tuple[str, object]]:
    """The contract's keys of the current fact rows (IDs compared case-insensitively)."""
    e, c, p, pe, x, u = (
        s.events,
        s.coachings,
        s.participations,
        s.personnel,
        s.expenditure,
        s.uploads,
    )

    def ids(t, col, *more):
        return current(t).add_columns(
            t.c.partner_code, *more, func.lower(col).label("fold"), col.label("shown")
        )

    activities = union_all(ids(e, e.c.event_id), ids(c, c.c.coaching_id)).subquery()
    return [
        ("events", ids(e, e.c.event_id)),
        ("coachings", ids(c, c.c.coaching_id)),
        ("events+coachings", select(activities)),
        ("participations", ids(p, p.c.activity_id, p.c.month, p.c.company_id)),
        ("personnel", ids(pe, pe.c.staff_code, pe.c.month)),
        ("expenditure", ids(x, x.c.receipt_no)),
        ("uploads (accepted)", select(u.c.partner_code, u.c.month).where(u.c.status == "accepted")),
    ]


def key_failures(conn: Connection) -> list[dict]:
    """Keys that repeat or are NULL: primary and unique keys of every table, and the natural
    keys of the current fact rows (one accepted upload per partner-month)."""
    out: list[dict] = []
    for label, stmt in [*_schema_keys(), *_natural_keys()]:
        out += _key_groups(conn, label, stmt)
    return out


# --- fact rows and their uploads ------------------------------------------------------------


def upload_failures(conn: Connection) -> list[dict]:
    """Fact rows without an upload, of an upload that loaded nothing (rejected, unchanged),
    or of another partner-month than their upload's."""
    u = s.uploads
    out = []
    for t in (*s.FACT_TABLES, s.sheet_rows):
        problem = case(
            (u.c.id.is_(None), "Upload fehlt"),
            (u.c.status.not_in(LOADED), "Upload hat keine Zahlen geladen"),
            else_="anderer Partner-Monat als der Upload",
        ).label("problem")
        stmt = (
            select(t.c.id, t.c.upload_id, t.c.partner_code, t.c.month, u.c.status, problem)
            .select_from(t.outerjoin(u, u.c.id == t.c.upload_id))
            .where(
                or_(
                    u.c.id.is_(None),
                    u.c.status.not_in(LOADED),
                    u.c.partner_code.is_distinct_from(t.c.partner_code),
                    u.c.month.is_distinct_from(t.c.month),
                )
            )
            .order_by(t.c.id)
            .limit(LIMIT)
        )
        for row in conn.execute(stmt):
            r = row._mapping
            out.append(
                {
                    "table": t.name,
                    **{k: r[k] for k in ("id", "upload_id", "partner_code", "month")},
                    "status": r["status"],
                    "problem": r["problem"],
                }
            )
    return out


# --- fact_monthly ---------------------------------------------------------------------------


def _stored_monthly(conn: Connection) -> dict[tuple, tuple[Decimal, int]]:
    f = s.fact_monthly
    rows = conn.execute(
        select(f.c.partner_code, f.c.month, f.c.module, f.c.measure, f.c.value, f.c.upload_id)
    )
    return {tuple(r[:4]): (Decimal(r.value).quantize(PLACES), r.upload_id) for r in rows}


def _differences(stored: dict, expected: dict, names: list[str], values: list[str]) -> list:
    """One row per key whose stored and expected values differ (or that one side lacks)."""
    differ = [k for k in stored.keys() | expected.keys() if stored.get(k) != expected.get(k)]
    out = []
    for key in sorted(differ, key=lambda k: tuple(map(str, k))):  # only the few that differ
        have, want = stored.get(key), expected.get(key)
        row = dict(zip(names, key, strict=True))
        for i, name in enumerate(values):
            row[f"{name}_stored"] = None if have is None else have[i]
            row[f"{name}_expected"] = None if want is None else want[i]
        out.append(row)
    return out


def monthly_failures(conn: Connection, sheets: tuple = ()) -> list[dict]:
    """Rows of ``fact_monthly`` that differ from the recomputation, or are missing/extra."""
    return _differences(
        _stored_monthly(conn),
        expected_monthly(conn, sheets),
        ["partner_code", "month", "module", "measure"],
        ["value", "upload_id"],
    )


# --- fact_reach -----------------------------------------------------------------------------


def reach_failures(conn: Connection) -> list[dict]:
    """Rows of ``fact_reach`` that differ from the recomputation, or are missing/extra."""
    r = s.fact_reach
    values = ["activity_date", "n_persons",
              "size_class", "class_date", "class_upload_id", "class_row"]
    stored = {
        (row.partner_code, row.module, row.year, row.company_id): tuple(row[v] for v in values)
        for row in conn.execute(select(r)).mappings()
    }
    return _differences(
        stored, expected_reach(conn), ["partner_code", "module", "year", "company_id"], values
    )


def unit_cost_failures(engine: Engine, config: NetworkConfig) -> list[dict]:
    """Current ``Personal`` rows whose amount is not unit cost x quantity, rounded per row."""
    t = s.personnel
    table, hours = config.rate_table(), config.rules.hours_per_year
    stmt = current(t).add_columns(
        t.c.id,
        t.c.partner_code,
        t.c.month,
        t.c.staff_code,
        t.c.pay_group,
        t.c.billing,
        t.c.quantity,
        t.c.amount_cents,
    )
    out = []
    with engine.connect() as conn:
        for r in conn.execute(stmt):
            want = personnel_cents(r.billing, Decimal(r.quantity), r.pay_group, table, hours)
            if want != r.amount_cents:
                out.append(
                    {
                        "table": "personnel",
                        "id": r.id,
                        "partner_code": r.partner_code,
                        "month": r.month,
                        "staff_code": r.staff_code,
                        "stored_cents": r.amount_cents,
                        "expected_cents": want,
                    }
                )
    return out
