"""`schoolnet doctor` against real services on 127.0.0.1: a tiny district health endpoint and a real snmpd.

Network safety: every request goes to 127.0.0.1 (the SNMP check is pointed there with --gateway).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from agent import doctor, service

SCHOOLNET = str(service.installation_bin_dir() / "schoolnet")
UID = 61874  # an unprivileged uid with no passwd entry, like a DynamicUser
COMMUNITY = "doctor-ro-Zq81x"
NET_RAW_ONLY = ["--inh-caps=-all,+net_raw", "--ambient-caps=-all,+net_raw", "--bounding-set=-all,+net_raw"]


class District(BaseHTTPRequestHandler):
    skew_s = 0.0
    status = 200

    def do_GET(self) -> None:
        body = b'{"status":"ok"}'
        self.send_response(self.status if self.path == "/api/v1/health" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def date_time_string(self, timestamp: float | None = None) -> str:
        return formatdate(time.time() + self.skew_s, usegmt=True)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def district() -> Iterator[tuple[str, type[District]]]:
    handler = type("Handler", (District,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", handler
    server.shutdown()
    server.server_close()


def write_config(tmp_path: Path, url: str, *, extra: str = "", mode: int = 0o600) -> Path:
    state = tmp_path / "state"
    state.mkdir(exist_ok=True, mode=0o700)
    path = tmp_path / "agent.toml"
    path.write_text(
        f'[agent]\nlanguage = "en"\nstate_dir = "{state}"\n\n[district]\nurl = "{url}"\ntimeout_s = 5\n{extra}',
        encoding="utf-8",
    )
    path.chmod(mode)
    return path


def run_doctor(config: Path, *args: str, prefix: tuple[str, ...] = ()) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run(
        [*prefix, SCHOOLNET, "--config", str(config), "doctor", "--json", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    data = json.loads(proc.stdout) if proc.stdout.strip() else {}
    return proc.returncode, data, proc.stdout + proc.stderr


def by_name(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {c["name"]: c for c in data["checks"]}


@pytest.mark.skipif(os.geteuid() != 0, reason="the all-well case needs CAP_NET_RAW (run as root)")
def test_all_well_exits_0(tmp_path: Path, district: tuple[str, type[District]]) -> None:
    url, _ = district
    code, data, out = run_doctor(write_config(tmp_path, url))
    checks = by_name(data)
    assert code == 0, out
    assert data["ok"] is True
    assert checks["district"]["status"] == "ok" and "answered 200" in checks["district"]["detail"]
    assert checks["clock"]["status"] == "ok"
    assert checks["capabilities"]["status"] == "ok" and checks["raw_socket"]["status"] == "ok"
    assert checks["snmp_gateway"]["status"] == "skip"  # no credentials: the gateway is not asked
    assert checks["config_permissions"]["status"] == "ok" and checks["disk"]["status"] == "ok"
    assert {"tool_iperf3", "tool_iw", "tool_nmap", "tool_snmpd"} <= set(checks)


def test_clock_skew_and_bad_status_fail_with_fixes(tmp_path: Path, district: tuple[str, type[District]]) -> None:
    url, handler = district
    handler.skew_s = 900.0
    handler.status = 503
    code, data, out = run_doctor(write_config(tmp_path, url))
    checks = by_name(data)
    assert code == 1, out
    assert checks["clock"]["status"] == "fail" and "-900 s" in checks["clock"]["detail"]
    assert "timedatectl set-ntp true" in checks["clock"]["fix"]
    assert checks["district"]["status"] == "fail" and "503" in checks["district"]["detail"]


def test_unreachable_district(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, data, _ = run_doctor(write_config(tmp_path, f"http://127.0.0.1:{port}"))
    checks = by_name(data)
    assert code == 1
    assert checks["district"]["status"] == "fail" and "ConnectionError" in checks["district"]["detail"]
    assert checks["district"]["fix"]


def test_secret_config_readable_by_others_fails_and_is_not_shown(
    tmp_path: Path, district: tuple[str, type[District]]
) -> None:
    url, _ = district
    config = write_config(
        tmp_path, url, mode=0o644, extra=f'token = "tok-{COMMUNITY}"\n\n[[snmp.credentials]]\nversion = "2c"\n'
        f'community = "{COMMUNITY}"\n'
    )  # fmt: skip
    code, data, out = run_doctor(config, "--gateway", "127.0.0.1")
    assert code == 1
    perm = by_name(data)["config_permissions"]
    assert perm["status"] == "fail" and perm["fix"] == f"chmod 600 {config}"
    assert COMMUNITY not in out


def test_config_errors_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[scan]\nsubnets = ["10.0.0.300/24"]\n')
    proc = subprocess.run([SCHOOLNET, "--config", str(bad), "doctor"], capture_output=True, text=True, check=False)
    assert proc.returncode == 2 and "scan.subnets[0]" in proc.stderr and "Traceback" not in proc.stderr
    missing = subprocess.run(
        [SCHOOLNET, "--config", str(tmp_path / "nope.toml"), "doctor"], capture_output=True, text=True, check=False
    )
    assert missing.returncode == 2 and "no such config file" in missing.stderr


@pytest.fixture
def open_tmp() -> Iterator[Path]:
    """A temporary directory another user can reach (pytest's tmp_path sits below a 0700 directory)."""
    with tempfile.TemporaryDirectory(prefix="snsy-") as name:
        os.chmod(name, 0o711)
        yield Path(name)


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("setpriv") is None, reason="needs root and setpriv")
def test_privileges_are_read_from_the_process(open_tmp: Path, district: tuple[str, type[District]]) -> None:
    """As an unprivileged user: no CAP_NET_RAW -> fail; with only CAP_NET_RAW ambient (as the unit) -> ok."""
    url, _ = district
    tmp_path = open_tmp
    config = write_config(tmp_path, url)
    for path in (tmp_path, tmp_path / "state", config):
        os.chown(path, UID, UID)
    base = ("setpriv", f"--reuid={UID}", f"--regid={UID}", "--clear-groups")
    code, data, out = run_doctor(config, prefix=base)
    checks = by_name(data)
    assert code == 1, out
    assert checks["capabilities"]["status"] == "fail" and "service install" in checks["capabilities"]["fix"]
    assert checks["raw_socket"]["status"] == "fail"
    code, data, out = run_doctor(config, prefix=(*base, *NET_RAW_ONLY))
    checks = by_name(data)
    assert checks["capabilities"]["status"] == "ok" and checks["raw_socket"]["status"] == "ok", out
    assert checks["state_dir"]["status"] == "ok"
    assert code == 0, out


