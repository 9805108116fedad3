"""The CLI's exit codes, its fast start, and `config init/check` on good and bad files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCHOOLNET = [sys.executable, "-m", "agent.cli"]
HEAVY = ("scapy", "pysnmp", "speedtest", "fastapi", "sqlalchemy", "uvicorn", "pydantic", "jinja2", "requests",
         "cryptography", "psutil", "netifaces", "weasyprint", "openpyxl")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SCHOOLNET, *args], capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def test_help_lists_every_verb_and_imports_nothing_heavy() -> None:
    code = (
        "import sys\nfrom agent.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit as e:\n    assert e.code == 0, e.code\n"
        f"heavy = [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stdout
    for verb in ("audit", "discover", "inspect", "speed", "wifi", "report", "upload", "verify", "lab", "doctor",
                 "config"):
        assert f"\n  {verb} " in proc.stdout


def test_unknown_verb_and_bad_option_exit_2() -> None:
    assert run("no-such-verb").returncode == 2
    assert run("--lang", "fr", "config", "check").returncode == 2


def test_init_writes_a_private_valid_config(tmp_path: Path) -> None:
    target = tmp_path / "agent.toml"
    state = tmp_path / "state"
    proc = run("config", "init", str(target), "--school-id", "79000101", "--school-name", 'THCS "Nguyễn Du"',
               "--state-dir", str(state))
    assert proc.returncode == 0, proc.stderr
    assert (target.stat().st_mode & 0o777) == 0o600
    key = state / "signing.key"
    assert key.is_file() and (key.stat().st_mode & 0o777) == 0o600
    assert 'name = "THCS \\"Nguyễn Du\\""' in target.read_text(encoding="utf-8")
    check = run("config", "check", str(target))
    assert check.returncode == 0, check.stderr
    again = run("config", "init", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr


BAD_CONFIGS = {
    "bad_toml": ("[scan\nsubnets = 1\n", "invalid TOML"),
    "wrong_type": ("[scan]\nsnmp_retries = \"three\"\n", "scan.snmp_retries:"),
    "unknown_key": ("[scan]\nsubnetz = []\n", "scan.subnetz: unknown key"),
    "bad_cidr": ("[scan]\nsubnets = [\"10.0.0.0/24\", \"10.0.0.300/24\"]\n", "scan.subnets[1]:"),
    "bad_credential": ("[[snmp.credentials]]\nversion = \"3\"\n", "snmp.credentials[0]: SNMP v3 needs 'user'"),
    "unknown_profile": ("[agent]\ncriteria_profile = \"nope\"\n", "unknown profile 'nope'"),
}


@pytest.mark.parametrize("name", sorted(BAD_CONFIGS))
def test_check_reports_one_precise_line_per_problem(tmp_path: Path, name: str) -> None:
    text, expected = BAD_CONFIGS[name]
    target = tmp_path / f"{name}.toml"
    target.write_text(text, encoding="utf-8")
    target.chmod(0o600)
    proc = run("config", "check", str(target))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert expected in lines[0]
    assert lines[0].startswith(f"schoolnet: error: {target}")
    assert "Traceback" not in proc.stderr


def test_world_readable_secrets_are_refused_with_the_fix(tmp_path: Path) -> None:
    target = tmp_path / "agent.toml"
    target.write_text('[[snmp.credentials]]\nversion = "2c"\ncommunity = "s3cret-community"\n', encoding="utf-8")
    target.chmod(0o644)
    proc = run("config", "check", str(target))
    assert proc.returncode == 2
    assert f"chmod 600 {target}" in proc.stderr
    assert "s3cret-community" not in proc.stderr
    target.chmod(0o600)
    assert run("config", "check", str(target)).returncode == 0


def test_missing_config_is_a_usage_error(tmp_path: Path) -> None:
    proc = run("--config", str(tmp_path / "nope.toml"), "config", "check")
    assert proc.returncode == 2
    assert "no such config file" in proc.stderr


def test_show_masks_secrets(tmp_path: Path) -> None:
    target = tmp_path / "agent.toml"
    target.write_text('[district]\ntoken = "tok-123456"\n[[snmp.credentials]]\nversion = "2c"\ncommunity = "cmty"\n',
                      encoding="utf-8")
    target.chmod(0o600)
    proc = run("--json", "config", "show", str(target))
    assert proc.returncode == 0, proc.stderr
    assert "tok-123456" not in proc.stdout and "cmty" not in proc.stdout
    assert '"***"' in proc.stdout
