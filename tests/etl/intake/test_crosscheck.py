"""Cross-month rules (etl.intake.crosscheck): IDs and receipts unique across a partner's
months, participants citing activities of this or an earlier month, an event's persons over
all months within its attendance, and at most 1,720 billed hours per person and year.

The report is the factories' DO March 2025 workbook (events DO-V-01 with 30 attendees and
DO-V-02, coaching DO-C-01; participants: DO-V-01 2 + 3 persons in rows 2-3, DO-C-01 in row 4;
staff DO-01 by the month in row 2, DO-02 40 hours in row 3; receipts DO-2025-0001/0002).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from etl.intake.contract import validate_workbook
from etl.intake.crosscheck import Activity, History, check_against_history, load_history
from etl.intake.reader import read_workbook
from tests.factories import month_report, report_bytes, sheets, workbook

CAP = 1720


@pytest.fixture(scope="module")
def march(config):
    report = validate_workbook(read_workbook(workbook(), "t.xlsx"), config, today=date(2025, 6, 20))
    assert report.errors == []
    return report


def issues(report, history: History) -> list[tuple]:
    return [
        (i.sheet, i.row, i.column, i.message)
        for i in check_against_history(report, history, hours_cap=CAP)
    ]


def test_no_history_no_issue(march):
    assert issues(march, History()) == []


def test_an_event_id_from_an_earlier_month_is_double_counting(march):
    # the earlier month spelled it in lower case: IDs compare case-insensitively
    h = History(
        activities={"do-v-01": Activity("do-v-01", date(2025, 2, 1), "event", "Informieren", 40)}
    )
    [(sheet, row, column, message)] = issues(march, h)
    assert (sheet, row, column) == ("Veranstaltungen", 2, "ID")
    assert "schon im Bericht 02/2025" in message and "Doppelzählung" in message


def test_a_coaching_id_used_by_an_earlier_event_is_refused(march):
    h = History(
        activities={"do-c-01": Activity("DO-C-01", date(2025, 1, 1), "event", "Coachen", 10)}
    )
    [(sheet, row, column, _message)] = issues(march, h)
    assert (sheet, row, column) == ("Coachings", 2, "ID")


def test_a_receipt_billed_before_is_refused(march):
    h = History(receipts={"do-2025-0002": date(2025, 1, 1)})
    [(sheet, row, column, message)] = issues(march, h)
    assert (sheet, row, column) == ("Ausgaben", 3, "Belegnummer")
    assert "'DO-2025-0002'" in message and "01/2025" in message


def test_participants_may_cite_an_earlier_month_but_not_a_later_or_unknown_one(config):
    data = sheets()
    data["Teilnehmende"] += [
        {
            "Aktivität": "DO-V-JAN",
            "Unternehmen": "A GmbH",
            "PLZ": "44135",
            "Größenklasse": "Klein",
            "Personen": 1,
        },  # row 5: January's event, fine
        {
            "Aktivität": "DO-V-MAI",
            "Unternehmen": "B GmbH",
            "PLZ": "44135",
            "Größenklasse": "Klein",
            "Personen": 1,
        },  # row 6: May's event, not yet held
        {
            "Aktivität": "DO-V-99",
            "Unternehmen": "C GmbH",
            "PLZ": "44135",
            "Größenklasse": "Klein",
            "Personen": 1,
        },  # row 7: no such activity
    ]
    report = validate_workbook(
        read_workbook(workbook(data=data), "t.xlsx"), config, today=date(2025, 6, 20)
    )
    h = History(
        activities={
            "do-v-jan": Activity("DO-V-JAN", date(2025, 1, 1), "event", "Informieren", 10),
            "do-v-mai": Activity("DO-V-MAI", date(2025, 5, 1), "event", "Informieren", 10),
        }
    )
    found = issues(report, h)
    assert [(s, r, c) for s, r, c, _m in found] == [
        ("Teilnehmende", 6, "Aktivität"),
        ("Teilnehmende", 7, "Aktivität"),
    ]
    assert "'DO-V-99' steht weder in diesem Bericht noch in einem früheren Monat" in found[1][3]


def test_an_events_persons_over_all_months_stay_within_its_attendance(march):
    # DO-V-01 had 30 attendees; this month cites it with 2 + 3 = 5 persons
    assert issues(march, History(persons={"do-v-01": 25})) == []  # 25 + 5 = 30: allowed
    [(sheet, row, column, message)] = issues(march, History(persons={"do-v-01": 26}))
    # reported on the last row citing it (row 3): 26 + 5 = 31 > 30
    assert (sheet, row, column) == ("Teilnehmende", 3, "Personen")
    assert "über alle Monate 31 Personen" in message and "nur 30 Teilnehmende" in message


def test_a_replacement_may_not_drop_an_activity_later_months_cite(march):
    h = History(referenced={"do-v-07": ("DO-V-07", date(2025, 4, 1))})
    [(sheet, row, column, message)] = issues(march, h)
    assert (sheet, row, column) == ("Teilnehmende", None, "Aktivität")
    assert "'DO-V-07' wird im Bericht 04/2025" in message


def test_hours_per_person_and_year_are_capped_at_1720(march):
    # DO-02 bills 40 hours in March 2025: 1.680 before makes exactly 1.720 (allowed)
    assert issues(march, History(hours={("do-02", 2025): Decimal(1680)})) == []
    # hours of another year do not count
    assert issues(march, History(hours={("do-02", 2024): Decimal(1719)})) == []
    [(sheet, row, column, message)] = issues(
        march, History(hours={("do-02", 2025): Decimal("1680.5")})
    )
    assert (sheet, row, column) == ("Personal", 3, "Umfang")  # 1.680,5 + 40 = 1.720,5
    assert "auf 1.720,5 Stunden; höchstens 1.720 sind zulässig" in message


def test_load_history_reads_the_partners_other_current_months(ingest, engine):
    jan = month_report("DO", "2025-01")
    jan["Personal"][0].update({"Abrechnung": "Stunden", "Umfang": 100})
    assert ingest(report_bytes(partner="DO", month="2025-01", sheets=jan)).status == "accepted"
    feb = month_report("DO", "2025-02")
    feb["Personal"][0].update({"Abrechnung": "Stunden", "Umfang": "60,5"})
    feb["Teilnehmende"][0]["Aktivität"] = "DO-202501-V1"  # cites January's event
    assert ingest(report_bytes(partner="DO", month="2025-02", sheets=feb)).status == "accepted"
    other = ingest(
        report_bytes(partner="BO", month="2025-01", sheets=month_report("BO", "2025-01"))
    )
    assert other.status == "accepted"
    with engine.connect() as conn:
        h = load_history(conn, "DO", date(2025, 2, 1))  # as if February were being replaced
    assert sorted(h.activities) == ["do-202501-v1"]  # January's only; not BO's, not February's
    assert h.receipts == {"do-202501-b1": date(2025, 1, 1)}
    assert h.hours == {("do-01", 2025): Decimal(100)}
    assert h.persons == {"do-202501-v1": 1 + 1}  # January's two companies, one person each
    with engine.connect() as conn:
        march = load_history(conn, "DO", date(2025, 3, 1))
    assert march.hours == {("do-01", 2025): Decimal("160.5")}  # 100 + 60,5
    # February's row cites January's event: 2 + 1 persons, last cited in February
    assert march.persons == {"do-202501-v1": 3, "do-202502-v1": 1}
    assert march.referenced["do-202501-v1"] == ("DO-202501-V1", date(2025, 2, 1))
