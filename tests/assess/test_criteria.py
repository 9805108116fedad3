"""Criteria profiles: the shipped ones are valid; a district's broken profile gets one line per problem."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from agent import criteria
from agent.errors import ConfigError
from agent.paths import CRITERIA_DIR

SHIPPED = sorted(CRITERIA_DIR.glob("*.toml"))


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_profiles_are_valid(path: Path) -> None:
    assert criteria.check_file(path) == []
    profile = criteria.load(path.stem)
    assert profile.id == path.stem
    assert profile.rules, path
    for rule in profile.rules:
        assert rule.title.vi and rule.title.en and rule.source.document
        assert rule.title.vi != rule.title.en


def test_hcmc_profile_matches_the_quoted_thresholds() -> None:
    p = {r.id: r for r in criteria.load("hcmc-956-2024").rules}
    assert p["1.2-router"].number == 10000 and p["1.2-router"].aggregate == "every"
    assert set(p["1.2-router"].bases) == {"port_capability", "port_speed", "throughput"}
    assert p["1.2-switch"].number == 1000
    assert p["1.2-wifi-standard"].threshold == "802.11ac-wave2"
    assert p["1.2-wifi-bands"].threshold == ["2.4", "5"]
    assert p["1.2-wifi-rate"].reading == "aggregate" and p["1.2-wifi-rate"].per_band == {"2.4": 1300, "5": 5300}
    assert p["1.2-internet"].number == 1000 and p["1.2-internet"].tolerance == 0.97
    # none of the thresholds could be checked against the official text: the profile must say so
    assert all(not r.source.verified for r in p.values())
    assert {r.id for r in p.values() if r.informational} == {"info-bandwidth-per-student", "info-classroom-coverage"}


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "district.toml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = CRITERIA_DIR.joinpath("hcmc-956-2024.toml").read_text(encoding="utf-8")


def test_problems_name_the_rule_and_key(tmp_path: Path) -> None:
    text = BASE.replace('threshold = "802.11ac-wave2"', 'threshold = "wifi-9"').replace(
        'applies_to = "switch"', 'applies_to = "access_point"').replace("aggregate = \"any\"\n", "agregate = 1\n", 1)
    problems = criteria.check_file(_write(tmp_path, text))
    joined = "\n".join(problems)
    assert len(problems) == 3, joined
    assert all(p.startswith(str(tmp_path / "district.toml") + ": rules[") for p in problems)
    assert "(1.2-switch)" in joined and "cannot apply to 'access_point'" in joined
    assert "(1.2-wifi-standard)" in joined and "'wifi-9' is not a Wi-Fi generation" in joined
    assert "agregate: unknown key" in joined


def test_duplicate_ids_missing_keys_and_bad_toml(tmp_path: Path) -> None:
    dup = BASE.replace('id = "1.2-switch"', 'id = "1.2-router"')
    assert any("appears twice" in p for p in criteria.check_file(_write(tmp_path, dup)))
    no_threshold = BASE.replace("threshold = 1000\nbases", "bases")
    assert any("needs 'threshold'" in p for p in criteria.check_file(_write(tmp_path, no_threshold)))
    per_band = BASE.replace('reading = "aggregate"', 'reading = "per_band"').replace(
        'per_band = { "2.4" = 1300, "5" = 5300 }', "")
    assert any("per_band" in p for p in criteria.check_file(_write(tmp_path, per_band)))
    broken = criteria.check_file(_write(tmp_path, "id = [\n"))
    assert len(broken) == 1 and "invalid TOML" in broken[0]
    assert criteria.check_file(tmp_path / "nope.toml") == [f"{tmp_path / 'nope.toml'}: no such criteria profile"]
    with pytest.raises(ConfigError):
        criteria.load(str(tmp_path / "nope.toml"))


def test_a_district_profile_by_path_loads(tmp_path: Path) -> None:
    data = tomllib.loads(BASE)
    assert data["id"] == "hcmc-956-2024"
    path = _write(tmp_path, BASE.replace('id = "hcmc-956-2024"', 'id = "district-7"').replace(
        "threshold = 10000", "threshold = 2500"))
    profile = criteria.load(str(path))
    assert profile.id == "district-7"
    assert {r.id: r for r in profile.rules}["1.2-router"].number == 2500


def _run(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "agent.cli", *args], capture_output=True, text=True, env=env,
                          timeout=60)


def test_config_check_validates_the_profile(tmp_path: Path) -> None:
    bad = _write(tmp_path, BASE.replace("tolerance = 0.97", "tolerance = 1.5").replace(
        'metric = "wifi_bands"', 'metric = "wifi_colour"'))
    config = tmp_path / "agent.toml"
    config.write_text(f'[agent]\ncriteria_profile = "{bad}"\nstate_dir = "{tmp_path}"\n', encoding="utf-8")
    result = _run("--config", str(config), "config", "check")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2, result.stderr
    assert all(line.startswith("schoolnet: error: ") and "Traceback" not in line for line in lines)
    assert "tolerance" in result.stderr and "metric" in result.stderr
    good = tmp_path / "good.toml"
    good.write_text('[agent]\ncriteria_profile = "moet-4725-2022"\n', encoding="utf-8")
    assert _run("--config", str(good), "config", "check").returncode == 0
