"""LLDP-MIB and CISCO-CDP-MIB neighbour tables -> :class:`agent.model.LldpNeighbor`.

LLDP: lldpRemTable (chassis id, port id/description, system name/description, capability BITS),
lldpRemManAddrTable (management addresses, carried in the row index) and lldpLocPortTable (our
port's name). Capability names follow NAPALM (router, bridge, wlan-access-point, station, ...).
CDP: cdpCacheTable (device id, port, platform, address, capability bitmap).
"""

from __future__ import annotations

import ipaddress
import re
from collections import defaultdict

from agent.model import Interface, LldpNeighbor
from probes.snmp.data import Oid, SnmpData, Value, as_text

LLDP_LOC_SYS_CAP_SUPPORTED = "1.0.8802.1.1.2.1.3.5.0"
LLDP_LOC_SYS_CAP_ENABLED = "1.0.8802.1.1.2.1.3.6.0"
LLDP_LOC_PORT = "1.0.8802.1.1.2.1.3.7.1"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_REM_MAN_ADDR = "1.0.8802.1.1.2.1.4.2.1"
CDP_CACHE = "1.3.6.1.4.1.9.9.23.1.2.1.1"
DOT1D_BASE_PORT_IF_INDEX = "1.3.6.1.2.1.17.1.4.1.2"

#: Subtrees the inspection must walk for :func:`neighbors` and the LLDP role signal.
LLDP_SUBTREES = ("1.0.8802.1.1.2.1.3", LLDP_REM, LLDP_REM_MAN_ADDR, DOT1D_BASE_PORT_IF_INDEX)
CDP_SUBTREES = (CDP_CACHE,)

#: LLDP-MIB LldpSystemCapabilitiesMap bit -> name (bit 0 is the most significant bit of the first octet).
LLDP_CAPABILITIES = (
    "other",
    "repeater",
    "bridge",
    "wlan-access-point",
    "router",
    "telephone",
    "docsis-cable-device",
    "station",
    "cvlan",
    "svlan",
    "two-port-mac-relay",
)
#: CISCO-CDP-MIB cdpCacheCapabilities bit value -> name (LLDP vocabulary where one exists).
CDP_CAPABILITIES = (
    (0x01, "router"),
    (0x02, "bridge"),
    (0x04, "bridge"),
    (0x08, "bridge"),
    (0x10, "station"),
    (0x20, "igmp"),
    (0x40, "repeater"),
    (0x80, "telephone"),
    (0x100, "remotely-managed"),
    (0x400, "two-port-mac-relay"),
)


_HEX_PAIRS = re.compile(r"^([0-9A-Fa-f]{2})(\s[0-9A-Fa-f]{2})*(\s|$)")


def _raw(value: Value) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("latin-1", errors="ignore")
    return b""


def _bits(value: Value) -> bytes:
    """A BITS value as octets; also accepts net-snmp's display form ('28 00', '28 2 4' = hex then bit numbers)."""
    if isinstance(value, str):
        found = _HEX_PAIRS.match(value)
        if found:
            return bytes.fromhex(found.group(0))
    return _raw(value)


def _first_line(value: Value) -> str:
    text = as_text(value) or ""
    return text.splitlines()[0].strip() if text else ""


def capability_names(value: Value) -> tuple[str, ...]:
    """Decode an LLDP capability BITS value (b'\\x28\\x00' -> ('bridge', 'router'))."""
    raw = _bits(value)
    names = []
    for bit, name in enumerate(LLDP_CAPABILITIES):
        octet, offset = divmod(bit, 8)
        if octet < len(raw) and raw[octet] & (0x80 >> offset):
            names.append(name)
    return tuple(names)


def _mac_or_text(value: Value, subtype: Value, mac_subtype: int) -> str:
    raw = _raw(value)
    if subtype == mac_subtype and len(raw) == 6:
        return ":".join(f"{b:02x}" for b in raw)
    text = as_text(value) or ""
    return text if text.isprintable() else raw.hex(":")


def _address_from_index(rest: Oid) -> str | None:
    """lldpRemManAddrTable index tail: subtype, [length], address octets."""
    if len(rest) < 2:
        return None
    subtype, tail = rest[0], rest[1:]
    if len(tail) > 1 and tail[0] == len(tail) - 1:
        tail = tail[1:]
    try:
        octets = bytes(tail)
        if subtype == 1 and len(octets) == 4:
            return str(ipaddress.IPv4Address(octets))
        if subtype == 2 and len(octets) == 16:
            return str(ipaddress.IPv6Address(octets))
    except ValueError:
        return None
    return None


def _cdp_address(value: Value) -> str | None:
    raw = _raw(value)
    if len(raw) == 4:
        return str(ipaddress.IPv4Address(raw))
    text = as_text(value)
    try:
        return str(ipaddress.ip_address(text or ""))
    except ValueError:
        return None


def _squash(text: str) -> str:
    return re.sub(r"[\s_-]", "", text.lower())


