"""Reporting discipline: one status per partner x month and the on-time rate per partner.

A month's report is due on ``report_due_day`` of the following month. Its status is taken
from the first version that was accepted (a later correction does not make it late):
on_time, late (arrived after the due day), missing (due and nothing accepted), open (month
over, not yet due, nothing accepted) or future (month not over). ``corrected`` marks a
partner-month whose first accepted version was later replaced (status superseded).
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pandas as pd

from dashboard.calc.periods import add_months, due_date

ACCEPTED = ("accepted", "superseded")  # superseded versions were accepted when they arrived
COLUMNS = ["partner_code", "month", "due", "first_at", "status", "corrected", "n_rejected"]


def _status(first_at, month: date, due: date, today: date) -> str:
    if first_at is not None:
        return "on_time" if first_at.date() <= due else "late"
    if add_months(month, 1) > today:
        return "future"
    return "missing" if due < today else "open"


def report_matrix(
    uploads: pd.DataFrame, partners: tuple[str, ...], months: list[date], due_day: int, today: date
) -> pd.DataFrame:
    """One row per partner x month of ``months`` (first days), with the status of its report."""
    ups = uploads.copy()
    ups["month"] = [
        pd.Timestamp(m).date() if m is not None and not pd.isna(m) else None for m in ups["month"]
    ]
    ok = ups[ups["status"].isin(ACCEPTED)]
    first = ok.groupby(["partner_code", "month"])["uploaded_at"].min().to_dict()
    corrected = set(
        map(
            tuple,
            ups.loc[ups["status"] == "superseded", ["partner_code", "month"]].itertuples(
                index=False
            ),
        )
    )
    rejected = ups[ups["status"] == "rejected"].groupby(["partner_code", "month"]).size()
    rows = []
    for code in partners:
        for month in months:
            due = due_date(month, due_day)
            at = first.get((code, month))
            at = None if at is None or pd.isna(at) else pd.Timestamp(at).to_pydatetime()
            rows.append(
                {
                    "partner_code": code,
                    "month": month,
                    "due": due,
                    "first_at": at,
                    "status": _status(at, month, due, today),
                    "corrected": (code, month) in corrected,
                    "n_rejected": int(rejected.get((code, month), 0)),
                }
            )
    return pd.DataFrame(rows, columns=COLUMNS)


def on_time_rates(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per partner: reports due, on time, late, missing, corrected, and the on-time
    rate = on time / due (None when nothing was due yet)."""
    rows = []
    for code, grp in matrix.groupby("partner_code", sort=False):
        counts = grp["status"].value_counts()
        on_time, late, missing = (int(counts.get(s, 0)) for s in ("on_time", "late", "missing"))
        due = on_time + late + missing
        rows.append(
            {
                "partner_code": code,
                "due": due,
                "on_time": on_time,
                "late": late,
                "missing": missing,
                "corrected": int(grp["corrected"].sum()),
                "rate": Fraction(on_time, due) if due else None,
            }
        )
    return pd.DataFrame(
        rows, columns=["partner_code", "due", "on_time", "late", "missing", "corrected", "rate"]
    )
