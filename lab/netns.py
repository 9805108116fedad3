"""Primitives for lab network namespaces: create, link, address, shape, run, clean up.

Safety: every namespace this module touches must carry a lab prefix (``sn`` by default, see
:data:`LAB_PREFIXES`), every address it configures must lie in the lab's own range, and nothing
here ever changes an interface of the host's own namespace. Processes are tracked by PID.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from agent.errors import RuntimeFailure, UsageError

LAB_PREFIXES = ("sn",)
LAB_RANGE = ipaddress.ip_network("10.64.0.0/10")  # 10.64.0.0 - 10.127.255.255: lab address space
NETNS_ETC = Path("/etc/netns")  # `ip netns exec NS` bind-mounts /etc/netns/NS/<file> over /etc/<file>


def require_root() -> None:
    if os.geteuid() != 0:
        raise UsageError("the lab needs root (network namespaces): run it with sudo")
    if shutil.which("ip") is None:
        raise UsageError("the lab needs iproute2: apt-get install iproute2")


def check_name(name: str) -> str:
    """Refuse namespace names that are not the lab's own."""
    if not name.startswith(LAB_PREFIXES) or not name.replace("-", "").isalnum() or len(name) > 15:
        raise UsageError(f"refusing namespace {name!r}: lab namespaces start with {LAB_PREFIXES[0]!r}")
    return name


def check_address(cidr: str) -> str:
    """Refuse addresses outside the lab range (10.64.0.0/10)."""
    iface = ipaddress.ip_interface(cidr)
    if iface.ip not in LAB_RANGE:
        raise UsageError(f"refusing address {cidr}: the lab only uses {LAB_RANGE}")
    return cidr


def run(
    argv: Sequence[str], *, check: bool = True, timeout: float = 30.0, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a command (``env``: variables added to this process's environment), raising RuntimeFailure on failure."""
    full = {**os.environ, **env} if env else None
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout, check=False, env=full)
    if check and proc.returncode != 0:
        raise RuntimeFailure(f"{' '.join(argv)}: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc


def existing_namespaces() -> list[str]:
    proc = run(["ip", "netns", "list"], check=False)
    return [line.split()[0] for line in proc.stdout.splitlines() if line.strip()]


@dataclass(frozen=True)
class Namespace:
    """A lab network namespace."""

    name: str

    def __post_init__(self) -> None:
        check_name(self.name)

    def exists(self) -> bool:
        return self.name in existing_namespaces()

    def create(self) -> Namespace:
        run(["ip", "netns", "add", self.name])
        self.ip("link", "set", "lo", "up")
        return self

    def delete(self) -> None:
        if self.exists():
            run(["ip", "netns", "delete", self.name], check=False)

    def ip(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run(["ip", "-n", self.name, *args], check=check)

    def exec(
        self,
        argv: Sequence[str],
        *,
        check: bool = True,
        timeout: float = 60.0,
        env: Mapping[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        return run(["ip", "netns", "exec", self.name, *argv], check=check, timeout=timeout, env=env)

    @property
    def etc_dir(self) -> Path:
        """``/etc/netns/<name>``: files here replace /etc's for processes started with ``ip netns exec``."""
        return NETNS_ETC / self.name

    def write_hosts(self, names: Mapping[str, str]) -> Path:
        """Resolve ``names`` (host name -> lab address) inside this namespace only: ``/etc/netns/<name>/hosts``.

        The host's /etc/hosts is never touched; ``remove_etc`` undoes it.
        """
        lines = ["127.0.0.1 localhost"] + [f"{check_address(ip)} {host}" for host, ip in names.items()]
        self.etc_dir.mkdir(parents=True, exist_ok=True)
        path = self.etc_dir / "hosts"
        path.write_text("# written by schoolnet lab; removed by `schoolnet lab down`\n" + "\n".join(lines) + "\n")
        os.chmod(path, 0o644)
        return path

    def remove_etc(self) -> bool:
        """Remove ``/etc/netns/<name>`` (True when it existed)."""
        if not self.etc_dir.exists():
            return False
        shutil.rmtree(self.etc_dir, ignore_errors=True)
        return not self.etc_dir.exists()

    def popen(self, argv: Sequence[str], *, log: str | None = None, **kwargs: object) -> subprocess.Popen[bytes]:
        """Start a long-running process inside the namespace (its own process group)."""
        out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - handed to the child
        try:
            return subprocess.Popen(  # type: ignore[call-overload]
                ["ip", "netns", "exec", self.name, *argv],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **kwargs,
            )
        finally:
            if log:
                out.close()  # type: ignore[union-attr]

    def add_address(self, dev: str, cidr: str) -> None:
        self.ip("addr", "add", check_address(cidr), "dev", dev)

    def up(self, dev: str) -> None:
        self.ip("link", "set", dev, "up")

    def pids(self) -> list[int]:
        proc = run(["ip", "netns", "pids", self.name], check=False)
        return [int(p) for p in proc.stdout.split() if p.isdigit()]


def veth(
    a: Namespace,
    a_dev: str,
    b: Namespace,
    b_dev: str,
    *,
    mtu: int = 1500,
    a_mac: str | None = None,
    b_mac: str | None = None,
) -> None:
    """Create a veth pair with one end in each namespace (never in the host's namespace).

    ``a_mac``/``b_mac`` fix the ends' MAC addresses (the lab gives devices their vendor's OUI).
    """
    a_addr = ["address", a_mac] if a_mac else []
    b_addr = ["address", b_mac] if b_mac else []
    run(
        [
            "ip",
            "link",
            "add",
            a_dev,
            *a_addr,
            "netns",
            a.name,
            "mtu",
            str(mtu),
            "type",
            "veth",
            "peer",
            "name",
            b_dev,
            *b_addr,
            "netns",
            b.name,
            "mtu",
            str(mtu),
        ]
    )
    a.up(a_dev)
    b.up(b_dev)


def shape(ns: Namespace, dev: str, rate_mbit: float, *, burst: str = "256kb", latency: str = "20ms") -> None:
    """Limit egress of ``dev`` with a token-bucket filter (TCP goodput ~0.956 x rate on veth)."""
    ns.ip("link", "show", dev)
    run(
        [
            "tc",
            "-n",
            ns.name,
            "qdisc",
            "replace",
            "dev",
            dev,
            "root",
            "handle",
            "1:",
            "tbf",
            "rate",
            f"{rate_mbit}mbit",
            "burst",
            burst,
            "latency",
            latency,
        ]
    )


def unshape(ns: Namespace, dev: str) -> None:
    run(["tc", "-n", ns.name, "qdisc", "del", "dev", dev, "root"], check=False)


def stop_pid(pid: int, *, grace: float = 3.0) -> None:
    """Stop one process group by PID: SIGTERM, then SIGKILL after ``grace`` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        except PermissionError:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                waited, _ = os.waitpid(pid, os.WNOHANG)
                if waited == pid:
                    return
            except ChildProcessError:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    return
            time.sleep(0.05)
