"""`schoolnet service install | uninstall | status` under a temporary --root: idempotent, nothing lost."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from agent import service

SCHOOLNET = service.installation_bin_dir() / "schoolnet"
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="installing the service (user, chown) needs root")


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(SCHOOLNET), *args], capture_output=True, text=True, timeout=120, check=False)


def snapshot(root: Path) -> dict[str, tuple[int, int, int, str]]:
    """Every path below root with mode, owner and content (or link target)."""
    out = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        if path.is_symlink():
            body = os.readlink(path)
        elif path.is_file() and path.name not in (".pwd.lock",):
            body = path.read_text(errors="replace")
        else:
            body = ""
        out[str(path.relative_to(root))] = (stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid, body)
    return out


def passwd_entry(root: Path, name: str) -> list[str] | None:
    for line in (root / "etc/passwd").read_text().splitlines():
        if line.startswith(name + ":"):
            return line.split(":")
    return None


def test_install_is_complete_and_idempotent(tmp_path: Path) -> None:
    proc = cli("--lang", "en", "--json", "service", "install", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout)
    assert first["changed"] and any("created system user schoolnet" in a for a in first["actions"])
    assert any("systemd is not running" in n or "--root was given" in n for n in first["notes"])

    entry = passwd_entry(tmp_path, "schoolnet")
    assert entry is not None and entry[6].endswith("nologin")
    uid = int(entry[2])
    assert 0 < uid < 1000  # a system user, never root
    units = tmp_path / "etc/systemd/system"
    audit = (units / "schoolnet-audit.service").read_text()
    assert f"ExecStart={SCHOOLNET} audit" in audit
    assert f"ExecStart={SCHOOLNET} upload" in (units / "schoolnet-upload.service").read_text()
    for timer in service.AGENT_TIMERS:
        link = units / "timers.target.wants" / timer
        assert link.is_symlink() and os.readlink(link) == f"/etc/systemd/system/{timer}"
    for rel in ("var/lib/schoolnet", "var/lib/schoolnet/spool", "var/lib/schoolnet/out", "var/log/schoolnet"):
        st = (tmp_path / rel).stat()
        assert (stat.S_IMODE(st.st_mode), st.st_uid) == (0o700, uid), rel

    before = snapshot(tmp_path)
    again = cli("--json", "service", "install", "--root", str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["changed"] is False
    assert snapshot(tmp_path) == before


def test_install_secures_an_existing_config(tmp_path: Path) -> None:
    config = tmp_path / "etc/schoolnet/agent.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[district]\nurl = "http://127.0.0.1:9"\ntoken = "tok-secret"\n')
    config.chmod(0o644)
    result = service.install(tmp_path)
    st = config.stat()
    uid = int(passwd_entry(tmp_path, "schoolnet")[2])  # type: ignore[index]
    assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == uid
    assert any("removed group/other access" in a for a in result.actions)


def test_spool_and_evidence_survive_uninstall_and_reinstall(tmp_path: Path) -> None:
    service.install(tmp_path)
    spool = tmp_path / "var/lib/schoolnet/spool/bundle-0001.json"
    spool.write_text('{"id": "bundle-0001"}')
    run = tmp_path / "var/lib/schoolnet/out/2026-11-24T01-00-00"
    run.mkdir()
    config = tmp_path / "etc/schoolnet/agent.toml"
    config.write_text('[school]\nid = "79000001"\n')

    proc = cli("--lang", "en", "service", "uninstall", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "kept config and evidence" in proc.stderr
    units = tmp_path / "etc/systemd/system"
    assert not list(units.glob("schoolnet*")) and not list(units.glob("*.wants/schoolnet*"))
    assert spool.is_file() and run.is_dir() and config.is_file()
    assert cli("--json", "service", "uninstall", "--root", str(tmp_path)).returncode == 0  # idempotent

    service.install(tmp_path)
    assert spool.read_text() == '{"id": "bundle-0001"}' and run.is_dir() and config.is_file()
    status = json.loads(cli("--json", "service", "status", "--root", str(tmp_path)).stdout)
    assert status["spool"]["count"] == 1 and status["runs"]["latest"] == ["2026-11-24T01-00-00"]
    assert set(status["units"].values()) >= {"installed"} and all(status["timers_enabled"].values())
    assert status["units"]["schoolnet-district.service"] == "missing"
    assert status["running"] is None

    proc = cli("--json", "service", "uninstall", "--purge", "--root", str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    for rel in ("etc/schoolnet", "var/lib/schoolnet", "var/log/schoolnet", "etc/sysusers.d/schoolnet.conf"):
        assert not (tmp_path / rel).exists(), rel
    assert passwd_entry(tmp_path, "schoolnet") is None


def test_status_flags_an_outdated_unit_and_a_running_audit(tmp_path: Path) -> None:
    from agent.runlock import run_lock

    service.install(tmp_path, district=True)
    assert passwd_entry(tmp_path, "schoolnet-district") is not None
    unit = tmp_path / "etc/systemd/system/schoolnet-audit.service"
    unit.write_text(unit.read_text().replace("Nice=10", "Nice=0"))
    with run_lock(tmp_path / "var/lib/schoolnet"):
        status = service.status(tmp_path)
    assert status["units"]["schoolnet-audit.service"].startswith("outdated")
    assert status["units"]["schoolnet-district.service"] == "installed"
    assert status["running"]["pid"] == os.getpid()
    assert service.install(tmp_path, district=True).actions == [f"updated {unit}"]


def test_service_on_the_host_needs_root_or_says_so(tmp_path: Path) -> None:
    proc = subprocess.run(
        ["setpriv", "--reuid=61874", "--regid=61874", "--clear-groups", str(SCHOOLNET), "--lang", "en",
         "service", "install"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    expected = "schoolnet: error: installing the service needs root: run `sudo schoolnet service ...`"
    assert proc.stderr.strip() == expected


def test_install_warns_when_the_service_user_cannot_run_the_interpreter(tmp_path: Path) -> None:
    closed = tmp_path / "home" / "venv" / "bin"
    closed.mkdir(parents=True)
    (tmp_path / "home").chmod(0o700)
    python = closed / "python3"
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    (closed / "schoolnet").write_text(f"#!{python}\nimport sys\n")
    (closed / "schoolnet").chmod(0o755)
    assert service.closed_to_service(closed) == [closed / "schoolnet", python]
    (tmp_path / "home").chmod(0o755)
    tmp_path.chmod(0o755)
    if all(p.stat().st_mode & 0o001 for p in tmp_path.parents):
        assert service.closed_to_service(closed) == []
    (tmp_path / "home").chmod(0o700)
    root = tmp_path / "root"
    root.mkdir()
    notes = service.install(root, bin_dir=closed).notes
    assert any("cannot execute" in n and "203/EXEC" in n for n in notes)
