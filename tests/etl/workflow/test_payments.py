"""Payment requests (Mittelabrufe): the lifecycle requested -> approved (also in part) -> paid,
the rules of each step, the audit trail, and where each partner stands."""

from __future__ import annotations

from datetime import date

import pytest

from etl.warehouse import queries
from etl.workflow import payments
from tests.factories import month_report, workbook


def _request(engine, config, partner="DO", start=date(2025, 3, 1), end=date(2025, 3, 1),
             cents=5_000_00, on=date(2025, 4, 15)) -> int:
    return payments.record_request(engine, config, partner=partner, requested_date=on,
                                   period_start=start, period_end=end, amount_cents=cents,
                                   by="finanzen", note="1. Abruf")


def _row(engine, request_id: int):
    df = queries.payment_requests(engine)
    return df[df["id"] == request_id].iloc[0]


def test_lifecycle_with_partial_approval(engine, config):
    rid = _request(engine, config)
    row = _row(engine, rid)
    assert (row.status, row.requested_cents, row.note) == ("requested", 500000, "1. Abruf")
    payments.approve(engine, rid, amount_cents=4_200_00, approved_date=date(2025, 5, 2),
                     by="finanzen")
    row = _row(engine, rid)
    assert (row.status, row.approved_cents, row.approved_date) == (
        "approved", 420000, date(2025, 5, 2))
    payments.mark_paid(engine, rid, paid_date=date(2025, 5, 20), by="finanzen")
    row = _row(engine, rid)
    assert (row.status, row.paid_cents, row.paid_date) == ("paid", 420000, date(2025, 5, 20))
    actions = list(queries.audit_rows(engine)["action"])
    assert actions[:3] == ["payment_paid", "payment_approved", "payment_requested"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"cents": 0}, "größer als 0,00 €"),
        ({"start": date(2025, 4, 1), "end": date(2025, 3, 1)}, "endet vor seinem Beginn"),
        ({"start": date(2023, 1, 1)}, "nicht in der Projektlaufzeit"),
        ({"on": date(2025, 2, 1)}, "vor dem Beginn"),
        ({"partner": "XX"}, "unbekannt"),
    ],
)
def test_a_request_is_checked(engine, config, kwargs, message):
    with pytest.raises(payments.PaymentError, match=message):
        _request(engine, config, **kwargs)
    assert queries.payment_requests(engine).empty


def test_steps_in_order_and_within_the_amounts(engine, config):
    rid = _request(engine, config)
    with pytest.raises(payments.PaymentError, match="nur ein bewilligter"):
        payments.mark_paid(engine, rid, paid_date=date(2025, 5, 1), by="f")
    with pytest.raises(payments.PaymentError, match="höchstens der beantragte"):
        payments.approve(engine, rid, amount_cents=5_000_01, approved_date=date(2025, 5, 1),
                         by="f")
    with pytest.raises(payments.PaymentError, match="vor dem Abrufdatum"):
        payments.approve(engine, rid, amount_cents=100, approved_date=date(2025, 4, 1), by="f")
    payments.approve(engine, rid, amount_cents=4_000_00, approved_date=date(2025, 5, 1), by="f")
    with pytest.raises(payments.PaymentError, match="bereits bewilligt"):
        payments.approve(engine, rid, amount_cents=100, approved_date=date(2025, 5, 1), by="f")
    with pytest.raises(payments.PaymentError, match="höchstens der bewilligte"):
        payments.mark_paid(engine, rid, paid_date=date(2025, 5, 9), by="f", amount_cents=4_000_01)
    with pytest.raises(payments.PaymentError, match="vor der Bewilligung"):
        payments.mark_paid(engine, rid, paid_date=date(2025, 4, 30), by="f")
    with pytest.raises(payments.PaymentError, match="gibt es nicht"):
        payments.approve(engine, 999, amount_cents=1, approved_date=date(2025, 5, 1), by="f")


