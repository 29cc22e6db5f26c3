"""The overview's partner table: who is furthest behind, and the others summed up."""

from fractions import Fraction

import pandas as pd

from dashboard.calc import activity
from dashboard.calc.overview import rank_partners


def _attain(rows):
    return pd.DataFrame(
        [{"partner_code": p, "measure": m, "actual": a, "expected": Fraction(e),
          "attainment": activity.attainment(a, Fraction(e))} for p, m, a, e in rows],
        columns=["partner_code", "measure", "actual", "expected", "attainment"],
    )


def test_up_to_the_limit_every_partner_in_its_order():
    attain = _attain([("B", "events", 1, 10), ("A", "events", 9, 10)])
    ranking = rank_partners(attain, limit=2)
    assert (ranking.shown, ranking.rest, ranking.rest_cells) == (["B", "A"], [], {})
    assert ranking.cells["B"]["events"] == (Fraction(1, 10), 1, Fraction(10))


def test_beyond_the_limit_the_furthest_behind_first_and_the_rest_summed():
    attain = _attain([
        ("A", "events", 9, 10), ("A", "coachings", 2, 10),  # worst measure 20 %
        ("B", "events", 5, 10),                             # 50 %
        ("C", "events", 3, 0),                              # no target: last
        ("D", "events", 8, 10), ("D", "participants", 30, 20),  # 80 %
    ])
    ranking = rank_partners(attain, limit=2)
    assert ranking.shown == ["A", "B"]
    assert ranking.rest == ["D", "C"]
    # the rest: events 8 + 3 of 10 + 0, participants 30 of 20, other measures empty
    assert ranking.rest_cells["events"] == (Fraction(11, 10), 11, Fraction(10))
    assert ranking.rest_cells["participants"] == (Fraction(3, 2), 30, Fraction(20))
    assert ranking.rest_cells["coachings"] == (None, 0, Fraction(0))
    assert set(ranking.rest_cells) == set(activity.MEASURES)
