"""Reporting discipline: one status per partner x month and the on-time rate per partner.

A month's report is due on ``report_due_day`` of the following month. Its status is taken
from the first version that was accepted (a later correction does not make it late):
on_time, late (arrived after the due day), missing (due and nothing accepted), open (month
over, not yet due, nothing accepted), future (month not over), exempt or extra (the partner
need not report the month; extra: it did anyway; :func:`with_duty`, etl.core.duty).
``corrected`` marks a partner-month whose first accepted version was later replaced (status
superseded).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import numpy as np
import pandas as pd

from dashboard.calc import memo
from dashboard.calc.periods import add_months, due_date
from etl.core.config import NetworkConfig
from etl.core.duty import report_dues

ACCEPTED = ("accepted", "superseded")  # superseded versions were accepted when they arrived
COLUMNS = [
    "partner_code", "month", "due", "first_at", "status", "corrected", "n_rejected", "is_due"
]


def _status(first_at, month: date, due: date, today: date) -> str:
    if first_at is not None:
        return "on_time" if first_at.date() <= due else "late"
    if add_months(month, 1) > today:
        return "future"
    return "missing" if due < today else "open"


def _month_stamps(values: pd.Series) -> pd.Series:
    """Report months as datetime64 first days (NaT where a file had no month)."""
    return pd.to_datetime(values, errors="coerce").dt.to_period("M").dt.to_timestamp()


def report_matrix(
    uploads: pd.DataFrame, partners: tuple[str, ...], months: list[date], due_day: int, today: date
) -> pd.DataFrame:
    """One row per partner x month of ``months`` (first days), with the status of its report.

    Computed once over the uploads (groupby + one merge onto the partner x month grid), so
    it costs the same for 5 or 500 partners."""
    partners, months = list(partners), list(months)
    n_p, n_m = len(partners), len(months)
    grid = pd.DataFrame(
        {
            "partner_code": pd.Series(
                np.repeat(np.array(partners, dtype=object), n_m), dtype=object
            ),
            "month": pd.Series(months * n_p, dtype=object),
        }
    )
    if not n_p or not n_m:
        return pd.DataFrame(columns=COLUMNS)
    ups = uploads[["partner_code", "month", "status", "uploaded_at"]]
    ups = ups[ups["partner_code"].isin(partners)]
    stamps = pd.to_datetime(pd.Series(months, dtype=object))
    ups = ups.assign(mkey=_month_stamps(ups["month"]))
    ups = ups[ups["mkey"].isin(stamps)]
    grid["mkey"] = pd.Series(list(stamps) * n_p).to_numpy()
    keys = ["partner_code", "mkey"]
    status = ups["status"]
    per = pd.DataFrame(
        {
            "first_at": ups["uploaded_at"].where(status.isin(ACCEPTED)),
            "corrected": status == "superseded",
            "n_rejected": (status == "rejected").astype(int),
        }
    )
    per[keys] = ups[keys]
    agg = per.groupby(keys, sort=False).agg(
        first_at=("first_at", "min"),
        corrected=("corrected", "any"),
        n_rejected=("n_rejected", "sum"),
    )
    out = grid.merge(agg.reset_index(), on=keys, how="left")
    dues = {m: due_date(m, due_day) for m in months}
    out["due"] = pd.Series([dues[m] for m in months] * n_p, dtype=object)
    first = pd.to_datetime(out["first_at"])
    arrived = first.notna().to_numpy()
    first_day = first.dt.normalize()
    due_ts = np.tile(pd.to_datetime(pd.Series([dues[m] for m in months])).to_numpy(), n_p)
    on_time = (first_day.to_numpy() <= due_ts) & arrived
    future = np.array([add_months(m, 1) > today for m in months] * n_p, dtype=bool)
    overdue = np.array([dues[m] < today for m in months] * n_p, dtype=bool)
    out["status"] = np.select(
        [arrived & on_time, arrived, future, overdue],
        ["on_time", "late", "future", "missing"],
        default="open",
    ).astype(object)
    out["first_at"] = first.astype(object).where(arrived, None) if not arrived.any() else first
    out["corrected"] = out["corrected"].eq(True).to_numpy(dtype=bool)
    out["n_rejected"] = out["n_rejected"].fillna(0).to_numpy(dtype=np.int64)
    out["is_due"] = np.array([dues[m] <= today for m in months] * n_p, dtype=bool)  # "fällig"
    return out[COLUMNS]


def with_duty(matrix: pd.DataFrame, config: NetworkConfig, today: date) -> pd.DataFrame:
    """The matrix with each partner's reporting duty (etl.core.duty): a month the partner need
    not report (before joining, after leaving, ``reporting = "none"``) is ``exempt``, or
    ``extra`` when a report arrived anyway (neither counts as due), and a quarterly partner's
    months are due after the quarter. Partners reporting monthly through the whole period are
    left as they are."""
    special = [
        p.code
        for p in config.partners
        if p.reporting != "monthly" or p.joins is not None or p.leaves is not None
    ]
    rows = matrix["partner_code"].isin(special).to_numpy()
    if not rows.any():
        return matrix
    out = matrix.copy()
    dues = {code: report_dues(config, code) for code in special}
    for i in np.flatnonzero(rows):
        r = out.iloc[i]
        due = dues[r["partner_code"]].get(r["month"])
        first_at = r["first_at"] if pd.notna(r["first_at"]) else None
        if due is None:
            status = "exempt" if first_at is None else "extra"
        else:
            status = _status(first_at, r["month"], due, today)
        out.iat[i, out.columns.get_loc("status")] = status
        out.iat[i, out.columns.get_loc("due")] = due
    return out


@memo.per_frames
def _whole_matrix(uploads: pd.DataFrame, config: NetworkConfig, today: date) -> pd.DataFrame:
    return with_duty(
        report_matrix(uploads, config.partner_codes, config.months(), config.report_due_day, today),
        config,
        today,
    )


def matrix_for(
    uploads: pd.DataFrame,
    config: NetworkConfig,
    partners: tuple[str, ...],
    years: tuple[int, ...],
    today: date,
) -> pd.DataFrame:
    """:func:`report_matrix` of ``partners`` (in their order) and the months of ``years``:
    rows of the matrix of every partner and month, which is computed once per uploads frame,
    configuration and day (a filter change only selects)."""
    whole = _whole_matrix(uploads, config, today)
    rank = {code: i for i, code in enumerate(dict.fromkeys(partners))}
    at = whole["partner_code"].map(rank)
    years_in = np.isin([config.year_of(m) for m in whole["month"]], list(years))
    inside = at.notna().to_numpy() & years_in
    part = whole[inside]
    order = np.lexsort((np.arange(len(part)), at[inside].to_numpy()))
    return part.iloc[order].reset_index(drop=True)


RATE_COLUMNS = ["partner_code", "due", "on_time", "late", "missing", "corrected", "rate"]


def on_time_rates(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per partner: reports due (months whose due date has passed; a report that
    came early for a month not yet due counts once it is), on time, late, missing,
    corrected, and the on-time rate = on time / due (None when nothing was due yet)."""
    if matrix.empty:
        return pd.DataFrame(columns=RATE_COLUMNS)
    codes = pd.unique(matrix["partner_code"])
    status = matrix["status"]
    if "is_due" in matrix:  # only months due (a matrix built by hand may leave it out)
        status = status.where(matrix["is_due"].astype(bool), "")
    counts = pd.DataFrame(
        {
            "partner_code": matrix["partner_code"],
            **{s: (status == s).astype(int) for s in ("on_time", "late", "missing")},
            "corrected": matrix["corrected"].astype(int),
        }
    )
    out = counts.groupby("partner_code", sort=False).sum().reindex(codes).reset_index()
    out["due"] = out["on_time"] + out["late"] + out["missing"]
    out["rate"] = [
        Fraction(int(o), int(d)) if d else None
        for o, d in zip(out["on_time"], out["due"], strict=True)
    ]
    for c in ("due", "on_time", "late", "missing", "corrected"):
        out[c] = out[c].astype(int)
    return out[RATE_COLUMNS]


