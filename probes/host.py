"""This machine: its network interfaces, gateways and DNS servers, and what it cannot verify from here.

Interfaces come from psutil (link speed, duplex, up, MTU, addresses), gateways from netifaces, DNS
servers from resolv.conf. ``Host.bottlenecks`` says when this machine itself limits what the audit
can prove, e.g. a 100 Mbit/s NIC or Wi-Fi cannot verify a 1 Gbit/s Internet line.
"""

from __future__ import annotations

import ipaddress
import os
import platform
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from agent.model import Address, Gateway, Host, Nic, Text

SYS_NET = Path("/sys/class/net")
NicKind = Literal["wired", "wireless", "virtual", "loopback", "unknown"]


def nic_kind(name: str, flags: str = "") -> NicKind:
    """Wired, wireless, virtual or loopback, from sysfs (Linux) and the interface flags."""
    if "loopback" in flags or name == "lo":
        return "loopback"
    path = SYS_NET / name
    if not path.exists():
        return "unknown"
    if (path / "wireless").exists() or (path / "phy80211").exists():
        return "wireless"
    try:
        real = path.resolve()
    except OSError:
        return "unknown"
    if "/devices/virtual/" in str(real) or not (path / "device").exists():
        return "virtual"
    return "wired"


def _prefixlen(netmask: str | None, family: int) -> int:
    if not netmask:
        return 32 if family == socket.AF_INET else 128
    try:
        if family == socket.AF_INET:
            return ipaddress.IPv4Network(f"0.0.0.0/{netmask}").prefixlen
        return ipaddress.IPv6Network(f"::/{netmask}").prefixlen
    except ValueError:
        return bin(int(ipaddress.ip_address(netmask))).count("1")


def _nics() -> list[Nic]:
    import psutil

    stats = psutil.net_if_stats()
    addrs = psutil.net_if_addrs()
    out = []
    for name in sorted(set(stats) | set(addrs)):
        st = stats.get(name)
        flags = getattr(st, "flags", "") if st else ""
        addresses: list[Address] = []
        mac = None
        for a in addrs.get(name, ()):
            if a.family == socket.AF_INET:
                addresses.append(Address("ipv4", a.address, _prefixlen(a.netmask, socket.AF_INET)))
            elif a.family == socket.AF_INET6:
                addresses.append(Address("ipv6", a.address.split("%")[0], _prefixlen(a.netmask, socket.AF_INET6)))
            elif a.family == psutil.AF_LINK and a.address and a.address != "00:00:00:00:00:00":
                mac = a.address.lower()
        duplex: Literal["full", "half", "unknown"] = "unknown"
        if st is not None and st.duplex == psutil.NIC_DUPLEX_FULL:
            duplex = "full"
        elif st is not None and st.duplex == psutil.NIC_DUPLEX_HALF:
            duplex = "half"
        out.append(
            Nic(
                name=name,
                kind=nic_kind(name, flags),
                is_up=bool(st and st.isup),
                speed_mbps=(st.speed or None) if st else None,
                duplex=duplex,
                mtu=(st.mtu or None) if st else None,
                mac=mac,
                addresses=tuple(addresses),
            )
        )
    return out


def _gateways() -> list[Gateway]:
    import netifaces

    try:
        table: Any = netifaces.gateways()
    except OSError:
        return []
    out: list[Gateway] = []
    families: tuple[tuple[int, Literal["ipv4", "ipv6"]], ...] = (
        (netifaces.AF_INET, "ipv4"),
        (netifaces.AF_INET6, "ipv6"),
    )
    for family, label in families:
        for entry in table.get(family, []):
            address, iface = entry[0], entry[1]
            is_default = bool(entry[2]) if len(entry) > 2 else False
            out.append(Gateway(address=address, interface=iface, family=label, default=is_default))
        default = table.get("default", {}).get(family)
        if default and not any(g.address == default[0] and g.interface == default[1] for g in out):
            out.append(Gateway(address=default[0], interface=default[1], family=label, default=True))
    return out


