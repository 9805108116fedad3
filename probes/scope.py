"""Which addresses the audit may touch: configured subnets, or the directly attached ones, capped.

Rules (safe on a school network):

* ``scan.subnets`` when set; each must be /16 or narrower (a hard limit on what one run sends).
* Otherwise the IPv4 subnets of up, non-virtual interfaces (plus the interface that carries the default
  route, even when it is virtual, as in a container); link-local and loopback are never scanned. An
  attached subnet wider than ``scan.max_prefix`` is cut to the /max_prefix block around this machine.
* The IPv4 default gateway is always in scope (unless explicitly excluded).
* ``scan.exclude`` removes addresses; this machine's own addresses are left out.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from agent.config import ScanConfig
from agent.errors import UsageError
from agent.model import Host, Text

HARD_LIMIT_PREFIX = 16
_LINK_LOCAL = ipaddress.IPv4Network("169.254.0.0/16")


@dataclass(frozen=True)
class ScopeNet:
    network: ipaddress.IPv4Network
    interface: str | None
    source: Literal["config", "attached", "gateway"]
    capped_from: str | None = None


@dataclass(frozen=True)
class Scope:
    networks: tuple[ScopeNet, ...]
    addresses: tuple[str, ...]
    exclude: tuple[ipaddress.IPv4Network, ...] = ()
    own: tuple[str, ...] = ()
    notes: tuple[Text, ...] = field(default=())

    def contains(self, ip: str) -> bool:
        """True when ``ip`` may be probed (in a scope network, not excluded, not this machine)."""
        try:
            addr = ipaddress.IPv4Address(ip)
        except ValueError:
            return False
        if ip in self.own or any(addr in net for net in self.exclude):
            return False
        return any(addr in n.network for n in self.networks)

    def interface_for(self, ip: str) -> str | None:
        """The local interface on whose link ``ip`` lies (None when it is routed)."""
        addr = ipaddress.IPv4Address(ip)
        for n in self.networks:
            if n.source != "config" and n.interface and addr in n.network:
                return n.interface
        for n in self.networks:
            if n.interface and addr in n.network:
                return n.interface
        return None

    def on_link(self) -> dict[str, list[str]]:
        """Addresses grouped by the interface whose attached subnet holds them (for ARP)."""
        out: dict[str, list[str]] = {}
        for ip in self.addresses:
            iface = self.interface_for(ip)
            if iface:
                out.setdefault(iface, []).append(ip)
        return out


def _hosts(net: ipaddress.IPv4Network) -> Iterable[ipaddress.IPv4Address]:
    return net.hosts() if net.prefixlen < 31 else iter(net)


def build_scope(scan: ScanConfig, host: Host) -> Scope:
    """The scan scope for this run. Raises UsageError for a configured subnet wider than /16."""
    attached: list[tuple[ipaddress.IPv4Interface, str]] = []
    default_ifaces = {g.interface for g in host.gateways if g.family == "ipv4" and g.default}
    own: list[str] = []
    for nic in host.nics:
        for a in nic.addresses:
            if a.family != "ipv4":
                continue
            own.append(a.address)
            if not nic.is_up or nic.kind == "loopback":
                continue
            if nic.kind == "virtual" and nic.name not in default_ifaces:
                continue
            iface = ipaddress.IPv4Interface(f"{a.address}/{a.prefixlen}")
            if iface.ip.is_loopback or iface.ip in _LINK_LOCAL:
                continue
            attached.append((iface, nic.name))

    notes: list[Text] = []
    networks: list[ScopeNet] = []
    if scan.subnets:
        for cidr in scan.subnets:
            net = ipaddress.IPv4Network(cidr, strict=False)
            if net.prefixlen < HARD_LIMIT_PREFIX:
                raise UsageError(
                    f"scan.subnets: {cidr} is wider than /{HARD_LIMIT_PREFIX}; list smaller subnets "
                    f"(one run never scans more than a /{HARD_LIMIT_PREFIX} per entry)"
                )
            link = next((name for i, name in attached if i.network.overlaps(net)), None)
            networks.append(ScopeNet(net, link, "config"))
    else:
        for iface, name in attached:
            net = iface.network
            capped = None
            if net.prefixlen < scan.max_prefix:
                capped = str(net)
                net = ipaddress.IPv4Network(f"{iface.ip}/{scan.max_prefix}", strict=False)
                notes.append(
                    Text(
                        f"Mạng {capped} trên {name} rộng hơn /{scan.max_prefix}: chỉ quét {net} quanh máy này "
                        f"(khai báo scan.subnets hoặc tăng scan.max_prefix để quét rộng hơn).",
                        f"Subnet {capped} on {name} is wider than /{scan.max_prefix}: only {net} around this machine "
                        f"is scanned (list scan.subnets or raise scan.max_prefix to scan more).",
                    )
                )
            if not any(n.network == net for n in networks):
                networks.append(ScopeNet(net, name, "attached", capped))
        if not networks:
            notes.append(
                Text(
                    "Không tìm thấy mạng IPv4 nào gắn trực tiếp với máy này: hãy khai báo scan.subnets.",
                    "No directly attached IPv4 subnet found on this machine: list scan.subnets.",
                )
            )

    for gw in host.gateways:
        if gw.family != "ipv4" or not gw.default:
            continue
        addr = ipaddress.IPv4Address(gw.address)
        if not any(addr in n.network for n in networks):
            networks.append(ScopeNet(ipaddress.IPv4Network(f"{addr}/32"), gw.interface, "gateway"))

    exclude = tuple(ipaddress.IPv4Network(c, strict=False) for c in scan.exclude)
    own_set = set(own)
    addresses: list[str] = []
    seen: set[str] = set()
    for n in networks:
        for addr in _hosts(n.network):
            text = str(addr)
            if text in seen or text in own_set or any(addr in ex for ex in exclude):
                continue
            seen.add(text)
            addresses.append(text)
    return Scope(tuple(networks), tuple(addresses), exclude, tuple(own), tuple(notes))
