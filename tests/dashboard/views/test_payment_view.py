"""The payment position table: every partner up to twelve; beyond that the partners with the
most money pending and one summed row, with the total always over all partners."""

from __future__ import annotations

import pandas as pd

from dashboard import fmt
from dashboard.views import payments as pv
from etl.workflow.payments import POSITION_COLUMNS

KEYS = [k for k, _label in pv.POSITION]


def _position(n: int) -> pd.DataFrame:
    rows = []
    for i in range(n):
        rows.append(
            {
                "partner_code": f"P{i:03d}",
                "eligible": 100_000 + i,
                "grant": 80_000 + i,
                "requested": 50_000,
                "approved": 0,
                "paid": 10_000,
                # pending = outstanding + open_grant grows with i, except P005 (largest)
                "outstanding": 1_000 * i if i != 5 else 10_000_000,
                "open_eligible": 7 * i,
                "open_grant": 3 * i,
            }
        )
    return pd.DataFrame(rows, columns=POSITION_COLUMNS)


def _rows(table) -> list[list[str]]:
    body = table.children[1]
    return [[cell.children for cell in tr.children] for tr in body.children]


def test_up_to_twelve_partners_every_partner_is_a_row():
    position = _position(12)
    out = pv.position_table(position, "pos")
    assert out.id == "pos"  # the bare table, no note
    rows = _rows(out)
    assert [r[0] for r in rows] == [*position["partner_code"], "Gesamt"]
    assert rows[0][1:] == [fmt.eur(v) for v in position.iloc[0][KEYS]]


def test_many_partners_show_the_most_pending_and_sum_up_the_rest():
    position = _position(40)
    out = pv.position_table(position, "pos")
    note, table = out.children
    assert note.children.startswith("40 Partner: gezeigt die 12 mit den höchsten")
    rows = _rows(table)
    shown = [r[0] for r in rows[:12]]
    # P005 has the most pending, then the highest i first
    assert shown == ["P005", *[f"P{i:03d}" for i in range(39, 28, -1)]]
    rest = position[~position["partner_code"].isin(shown)]
    assert rows[12][0] == "Weitere (28 Partner)"
    assert rows[12][1:] == [fmt.eur(int(rest[k].sum())) for k in KEYS]
    assert rows[13][0] == "Gesamt"
    assert rows[13][1:] == [fmt.eur(int(position[k].sum())) for k in KEYS]
    # shown + rest add up to the total, column by column (exact cents)
    shown_sum = position[position["partner_code"].isin(shown)]
    for k in KEYS:
        assert int(shown_sum[k].sum()) + int(rest[k].sum()) == int(position[k].sum())


def test_many_partners_keep_the_component_count_small():
    """Dash mounts components in time that grows with their square: 240 partners must not
    mean 240 table rows (1,900 components took the browser 12 s)."""

    def count(node) -> int:
        children = getattr(node, "children", None)
        kids = children if isinstance(children, list) else [children]
        return 1 + sum(count(k) for k in kids if hasattr(k, "to_plotly_json"))

    assert count(pv.position_table(_position(240), "pos")) < 150
