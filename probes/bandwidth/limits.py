"""Know the limits: what this machine's link and CPU allow, checked before and applied after measuring.

- A result capped by the local NIC (>= 90 % of its goodput ceiling while the NIC is slower than the target),
  measured over Wi-Fi, or held back by the CPU or the method, and below the pass threshold, gets ``limited_by``
  set: the criterion becomes *unknown*, not *fail*.
- A result above the local link's goodput ceiling (+3 %) is physically impossible: it is rejected as a
  measurement fault (``mbps`` None, ``error`` set), not reported.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from agent.model import BandwidthResult, Host
from probes.bandwidth import goodput

DEFAULT_TARGET_MBPS = 1000.0  # the Internet criterion: >= 1 Gbit/s
NIC_CAPPED = 0.90  # a result >= 90 % of the NIC's goodput ceiling is capped by the NIC
IMPOSSIBLE = 1.03  # a result > 103 % of the NIC's goodput ceiling cannot be real
CPU_BOUND = 0.85  # a process using >= 85 % of all cores (or a machine with < 5 % idle) is CPU-bound
SYS_NET = Path("/sys/class/net")


@dataclass(frozen=True)
class LocalLink:
    """The interface traffic to a server leaves by, and the machine's CPU."""

    nic: str | None = None
    kind: str = "unknown"  # wired, wireless, virtual, loopback, unknown
    speed_mbps: int | None = None
    mtu: int | None = None
    cpu_count: int | None = None

    @property
    def ceiling_mbps(self) -> float | None:
        """Goodput ceiling of this link (None when its speed means nothing: unknown, virtual, loopback)."""
        if not self.speed_mbps or self.kind in ("virtual", "loopback", "unknown"):
            return None
        return goodput.goodput_ceiling(self.speed_mbps, self.mtu or goodput.DEFAULT_MTU)


def source_address(dest: str, port: int = 80) -> str | None:
    """The local address the kernel would use to reach ``dest`` (a UDP connect: route lookup, nothing is sent)."""
    try:
        infos = socket.getaddrinfo(dest, port, type=socket.SOCK_DGRAM)
    except (OSError, UnicodeError):
        return None
    for family, kind, proto, _, addr in infos:
        try:
            with socket.socket(family, kind, proto) as s:
                s.connect(addr)
                return str(s.getsockname()[0])
        except OSError:
            continue
    return None


def nic_kind(name: str) -> str:
    """wired / wireless / virtual / loopback from sysfs (unknown off Linux)."""
    path = SYS_NET / name
    if name == "lo" or name.startswith("lo:"):
        return "loopback"
    if not path.exists():
        return "unknown"
    if (path / "wireless").exists() or (path / "phy80211").exists():
        return "wireless"
    if "/virtual/" in str(path.resolve()):
        return "virtual"
    return "wired"


def carrier(name: str) -> bool | None:
    """Whether ``name`` has carrier now (None when unknown); an admin-down link reads as False."""
    try:
        return (SYS_NET / name / "carrier").read_text().strip() == "1"
    except OSError as exc:
        return False if (SYS_NET / name).exists() and exc.errno == 22 else None


def local_link(dest: str, port: int = 80, host: Host | None = None) -> LocalLink:
    """Find the NIC that carries traffic to ``dest`` and its speed (from ``host`` when given, else psutil)."""
    import psutil

    cpus = (host.cpu_count if host else None) or os.cpu_count()
    src = source_address(dest, port)
    if src is None:
        return LocalLink(cpu_count=cpus)
    try:
        src_ip = ipaddress.ip_address(src.split("%")[0])
    except ValueError:
        return LocalLink(cpu_count=cpus)
    if host is not None:
        for nic in host.nics:
            if any(ipaddress.ip_address(a.address.split("%")[0]) == src_ip for a in nic.addresses):
                return LocalLink(nic.name, nic.kind, nic.speed_mbps or None, nic.mtu, cpus)
    for name, addrs in psutil.net_if_addrs().items():
        for a in addrs:
            try:
                if (
                    a.family in (socket.AF_INET, socket.AF_INET6)
                    and ipaddress.ip_address(a.address.split("%")[0]) == src_ip
                ):
                    stats = psutil.net_if_stats().get(name)
                    speed = stats.speed if stats and stats.speed and stats.speed > 0 else None
                    return LocalLink(name, nic_kind(name), speed, stats.mtu if stats else None, cpus)
            except ValueError:
                continue
    return LocalLink(cpu_count=cpus)


