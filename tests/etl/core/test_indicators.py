"""EU output indicators: the registry in the configuration and the counting rules."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pandas as pd
import pytest

from etl.core import figures
from etl.core.config import ConfigError, parse_config
from etl.core.indicators import DEFAULT_INDICATORS, Indicator, count

CONFIG = Path(__file__).resolve().parents[3] / "data" / "config.toml"


def _raw() -> dict:
    with open(CONFIG, "rb") as fh:
        raw = tomllib.load(fh)
    raw.pop("indicator_targets", None)
    return raw


def test_without_a_section_the_network_gets_rco01_and_rco04_without_targets():
    cfg = parse_config(_raw())
    assert [i.code for i in cfg.indicators] == ["RCO01", "RCO04"]
    assert cfg.indicators == DEFAULT_INDICATORS
    assert all(not i.targets for i in cfg.indicators)
    assert cfg.indicators[0].split_by_size and not cfg.indicators[1].split_by_size


def test_targets_for_the_defaults_and_own_indicators():
    raw = _raw() | {"indicator_targets": {"RCO01": {"2024": 10, "2026": 5}}}
    assert parse_config(raw).indicators[0].targets == {2024: 10, 2026: 5}
    own = {
        "code": "X1",
        "name": "KMU im Coaching",
        "definition": "KMU, die gecoacht wurden.",
        "counted_as": "smes",
        "modules": ["Coachen"],
        "targets": {"2025": 7},
    }
    cfg = parse_config(_raw() | {"indicators": [own]})
    assert cfg.indicators == (
        Indicator(
            "X1", "KMU im Coaching", "KMU, die gecoacht wurden.", "smes", ("Coachen",), {2025: 7}
        ),
    )
    listed = figures.indicator_figures(cfg)
    assert [f.key for f in listed] == ["X1"] and "2025: 7" in listed[0].rule
    assert "nur Module Coachen" in listed[0].formula


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"indicators": [{"code": "A", "name": "n", "definition": "d", "counted_as": "x"}]},
            "indicators[0].counted_as",
        ),
        ({"indicators": [{"code": "A", "name": "n"}]}, "es fehlt definition, counted_as"),
        ({"indicator_targets": {"RCO99": {"2024": 1}}}, "indicator_targets.RCO99"),
        ({"indicator_targets": {"RCO01": {"2030": 1}}}, "Laufzeit"),
        ({"indicator_targets": {"RCO01": {"2024": -1}}}, "negativ"),
        ({"indicator_targets": {"RCO01": {"2024": "viele"}}}, "keine ganze Zahl"),
    ],
)
def test_a_wrong_indicator_entry_is_named(extra, message):
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        parse_config(_raw() | extra)


def _reach() -> pd.DataFrame:
    """partner x module x year x company rows: A reached by DO in 2024 and BO in 2025; B by BO
    in 2025 (twice); C by DO in 2025 in Coachen only."""
    rows = [
        ("DO", "Informieren", 2024, 1, "Klein", "Mittel"),
        ("BO", "Informieren", 2025, 1, "Mittel", "Mittel"),
        ("BO", "Vernetzen", 2025, 2, "Groß", "Groß"),
        ("BO", "Informieren", 2025, 2, "Groß", "Groß"),
        ("DO", "Coachen", 2025, 3, "Kleinst", "Kleinst"),
    ]
    return pd.DataFrame(
        rows,
        columns=["partner_code", "module", "year", "company_id", "size_class", "network_class"],
    )


def test_a_company_counts_once_in_the_year_it_was_first_reached():
    rco01 = DEFAULT_INDICATORS[0]
    ind = Indicator(**{**rco01.__dict__, "targets": {2024: 2, 2025: 2}})
    got = count(ind, _reach(), (2024, 2025, 2026), network=True)
    assert [(y.actual, y.actual_cumulative) for y in got] == [(1, 1), (2, 3), (0, 3)]
    assert [(y.target, y.target_cumulative) for y in got] == [(2, 2), (2, 4), (None, 4)]
    # network: company 1 by the latest report across partners (Mittel)
    assert got[0].by_size == {"Kleinst": 0, "Klein": 0, "Mittel": 1, "Groß": 0}
    assert got[1].by_size == {"Kleinst": 1, "Klein": 0, "Mittel": 0, "Groß": 1}


def test_one_partner_counts_its_own_class_and_its_own_first_year():
    do = _reach().query("partner_code == 'DO'")
    got = count(DEFAULT_INDICATORS[0], do, (2024, 2025), network=False)
    assert got[0].by_size["Klein"] == 1 and got[0].by_size["Mittel"] == 0
    bo = _reach().query("partner_code == 'BO'")
    got = count(DEFAULT_INDICATORS[1], bo, (2024, 2025), network=False)
    assert [y.actual for y in got] == [0, 2]  # company 1 is new for BO in 2025
    assert got[0].target_cumulative is None and got[1].by_size == {}


def test_smes_and_modules_parameterise_the_rule():
    smes = Indicator("S", "KMU", "d", "smes")
    assert [y.actual for y in count(smes, _reach(), (2024, 2025), network=True)] == [1, 1]
    coached = Indicator("C", "Coaching", "d", "companies", modules=("Coachen",))
    assert [y.actual for y in count(coached, _reach(), (2024, 2025), network=True)] == [0, 1]
