"""`schoolnet evidence`, `schoolnet audit` end to end (network probes skipped), and secrets in every output."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

from agent import bundle_io, signing
from agent import config as config_mod
from agent.model import Basis, Device, Role
from agent.run import RunOptions, run_audit

COMMUNITY = "comm-S3cret-x7q"
TOKEN = "tok-S3cret-district-99"
V3_AUTH = "auth-S3cret-key-1"


def write_config(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "agent.toml"
    path.write_text(f"""
[school]
id = "79000701"
name = "Trường THCS Nguyễn Du"
students = 850
[agent]
state_dir = "{tmp_path / 'state'}"
keep_runs = 2
[district]
token = "{TOKEN}"
[scan]
subnets = ["127.0.0.1/32"]
[[snmp.credentials]]
version = "2c"
community = "{COMMUNITY}"
[[snmp.credentials]]
version = "3"
user = "auditor"
auth_protocol = "SHA256"
auth_key = "{V3_AUTH}"
[evidence]
isp_name = "VNPT"
[[rooms]]
name = "Phòng 101"
projector = true
{extra}
""", encoding="utf-8")
    os.chmod(path, 0o600)
    return path


def cli(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent.cli", "--config", str(config), *args], capture_output=True,
                          text=True, timeout=240, cwd=config.parent)


def test_evidence_add_list_remove(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    photo = tmp_path / "ảnh-fortigate.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    added = cli(config, "evidence", "add", "security_solution", "FortiGate 60F", "--attach", str(photo),
                "--note", "UTM ở phòng máy chủ")
    assert added.returncode == 0, added.stderr
    assert "Đã khai báo security_solution = FortiGate 60F, 1 tệp đính kèm." in added.stderr
    stored = tmp_path / "state" / "evidence" / "files"
    digest = hashlib.sha256(photo.read_bytes()).hexdigest()
    assert (stored / f"{digest[:16]}-{photo.name}").read_bytes() == photo.read_bytes()
    listed = json.loads(cli(config, "--json", "evidence", "list").stdout)
    keys = [d["key"] for d in listed["declarations"]]
    assert keys == ["isp_name", "security_solution"]
    assert listed["attachments"][0]["sha256"] == digest and listed["attachments"][0]["media_type"] == "image/jpeg"
    bad = cli(config, "evidence", "add", "isp_contract_mbps", "một gigabit")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "not a number" in bad.stderr
    assert cli(config, "evidence", "add", "Bad Key", "x").returncode == 2
    assert cli(config, "evidence", "add", "notes", "x", "--attach", str(tmp_path / "missing.pdf")).returncode == 2
    assert cli(config, "evidence", "remove", "security_solution").returncode == 0
    assert cli(config, "evidence", "remove", "security_solution").returncode == 2


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())


def test_audit_writes_signed_run_and_exits_1_on_a_failing_criterion(tmp_path: Path) -> None:
    config = write_config(tmp_path, "")
    assert cli(config, "evidence", "add", "isp_contract_mbps", "300", "--note", "gói 300M").returncode == 0
    assert cli(config, "evidence", "add", "security_solution", "chưa có").returncode == 0
    result = cli(config, "audit", "--skip-bandwidth", "--skip-wifi", "--skip-discovery", "--format", "html",
                 "--format", "pdf", "--format", "csv", "--format", "xlsx")
    assert result.returncode == 1, result.stderr  # the school declares no security solution: a declared fail
    assert "Có giải pháp an toàn thông tin mạng" in result.stderr and "KHÔNG ĐẠT" in result.stderr
    out = tmp_path / "state" / "out"
    runs = sorted(out.iterdir())
    assert len(runs) == 1
    run = runs[0]
    assert {p.name for p in run.iterdir()} == {"evidence.json", "report.html", "report.pdf", "inventory.csv",
                                               "inventory.xlsx"}
    verify = cli(config, "verify", str(run / "evidence.json"))
    assert verify.returncode == 0, verify.stderr
    bundle = bundle_io.read_bundle(run / "evidence.json")
    internet = next(f for f in bundle.findings if f.criterion_id == "1.2-internet" and f.subject == "school")
    # the declared 300 Mbit/s contract is shown, but the profile decides the Internet on measurements only
    assert internet.status.value == "unknown" and "300" in (internet.reason.en if internet.reason else "")
    security = next(f for f in bundle.findings if f.criterion_id == "1.2-security" and f.subject == "school")
    assert security.status.value == "fail" and security.provenance == "declared"
    assert {c.id for c in bundle.criteria} >= {"1.2-router", "1.2-internet"}
    assert bundle.host is not None  # probes.host ran (read-only)
    # no secret anywhere: bundle, reports, PDF text, spreadsheet, console
    outputs = {
        "stdout": result.stdout, "stderr": result.stderr,
        "bundle": (run / "evidence.json").read_text(encoding="utf-8"),
        "html": (run / "report.html").read_text(encoding="utf-8"),
        "pdf": _pdf_text(run / "report.pdf"),
        "csv": (run / "inventory.csv").read_text(encoding="utf-8-sig"),
        "xlsx": _xlsx_text(run / "inventory.xlsx"),
    }
    assert "Trường THCS Nguyễn Du" in outputs["pdf"]
    for name, text in outputs.items():
        for secret in (COMMUNITY, TOKEN, V3_AUTH):
            assert secret not in text, f"{secret!r} leaked into {name}"
    # keep_runs = 2: a third run removes the oldest
    for _ in range(2):
        assert cli(config, "-q", "audit", "--skip-bandwidth", "--skip-wifi", "--skip-discovery",
                   "--format", "csv").returncode == 1
    assert len(list(out.iterdir())) == 2 and run not in list(out.iterdir())


def test_broken_or_missing_probes_become_warnings_and_leaks_are_masked(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    config = config_mod.load(write_config(tmp_path))
    leaky = types.ModuleType("probes.discovery")

    def run_discovery(cfg: object, progress: object) -> list[Device]:
        # a device whose sysDescr echoes the community it was asked with
        return [Device(ip="127.0.0.1", role=Role.ROUTER, sys_descr=f"RouterOS community={COMMUNITY}",
                       snmp_status="ok", max_port_capability_mbps=10000,
                       basis=(Basis("snmp", "IF-MIB fastest physical port (sfp-sfpplus1)", "10000"),))]

    leaky.run_discovery = run_discovery  # type: ignore[attr-defined]
    broken = types.ModuleType("probes.bandwidth")

    def measure(cfg: object, host: object, progress: object, **kw: object) -> list[object]:
        raise ConnectionError(f"server said no to token {TOKEN}")

    broken.measure = measure  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "probes.discovery", leaky)
    monkeypatch.setitem(sys.modules, "probes.bandwidth", broken)
    monkeypatch.setitem(sys.modules, "probes.wifi", types.ModuleType("probes.wifi"))  # no scan_air
    result = run_audit(config, RunOptions(formats=("csv",)))
    bundle = result.bundle
    text = (result.run_dir / "evidence.json").read_text(encoding="utf-8")
    assert COMMUNITY not in text and TOKEN not in text
    assert bundle.devices[0].sys_descr == "RouterOS community=***"
    warnings = "\n".join(bundle.warnings)
    assert "probes.wifi.scan_air failed: ImportError" in warnings
    assert "probes.bandwidth.measure failed: ConnectionError" in warnings and "***" in warnings
    assert "secret value(s) in probe output were masked" in warnings
    assert signing.verify(bundle)
    router = next(f for f in bundle.findings if f.criterion_id == "1.2-router" and f.subject == "school")
    assert router.status.value == "pass"
    assert result.failed == []  # nothing fails: wifi unknown (not measured), internet unknown


def test_unwritable_output_is_one_line_exit_3(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory")
    result = cli(config, "-q", "audit", "--skip-bandwidth", "--skip-wifi", "--skip-discovery",
                 "--out", str(blocker / "runs"))
    assert result.returncode == 3 and result.stderr.count("\n") == 1 and "cannot write the evidence" in result.stderr