class _LocalPorts:
    """Resolve lldpLocPortNum to an interface: BRIDGE-MIB base port -> ifIndex, then the port id/description
    text against ifName/ifAlias, then the number as an ifIndex (LLDP-MIB LldpPortNumber)."""

    def __init__(self, data: SnmpData, ifaces: tuple[Interface, ...]) -> None:
        self.by_index = {i.index: i for i in ifaces}
        self.by_text: dict[str, Interface] = {}
        for i in ifaces:
            for text in (i.name, i.alias):
                if text:
                    self.by_text.setdefault(_squash(text), i)
        self.base_port = {
            k[0]: v for k, v in data.column(DOT1D_BASE_PORT_IF_INDEX).items() if len(k) == 1 and isinstance(v, int)
        }

    def find(self, port_num: int, *texts: str | None) -> Interface | None:
        if port_num in self.base_port and self.base_port[port_num] in self.by_index:
            return self.by_index[self.base_port[port_num]]
        for text in texts:
            if text:
                hit = self.by_text.get(_squash(text)) or self.by_text.get(_squash(text.split(":")[0]))
                if hit is not None:
                    return hit
        return self.by_index.get(port_num)


def lldp_neighbors(data: SnmpData, ifaces: tuple[Interface, ...] = ()) -> tuple[LldpNeighbor, ...]:
    rows: dict[Oid, dict[int, Value]] = defaultdict(dict)
    for key, value in data.walk(LLDP_REM):
        base = len(LLDP_REM.split("."))
        column, index = key[base], key[base + 1 :]
        if len(index) == 3:
            rows[index][column] = value
    addresses: dict[Oid, str] = {}
    man_base = len(LLDP_REM_MAN_ADDR.split("."))
    for key, _value in data.walk(LLDP_REM_MAN_ADDR):
        index = key[man_base + 1 :]
        address = _address_from_index(index[3:])
        if address and index[:3] not in addresses:
            addresses[index[:3]] = address
    loc_port = data.column(f"{LLDP_LOC_PORT}.3")
    loc_desc = data.column(f"{LLDP_LOC_PORT}.4")
    local_ports = _LocalPorts(data, ifaces)
    out = []
    for index in sorted(rows):
        row = rows[index]
        port_num = index[1]
        port_id, port_desc = as_text(loc_port.get((port_num,))), as_text(loc_desc.get((port_num,)))
        iface = local_ports.find(port_num, port_id, port_desc) if port_num else None
        local = (iface.name if iface else None) or port_desc or port_id or (str(port_num) if port_num else "")
        speed = iface.speed_mbps if iface else None
        out.append(
            LldpNeighbor(
                protocol="lldp",
                local_port=local,
                remote_chassis_id=_mac_or_text(row.get(5), row.get(4), 4),
                remote_port=_mac_or_text(row.get(7), row.get(6), 3),
                remote_port_description=as_text(row.get(8)) or "",
                remote_system_name=_first_line(row.get(9)),
                remote_system_description=as_text(row.get(10)) or "",
                remote_mgmt_address=addresses.get(index),
                capabilities=capability_names(row.get(11)),
                enabled_capabilities=capability_names(row.get(12)),
                local_port_speed_mbps=speed,
            )
        )
    return tuple(out)


def cdp_neighbors(data: SnmpData, ifaces: tuple[Interface, ...] = ()) -> tuple[LldpNeighbor, ...]:
    rows: dict[Oid, dict[int, Value]] = defaultdict(dict)
    base = len(CDP_CACHE.split("."))
    for key, value in data.walk(CDP_CACHE):
        if len(key) == base + 3:
            rows[key[base + 1 :]][key[base]] = value
    by_index = {i.index: i for i in ifaces}
    out = []
    for index in sorted(rows):
        row = rows[index]
        caps_raw = row.get(9)
        bits = int.from_bytes(_raw(caps_raw)[:4], "big") if caps_raw is not None else 0
        caps = tuple(dict.fromkeys(name for bit, name in CDP_CAPABILITIES if bits & bit))
        iface = by_index.get(index[0])
        out.append(
            LldpNeighbor(
                protocol="cdp",
                local_port=iface.name if iface else str(index[0]),
                remote_chassis_id=as_text(row.get(6)) or "",
                remote_port=as_text(row.get(7)) or "",
                remote_system_name=as_text(row.get(6)) or "",
                remote_system_description=" ".join(t for t in (as_text(row.get(8)), as_text(row.get(5))) if t),
                remote_mgmt_address=_cdp_address(row.get(4)),
                capabilities=caps,
                enabled_capabilities=caps,
                local_port_speed_mbps=iface.speed_mbps if iface else None,
            )
        )
    return tuple(out)


def neighbors(data: SnmpData, ifaces: tuple[Interface, ...] = ()) -> tuple[LldpNeighbor, ...]:
    """LLDP neighbours, then CDP neighbours (pass the device's interfaces to get local port speeds)."""
    return lldp_neighbors(data, ifaces) + cdp_neighbors(data, ifaces)


def local_capabilities(data: SnmpData) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(supported, enabled) LLDP capabilities this device announces about itself."""
    return (
        capability_names(data.get(LLDP_LOC_SYS_CAP_SUPPORTED)),
        capability_names(data.get(LLDP_LOC_SYS_CAP_ENABLED)),
    )
