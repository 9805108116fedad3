"""The LLDP/CDP graph: which port of which switch (or router) each device hangs on, at what speed.

Every device's neighbour table gives edges ``(device, local port) -> neighbour``; a neighbour is
matched to a discovered device by its advertised management address, then its chassis MAC, then its
system name. The graph is walked breadth-first from the routers/firewalls (else from the device
with the most links); each device's ``uplink`` is the edge to its parent, with the parent's port and
that port's negotiated speed. Neighbours that no sweep found (an AP without SNMP) become devices of
their own (when they advertise a management address), ``found_by=("lldp",)``, with what the
neighbour table says about them.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

from agent.model import Basis, Device, LldpNeighbor, Role, Uplink

_UPSTREAM_RANK = {
    Role.ROUTER: 0,
    Role.FIREWALL: 0,
    Role.SWITCH: 1,
    Role.WIRELESS_CONTROLLER: 2,
    Role.ACCESS_POINT: 3,
}


@dataclass(frozen=True)
class Edge:
    """``a``'s port ``port`` (at ``speed_mbps``) sees ``b``."""

    a: str
    b: str
    port: str
    speed_mbps: int | None
    protocol: str
    neighbour: LldpNeighbor


def _mac(text: str | None) -> str | None:
    if not text:
        return None
    digits = re.sub(r"[^0-9a-fA-F]", "", text).lower()
    return digits if len(digits) == 12 else None


def _short(name: str | None) -> str:
    return (name or "").strip().lower().split(".")[0]


def _port_speed(device: Device, port: str) -> int | None:
    for iface in device.interfaces:
        if port and (iface.name == port or iface.alias == port):
            return iface.speed_mbps
    return None


class _Index:
    def __init__(self, devices: Sequence[Device]) -> None:
        self.by_ip = {d.ip: d for d in devices}
        self.by_mac: dict[str, str] = {}
        self.by_name: dict[str, str] = {}
        for d in devices:
            for mac in [d.mac, *(i.mac for i in d.interfaces)]:
                key = _mac(mac)
                if key:
                    self.by_mac.setdefault(key, d.ip)
            if _short(d.sys_name):
                self.by_name.setdefault(_short(d.sys_name), d.ip)

    def find(self, n: LldpNeighbor) -> str | None:
        if n.remote_mgmt_address and n.remote_mgmt_address in self.by_ip:
            return n.remote_mgmt_address
        key = _mac(n.remote_chassis_id)
        if key and key in self.by_mac:
            return self.by_mac[key]
        name = _short(n.remote_system_name)
        return self.by_name.get(name) if name else None


def _lldp_only(n: LldpNeighbor) -> Device:
    key = n.remote_mgmt_address or ""
    role = Role.UNKNOWN
    if "wlan-access-point" in (n.enabled_capabilities or n.capabilities):
        role = Role.ACCESS_POINT
    return Device(
        ip=key,
        sys_name=n.remote_system_name or None,
        sys_descr=n.remote_system_description or None,
        role=role,
        role_confidence=0.3 if role != Role.UNKNOWN else 0.0,
        basis=(
            Basis(
                n.protocol,
                "capabilities",
                ",".join(n.enabled_capabilities or n.capabilities),
                "seen only in a neighbour table",
            ),
        ),
        found_by=(n.protocol,),
        snmp_status="not_tried",
    )


def edges(devices: Sequence[Device]) -> tuple[list[Edge], list[Device]]:
    """All neighbour edges between devices, and devices known only from neighbour tables."""
    index = _Index(devices)
    extra: dict[str, Device] = {}
    out: list[Edge] = []
    for d in devices:
        for n in d.lldp_neighbors:
            target = index.find(n)
            if target is None:
                if not n.remote_mgmt_address:
                    continue  # without an address there is nothing to report it by
                new = _lldp_only(n)
                target = new.ip
                extra.setdefault(target, new)
            if target == d.ip:
                continue
            speed = n.local_port_speed_mbps or _port_speed(d, n.local_port)
            out.append(Edge(d.ip, target, n.local_port, speed, n.protocol, n))
    return out, list(extra.values())


def attach(devices: Sequence[Device]) -> list[Device]:
    """Devices with ``uplink`` set from the LLDP/CDP graph (plus devices seen only by neighbours)."""
    links, extra = edges(devices)
    everyone = [*devices, *extra]
    if not links:
        return everyone
    by_ip = {d.ip: d for d in everyone}
    adjacent: dict[str, list[Edge]] = {}
    for e in links:
        adjacent.setdefault(e.a, []).append(e)
        # the reverse direction, for walking; its port is on ``b`` and unknown unless b reported it
        adjacent.setdefault(e.b, []).append(Edge(e.b, e.a, "", None, e.protocol, e.neighbour))

    def rank(ip: str) -> tuple[int, int]:
        d = by_ip.get(ip)
        return (_UPSTREAM_RANK.get(d.role, 4) if d else 5, -len(adjacent.get(ip, ())))

    parent: dict[str, Edge] = {}
    visited: set[str] = set()
    for root in sorted(adjacent, key=rank):
        if root in visited:
            continue
        visited.add(root)
        queue = deque([root])
        while queue:
            here = queue.popleft()
            for e in sorted(adjacent.get(here, ()), key=lambda e: (e.port == "", rank(e.b))):
                if e.b in visited:
                    continue
                visited.add(e.b)
                # prefer the edge as reported by the upstream device (it names its own port)
                reported = next((x for x in links if x.a == here and x.b == e.b), e)
                parent[e.b] = reported
                queue.append(e.b)

    result = []
    for d in everyone:
        up = parent.get(d.ip)
        if up is None:
            result.append(d)
            continue
        e = up
        upstream = by_ip.get(e.a)
        result.append(
            replace(
                d,
                uplink=Uplink(
                    device_ip=e.a,
                    device_name=(upstream.sys_name or "") if upstream else "",
                    port=e.port,
                    speed_mbps=e.speed_mbps,
                    protocol="cdp" if e.protocol == "cdp" else "lldp",
                    basis=(
                        Basis(
                            e.protocol,
                            f"{e.a} port {e.port or '?'}",
                            e.neighbour.remote_system_name or e.neighbour.remote_chassis_id,
                            "neighbour table of the upstream device",
                        ),
                    ),
                ),
            )
        )
    return result
