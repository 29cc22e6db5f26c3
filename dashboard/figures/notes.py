"""Comments (Bemerkungen) on the months of a trend chart: one marker per month with comments,
hovering them (escaped, shortened) and linking to the month's thread on Meldestand."""

from __future__ import annotations

import html
import textwrap
from collections.abc import Callable, Mapping
from datetime import date

import pandas as pd

from dashboard import fmt
from dashboard.labels import COMMENT_KIND_LABELS

NOTE_COLOR = "#6f42c1"
SHOWN = 3  # comments per month in the hover label
WIDTH, LINES = 48, 2  # a comment in the hover label: at most 2 lines of 48 characters


def _short(text: str) -> list[str]:
    """The comment wrapped to :data:`LINES` lines (an ellipsis when cut)."""
    lines = textwrap.wrap(" ".join(str(text).split()), WIDTH) or [""]
    if len(lines) > LINES:
        lines = [*lines[: LINES - 1], lines[LINES - 1][: WIDTH - 1].rstrip() + "…"]
    return lines


def hover_text(month: date, rows: pd.DataFrame) -> str:
    """The hover label of one month: its comments (partner, kind, text), HTML escaped."""
    lines = [f"<b>Bemerkungen {fmt.month_long(month)}</b>"]
    for r in rows.head(SHOWN).itertuples(index=False):
        kind = COMMENT_KIND_LABELS.get(r.kind, r.kind)
        lines.append(html.escape(f"{r.partner_code} · {kind}:"))
        lines += [html.escape(line) for line in _short(r.text)]
    if len(rows) > SHOWN:
        lines.append(f"… und {fmt.de_int(len(rows) - SHOWN)} weitere")
    return "<br>".join(lines)


def note_trace(
    notes: pd.DataFrame,
    heights: Mapping[date, float],
    link: Callable[[str, date], str],
    x_of: Callable[[date], object] = lambda m: m,
) -> list[dict]:
    """A marker above each month with comments (``heights``: the chart's value there), or no
    trace when there are none; clicking it opens the first comment's thread (``link``)."""
    if notes.empty:
        return []
    heights = {pd.Timestamp(k).date(): v for k, v in heights.items()}
    xs, ys, data = [], [], []
    for month, rows in notes.groupby("month", sort=True):
        xs.append(x_of(month))
        ys.append(float(heights.get(month, 0)))
        data.append([link(rows["partner_code"].iloc[0], month), hover_text(month, rows)])
    return [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "name": "Bemerkung",
            "mode": "markers",
            "marker": {
                "symbol": "diamond",
                "size": 12,
                "color": NOTE_COLOR,
                "line": {"color": "#ffffff", "width": 1.5},
            },
            "customdata": data,
            "hovertemplate": "%{customdata[1]}<extra></extra>",
        }
    ]
