"""Start and stop snmpsim (a real SNMP agent simulator) serving ``.snmprec`` recordings over UDP.

snmpsim drops root privileges to ``nobody``, so it must run from a virtualenv that ``nobody`` can
read: ``scripts/setup.sh`` builds one at :data:`SNMPSIM_VENV` from the system Python. It also binds its UDP
port *after* dropping privileges, so port 161 inside a namespace needs ``net.ipv4.ip_unprivileged_port_start=0``
in that namespace (``lab.control`` sets it per device namespace). The community
(or SNMPv3 context) selects the recording: ``<community>.snmprec`` in the data dir.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from agent.errors import RuntimeFailure, UsageError
from lab.netns import Namespace, stop_pid

SNMPSIM_VENV = Path(os.environ.get("SCHOOLNET_SNMPSIM_VENV", "/opt/schoolnet-snmpsim"))
_SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
V3_USER = "simulator"  # snmpsim's default USM user: auth MD5 'auctoritas', priv DES 'privatus'
V3_AUTH_KEY = "auctoritas"
V3_PRIV_KEY = "privatus"


def responder_path() -> Path:
    exe = SNMPSIM_VENV / "bin" / "snmpsim-command-responder"
    if not exe.exists():
        raise UsageError(f"snmpsim is not installed at {SNMPSIM_VENV}: run scripts/setup.sh (as root)")
    return exe


def _v2c_get_sysobjectid(community: str) -> bytes:
    """A minimal BER SNMPv2c GET of sysObjectID.0 (used only to probe readiness)."""

    def tlv(tag: int, body: bytes) -> bytes:
        n = len(body)
        length = bytes([n]) if n < 128 else bytes([0x81, n])
        return bytes([tag]) + length + body

    oid = bytes([0x2B, 6, 1, 2, 1, 1, 2, 0])
    varbind = tlv(0x30, tlv(0x06, oid) + b"\x05\x00")
    pdu = tlv(0xA0, tlv(0x02, b"\x01") + tlv(0x02, b"\x00") + tlv(0x02, b"\x00") + tlv(0x30, varbind))
    return tlv(0x30, tlv(0x02, b"\x01") + tlv(0x04, community.encode()) + pdu)


def wait_ready(host: str, port: int, community: str, timeout: float = 60.0, ns: Namespace | None = None) -> None:
    """Wait until the agent at host:port answers a GET for ``community`` (only on loopback or in ``ns``)."""
    deadline = time.monotonic() + timeout
    packet = _v2c_get_sysobjectid(community)
    while time.monotonic() < deadline:
        if ns is None:
            if not host.startswith("127."):
                raise UsageError(f"refusing to probe {host}: only loopback outside a lab namespace")
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.settimeout(0.5)
                try:
                    sock.sendto(packet, (host, port))
                    sock.recvfrom(65535)
                    return
                except OSError:
                    pass
        else:
            proc = ns.exec(
                [
                    "snmpget",
                    "-v2c",
                    "-c",
                    community,
                    "-t",
                    "0.5",
                    "-r",
                    "0",
                    "-On",
                    f"{host}:{port}",
                    "1.3.6.1.2.1.1.2.0",
                ],
                check=False,
            )
            if proc.returncode == 0:
                return
        time.sleep(0.2)
    raise RuntimeFailure(f"snmpsim at {host}:{port} did not answer community {community!r} within {timeout:.0f}s")


@dataclass
class SnmpSim:
    """One snmpsim responder process serving every recording in ``data_dir``."""

    data_dir: Path
    endpoints: Sequence[tuple[str, int]] = (("127.0.0.1", 11161),)
    ns: Namespace | None = None
    cache_dir: Path | None = None
    log_path: Path | None = None
    pid: int | None = None
    _proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _own_cache: bool = field(default=False, repr=False)

    def start(self, *, ready_community: str | None = None, timeout: float = 60.0) -> SnmpSim:
        exe = responder_path()
        if self.cache_dir is None:
            self.cache_dir = Path(tempfile.mkdtemp(prefix="schoolnet-snmpsim-"))
            self._own_cache = True
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        shutil.chown(self.cache_dir, "nobody", "nogroup")
        os.chmod(self.cache_dir, 0o755)
        argv = [str(exe), f"--data-dir={self.data_dir}", f"--cache-dir={self.cache_dir}", "--log-level=error"]
        argv += [f"--agent-udpv4-endpoint={host}:{port}" for host, port in self.endpoints]
        if os.geteuid() == 0:
            argv += ["--process-user=nobody", "--process-group=nogroup"]
        log = str(self.log_path) if self.log_path else os.devnull
        if self.ns is not None:
            self._proc = self.ns.popen(argv, log=log)
        else:
            with open(log, "ab") as out:
                self._proc = subprocess.Popen(
                    argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
                )
        self.pid = self._proc.pid
        if ready_community:
            host, port = self.endpoints[0]
            try:
                wait_ready(host, port, ready_community, timeout=timeout, ns=self.ns)
            except Exception:
                self.stop()
                raise
        return self

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        """The responder's process handle (None before start / after stop)."""
        return self._proc

    def stop(self) -> None:
        if self.pid is not None:
            stop_pid(self.pid)
            if self._proc is not None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._proc.wait(timeout=5)
            self.pid = None
        if self._own_cache and self.cache_dir is not None:
            shutil.rmtree(self.cache_dir, ignore_errors=True)
            self.cache_dir = None

    def __enter__(self) -> SnmpSim:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