def effective(status_line: str) -> int:
    return doctor.effective_caps(f"Name:\tx\nCapEff:\t{status_line}\n")


def test_capability_and_route_parsing() -> None:
    assert effective("0000000000002000") & (1 << doctor.CAP_NET_RAW)
    assert not effective("0000000000001000") & (1 << doctor.CAP_NET_RAW)
    route = (
        "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n"
        "eth0\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\n"
        "eth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000\n"
    )
    assert doctor.default_gateway(route) == "10.0.0.1"
    assert doctor.default_gateway(route.splitlines()[0]) is None


# --------------------------------------------------------------------------- SNMP to a real snmpd on 127.0.0.1


@pytest.fixture
def snmpd(tmp_path: Path) -> Iterator[int]:
    binary = shutil.which("snmpd") or "/usr/sbin/snmpd"
    if not Path(binary).is_file():
        pytest.skip("snmpd missing: apt-get install snmpd")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    conf = tmp_path / "snmpd.conf"
    conf.write_text(f"rocommunity {COMMUNITY} 127.0.0.1\nsysName doctor-test\n")
    proc = subprocess.Popen(
        [binary, "-f", "-C", "-c", str(conf), "-Lf", str(tmp_path / "snmpd.log"), "-p", str(tmp_path / "pid"),
         f"udp:127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "NET-SNMP version" not in _read(tmp_path / "snmpd.log"):
            time.sleep(0.05)
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)


def _read(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def test_snmp_get_of_sys_object_id_at_the_gateway(
    tmp_path: Path, snmpd: int, district: tuple[str, type[District]]
) -> None:
    url, _ = district
    creds = f"\n[scan]\nsnmp_port = {snmpd}\nsnmp_timeout_s = 1\nsnmp_retries = 1\n"
    cred = f'\n[[snmp.credentials]]\nversion = "2c"\ncommunity = "{COMMUNITY}"\n'
    good = write_config(tmp_path, url, extra=creds + cred)
    code, data, out = run_doctor(good, "--gateway", "127.0.0.1")
    check = by_name(data)["snmp_gateway"]
    assert check["status"] == "ok", out
    assert "127.0.0.1 answered sysObjectID 1.3.6.1.4.1.8072.3.2.10" in check["detail"]  # net-snmp's Linux agent
    assert COMMUNITY not in out

    wrong = write_config(tmp_path, url, extra=creds + '\n[[snmp.credentials]]\nversion = "2c"\ncommunity = "nope-x"\n')
    code, data, out = run_doctor(wrong, "--gateway", "127.0.0.1")
    check = by_name(data)["snmp_gateway"]
    assert code == 1 and check["status"] == "warn" and "did not answer SNMP" in check["detail"]
    assert "read-only SNMP" in check["fix"]


def test_gateway_option_is_validated(tmp_path: Path) -> None:
    proc = subprocess.run(
        [SCHOOLNET, "--config", str(write_config(tmp_path, "")), "doctor", "--gateway", "router.local"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and "--gateway 'router.local'" in proc.stderr
