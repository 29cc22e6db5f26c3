"""German formatting: numbers, money, percentages, dates, months."""

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from dashboard import fmt


def test_integers_get_dots_between_thousands():
    assert fmt.de_int(1234567) == "1.234.567"
    assert fmt.de_int(0) == "0"
    assert fmt.de_int(Fraction(2409, 2)) == "1.205"  # 1204,5 rounds half up


def test_decimals_use_a_comma_and_round_half_up():
    assert fmt.de_dec(Decimal("1234.55"), 1) == "1.234,6"
    assert fmt.de_dec(Decimal("-0.05"), 1) == "-0,1"
    assert fmt.de_num(Decimal("7211.0")) == "7.211"
    assert fmt.de_num(Decimal("7211.5")) == "7.211,5"
    assert fmt.de_plain(Decimal("0.5000")) == "0,5"


def test_money_from_cents_is_exact():
    assert fmt.eur(123456789) == "1.234.567,89 €"
    assert fmt.eur(-5) == "-0,05 €"
    assert fmt.eur_short(312657739) == "3,13 Mio. €"
    assert fmt.eur_short(10473744) == "105 Tsd. €"
    assert fmt.eur_short(95000) == "950 €"


def test_percentages_from_fractions_and_unknowns():
    assert fmt.de_pct(Fraction(17, 18)) == "94 %"
    assert fmt.de_pct(Fraction(1, 8), 1) == "12,5 %"
    assert fmt.de_pct(None) == "–"


def test_dates_and_months_in_german():
    assert fmt.de_date(date(2025, 3, 14)) == "14.03.2025"
    assert fmt.de_date(datetime(2025, 3, 14, 9, 30)) == "14.03.2025"
    assert fmt.de_date("2025-03-14") == "14.03.2025"
    assert fmt.de_date(None) == ""
    assert fmt.month_long(date(2025, 3, 1)) == "März 2025"
    assert fmt.month_short(date(2025, 12, 1)) == "Dez 2025"
