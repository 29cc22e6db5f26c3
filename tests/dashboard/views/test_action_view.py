"""Meine Aufgaben as the user reads it: German lines, counts and the link of each action."""

from __future__ import annotations

from datetime import date

from dashboard.calc.actions import Action
from dashboard.views import actions as view

TODAY = date(2025, 6, 5)


def _months(n: int) -> tuple[date, ...]:
    return tuple(date(2024, m, 1) for m in range(1, n + 1))


def test_each_kind_says_what_to_do_and_links_where_it_is_done():
    overdue = Action("overdue", "DO", _months(5), 5, due=date(2024, 2, 10))
    assert view.line(overdue, TODAY) == (
        "5 Monatsberichte überfällig (Jan 2024, Feb 2024, Mär 2024 und 2 weitere) – hochladen",
        "/hochladen",
    )
    due = Action("due", "DO", (date(2025, 5, 1),), 1, due=date(2025, 6, 10))
    assert view.line(due, TODAY)[0] == "Monatsbericht Mai 2025 fällig bis 10.06.2025 – hochladen"
    query = Action("query", "DO", (date(2025, 3, 1),), 1, text="Bitte  prüfen " + "x" * 200)
    text, href = view.line(query, TODAY)
    assert text.startswith("Rückfrage zu DO · März 2025 beantworten: „Bitte prüfen xxx")
    assert text.endswith("…“") and len(text) < 200
    assert href == "/meldestand?partner=DO&jahr=2025#bemerkung=DO%7C2025-03"
    proof = Action("proof", None, count=12, due=date(2025, 4, 30), year=2024, text="interim",
                   partners=tuple(f"P{i:02d}" for i in range(12)))  # fmt: skip
    text, href = view.line(proof, TODAY)
    assert text == ("Zwischennachweis 2024 überfällig seit 30.04.2025: noch nicht eingereicht "
                    "für P00, P01, P02, P03, P04, P05, P06, P07, P08, P09 und 2 weitere")
    assert href == "/freigabe"
    pay = Action("pay_approve", None, count=2, cents=250_000_099)
    assert view.line(pay, TODAY) == ("2 Mittelabrufe zu bewilligen (2.500.000,99 €)",
                                     "/mittelabrufe")  # fmt: skip


def test_the_review_queue_is_one_line_with_a_link_per_partner():
    queue = [Action("review", "DO", (date(2025, 1, 1),), 1),
             Action("review", "BO", (date(2025, 2, 1), date(2025, 3, 1)), 2)]  # fmt: skip
    line = str(view.review_line(queue))
    assert "Link(children='3 Monate zu prüfen', href='/freigabe'" in line
    assert "Link(children='DO 1', href='/freigabe?partner=DO'" in line
    assert "Link(children='BO 2', href='/freigabe?partner=BO'" in line


def test_nothing_to_do_and_more_than_shown():
    assert "Keine offenen Aufgaben." in str(view.action_list([], "partner", TODAY))
    many = [Action("query", "DO", (date(2025, m, 1),), 1) for m in range(1, 11)]
    listed = view.action_list(many, "partner", TODAY)
    assert len(listed.children) == view.SHOWN + 1
    assert "… und 2 weitere Aufgaben" in str(listed.children[-1])
