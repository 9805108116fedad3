"""What runs in the lab besides the SNMP agents: the ISP namespace's speed-test server and district collector.

The speed server also plays speedtest.net: its stand-in answers speedtest-cli's config and server-list requests
over HTTPS on port 443 with a certificate from the lab's own CA (:func:`tls_paths`, made by ``lab up``), and
names itself (``http://<isp>:8080``) as the one measuring server.

Each row names the namespace, the argv (the project's own Python, ``sys.executable``), a readiness check
(a TCP port that must accept) and a log file. A service that cannot start is recorded as not started, with
the reason, and the lab goes on: the rest of the school is still useful.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab.netns import Namespace, stop_pid
from lab.tls import SPEEDTEST_HOSTS
from lab.topology import Topology

PYTHON = sys.executable
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Service:
    name: str
    ns: str
    argv: list[str]
    ready_host: str
    ready_port: int
    log: str
    timeout: float = 20.0
    description: str = ""
    also_ready: tuple[int, ...] = ()  # more ports that must accept before the service counts as running
    info: dict[str, str] = field(default_factory=dict)  # shown in the service's status when it runs


def tls_paths(run_dir: Path) -> tuple[Path, Path, Path]:
    """Where ``lab up`` writes the lab CA, the stand-in's certificate and its key: (ca.pem, server.pem, server.key)."""
    tls = run_dir / "tls"
    return tls / "ca.pem", tls / "server.pem", tls / "server.key"


def services(topo: Topology, run_dir: Path) -> list[Service]:
    """The ISP's services for one lab instance."""
    isp = topo.isp
    data = run_dir / "district"
    ca, cert, key = tls_paths(run_dir)
    speed = [
        PYTHON,
        "-m",
        "probes.bandwidth.server",
        "--bind",
        f"{topo.isp_ip}:8080",
        "--tls-bind",
        f"{topo.isp_ip}:443",
        "--cert",
        str(cert),
        "--key",
        str(key),
        "--speedtest-standin",
        "--speedtest-server-url",
        f"{topo.speed_url}/speedtest/upload.php",
    ]
    return [
        Service(
            "speed",
            isp.ns,
            speed,
            topo.isp_ip,
            8080,
            str(run_dir / "logs" / "speed.log"),
            description="LibreSpeed-compatible speed-test server + speedtest.net stand-in (HTTPS :443)",
            also_ready=(443,),
            info={
                "speedtest_standin": f"https://{SPEEDTEST_HOSTS[0]} -> {topo.isp_ip}:443 (agent namespace only)",
                "ca": str(ca),
            },
        ),
        Service(
            "district",
            isp.ns,
            [
                str(BIN / "schoolnet-district"),
                "serve",
                "--bind",
                f"{topo.isp_ip}:8000",
                "--db",
                f"sqlite:///{data / 'district.db'}",
            ],
            topo.isp_ip,
            8000,
            str(run_dir / "logs" / "district.log"),
            timeout=30.0,
            description="the district collector",
        ),
    ]


def tcp_ready(ns: Namespace, host: str, port: int) -> bool:
    """Does ``host:port`` accept a TCP connection, seen from inside ``ns``?"""
    code = f"import socket; socket.create_connection(({host!r}, {port}), timeout=1).close()"
    return ns.exec([PYTHON, "-c", code], check=False, timeout=10).returncode == 0


def last_line(log: str) -> str:
    try:
        lines = [line.strip() for line in Path(log).read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1][:300] if lines else ""


def start(service: Service, record: Any) -> dict[str, Any]:
    """Start one service and wait until it is ready; never raises for a service that fails.

    ``record(name, pid, ns, argv, log)`` is called as soon as the process exists (the state file).
    Returns the service's status for the state file: {"state": "running"|"not started", ...}.
    """
    ns = Namespace(service.ns)
    Path(service.log).parent.mkdir(parents=True, exist_ok=True)
    for arg in service.argv:
        if arg.startswith("sqlite:///"):
            Path(arg[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    exe = service.argv[0]
    if exe != PYTHON and not Path(exe).exists():
        return {"state": "not started", "reason": f"{exe} is not installed", "argv": service.argv}
    try:
        proc = ns.popen(service.argv, log=service.log)
    except OSError as exc:
        return {"state": "not started", "reason": str(exc), "argv": service.argv}
    record(f"service:{service.name}", proc.pid, service.ns, service.argv, service.log)
    deadline = time.monotonic() + service.timeout
    while time.monotonic() < deadline:
        code = proc.poll()
        if code is not None:
            reason = last_line(service.log) or "no output"
            return {
                "state": "not started",
                "reason": f"exited with code {code}: {reason}",
                "argv": service.argv,
                "log": service.log,
            }
        ports = (service.ready_port, *service.also_ready)
        if all(tcp_ready(ns, service.ready_host, port) for port in ports):
            return {
                "state": "running",
                "pid": proc.pid,
                "url": f"http://{service.ready_host}:{service.ready_port}",
                **service.info,
                "argv": service.argv,
                "log": service.log,
            }
        time.sleep(0.3)
    stop_pid(proc.pid)
    return {
        "state": "not started",
        "reason": f"not ready within {service.timeout:.0f}s: {last_line(service.log)}",
        "argv": service.argv,
        "log": service.log,
    }
