"""Global filters in the query string: parsing, writing, merging, applying."""

import pandas as pd

from dashboard import filters as flt


def test_filters_are_read_case_insensitively_and_unknown_values_dropped(small_config):
    f = flt.from_search("?partner=b,a,XX&modul=m2&jahr=2025,1999", small_config)
    assert f == flt.Filters(partners=("A", "B"), modules=("M2",), years=(2025,))


def test_empty_query_selects_everything(small_config):
    f = flt.from_search("", small_config)
    assert not f.is_active
    assert f.partner_list(small_config) == ("A", "B")
    assert f.module_list(small_config) == ("M1", "M2")
    assert f.year_list(small_config) == (2024, 2025)


def test_query_round_trip(small_config):
    f = flt.Filters(partners=("A",), years=(2024, 2025))
    assert flt.to_search(f.query()) == "?partner=A&jahr=2024,2025"
    assert flt.from_search(flt.to_search(f.query()), small_config) == f


def test_merge_replaces_global_keys_and_keeps_page_keys():
    search = "?tabelle=kosten&partner=A&monat=2025-03"
    merged = flt.merge_search(search, flt.Filters(partners=("B",), years=(2025,)))
    assert flt.parse_search(merged) == {"partner": "B", "jahr": "2025", "tabelle": "kosten",
                                        "monat": "2025-03"}
    assert flt.merge_search("?partner=A", flt.Filters()) == ""


def test_href_adds_non_empty_extras():
    f = flt.Filters(partners=("A",))
    assert flt.href("/daten", f, tabelle="kosten", monat=None) == "/daten?partner=A&tabelle=kosten"


def test_apply_filters_rows():
    frame = pd.DataFrame({"partner_code": ["A", "B", "A"], "module": ["M1", "M1", "M2"],
                          "year": [2024, 2025, 2025]})
    f = flt.Filters(partners=("A",), years=(2025,))
    assert flt.apply(frame, f).index.tolist() == [2]
    assert flt.apply(frame, flt.Filters(modules=("M1",)), module=None).index.tolist() == [0, 1, 2]


def test_a_module_with_a_comma_survives_the_address(small_config):
    import dataclasses

    config = dataclasses.replace(small_config, modules=("M1", "Vernetzung, Öffentlichkeit"))
    f = flt.Filters(modules=("Vernetzung, Öffentlichkeit", "M1"))
    search = flt.to_search(f.query())
    assert search == "?modul=Vernetzung%252C+%C3%96ffentlichkeit,M1"
    assert flt.from_search(search, config).modules == ("M1", "Vernetzung, Öffentlichkeit")
