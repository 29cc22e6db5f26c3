"""Due and overdue mails follow each partner's reporting duty (etl.core.duty), checked with the
second example network against a real SMTP server: a quarterly partner owes its months after
the quarter, a partner without duty owes nothing, one that joins or leaves only its months."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd
import pytest

from etl.core.duty import report_dues
from etl.core.settings import settings_from_env
from etl.core.stand import add_months
from etl.workflow import users
from etl.workflow.notify import outbox
from etl.workflow.notify.events import derive
from tests.etl.workflow.mailserver import MailServer
from tests.etl.workflow.test_notify import PASSWORD, at

PARTNERS = ("HANNOVER-IMP", "HILDESHEIM", "SCHAUMBURG", "NIENBURG", "IHK-HANNOVER",
            "HWK-HANNOVER")
MONTHLY = ("HANNOVER-IMP", "HILDESHEIM")  # members for the whole project, monthly duty


@pytest.fixture
def smtp():
    with MailServer() as server:
        yield server


@pytest.fixture
def inbox(second_engine, second_config, smtp, tmp_path):
    """One partner account with an address per partner; ``inbox(day)``: run notify that
    morning and return {partner: [subjects of the mails it got]}. Reminders 5 and 15 days
    after the due date (the last one 15-24 days after), so a month's mails are over before
    the next month is due."""
    for code in PARTNERS:
        users.create_user(second_engine, code.lower(), PASSWORD, "partner", code)
        users.set_email(second_engine, code.lower(), f"{code.lower()}@example.org")
    settings = replace(settings_from_env({"DATA_DIR": str(tmp_path)}), smtp_url=smtp.url,
                       mail_from="cockpit@example.org", overdue_days=(5, 15))

    def run(day: date) -> dict[str, list[str]]:
        before = len(smtp.inbox.mails)
        outbox.run(second_engine, second_config, settings, now=at(day))
        got: dict[str, list[str]] = {}
        for m in smtp.inbox.mails[before:]:
            got.setdefault(m["to"][0].split("@")[0].upper(), []).append(m["subject"])
        return got

    return run


def due_today(*months: str) -> list[str]:
    return [f"Monatsbericht {m} ist heute fällig" for m in months]


def test_reminders_follow_each_partners_duty(inbox):
    # September 2025 (first project month): quarterly IHK owes it too (last month of its
    # first quarter); Schaumburg joins in 2026; the chamber without duty never owes anything
    first = inbox(date(2025, 10, 15))
    assert first == {code: due_today("September 2025")
                     for code in (*MONTHLY, "NIENBURG", "IHK-HANNOVER")}
    # January 2026: every monthly member (Schaumburg's first month), not the quarterly one
    assert inbox(date(2026, 2, 15)) == {
        code: due_today("Januar 2026") for code in (*MONTHLY, "SCHAUMBURG", "NIENBURG")}
    # the first quarter of 2026: its three months are due together after the quarter
    april = inbox(date(2026, 4, 15))
    assert april.pop("IHK-HANNOVER") == due_today("Januar 2026", "Februar 2026", "März 2026")
    assert april == {code: due_today("März 2026") for code in (*MONTHLY, "SCHAUMBURG",
                                                                "NIENBURG")}
    # reminders count from the quarter's due date, not from the month's own
    assert inbox(date(2026, 4, 20)).get("IHK-HANNOVER") == [
        f"Erinnerung: Monatsbericht {m} ist seit 5 Tagen überfällig"
        for m in ("Januar 2026", "Februar 2026", "März 2026")]
    # Nienburg left after June 2026: July is not due for it
    assert inbox(date(2026, 8, 15)) == {
        code: due_today("Juli 2026") for code in (*MONTHLY, "SCHAUMBURG")}


def test_every_day_of_the_project_exactly_the_owed_months(second_config):
    """Derived every 5th day (each day of a 5-day "due" window once) from the start to two
    months after the end, with no report in: a partner is told about exactly the months it
    owes, with their due dates, and no other."""
    owed = {(p.code, m): due for p in second_config.partners
            for m, due in report_dues(second_config, p.code).items()}
    states = pd.DataFrame(columns=["partner_code", "month", "state"])
    told: dict[tuple[str, date], date] = {}
    day = second_config.start
    while day <= add_months(second_config.end, 2):
        for e in derive(second_config, states=states, comments=pd.DataFrame(),
                        payments=pd.DataFrame(), today=day, overdue=(5, 15, 30)):
            if e.kind == "due":
                code, month = e.key.split(":")[1:3]
                told[(code, date.fromisoformat(f"{month}-01"))] = e.sort[0]
        day += timedelta(days=5)
    assert told == owed
    assert not [k for k in owed if k[0] == "HWK-HANNOVER"]
