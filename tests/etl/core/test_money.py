"""The EFRE.NRW cost rules (etl.core.money) on hand-computed figures.

Rates and tables are built here, not read from data/config.toml, so each expected value
follows from the numbers on the page: unit costs per pay group, hourly rate = monthly rate
x 12 / 1,720, each Personal row rounded half-up to the cent, 15 % overheads, material as
booked or as a flat 25 %, grant = funding rate x eligible, EU = 40 %, state = grant - EU,
own = eligible - grant.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import numpy as np

from etl.core.config import RateTable, Rules
from etl.core.money import (
    Eligible,
    eligible_arrays,
    eligible_costs,
    eur,
    format_eur,
    hourly_rate,
    personnel_cents,
    times_rate,
)

TABLE = RateTable(
    valid_from=date(2022, 1, 1),
    monthly={
        1: Decimal("7210.00"),
        2: Decimal("5530.00"),
        3: Decimal("4390.00"),
        4: Decimal("3380.00"),
    },
)
RULES = Rules(
    overhead_rate=Decimal("0.15"),
    material_mode="actual",
    material_flat_rate=Decimal("0.25"),
    eu_share=Decimal("0.40"),
    hours_per_year=1720,
    deviation_warn=Decimal("0.15"),
    deviation_flag=Decimal("0.20"),
    interim_proof_due=(4, 30),
    final_proof_months=6,
    rate_tables=(TABLE,),
)
FLAT = replace(RULES, material_mode="flat")


def test_hourly_rate_is_the_monthly_rate_times_twelve_over_1720():
    # LG3: 4.390 x 12 = 52.680; / 1.720 = 30,62790697...
    assert hourly_rate(TABLE, 3, 1720).quantize(Decimal("0.00001")) == Decimal("30.62791")
    # LG1: 7.210 x 12 / 1.720 = 86.520 / 1.720 = 50,30232558...
    assert hourly_rate(TABLE, 1, 1720).quantize(Decimal("0.0001")) == Decimal("50.3023")


def test_monthly_billing_is_the_unit_cost_times_the_share_of_a_month():
    assert personnel_cents("Monat", Decimal(1), 2, TABLE, 1720) == 553_000  # 5.530,00
    assert personnel_cents("Monat", Decimal("0.5"), 1, TABLE, 1720) == 360_500  # 3.605,00
    # 3.380 x 0,3333 = 1.126,554 -> 1.126,55
    assert personnel_cents("Monat", Decimal("0.3333"), 4, TABLE, 1720) == 112_655


def test_hourly_billing_and_half_up_rounding_per_row():
    # 4.390 x 12 x 40 / 1.720 = 1.225,1162... -> 1.225,12 (the factories' DO-02)
    assert personnel_cents("Stunden", Decimal(40), 3, TABLE, 1720) == 122_512
    # exactly half a cent rounds up: 5.530 x 0,0005 = 2,765 -> 2,77 (not banker's 2,76)
    assert personnel_cents("Monat", Decimal("0.0005"), 2, TABLE, 1720) == 277
    # per row: one hour of LG3 is 30,6279... -> 30,63; three such rows are 91,89,
    # while three hours in one row are 91,8837... -> 91,88
    one = personnel_cents("Stunden", Decimal(1), 3, TABLE, 1720)
    assert one == 3_063
    assert 3 * one == 9_189
    assert personnel_cents("Stunden", Decimal(3), 3, TABLE, 1720) == 9_188


def test_eligible_costs_with_booked_material_and_the_grant_split():
    # the factories' DO March: personnel 6.755,12, Ausgaben 1.234,56 + 89,90 = 1.324,46
    e = eligible_costs(675_512, 132_446, Decimal("0.80"), RULES)
    assert e == Eligible(
        personnel=675_512,
        overheads=101_327,  # 15 % of 6.755,12 = 1.013,268 -> 1.013,27
        material=132_446,  # as booked
        eligible=909_285,  # 6.755,12 + 1.013,27 + 1.324,46
        grant=727_428,  # 80 % of 9.092,85 = 7.274,28
        eu=363_714,  # 40 % of 9.092,85 = 3.637,14
        state=363_714,  # 7.274,28 - 3.637,14
        own=181_857,  # 9.092,85 - 7.274,28
    )


def test_flat_material_ignores_the_bookings():
    # 1.000,00 personnel: overheads 150,00, material 25 % = 250,00, eligible 1.400,00;
    # 90 % grant 1.260,00, EU 40 % 560,00, state 700,00, own 140,00
    e = eligible_costs(100_000, 50_000, Decimal("0.90"), FLAT)
    assert e.as_dict() == {
        "personnel": 100_000,
        "overheads": 15_000,
        "material": 25_000,
        "eligible": 140_000,
        "grant": 126_000,
        "eu": 56_000,
        "state": 70_000,
        "own": 14_000,
    }


def test_cent_rounding_of_overheads_and_split_keeps_the_sums():
    # 0,30 personnel: overheads 0,045 -> 0,05 (half up); eligible 0,35;
    # grant 80 % = 0,28; EU 40 % = 0,14; state 0,14; own 0,07
    e = eligible_costs(30, 0, Decimal("0.80"), RULES)
    assert (e.overheads, e.eligible, e.grant, e.eu, e.state, e.own) == (5, 35, 28, 14, 14, 7)
    # 0,01 eligible: grant 0,008 -> 0,01; EU 0,004 -> 0,00; the state takes the cent
    tiny = eligible_costs(1, 0, Decimal("0.80"), RULES)
    assert (tiny.overheads, tiny.eligible, tiny.grant, tiny.eu, tiny.state, tiny.own) == (
        0,
        1,
        1,
        0,
        1,
        0,
    )


def test_a_credit_note_lowers_the_material_costs():
    # personnel 0; Ausgaben 100,00 and a credit of -40,00: material 60,00, all eligible
    e = eligible_costs(0, 10_000 - 4_000, Decimal("0.80"), RULES)
    assert (e.material, e.eligible, e.grant, e.own) == (6_000, 6_000, 4_800, 1_200)


def test_array_version_rounds_halves_away_from_zero_like_decimal():
    # 15 % of +-0,30 is +-0,045: both round away from zero to +-0,05
    assert times_rate(np.array([30, -30, 10]), 15, 100).tolist() == [5, -5, 2]
    arrays = eligible_arrays(
        np.array([675_512, 30]), np.array([132_446, 0]), np.array([4, 4]), np.array([5, 5]), RULES
    )
    assert arrays["eligible"].tolist() == [909_285, 35]
    assert arrays["own"].tolist() == [181_857, 7]


def test_euro_texts():
    assert eur(123_456) == "1234.56"
    assert eur(-5) == "-0.05"
    assert format_eur(123_456_789) == "1.234.567,89 €"
    assert format_eur(-100) == "-1,00 €"
