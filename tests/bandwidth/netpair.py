"""A server namespace and a client namespace joined by a (tbf-shaped) veth pair, for the bandwidth lab tests and
bench/bandwidth.py. Names start with ``snbw``, addresses are 10.71.0.1 (server) and 10.71.0.2 (client).

The client namespace resolves www.speedtest.net, c.speedtest.net and speed.snbw.test to the server through
/etc/netns/<client>/hosts, and trusts a throw-away CA (``lab.tls``, via ``SSL_CERT_FILE``) that signed the server's
certificate: speedtest-cli runs unmodified against the stand-in, never the Internet.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lab.netns import Namespace, require_root, shape, stop_pid, unshape, veth
from lab.tls import SPEEDTEST_HOSTS, ca_env, make_ca

REPO = Path(__file__).resolve().parents[2]
SERVER_IP = "10.71.0.1"
CLIENT_IP = "10.71.0.2"
SERVER_DEV = "bws0"
CLIENT_DEV = "bwc0"
SPEED_HOST = "speed.snbw.test"
HOSTS = (*SPEEDTEST_HOSTS, SPEED_HOST)
HTTP_PORT = 8080
IPERF_PORT = 5201
STANDIN_SERVERS = 3  # the stand-in lists speedtest.net servers 46000-46002 (all this server)


class SpeedLab:
    """Two namespaces, a veth pair, the speed server (+ stand-in) and ``iperf3 -s`` in the server namespace."""

    def __init__(self, tag: str = "", *, threadsperurl: int = 2) -> None:
        self.threadsperurl = threadsperurl
        tag = tag or str(os.getpid() % 100000)
        self.server = Namespace(f"snbws{tag}")
        self.client = Namespace(f"snbwc{tag}")
        self.tmp = Path(tempfile.mkdtemp(prefix="snbw-"))
        self.pids: list[int] = []
        self.ca: Path | None = None

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> SpeedLab:
        require_root()
        try:
            self.up()
        except BaseException:
            self.down()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.down()

    def up(self) -> None:
        for ns in (self.server, self.client):
            ns.delete()
            ns.create()
        veth(self.server, SERVER_DEV, self.client, CLIENT_DEV)
        self.server.add_address(SERVER_DEV, f"{SERVER_IP}/24")
        self.client.add_address(CLIENT_DEV, f"{CLIENT_IP}/24")
        self.client.write_hosts({h: SERVER_IP for h in HOSTS})
        self.ca, cert, key = make_ca(self.tmp, HOSTS)
        self.start_server(
            "-m", "probes.bandwidth.server", "--bind", f"{SERVER_IP}:{HTTP_PORT}", "--tls-bind", f"{SERVER_IP}:443",
            "--cert", str(cert), "--key", str(key), "--speedtest-standin",
            "--speedtest-server-url", f"http://{SPEED_HOST}:{HTTP_PORT}/speedtest/upload.php",
            "--speedtest-threadsperurl", str(self.threadsperurl), "--speedtest-servers", str(STANDIN_SERVERS),
            port=HTTP_PORT,
        )
        self.wait_port(443)
        iperf = self.server.popen(["iperf3", "-s", "-B", SERVER_IP, "-p", str(IPERF_PORT)],
                                  log=str(self.tmp / "iperf3.log"))
        self.pids.append(iperf.pid)
        self.wait_port(IPERF_PORT)

    def down(self) -> None:
        for pid in reversed(self.pids):
            stop_pid(pid)
        self.pids.clear()
        for ns in (self.client, self.server):
            ns.delete()
        self.client.remove_etc()
        shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ helpers
    def start_server(self, *args: str, port: int) -> int:
        proc = self.server.popen([sys.executable, *args], log=str(self.tmp / f"server-{port}.log"), cwd=str(REPO))
        self.pids.append(proc.pid)
        self.wait_port(port)
        return proc.pid

    def stop(self, pid: int) -> None:
        stop_pid(pid)
        if pid in self.pids:
            self.pids.remove(pid)

    def wait_port(self, port: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = subprocess.run(["ip", "netns", "exec", self.server.name, "ss", "-Hltn", f"sport = :{port}"],
                                 capture_output=True, text=True, check=False).stdout
            if out.strip():
                return
            time.sleep(0.05)
        log = "\n".join(p.read_text(errors="replace")[-2000:] for p in self.tmp.glob("*.log"))
        raise RuntimeError(f"nothing listens on {SERVER_IP}:{port} in {self.server.name}\n{log}")

    def shape(self, rate_mbit: float | None) -> None:
        """tbf on the egress of both veth ends (None: unshaped); the bucket grows with the rate (>= 1 ms)."""
        burst = "256kb" if not rate_mbit or rate_mbit <= 2000 else f"{int(rate_mbit * 1000 / 8 / 1000 * 2)}kb"
        for ns, dev in ((self.server, SERVER_DEV), (self.client, CLIENT_DEV)):
            if rate_mbit is None:
                unshape(ns, dev)
            else:
                shape(ns, dev, rate_mbit, burst=burst)

    def client_cmd(self, argv: list[str], timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        trust = [f"{k}={v}" for k, v in ca_env(self.ca).items()] if self.ca else []
        env = ["env", *trust, "SCHOOLNET_CONFIG=/nonexistent/agent.toml"]
        return subprocess.run(["ip", "netns", "exec", self.client.name, *env, *argv], capture_output=True,
                              text=True, timeout=timeout, check=False, cwd=str(REPO))

    def schoolnet(self, *args: str, timeout: float = 120.0) -> list[dict[str, Any]]:
        """``schoolnet --json speed ARGS`` in the client namespace; the parsed list of results."""
        proc = self.client_cmd([sys.executable, "-m", "agent.cli", "--lang", "en", "--json", "speed", *args],
                               timeout=timeout)
        try:
            data: list[dict[str, Any]] = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise AssertionError(f"schoolnet speed {' '.join(args)}: rc={proc.returncode}\n{proc.stderr}") from None
        return data

    def iperf3_reference(self, duration: float = 3.0, omit: int = 1) -> dict[str, float]:
        """iperf3's receiver-side goodput (Mbit/s), download (-R) and upload, 4 streams."""
        out = {}
        for direction, extra in (("download", ["-R"]), ("upload", [])):
            proc = self.client_cmd(["iperf3", "-c", SERVER_IP, "-p", str(IPERF_PORT), "-J", "-t", f"{duration:g}",
                                    "-O", str(omit), "-P", "4", *extra], timeout=duration + omit + 20)
            data = json.loads(proc.stdout)
            out[direction] = float(data["end"]["sum_received"]["bits_per_second"]) / 1e6
        return out