def focus(
    matrix: pd.DataFrame, rates: pd.DataFrame, limit: int = 12
) -> tuple[pd.DataFrame, pd.DataFrame, str | None]:
    """With more than ``limit`` partners: the ``limit`` with the most missing + late reports
    (then lowest rate), the matrix of those only, their rates plus one row "Weitere (n
    Partner)" with the others' sums, and a note saying so. Otherwise all unchanged."""
    if len(rates) <= limit:
        return matrix, rates, None
    problems = (rates["missing"] + rates["late"]).to_numpy()
    rate = [float(r) if r is not None else 2.0 for r in rates["rate"]]
    order = sorted(range(len(rates)), key=lambda i: (-int(problems[i]), rate[i], i))
    top = rates.iloc[order[:limit]]
    rest = rates.iloc[order[limit:]]
    label = f"Weitere ({len(rest)} Partner)"
    sums = {c: int(rest[c].sum()) for c in ("due", "on_time", "late", "missing", "corrected")}
    others = {
        "partner_code": label,
        **sums,
        "rate": Fraction(sums["on_time"], sums["due"]) if sums["due"] else None,
    }
    shown = list(top["partner_code"])
    rank = {p: i for i, p in enumerate(shown)}
    part = matrix[matrix["partner_code"].isin(shown)]
    part = part.iloc[np.lexsort((np.arange(len(part)), part["partner_code"].map(rank).to_numpy()))]
    n_ok = int((problems == 0).sum())
    note = (
        f"{len(rates)} Partner in der Auswahl: gezeigt sind die {limit} mit den meisten "
        f"fehlenden oder verspäteten Berichten; die übrigen {len(rest)} sind unten in "
        f"„{label}“ zusammengefasst ({n_ok} Partner ohne fehlende oder verspätete Berichte). "
        "Einzelne Partner oben im Filter wählen, um ihre Monate zu sehen."
    )
    return part, pd.concat([top, pd.DataFrame([others])], ignore_index=True), note


def with_states(matrix: pd.DataFrame, states: pd.DataFrame, comments: pd.DataFrame) -> pd.DataFrame:
    """The matrix with each cell's review ``state`` (``due`` for a month that is over and has no
    state row, None for a month not over) and its number of comments ``n_comments``."""
    out = matrix.copy()
    keys = list(zip(out["partner_code"], out["month"], strict=True))
    known = dict(zip(zip(states["partner_code"], states["month"], strict=True), states["state"],
                     strict=True))  # fmt: skip
    counts = comments.groupby(["partner_code", "month"]).size().to_dict() if len(comments) else {}
    out["state"] = [
        known.get(k, None if s in ("future", "exempt") else "due")
        for k, s in zip(keys, out["status"], strict=True)
    ]
    out["n_comments"] = [int(counts.get(k, 0)) for k in keys]
    return out
