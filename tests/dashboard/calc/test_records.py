"""The rows behind a figure on the Daten page and their totals."""

from datetime import date
from decimal import Decimal

import pandas as pd

from dashboard import filters as flt
from dashboard.calc import records as rec
from dashboard.views import grids


def _personnel():
    return pd.DataFrame([
        {"partner_code": "A", "month": date(2025, 3, 1), "staff_code": "A-01", "pay_group": 2,
         "billing": "Monat", "quantity": Decimal("0.5000"), "module": None,
         "amount_cents": 200000, "upload_id": 1, "file_name": "a.xlsx", "sheet": "Personal",
         "source_row": 2},
        {"partner_code": "B", "month": date(2025, 3, 1), "staff_code": "B-01", "pay_group": 1,
         "billing": "Stunden", "quantity": Decimal("40.0000"), "module": "M1",
         "amount_cents": 139535, "upload_id": 2, "file_name": "b.xlsx", "sheet": "Personal",
         "source_row": 2},
    ])


def _expenditure():
    return pd.DataFrame([
        {"partner_code": "A", "month": date(2025, 3, 1), "receipt_no": "R1",
         "booking_date": date(2025, 3, 12), "cost_category": "Sachkosten", "amount_cents": 123456,
         "module": "M1", "description": "Raummiete", "upload_id": 1, "file_name": "a.xlsx",
         "sheet": "Ausgaben", "source_row": 2},
        {"partner_code": "A", "month": date(2025, 4, 1), "receipt_no": "R2",
         "booking_date": date(2025, 4, 2), "cost_category": "Reisekosten", "amount_cents": -990,
         "module": None, "description": "Gutschrift", "upload_id": 3, "file_name": "a4.xlsx",
         "sheet": "Ausgaben", "source_row": 3},
    ])


FRAMES = {"personnel": _personnel(), "expenditure": _expenditure()}


def test_narrowing_from_the_query():
    assert rec.narrowing({"monat": "2025-03", "kategorie": "personal"}) == rec.Narrowing(
        month=date(2025, 3, 1), cost_kind="personal")
    assert rec.narrowing({"monat": "März", "kategorie": "Miete"}) == rec.Narrowing()


def test_costs_of_one_partner_and_month():
    rows = rec.rows(FRAMES, "kosten", flt.Filters(partners=("A",)),
                    rec.Narrowing(month=date(2025, 3, 1)))
    assert rows["reference"].tolist() == ["A-01", "R1"]
    assert rec.totals("kosten", rows) == {"rows": 2, "personnel": 200000,
                                          "expenditure": 123456, "total": 323456}
    shown = grids.record_rows("kosten", rows)  # the detail as the grid shows it
    assert [r["detail"] for r in shown] == ["Leistungsgruppe 2, Monat: 0,5", "Raummiete"]


def test_costs_by_kind_and_year():
    rows = rec.rows(FRAMES, "kosten", flt.Filters(partners=("A",), years=(2025,)),
                    rec.Narrowing(cost_kind="ausgaben"))
    assert rec.totals("kosten", rows)["total"] == 123456 - 990
    assert rec.rows(FRAMES, "kosten", flt.Filters(years=(2024,)), rec.Narrowing()).empty


def test_years_are_project_years_when_they_start_in_april():
    """Years starting in April: March 2025 lies in project year 2024, April 2025 in 2025."""
    years = {y: rec.rows(FRAMES, "kosten", flt.Filters(years=(y,)), rec.Narrowing(), start=4)
             for y in (2024, 2025)}
    assert years[2024]["reference"].tolist() == ["A-01", "B-01", "R1"]
    assert years[2025]["reference"].tolist() == ["R2"]


def test_participations_by_size_class_count_distinct_companies():
    parts = pd.DataFrame([
        {"partner_code": "A", "activity_date": date(2025, 3, 4), "module": "M1", "company_id": 1,
         "size_class": "Klein", "n_persons": 2},
        {"partner_code": "A", "activity_date": date(2025, 3, 9), "module": "M1", "company_id": 1,
         "size_class": "Klein", "n_persons": 1},
        {"partner_code": "A", "activity_date": date(2025, 3, 9), "module": "M2", "company_id": 2,
         "size_class": "Groß", "n_persons": 4},
    ])
    rows = rec.rows({"participations": parts}, "teilnahmen", flt.Filters(),
                    rec.Narrowing(size="Klein"))
    assert rec.totals("teilnahmen", rows) == {"rows": 2, "companies": 1, "persons": 3}
    by_module = rec.rows({"participations": parts}, "teilnahmen", flt.Filters(modules=("M2",)),
                         rec.Narrowing())
    assert by_module["company_id"].tolist() == [2]


def test_uploads_ignore_the_module_filter():
    ups = pd.DataFrame([{"partner_code": "A", "month": date(2025, 3, 1), "status": "accepted"},
                        {"partner_code": "A", "month": date(2025, 3, 1), "status": "rejected"}])
    rows = rec.rows({"uploads": ups}, "eingaenge", flt.Filters(modules=("M1",)),
                    rec.Narrowing(month=date(2025, 3, 1)))
    assert rec.totals("eingaenge", rows) == {"rows": 2,
                                             "by_status": {"accepted": 1, "rejected": 1}}
