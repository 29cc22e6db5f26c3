"""Activity KPIs: counts, companies at the targets' grain, attainment, prorated targets."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from dashboard.calc import activity, sizes
from tests.dashboard.factories import facts, reach

FACTS = facts([
    ("A", "2025-01", "M1", "events", 2), ("A", "2025-01", "M1", "participants", 30),
    ("A", "2025-02", "M1", "events", 1), ("A", "2025-02", "M1", "participants", 12),
    ("A", "2025-02", "M2", "coachings", 1), ("A", "2025-02", "M2", "coaching_hours", "12.5"),
    ("B", "2025-02", "M1", "events", 1), ("B", "2025-02", "M1", "participants", 20),
    ("A", "2025-02", "", "personnel_cents", 500000),  # money is not an activity
])
REACH = reach([
    ("A", "M1", "2025-01-10", 1, "Klein"), ("A", "M1", "2025-02-03", 1, "Klein"),
    ("A", "M1", "2025-02-03", 2, "Groß"), ("A", "M2", "2025-02-12", 1, "Klein"),
    ("B", "M1", "2025-02-20", 3, "Mittel"), ("B", "M1", "2025-02-20", 1, "Klein"),
])


def test_activity_months_pivots_the_count_measures():
    months = activity.activity_months(FACTS)
    a_feb_m1 = months[(months.partner_code == "A") & (months.module == "M1")
                      & (months.month == pd.Timestamp("2025-02-01"))].iloc[0]
    assert (a_feb_m1.events, a_feb_m1.participants, a_feb_m1.coachings) == (1, 12, 0)
    assert months["coaching_hours"].sum() == Decimal("12.5")
    assert int(months["events"].sum()) == 4 and int(months["participants"].sum()) == 62


def test_totals_count_distinct_companies_per_group():
    t = activity.totals(activity.activity_months(FACTS), REACH, ["partner_code"])
    a = t.set_index("partner_code").loc["A"]
    assert (a.events, a.participants, a.coachings, a.companies) == (3, 42, 1, 2)
    grain = activity.totals(activity.activity_months(FACTS), REACH, list(activity.KEYS))
    # company 1 counts once in A/M1, once in A/M2, once in B/M1: 5 at the targets' grain
    assert int(grain["companies"].sum()) == 5


def test_attainment_is_actual_over_target():
    assert activity.attainment(83, 100) == Fraction(83, 100)
    assert activity.attainment(5, 0) is None
    assert activity.attainment(Decimal("12.5"), 25) == Fraction(1, 2)


def test_targets_are_prorated_by_the_elapsed_share_of_each_year(small_config):
    targets = activity.targets_frame(small_config)
    expected = activity.prorated_targets(targets, small_config, date(2025, 3, 1))
    a_m1 = expected[(expected.partner_code == "A") & (expected.module == "M1")]
    # 2024 fully elapsed: 12 events; 2025: 24 x 3/12 = 6 events
    assert sum(a_m1["events"]) == 18
    assert sum(expected["participants"]) == 120 + Fraction(240 * 3, 12) + Fraction(100 * 3, 12)


def test_sme_share_counts_each_company_once():
    assert sizes.sme_share(REACH) == (3, 2, Fraction(2, 3))
    assert sizes.companies_by_size(REACH, ("Kleinst", "Klein", "Mittel", "Groß")) == {
        "Kleinst": 0, "Klein": 1, "Mittel": 1, "Groß": 1}
    assert sizes.sme_share(REACH.iloc[0:0]) == (0, 0, None)


def test_companies_per_month_are_counted_when_first_reached_in_their_group():
    frame = activity.monthly_by_partner(activity.activity_months(FACTS), REACH, "companies")
    got = {(p, m.month): v for m, p, v in frame.itertuples(index=False)}
    # A: company 1 in M1 (Jan), company 2 in M1 (Feb), company 1 in M2 (Feb); B: 3 and 1 (Feb)
    assert got == {("A", 1): 1, ("A", 2): 2, ("B", 2): 2}
    events = activity.monthly_by_partner(activity.activity_months(FACTS), REACH, "events")
    assert events["value"].tolist() == [2, 1, 1]


def test_monthly_target_spreads_each_year_evenly(small_config):
    targets = activity.targets_frame(small_config)
    goal = activity.monthly_target(targets, small_config, "events", (2025,))
    assert len(goal) == 12
    assert goal.iloc[0] == Fraction(24 + 12, 12)  # A/M1 24 + B/M1 12 per year
    assert sum(goal) == 36


def test_partners_behind_by_more_than_the_warn_tolerance(small_config):
    actual = pd.DataFrame({"partner_code": ["A", "B"], "events": [84, 85], "participants": [0, 0],
                           "coachings": [0, 0], "companies": [0, 0]})
    expected = pd.DataFrame({"partner_code": ["A", "B"], "events": [100, 100],
                             "participants": [0, 0], "coachings": [0, 0], "companies": [0, 0]})
    attain = activity.partner_attainment(actual, expected)
    behind = activity.behind(attain, small_config.rules.deviation_warn)
    assert behind[["partner_code", "measure"]].values.tolist() == [["A", "events"]]
    assert behind["attainment"].iloc[0] == Fraction(84, 100)


def test_attainment_flags_follow_the_configured_tolerances(small_config):
    rules = small_config.rules
    assert activity.attainment_flag(Fraction(85, 100), rules) == "ok"
    assert activity.attainment_flag(Fraction(84, 100), rules) == "warn"
    assert activity.attainment_flag(Fraction(80, 100), rules) == "warn"
    assert activity.attainment_flag(Fraction(79, 100), rules) == "flag"
    assert activity.attainment_flag(None, rules) == "none"


def test_event_formats_are_counted():
    events = pd.DataFrame({"format": ["Präsenz", "Online", "Präsenz"]})
    assert activity.format_counts(events, ("Präsenz", "Online", "Hybrid")) == {
        "Präsenz": 2, "Online": 1, "Hybrid": 0}


def test_event_formats_frame_counts_like_the_event_rows():
    from dashboard import filters as flt

    events = pd.DataFrame({
        "partner_code": ["A", "A", "B", "B", "B"],
        "module": ["M1", "M2", "M1", "M1", None],
        "month": pd.to_datetime(["2025-01-01", "2025-02-01", "2026-03-01", "2026-03-01",
                                 "2025-05-01"]),
        "format": ["Präsenz", "Online", "Präsenz", "Hybrid", "Online"],
    })
    grain = activity.event_formats(events)  # the cached derived frame (data.DERIVED)
    assert int(grain["n"].sum()) == len(events)  # nothing lost, a missing module included
    formats = ("Präsenz", "Online", "Hybrid")
    for f in (flt.Filters((), (), ()), flt.Filters(("B",), (), ()),
              flt.Filters((), ("M1",), (2026,))):
        rows = flt.apply(activity.with_year(events), f)
        assert activity.format_counts(flt.apply(grain, f), formats) == activity.format_counts(
            rows, formats)
    none = activity.event_formats(events.iloc[0:0])
    assert activity.format_counts(none, formats) == dict.fromkeys(formats, 0)


def test_distinct_counts_match_nunique_for_any_keys():
    for keys in (["partner_code"], ["module"], ["partner_code", "module", "year"], ["year"]):
        got = activity.distinct_counts(REACH, keys, "company_id")
        want = REACH.groupby(keys)["company_id"].nunique()
        assert {tuple(r[:-1]): r[-1] for r in got.itertuples(index=False)} == {
            (k if isinstance(k, tuple) else (k,)): v for k, v in want.items()
        }


def test_expected_by_partner_equals_the_prorated_rows_summed(small_config):
    targets = activity.targets_frame(small_config)
    as_of = date(2025, 3, 1)
    rows = activity.prorated_targets(targets, small_config, as_of)
    got = activity.expected_by(targets, small_config, as_of, ["partner_code"])
    for r in got.itertuples(index=False):
        part = rows[rows.partner_code == r.partner_code]
        assert r.events == sum(part["events"]) and r.companies == sum(part["companies"])


def test_many_partners_show_the_largest_and_one_bar_for_the_rest():
    frame = pd.DataFrame({"partner_code": [f"P{i:02d}" for i in range(15)],
                          "events": [i for i in range(15)]})
    codes = tuple(frame["partner_code"])
    shown, rest, out = activity.top_partners(frame, "events", codes, limit=12)
    assert shown[:2] == ["P14", "P13"] and len(shown) == 12 and rest == "Weitere (3 Partner)"
    assert out.groupby("partner_code")["events"].sum()[rest] == 0 + 1 + 2
    # up to the limit nothing changes (the demo's five partners)
    shown, rest, out = activity.top_partners(frame.iloc[:5], "events", codes[:5], limit=12)
    assert shown == list(codes[:5]) and rest is None and out is frame.iloc[:5] or out.equals(
        frame.iloc[:5])
