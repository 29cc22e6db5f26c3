"""Cell normalisers (etl.core.normalise): German numbers and dates, PLZ, SME classes and the
company-name key that decides which companies count as one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from etl.core.normalise import (
    CellError,
    company_key,
    de_number,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money_cents,
    parse_month,
    parse_plz,
    parse_size_class,
    round_cents,
)


@pytest.mark.parametrize(
    ("cell", "number"),
    [
        ("1.234,50", Decimal("1234.50")),  # thousands point, decimal comma
        ("1234,5", Decimal("1234.5")),
        ("1 234,50 €", Decimal("1234.50")),  # space as thousands separator and the unit
        ("1\u00a0234,50 EUR", Decimal("1234.50")),  # no-break space, EUR
        ("-12,75", Decimal("-12.75")),
        ("1.234.567", Decimal("1234567")),  # points only in groups of three: thousands
        ("1234.5", Decimal("1234.5")),  # a lone point with no groups: decimal point
        (12.5, Decimal("12.5")),
        (7, Decimal(7)),
    ],
)
def test_german_numbers(cell, number):
    assert parse_decimal(cell) == number


@pytest.mark.parametrize("cell", ["1,234,5", "zwölf", "12.34.5", True])
def test_not_numbers(cell):
    with pytest.raises(CellError):
        parse_decimal(cell)


def test_whole_numbers_and_cents():
    assert parse_int("1.200") == 1200  # German thousands point
    assert parse_int("12,0") == 12
    with pytest.raises(CellError, match="keine ganze Zahl"):
        parse_int("12,5")
    assert parse_money_cents("1.234,56 €") == 123_456
    assert parse_money_cents(89.9) == 8_990
    assert parse_money_cents(12.099999999999999) == 1_210  # a spreadsheet's binary 12,10
    with pytest.raises(CellError, match="mehr als zwei Nachkommastellen"):
        parse_money_cents("1,234")


def test_rounding_and_german_number_text():
    assert round_cents(Decimal("1013.268")) == 101_327
    assert round_cents(Decimal("2.765")) == 277  # half up
    assert round_cents(Decimal("-2.765")) == -277  # half away from zero
    assert de_number(Decimal("1760.50")) == "1.760,5"
    assert de_number(1720) == "1.720"
    assert de_number(Decimal("-0.25")) == "-0,25"


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("14.03.2025", date(2025, 3, 14)),
        ("4.3.2025", date(2025, 3, 4)),
        ("14.03.25", date(2025, 3, 14)),  # two-digit year: this century
        ("2025-03-14", date(2025, 3, 14)),
        ("2025-03-14 10:30", date(2025, 3, 14)),
        (datetime(2025, 3, 14, 9, 0), date(2025, 3, 14)),
        (45730, date(2025, 3, 14)),  # Excel serial: 1899-12-30 + 45.730 days
    ],
)
def test_dates(cell, day):
    assert parse_date(cell) == day


@pytest.mark.parametrize("cell", ["31.02.2025", "2025-13-01", "März 2025"])
def test_not_dates(cell):
    with pytest.raises(CellError, match="kein gültiges Datum"):
        parse_date(cell)


@pytest.mark.parametrize("cell", ["2025-03", "03/2025", "3.2025", "14.03.2025", date(2025, 3, 31)])
def test_reporting_month_is_its_first_day(cell):
    assert parse_month(cell) == date(2025, 3, 1)


def test_plz_is_padded_to_five_digits():
    assert parse_plz(4103) == "04103"  # Leipzig entered as a number
    assert parse_plz(4103.0) == "04103"
    assert parse_plz("44135") == "44135"
    assert parse_plz("44 135") == "44135"
    for bad in ("999", "441350", "4413a", 123):
        with pytest.raises(CellError, match="Postleitzahl"):
            parse_plz(bad)


@pytest.mark.parametrize(
    ("cell", "size"),
    [
        ("Kleinst", "Kleinst"),
        ("kleinstunternehmen", "Kleinst"),
        ("kleines Unternehmen", "Klein"),
        ("Kleinunternehmen", "Klein"),
        ("MITTLERES UNTERNEHMEN", "Mittel"),
        ("Gross", "Groß"),
        ("Großunternehmen", "Groß"),
        (" groß ", "Groß"),
    ],
)
def test_size_classes(cell, size):
    assert parse_size_class(cell) == size


def test_unknown_size_class():
    with pytest.raises(CellError, match="Erlaubt: Kleinst, Klein, Mittel oder Groß"):
        parse_size_class("riesig")


def test_company_keys_fold_legal_form_umlauts_case_and_spacing():
    # one company, four spellings: umlaut ü = ue, G.m.b.H. = GmbH, case and spaces ignored
    spellings = [
        "Müller Metallbau GmbH",
        "MÜLLER METALLBAU G.m.b.H.",
        "Mueller  Metallbau gmbh",
        "müller metallbau g. m. b. h.",
    ]
    assert {company_key(name) for name in spellings} == {"mueller metallbau gmbh"}
    assert company_key("Schulte Logistik AG") == company_key("Schulte Logistik A.G.")
    assert company_key("Schulte Logistik Aktiengesellschaft") == "schulte logistik ag"
    assert company_key("Meyer & Söhne KG") == company_key("Meyer und Soehne K.G.")
    assert company_key("Straßenbau Nord") == "strassenbau nord"  # ß = ss


def test_company_keys_keep_different_companies_apart():
    assert company_key("Müller Metallbau GmbH") != company_key("Müller Metallbau AG")
    assert company_key("Müller Metallbau GmbH") != company_key("Müller Stahlbau GmbH")


@pytest.mark.xfail(
    strict=True,
    reason="normalise: the long legal form is matched after ä became ae, so "
    "'beschränkter' never matches; fixing it changes stored company keys (needs a migration)",
)
def test_the_long_form_of_gmbh_folds_too():
    assert company_key("Müller Metallbau Gesellschaft mit beschränkter Haftung") == (
        "mueller metallbau gmbh"
    )
