"""A SQL row of the Daten page as the grid shows it: a new dict, so showing it again (once per
CSV column, say) cannot repeat the Personal quantity."""

from decimal import Decimal

from dashboard.views import grids


def test_shown_leaves_the_row_alone_and_names_the_quantity_once():
    row = {"kind": "personnel", "detail": "Leistungsgruppe 3, Stunden", "quantity": Decimal("10")}
    first = grids.shown("kosten", row)
    assert grids.shown("kosten", row) == first
    assert first["detail"] == "Leistungsgruppe 3, Stunden: 10"
    assert row["detail"] == "Leistungsgruppe 3, Stunden"
