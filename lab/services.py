"""What runs in the lab besides the SNMP agents: the ISP namespace's speed-test server and district collector.

Each row names the namespace, the argv (the project's own Python, ``sys.executable``), a readiness check
(a TCP port that must accept) and a log file. A service that cannot start is recorded as not started, with
the reason, and the lab goes on: the rest of the school is still useful.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab.netns import Namespace, stop_pid
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


def services(topo: Topology, run_dir: Path) -> list[Service]:
    """The ISP's services for one lab instance."""
    isp = topo.isp
    data = run_dir / "district"
    return [
        Service(
            "speed",
            isp.ns,
            [PYTHON, "-m", "probes.bandwidth.server", "--bind", f"{topo.isp_ip}:8080", "--speedtest-standin"],
            topo.isp_ip,
            8080,
            str(run_dir / "logs" / "speed.log"),
            description="LibreSpeed-compatible speed-test server + speedtest.net stand-in",
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
        if tcp_ready(ns, service.ready_host, service.ready_port):
            return {
                "state": "running",
                "pid": proc.pid,
                "url": f"http://{service.ready_host}:{service.ready_port}",
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
