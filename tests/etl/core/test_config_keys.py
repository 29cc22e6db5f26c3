"""The one table of configuration keys: the parser's defaults are its defaults, the example
configurations use no other key, and docs/configuration.md is generated from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from decimal import Decimal

import pytest

from etl.core.config import parse_config
from etl.core.config_keys import BY_PATH, KEYS, is_known, reference_markdown, unknown_keys
from etl.core.settings import REPO_ROOT

CONFIGS = [REPO_ROOT / "data" / "config.toml", *sorted(REPO_ROOT.glob("examples/*/config.toml"))]
MINIMAL = {
    "network": {"start": "2025-01-01", "end": "2025-12-31", "modules": ["M"]},
    "partners": [{"code": "A", "name": "Partner A"}],
    "rules": {"rate_tables": [{"valid_from": "2024-01-01", "monthly": {"1": "5000.00"}}]},
}


def _toml(path: str) -> object:
    """A documented default as Python reads it (text without its quotes)."""
    return BY_PATH[path].default.strip('"')


def test_docs_configuration_md_is_current():
    """Regenerate with ``python -m etl config reference`` after changing a key."""
    text = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert text == reference_markdown()
    for key in KEYS:
        assert f"| `{key.path}` |" in text


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.parent.name)
def test_the_example_configurations_use_only_defined_keys(path):
    with open(path, "rb") as fh:
        raw = tomllib.load(fh)
    assert unknown_keys(raw) == []
    parse_config(raw)


def test_unknown_keys_are_found_with_their_path():
    raw = {**MINIMAL, "partners": [{"code": "A", "name": "A", "grant_ceiling": "1"}],
           "budget": {"A": {"2025": {"personel": "1"}}}, "extra": 1}
    assert unknown_keys(raw) == ["partners[].grant_ceiling", "budget.A.2025.personel", "extra"]
    assert is_known("targets.A.Coachen und Beraten.2025.events")
    assert not is_known("targets.A.M.25.events")


def test_the_parser_takes_its_defaults_from_the_key_table():
    cfg = parse_config(MINIMAL)
    r = cfg.rules
    for name in ("overhead_rate", "material_flat_rate", "eu_share", "deviation_warn",
                 "deviation_flag"):
        assert getattr(r, name) == Decimal(_toml(f"rules.{name}")), name
    assert r.material_mode == _toml("rules.material_mode")
    assert r.hours_per_year == int(_toml("rules.hours_per_year"))
    assert r.final_proof_months == int(_toml("rules.final_proof_months"))
    assert f"{r.interim_proof_due[0]:02d}-{r.interim_proof_due[1]:02d}" == _toml(
        "rules.interim_proof_due")
    assert cfg.report_due_day == int(_toml("network.report_due_day"))
    assert cfg.total_budget == Decimal(_toml("network.total_budget_eur"))
    assert (cfg.eu_name, cfg.state_name) == (_toml("funding_sources.eu"),
                                             _toml("funding_sources.state"))
    p = cfg.partners[0]
    assert p.funding_rate == Decimal(_toml("partners[].funding_rate"))
    assert (p.role, p.reporting) == (_toml("partners[].role"), _toml("partners[].reporting"))
    assert p.lead is (_toml("partners[].lead") == "true")


def test_config_check_names_unknown_keys_without_failing(tmp_path):
    text = (REPO_ROOT / "data" / "config.toml").read_text(encoding="utf-8")
    path = tmp_path / "config.toml"
    path.write_text(text.replace('lead = true', 'lead = true\ngrant_ceiling = "5"', 1),
                    encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run([sys.executable, "-m", "etl", "config", "check", str(path), "--json"],
                         capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stdout + run.stderr
    out = json.loads(run.stdout)
    assert out["ok"] and out["notices"] == [
        "partners[].grant_ceiling: unbekannter Schlüssel, wird ignoriert (Tippfehler?)."
    ]


def test_config_reference_writes_the_table(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    out = tmp_path / "ref.md"
    run = subprocess.run([sys.executable, "-m", "etl", "config", "reference", "-o", str(out)],
                         capture_output=True, text=True, env=env, check=False)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == reference_markdown()
