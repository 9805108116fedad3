"""The shipped systemd units: `systemd-analyze verify` is silent on them and the audit's sandbox rates "OK"."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from agent import service

ANALYZE = shutil.which("systemd-analyze") or "systemd-analyze"
pytestmark = pytest.mark.skipif(
    shutil.which(ANALYZE) is None, reason="systemd-analyze missing: apt-get install systemd"
)
UNITS = service.UNITS_SOURCE
BIN_DIR = service.installation_bin_dir()


def exposure(unit: Path) -> tuple[float, str]:
    proc = subprocess.run(
        [ANALYZE, "security", "--offline=true", "--no-pager", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d+) (\w+)", proc.stdout + proc.stderr)
    assert match, proc.stdout[-2000:] + proc.stderr[-2000:]
    return float(match.group(1)), match.group(2)


def verify(*units: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ANALYZE, "verify", "--no-pager", *map(str, units)], capture_output=True, text=True, timeout=60, check=False
    )


def rendered(tmp_path: Path, names: tuple[str, ...]) -> list[Path]:
    """The units as `service install` writes them (ExecStart= pointing at this installation)."""
    out = []
    for name in names:
        path = tmp_path / name
        path.write_text(service.render_unit(name, BIN_DIR), encoding="utf-8")
        out.append(path)
    return out


@pytest.mark.parametrize(
    ("name", "limit"),
    [("schoolnet-audit.service", 2.0), ("schoolnet-upload.service", 2.0), ("schoolnet-district.service", 2.0)],
)
def test_security_exposure_is_ok(name: str, limit: float) -> None:
    level, verdict = exposure(UNITS / name)
    print(f"systemd-analyze security --offline=true {name}: {level} {verdict}")
    assert level <= limit
    assert verdict == "OK"


def test_installed_audit_unit_still_rates_ok(tmp_path: Path) -> None:
    # the installed copy may relax ProtectHome= when the venv lives under a home directory
    (unit,) = rendered(tmp_path, ("schoolnet-audit.service",))
    level, verdict = exposure(unit)
    print(f"installed schoolnet-audit.service: {level} {verdict}")
    assert level <= 2.0 and verdict == "OK"


def test_verify_is_silent_on_every_unit(tmp_path: Path) -> None:
    units = rendered(tmp_path, (*service.AGENT_UNITS, *service.DISTRICT_UNITS))
    proc = verify(*units)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == "", proc.stderr
    text = units[0].read_text()
    assert f"ExecStart={BIN_DIR}/schoolnet audit" in text


def test_verify_catches_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: a misspelt directive and a missing binary are reported."""
    (unit,) = rendered(tmp_path, ("schoolnet-audit.service",))
    text = unit.read_text().replace("RestrictNamespaces=yes", "RestrictNamspaces=yes")
    unit.write_text(text.replace(f"{BIN_DIR}/schoolnet", "/nonexistent/schoolnet"))
    proc = verify(unit)
    assert "RestrictNamspaces" in proc.stderr
    assert "/nonexistent/schoolnet" in proc.stderr and proc.returncode != 0


def directives(name: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            out.setdefault(key, []).append(value)
    return out


def test_audit_unit_least_privilege() -> None:
    d = directives("schoolnet-audit.service")
    assert d["User"] == ["schoolnet"]
    assert d["AmbientCapabilities"] == ["CAP_NET_RAW"]
    assert d["CapabilityBoundingSet"] == ["CAP_NET_RAW"]
    assert d["Type"] == ["oneshot"]
    assert d["SuccessExitStatus"] == ["1"]  # failing criteria is a result, not a unit failure
    assert set(d["RestrictAddressFamilies"][0].split()) == {"AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK", "AF_PACKET"}
    for key in ("ProtectSystem", "StateDirectory", "ConfigurationDirectory", "LogsDirectory", "UMask"):
        assert key in d
    up = directives("schoolnet-upload.service")
    assert up["CapabilityBoundingSet"] == [""] and "AF_PACKET" not in up["RestrictAddressFamilies"][0]


def test_timers() -> None:
    audit = directives("schoolnet-audit.timer")
    assert audit["Persistent"] == ["true"] and audit["RandomizedDelaySec"] and audit["OnCalendar"]
    upload = directives("schoolnet-upload.timer")
    assert upload["OnCalendar"] == ["hourly"] and upload["Persistent"] == ["true"]
    proc = subprocess.run(
        [ANALYZE, "calendar", audit["OnCalendar"][0], upload["OnCalendar"][0]],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