def precheck(link: LocalLink, target_mbps: float = DEFAULT_TARGET_MBPS) -> list[str]:
    """Before measuring: what this machine cannot show (each a ``code: text`` warning)."""
    out = []
    if link.speed_mbps and link.kind not in ("virtual", "loopback") and link.speed_mbps < target_mbps:
        out.append(
            f"nic-slow: this machine's link {link.nic} is {link.speed_mbps} Mbit/s, slower than the "
            f"{target_mbps:.0f} Mbit/s target: it cannot show whether the line reaches the target"
        )
    if link.kind == "wireless":
        out.append(f"wifi: measuring over Wi-Fi ({link.nic}): Wi-Fi usually limits the result below the line's rate")
    if link.cpu_count is not None and link.cpu_count < 2 and target_mbps >= 1000:
        out.append("cpu-small: one CPU core: a measurement near 1 Gbit/s may be limited by this machine's CPU")
    return out


def cpu_bound(process_cpu_s: float, machine_busy: float | None, wall_s: float, cpus: int | None) -> bool:
    """True when the client used >= 85 % of every core, or the whole machine had < 5 % idle."""
    if wall_s <= 0:
        return False
    if process_cpu_s / wall_s >= CPU_BOUND * (cpus or 1):
        return True
    return machine_busy is not None and machine_busy >= 0.95


def apply(
    result: BandwidthResult,
    link: LocalLink,
    target_mbps: float = DEFAULT_TARGET_MBPS,
    tolerance: float = goodput.DEFAULT_TOLERANCE,
) -> BandwidthResult:
    """After measuring: reject impossible results, set ``limited_by`` when the machine or method capped the result,
    fill ``line_rate_mbps`` and ``local_link_mbps``."""
    mtu = link.mtu or goodput.DEFAULT_MTU
    base = dataclasses.replace(result, local_link_mbps=link.speed_mbps)
    if result.mbps is None:
        return base
    warnings = list(result.warnings)
    ceiling = link.ceiling_mbps
    if ceiling is not None and result.mbps > IMPOSSIBLE * ceiling:
        return dataclasses.replace(
            base,
            mbps=None,
            p10_mbps=None,
            p90_mbps=None,
            line_rate_mbps=None,
            confidence="none",
            limited_by=None,
            error=(
                f"measurement fault: {result.mbps:.0f} Mbit/s is more than this machine's {link.nic} link of "
                f"{link.speed_mbps} Mbit/s can carry (at most {ceiling:.0f} Mbit/s of TCP payload); "
                "the result was rejected"
            ),
        )
    threshold = goodput.pass_threshold(target_mbps, tolerance, mtu)
    limited = result.limited_by
    if (
        ceiling is not None
        and link.speed_mbps is not None
        and link.speed_mbps < target_mbps
        and result.mbps >= NIC_CAPPED * ceiling
    ):
        limited = "nic"
        warnings.append(
            f"nic: measured {result.mbps:.0f} Mbit/s on a {link.speed_mbps} Mbit/s NIC ({link.nic}): "
            "the Internet line cannot be judged from this machine"
        )
    elif link.kind == "wireless" and result.mbps < threshold:
        limited = "wifi"
        warnings.append(
            f"wifi: measured {result.mbps:.0f} Mbit/s over Wi-Fi ({link.nic}): Wi-Fi, not the line, may be the "
            "limit; measure from a wired machine to judge the line"
        )
    elif limited in ("cpu", "method") and result.mbps >= threshold:
        limited = None  # held back, yet above the threshold: the line is shown to be fast enough
    confidence = result.confidence
    if limited and confidence in ("high", "medium"):
        confidence = "low"
    return dataclasses.replace(
        base,
        limited_by=limited,
        warnings=tuple(dict.fromkeys(warnings)),
        confidence=confidence,
        line_rate_mbps=round(goodput.line_rate(result.mbps, mtu), 1),
    )
