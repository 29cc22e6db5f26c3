"""Comments (Bemerkungen) marked on the trend charts: which months, where, and the hover text
(escaped, shortened); the plain dicts equal the validated figures."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from dashboard.calc.review import month_notes
from dashboard.figures import activities, finance
from dashboard.figures.notes import SHOWN
from dashboard.theme import partner_colors
from tests.dashboard.factories import same_figure

JAN, FEB, MAR = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)
LONG = "Veranstaltung verschoben, " * 10
COMMENTS = pd.DataFrame(
    [
        (1, "A", FEB, datetime(2025, 3, 2), "a", "partner", "note", "<b>fett</b> & gut"),
        (2, "B", FEB, datetime(2025, 3, 3), "b", "partner", "note", LONG),
        (3, "C", FEB, datetime(2025, 3, 4), "c", "partner", "note", "nicht im Filter"),
        (4, "A", date(2024, 5, 1), datetime(2024, 6, 1), "a", "partner", "note", "2024"),
        *[(5 + i, "A", MAR, datetime(2025, 4, 1), "s", "steering", "question", f"Frage {i}")
          for i in range(SHOWN + 1)],
    ],
    columns=["id", "partner_code", "month", "at", "author", "role", "kind", "text"],
)  # fmt: skip
FRAME = pd.DataFrame(
    {"month": [JAN, FEB, MAR, JAN], "partner_code": ["A", "A", "A", "B"], "value": [2, 4, 1, 3]}
)


def _link(partner: str, month: date) -> str:
    return f"/meldestand?partner={partner}#bemerkung={partner}|{month:%Y-%m}"


def _notes():
    return month_notes(COMMENTS, ("A", "B"), (2025,))


def test_notes_of_the_selected_partners_and_years_only():
    notes = _notes()
    assert set(notes["partner_code"]) == {"A", "B"}
    assert sorted(set(notes["month"])) == [FEB, MAR]  # C and 2024 are outside the selection
    assert list(notes[notes["month"] == FEB]["text"]) == ["<b>fett</b> & gut", LONG]
    assert month_notes(COMMENTS.iloc[0:0], ("A",), ()).empty
    # no comment of the selected partners: an empty frame with the columns (no error)
    assert list(month_notes(COMMENTS, ("Z",), (2025,)).columns) == list(notes.columns)
    assert month_notes(COMMENTS, ("A",), (2023,)).empty


def _marker(fig) -> dict:
    return next(t for t in fig["data"] if t["name"] == "Bemerkung")


def test_monthly_bars_mark_months_with_comments_above_the_bar():
    kw = {"measure": "events", "partners": ("A", "B"), "colors": partner_colors(("A", "B")),
          "links": {}, "notes": _notes(), "note_link": _link}  # fmt: skip
    plain = activities.monthly_bars(FRAME, plain=True, **kw)
    assert same_figure(activities.monthly_bars(FRAME, **kw), plain)
    marker = _marker(plain)
    assert marker["x"] == [FEB, MAR]
    top = 5  # January: A 2 + B 3, the highest month
    assert marker["y"] == [4 + top * 0.06, 1 + top * 0.06]  # just above each month's total
    feb, mar = (c[1] for c in marker["customdata"])
    assert marker["customdata"][0][0] == _link("A", FEB)
    # escaped: a comment cannot inject markup into the label
    assert "&lt;b&gt;fett&lt;/b&gt; &amp; gut" in feb and "<b>fett" not in feb
    assert "nicht im Filter" not in feb
    assert "…" in feb and LONG.strip() not in feb.replace("<br>", " ")  # shortened
    assert f"Frage {SHOWN - 1}" in mar and f"Frage {SHOWN}" not in mar
    assert "… und 1 weitere" in mar and mar.startswith("<b>Bemerkungen März 2025</b>")


def test_no_marker_without_comments():
    kw = {"measure": "events", "partners": ("A", "B"), "colors": partner_colors(("A", "B")),
          "links": {}, "note_link": _link}  # fmt: skip
    fig = activities.monthly_bars(FRAME, notes=_notes().iloc[0:0], plain=True, **kw)
    assert [t["name"] for t in fig["data"]] == ["A", "B"]


def test_cumulative_and_burn_put_the_marker_on_the_actual_line():
    actual = FRAME.groupby("month")["value"].sum()
    target = pd.Series([1, 1, 1], index=[JAN, FEB, MAR])
    plain = activities.cumulative(actual, target, measure="events", notes=_notes(),
                                  note_link=_link, plain=True)  # fmt: skip
    assert _marker(plain)["y"] == [5 + 4, 5 + 4 + 1]  # cumulative actual in February, March
    curve = pd.DataFrame({
        "month": [pd.Timestamp(m) for m in (JAN, FEB, MAR)],
        "actual": [100_000, 300_000, None], "plan": [1, 2, 3], "linear": [1, 2, 3],
        "forecast": [None, None, 400_000],
    })  # fmt: skip
    burn = finance.burn(curve, FEB, _notes())
    marker = next(t for t in burn.data if t.name == "Bemerkung")
    # only February: March has no actual yet; at its month end, in thousand euros
    assert list(marker.x) == [date(2025, 2, 28)] and list(marker.y) == [3.0]
    assert same_figure(burn, finance.burn(curve, FEB, _notes(), plain=True))