def dns_servers(
    paths: Sequence[Path] = (Path("/run/systemd/resolve/resolv.conf"), Path("/etc/resolv.conf")),
) -> list[str]:
    """Name servers from resolv.conf (systemd-resolved's upstream list first when it exists)."""
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            continue
        servers = [ln.split()[1] for ln in lines if ln.strip().startswith("nameserver") and len(ln.split()) > 1]
        if servers:
            return list(dict.fromkeys(servers))
    return []


def uplink_nic(nics: Sequence[Nic], gateways: Sequence[Gateway]) -> Nic | None:
    """The interface that carries the IPv4 default route (else the first up wired/wireless one with IPv4)."""
    by_name = {n.name: n for n in nics}
    for gw in gateways:
        if gw.family == "ipv4" and gw.default and gw.interface in by_name:
            return by_name[gw.interface]
    for nic in nics:
        if nic.is_up and nic.kind in ("wired", "wireless") and any(a.family == "ipv4" for a in nic.addresses):
            return nic
    return None


def bottlenecks(nics: Sequence[Nic], gateways: Sequence[Gateway], line_mbps: int = 1000) -> list[Text]:
    """Why this machine cannot prove a ``line_mbps`` line (empty when it can)."""
    nic = uplink_nic(nics, gateways)
    out: list[Text] = []
    if not any(g.family == "ipv4" and g.default for g in gateways):
        out.append(
            Text(
                "Máy này không có đường ra mặc định (default route): không đo được tốc độ Internet từ máy này.",
                "This machine has no default route: it cannot measure the Internet speed.",
            )
        )
    if nic is None:
        return out
    if nic.kind == "wireless":
        out.append(
            Text(
                f"Máy này nối mạng qua Wi-Fi ({nic.name}): kết quả đo tốc độ bị giới hạn bởi Wi-Fi, không chứng minh "
                f"được đường truyền {line_mbps} Mbit/s. Hãy cắm cáp mạng 1 Gbit/s.",
                f"This machine reaches the network over Wi-Fi ({nic.name}): speed tests are limited by Wi-Fi and "
                f"cannot prove a {line_mbps} Mbit/s line. Use a 1 Gbit/s cable.",
            )
        )
    if nic.speed_mbps is not None and nic.speed_mbps < line_mbps:
        out.append(
            Text(
                f"Card mạng {nic.name} đang chạy ở {nic.speed_mbps} Mbit/s, thấp hơn {line_mbps} Mbit/s: máy này "
                f"không kiểm chứng được đường truyền {line_mbps} Mbit/s. Dùng card/cáp/cổng switch 1 Gbit/s.",
                f"Network card {nic.name} runs at {nic.speed_mbps} Mbit/s, below {line_mbps} Mbit/s: this machine "
                f"cannot verify a {line_mbps} Mbit/s line. Use a 1 Gbit/s NIC, cable and switch port.",
            )
        )
    elif nic.speed_mbps is None and nic.kind == "wired":
        out.append(
            Text(
                f"Không đọc được tốc độ liên kết của card mạng {nic.name}: không chắc máy này đo được "
                f"{line_mbps} Mbit/s.",
                f"The link speed of {nic.name} is unknown: this machine may not be able to measure {line_mbps} Mbit/s.",
            )
        )
    if nic.duplex == "half":
        out.append(
            Text(
                f"Card mạng {nic.name} chạy bán song công (half duplex): kiểm tra cáp và cổng switch.",
                f"Network card {nic.name} runs half duplex: check the cable and the switch port.",
            )
        )
    return out


def probe_host(line_mbps: int = 1000) -> Host:
    """Describe this machine's network side (read-only; sends no traffic)."""
    nics = _nics()
    gateways = _gateways()
    return Host(
        hostname=socket.gethostname(),
        os=f"{platform.system()} {platform.release()}".strip(),
        cpu_count=os.cpu_count(),
        nics=tuple(nics),
        gateways=tuple(gateways),
        dns_servers=tuple(dns_servers()),
        bottlenecks=tuple(bottlenecks(nics, gateways, line_mbps)),
    )
