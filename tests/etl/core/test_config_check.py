"""Network configuration: every inconsistency is reported at once, located and in German."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import tomllib

import pytest

from etl.core.config import ConfigError, parse_config
from etl.core.settings import REPO_ROOT
from etl.ops.demo import demo_accounts

with open(REPO_ROOT / "data" / "config.toml", "rb") as fh:
    EXAMPLE = tomllib.load(fh)


def _problems(raw: dict) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(raw)
    return str(info.value).splitlines()


def test_the_example_network_is_sound():
    assert parse_config(copy.deepcopy(EXAMPLE)).partner_codes == ("DO", "BO", "HA", "HAM", "UN")


def test_every_inconsistency_at_once_with_its_key():
    raw = copy.deepcopy(EXAMPLE)
    raw["partners"][0]["code"] = "DORTMUND-WIRTSCHAFT"  # 19 characters: column holds 16
    raw["budget"]["DORTMUND-WIRTSCHAFT"] = raw["budget"].pop("DO")
    raw["targets"]["DORTMUND-WIRTSCHAFT"] = raw["targets"].pop("DO")
    unique = raw["unique_company_targets"]
    unique["DORTMUND-WIRTSCHAFT"] = unique.pop("DO")
    raw["partners"][1]["funding_rate"] = "1.5"
    raw["partners"][2]["funding_rate"] = "0.30"  # below the 40 % EU share
    raw["network"]["total_budget_eur"] = "3700000.00"  # lines add up to 3.600.000,00
    found = _problems(raw)
    assert len(found) == 4, found
    assert found[0].startswith("partners.DORTMUND-WIRTSCHAFT.code: Kürzel ist 19 Zeichen lang")
    assert found[1] == "partners.BO.funding_rate: Förderquote 1.5 liegt nicht in (0, 1]."
    assert found[2].startswith("partners.HA.funding_rate: Förderquote 0.30 liegt unter dem "
                               "EU-Anteil 0.40")
    assert found[3] == ("network.total_budget_eur: 3700000.00 weicht von der Summe der "
                        "Budgetzeilen (3600000.00) ab.")


def test_duplicate_module_and_thresholds_in_wrong_order():
    raw = copy.deepcopy(EXAMPLE)
    raw["network"]["modules"].append("informieren")
    raw["rules"]["deviation_warn"] = "0.25"
    found = _problems(raw)
    assert any(p.startswith("network.modules.'informieren': Modul ist doppelt") for p in found)
    assert any(p.startswith("rules.deviation_warn/deviation_flag:") for p in found)


def test_structural_errors_name_their_key_in_german():
    raw = copy.deepcopy(EXAMPLE)
    raw["network"]["end"] = "Ende 2026"
    assert _problems(raw) == ["network.end: 'Ende 2026' ist kein Datum (JJJJ-MM-TT)."]


def _check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "config", "check", *args],
                          capture_output=True, text=True, timeout=60, cwd=REPO_ROOT)


def test_cli_config_check(tmp_path):
    ok = _check()
    assert ok.returncode == 0 and "Konfiguration in Ordnung" in ok.stdout
    bad = tmp_path / "netz.toml"
    text = (REPO_ROOT / "data" / "config.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace('funding_rate = "0.90"', 'funding_rate = "1.50"'),
                   encoding="utf-8")
    res = _check(str(bad), "--json")
    assert res.returncode == 1
    report = json.loads(res.stdout)
    assert report["ok"] is False
    assert report["problems"] == [
        "partners.HA.funding_rate: Förderquote 1.50 liegt nicht in (0, 1]."]
    missing = _check(str(tmp_path / "fehlt.toml"))
    assert missing.returncode == 1 and "Datei nicht gefunden" in missing.stdout


def test_commands_refuse_a_bad_configuration_before_touching_the_warehouse(tmp_path):
    bad = tmp_path / "netz.toml"
    text = (REPO_ROOT / "data" / "config.toml").read_text(encoding="utf-8")
    bad.write_text(text.replace('eu_share = "0.40"', 'eu_share = "0.95"'), encoding="utf-8")
    env = {**os.environ, "NETWORK_CONFIG": str(bad), "DATA_DIR": str(tmp_path / "data")}
    env.pop("DATABASE_URL", None)
    res = subprocess.run([sys.executable, "-m", "etl", "migrate"], capture_output=True,
                         text=True, timeout=60, cwd=REPO_ROOT, env=env)
    assert res.returncode == 2
    assert "Die Konfiguration ist fehlerhaft" in res.stderr
    assert "liegt unter dem EU-Anteil 0.95" in res.stderr
    assert not (tmp_path / "data" / "warehouse.db").exists()


def test_demo_accounts_bind_the_lead_partner_of_any_network():
    raw = copy.deepcopy(EXAMPLE)
    assert ("partner-do", "partner", "DO", "demo-partner-2026") in demo_accounts(
        parse_config(raw))
    raw["partners"] = [dict(p, lead=False) for p in raw["partners"]]
    raw["partners"][2]["lead"] = True
    names = [(u, p) for u, _role, p, _pw in demo_accounts(parse_config(raw))]
    assert names == [("admin", None), ("steuerung", None), ("finanzen", None), ("partner-ha", "HA")]