def test_position_per_partner(engine, config, ingest):
    # DO March 2025: eligible 9.092,85 €, grant 7.274,28 € (80 %); DO April 2025 and BO March
    ingest(workbook())
    ingest(workbook("DO", "2025-04", data=month_report("DO", "2025-04")))
    ingest(workbook("BO", "2025-03", data=month_report("BO", "2025-03")))
    paid = _request(engine, config, cents=7_000_00)  # covers DO March only
    payments.approve(engine, paid, amount_cents=6_500_00, approved_date=date(2025, 5, 1), by="f")
    payments.mark_paid(engine, paid, paid_date=date(2025, 5, 10), by="f")
    _request(engine, config, start=date(2025, 4, 1), end=date(2025, 4, 1), cents=1_000_00,
             on=date(2025, 5, 15))  # DO April, still open
    pos = payments.position_of(engine, config).set_index("partner_code")
    report_rows = {(r["partner"], r["year"]): r for r in _report(engine, config)}
    do = report_rows[("DO", 2025)]
    assert pos.loc["DO", "eligible"] == _cents(do["eligible_eur"])
    assert pos.loc["DO", "grant"] == _cents(do["grant_eur"])
    assert pos.loc["DO", "requested"] == 8_000_00
    assert pos.loc["DO", "approved"] == 6_500_00
    assert pos.loc["DO", "paid"] == 6_500_00
    assert pos.loc["DO", "outstanding"] == 1_000_00  # the April request
    assert pos.loc["DO", "open_eligible"] == 0  # both months are covered by a request
    bo = report_rows[("BO", 2025)]
    assert pos.loc["BO", "requested"] == 0
    assert pos.loc["BO", "open_eligible"] == pos.loc["BO", "eligible"] == _cents(bo["eligible_eur"])
    assert pos.loc["HA", "eligible"] == 0


def test_months_not_covered_add_up_exactly(engine, config, ingest):
    ingest(workbook())
    ingest(workbook("DO", "2025-04", data=month_report("DO", "2025-04")))
    _request(engine, config, start=date(2025, 4, 1), end=date(2025, 4, 1), on=date(2025, 5, 1))
    months = payments.monthly_grant(queries.money_months(engine), config)
    march = months[months["month"] == date(2025, 3, 1)]
    pos = payments.position_of(engine, config).set_index("partner_code")
    assert pos.loc["DO", "open_eligible"] == int(march["eligible"].sum()) == 9_092_85
    assert pos.loc["DO", "open_grant"] == int(march["grant"].sum()) == 7_274_28
    assert int(months["eligible"].sum()) == pos.loc["DO", "eligible"]


def _report(engine, config):
    from etl.documents.report import build_report

    return build_report(engine, config)["eligible"]


def _cents(euros: str) -> int:
    from decimal import Decimal

    return int(Decimal(euros) * 100)


def test_monthly_grant_equals_the_rules_applied_month_by_month(config):
    """The vectorised monthly_grant gives, cent for cent, what eligible_costs on each year's
    running sums gives (the former per-row loop), for eligible costs and grant."""
    import random

    import pandas as pd

    from etl.core.money import eligible_costs

    rng = random.Random(11)
    codes = list(config.partner_codes)
    money = pd.DataFrame(
        [
            {"partner_code": code, "month": date(y, m, 1),
             "personnel": rng.randint(0, 10**8), "expenditure": rng.randint(0, 10**7)}
            for code in reversed(codes) for y in (2026, 2025) for m in (5, 1, 12, 2)
            if rng.random() < 0.8
        ]
    )
    want = []
    for code in sorted(codes):
        for year in (2025, 2026):
            mine = money[[c == code and d.year == year
                          for c, d in zip(money["partner_code"], money["month"], strict=True)]]
            mine = mine.sort_values("month")
            rate, pers, exp, before = config.partner(code).funding_rate, 0, 0, (0, 0)
            for r in mine.itertuples(index=False):
                pers, exp = pers + r.personnel, exp + r.expenditure
                e = eligible_costs(pers, exp, rate, config.rules)
                want.append((code, r.month, e.eligible - before[0], e.grant - before[1]))
                before = (e.eligible, e.grant)
    got = payments.monthly_grant(money, config)
    assert list(got.itertuples(index=False, name=None)) == want
