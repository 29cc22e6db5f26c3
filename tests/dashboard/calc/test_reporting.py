"""Reporting status per partner x month and the on-time rate, by hand."""

from datetime import date, datetime
from fractions import Fraction

import pandas as pd

from dashboard.calc import reporting

MONTHS = [date(2025, m, 1) for m in range(1, 6)]
TODAY = date(2025, 5, 5)


def _uploads(rows):
    return pd.DataFrame(rows, columns=["partner_code", "month", "status", "uploaded_at"])


UPLOADS = _uploads([
    # January: accepted in the evening of the due day (10 February) -> on time
    ("A", date(2025, 1, 1), "accepted", datetime(2025, 2, 10, 18, 0)),
    # February: first version on 11 March (late), replaced on 12 March -> late, corrected
    ("A", date(2025, 2, 1), "superseded", datetime(2025, 3, 11, 9, 0)),
    ("A", date(2025, 2, 1), "accepted", datetime(2025, 3, 12, 9, 0)),
    ("A", date(2025, 2, 1), "unchanged", datetime(2025, 3, 13, 9, 0)),
    # March: only a rejected file, due 10 April -> missing
    ("A", date(2025, 3, 1), "rejected", datetime(2025, 4, 5, 9, 0)),
    # a file that could not be read (no partner, no month) is ignored
    (None, None, "rejected", datetime(2025, 4, 6, 9, 0)),
])


def test_status_of_each_month():
    m = reporting.report_matrix(UPLOADS, ("A",), MONTHS, 10, TODAY)
    assert m["status"].tolist() == ["on_time", "late", "missing", "open", "future"]
    assert m["corrected"].tolist() == [False, True, False, False, False]
    assert m["n_rejected"].tolist() == [0, 0, 1, 0, 0]
    assert m["due"].tolist()[:2] == [date(2025, 2, 10), date(2025, 3, 10)]
    assert m["first_at"].iloc[1] == pd.Timestamp(2025, 3, 11, 9, 0)


def test_late_is_decided_by_the_first_accepted_version():
    ups = _uploads([("A", date(2025, 1, 1), "superseded", datetime(2025, 2, 3, 9, 0)),
                    ("A", date(2025, 1, 1), "accepted", datetime(2025, 2, 20, 9, 0))])
    m = reporting.report_matrix(ups, ("A",), MONTHS[:1], 10, TODAY)
    assert m["status"].tolist() == ["on_time"] and m["corrected"].tolist() == [True]


def test_on_time_rate_counts_due_months_only():
    rates = reporting.on_time_rates(reporting.report_matrix(UPLOADS, ("A", "B"), MONTHS, 10,
                                                            TODAY))
    a = rates.set_index("partner_code").loc["A"]
    assert (a.due, a.on_time, a.late, a.missing, a.corrected) == (3, 1, 1, 1, 1)
    assert a.rate == Fraction(1, 3)
    b = rates.set_index("partner_code").loc["B"]  # B never reported: three months missing
    assert (b.due, b.missing, b.rate) == (3, 3, 0)


def test_nothing_due_yet():
    rates = reporting.on_time_rates(reporting.report_matrix(UPLOADS.iloc[0:0], ("A",),
                                                            MONTHS[:1], 10, date(2025, 2, 1)))
    assert rates["due"].tolist() == [0] and rates["rate"].tolist() == [None]


def test_many_partners_focus_on_those_with_missing_or_late_reports():
    partners = tuple(f"P{i:02d}" for i in range(14))
    ups = _uploads([(p, m, "accepted", datetime(m.year, m.month + 1, 2, 9, 0))
                    for p in partners[1:] for m in MONTHS[:3]])
    matrix = reporting.report_matrix(ups, partners, MONTHS, 10, TODAY)
    rates = reporting.on_time_rates(matrix)
    part, shown, note = reporting.focus(matrix, rates, limit=12)
    assert shown["partner_code"].iloc[0] == "P00"  # three months missing: first
    assert len(shown) == 13 and shown["partner_code"].iloc[-1] == "Weitere (2 Partner)"
    last = shown.iloc[-1]
    assert (last.due, last.on_time, last.rate) == (6, 6, 1)
    assert list(dict.fromkeys(part["partner_code"])) == list(shown["partner_code"])[:12]
    assert note and "14 Partner" in note
    assert reporting.focus(matrix.iloc[:5], rates.iloc[:5], limit=12)[2] is None


def test_matrix_for_a_filter_selects_from_the_whole_matrix(small_config):
    """matrix_for computes the matrix of every partner and month once and selects: the same
    rows, in the order of the partners asked for, as report_matrix of just those."""
    uploads = _uploads([
        ("A", date(2024, 3, 1), "accepted", datetime(2024, 4, 2, 9, 0)),
        ("B", date(2024, 11, 1), "accepted", datetime(2024, 12, 20, 9, 0)),
        ("B", date(2025, 2, 1), "superseded", datetime(2025, 3, 1, 9, 0)),
        ("B", date(2025, 2, 1), "accepted", datetime(2025, 3, 2, 9, 0)),
        ("A", date(2025, 4, 1), "rejected", datetime(2025, 5, 3, 9, 0)),
    ])
    today = date(2025, 6, 20)
    cfg = small_config
    for partners in (("A", "B"), ("B", "A"), ("B",)):
        for years in ((2024, 2025), (2025,), (2024,)):
            months = [m for m in cfg.months() if m.year in years]
            want = reporting.report_matrix(uploads, partners, months, cfg.report_due_day, today)
            got = reporting.matrix_for(uploads, cfg, partners, years, today)
            pd.testing.assert_frame_equal(got, want)
    # computed once for the frame, configuration and day
    first = reporting._whole_matrix(uploads, cfg, today)
    assert reporting._whole_matrix(uploads, cfg, today) is first
    assert reporting._whole_matrix(uploads.copy(), cfg, today) is not first


def test_reporting_duty_marks_months_exempt_or_due_after_the_quarter(small_config):
    """A partner joining later and reporting quarterly (etl.core.duty): months before joining
    are exempt, a quarter's months are due together after it; a partner without duty has no
    missing month, and a report it sent anyway is "extra" (not counted as due)."""
    from dataclasses import replace

    a, b = small_config.partners
    config = replace(small_config, partners=(
        replace(a, joins=date(2024, 3, 1), reporting="quarterly"), replace(b, reporting="none"),
    ))
    ups = _uploads([("B", date(2024, 1, 1), "accepted", datetime(2024, 3, 1, 9, 0))])
    months = [date(2024, m, 1) for m in range(1, 7)]
    today = date(2024, 7, 5)
    m = reporting.with_duty(reporting.report_matrix(ups, ("A", "B"), months, 10, today),
                            config, today)
    a_rows, b_rows = m[m["partner_code"] == "A"], m[m["partner_code"] == "B"]
    # A: Jan, Feb exempt; March (quarter 1) overdue since 10 April; Apr-Jun due 10 July
    assert a_rows["status"].tolist() == ["exempt", "exempt", "missing", "open", "open", "open"]
    assert a_rows["due"].tolist()[2:] == [date(2024, 4, 10)] + [date(2024, 7, 10)] * 3
    assert b_rows["status"].tolist() == ["extra"] + ["exempt"] * 5
    rates = reporting.on_time_rates(m)
    assert rates.set_index("partner_code")["due"].to_dict() == {"A": 1, "B": 0}
    states = reporting.with_states(m, pd.DataFrame(columns=["partner_code", "month", "state"]),
                                   pd.DataFrame(columns=["partner_code", "month"]))
    assert states[states["status"] == "exempt"]["state"].isna().all()
