"""Author the lab's SNMP recordings (``lab/recordings/*.snmprec``) for the simulated school's devices.

The recordings are generated, not captured: each device below is described from its vendor's datasheet and
MIBs (sources in docs/lab.md), with addresses and MACs taken from :class:`lab.topology.Topology`, so the
same builders serve every lab instance (``lab up`` renders them for its own base network) and the committed
files are simply the rendering for the default instance (10.66). Regenerate with::

    python -m lab.make_recordings          # rewrite lab/recordings/
    python -m lab.make_recordings --check  # exit 1 when the committed files differ
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lab.topology import Node, Topology

RECORDINGS_DIR = Path(__file__).resolve().parent / "recordings"
MAX32 = 4294967295

# OID roots (numeric, so nothing here needs MIB files)
SYSTEM = "1.3.6.1.2.1.1"
IF_NUMBER = "1.3.6.1.2.1.2.1.0"
IF_ENTRY = "1.3.6.1.2.1.2.2.1"
IFX_ENTRY = "1.3.6.1.2.1.31.1.1.1"
IP = "1.3.6.1.2.1.4"
ENT_PHYS = "1.3.6.1.2.1.47.1.1.1.1"
BRIDGE = "1.3.6.1.2.1.17"
LLDP_LOC = "1.0.8802.1.1.2.1.3"
LLDP_REM = "1.0.8802.1.1.2.1.4.1.1"
LLDP_REM_MAN = "1.0.8802.1.1.2.1.4.2.1"
HR = "1.3.6.1.2.1.25"
PRT = "1.3.6.1.2.1.43"
DOT11 = "1.2.840.10036"
MIKROTIK = "1.3.6.1.4.1.14988.1.1"
UNIFI = "1.3.6.1.4.1.41112.1.6"

# LLDP-MIB LldpSystemCapabilitiesMap (BITS; bit 0 = MSB of the first octet)
CAP_BRIDGE, CAP_WLAN_AP, CAP_ROUTER = 0x20, 0x10, 0x08

ETHERNET, L3IPVLAN, LOOPBACK, BRIDGE_IF, IEEE80211 = 6, 136, 24, 209, 71


class Recording:
    """An ordered set of OID -> (snmprec tag, value)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, str]] = {}

    def put(self, oid: str, tag: str, value: object) -> None:
        self.rows[oid] = (tag, str(value))

    def text(self, oid: str, value: str) -> None:
        """A DisplayString: plain when printable ASCII, hex (UTF-8) otherwise, as real captures store it."""
        if value.isascii() and value.isprintable():
            self.put(oid, "4", value)
        else:
            self.put(oid, "4x", value.encode().hex())

    def octets(self, oid: str, data: bytes) -> None:
        self.put(oid, "4x", data.hex())

    def integer(self, oid: str, value: int) -> None:
        self.put(oid, "2", value)

    def render(self) -> str:
        def key(oid: str) -> tuple[int, ...]:
            return tuple(int(p) for p in oid.split("."))

        return "".join(
            f"{oid}|{tag}|{value}\n" for oid, (tag, value) in sorted(self.rows.items(), key=lambda r: key(r[0]))
        )


def mac_bytes(mac: str) -> bytes:
    return bytes.fromhex(mac.replace(":", ""))


def mac_oid(mac: str) -> str:
    return ".".join(str(b) for b in mac_bytes(mac))


def mac_plus(mac: str, n: int) -> str:
    value = int(mac.replace(":", ""), 16) + n
    raw = f"{value:012x}"
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


@dataclass(frozen=True)
class Port:
    index: int
    name: str
    descr: str
    speed_mbit: int  # negotiated speed when up; what the device reports when down is `down_speed_mbit`
    up: bool
    mac: str = ""
    if_type: int = ETHERNET
    alias: str = ""
    mtu: int = 1500
    down_speed_mbit: int = 0
    admin_up: bool = True


@dataclass(frozen=True)
class Ctx:
    """What differs between instances of one device kind."""

    topo: Topology
    node: Node
    name: str  # sysName
    serial: str
    neighbours: bool = True  # LLDP remote entries / FDB of the default school (not for --extra-agents copies)


def system(
    rec: Recording, descr: str, object_id: str, uptime: int, contact: str, name: str, location: str, services: int
) -> None:
    rec.text(f"{SYSTEM}.1.0", descr)
    rec.put(f"{SYSTEM}.2.0", "6", object_id)
    rec.put(f"{SYSTEM}.3.0", "67", uptime)
    rec.text(f"{SYSTEM}.4.0", contact)
    rec.text(f"{SYSTEM}.5.0", name)
    rec.text(f"{SYSTEM}.6.0", location)
    rec.integer(f"{SYSTEM}.7.0", services)


def interfaces(rec: Recording, ports: list[Port], uptime: int) -> None:
    """IF-MIB ifTable + ifXTable (RFC 2863: ifSpeed saturates at 4294967295, ifHighSpeed in Mbit/s)."""
    rec.integer(IF_NUMBER, len(ports))
    for p in ports:
        i = p.index
        mbit = p.speed_mbit if p.up else p.down_speed_mbit
        rec.integer(f"{IF_ENTRY}.1.{i}", i)
        rec.text(f"{IF_ENTRY}.2.{i}", p.descr)
        rec.integer(f"{IF_ENTRY}.3.{i}", p.if_type)
        rec.integer(f"{IF_ENTRY}.4.{i}", p.mtu)
        rec.put(f"{IF_ENTRY}.5.{i}", "66", min(mbit * 1_000_000, MAX32))
        rec.octets(f"{IF_ENTRY}.6.{i}", mac_bytes(p.mac) if p.mac else b"")
        rec.integer(f"{IF_ENTRY}.7.{i}", 1 if p.admin_up else 2)
        rec.integer(f"{IF_ENTRY}.8.{i}", 1 if p.up else 2)
        rec.put(f"{IF_ENTRY}.9.{i}", "67", uptime - 4000 - 37 * i if p.up else 0)
        traffic = (i * 7919 + 104729) * (1000 if p.up else 0)
        rec.put(f"{IF_ENTRY}.10.{i}", "65", traffic % MAX32)
        rec.put(f"{IF_ENTRY}.11.{i}", "65", (traffic // 900) % MAX32)
        rec.put(f"{IF_ENTRY}.14.{i}", "65", 0)
        rec.put(f"{IF_ENTRY}.16.{i}", "65", (traffic // 3) % MAX32)
        rec.put(f"{IF_ENTRY}.17.{i}", "65", (traffic // 2700) % MAX32)
        rec.put(f"{IF_ENTRY}.20.{i}", "65", 0)
        rec.text(f"{IFX_ENTRY}.1.{i}", p.name)
        rec.put(f"{IFX_ENTRY}.6.{i}", "70", traffic)
        rec.put(f"{IFX_ENTRY}.10.{i}", "70", traffic // 3)
        rec.put(f"{IFX_ENTRY}.15.{i}", "66", mbit)
        rec.integer(f"{IFX_ENTRY}.16.{i}", 2)
        rec.integer(f"{IFX_ENTRY}.17.{i}", 1 if p.if_type in (ETHERNET, IEEE80211) and p.mac else 2)
        rec.text(f"{IFX_ENTRY}.18.{i}", p.alias)


def ip_group(rec: Recording, forwarding: bool, addrs: list[tuple[str, int, str]]) -> None:
    """ipForwarding, ipDefaultTTL and ipAddrTable rows (address, ifIndex, netmask)."""
    rec.integer(f"{IP}.1.0", 1 if forwarding else 2)
    rec.integer(f"{IP}.2.0", 64)
    for addr, if_index, mask in addrs:
        rec.put(f"{IP}.20.1.1.{addr}", "64", addr)
        rec.integer(f"{IP}.20.1.2.{addr}", if_index)
        rec.put(f"{IP}.20.1.3.{addr}", "64", mask)
        rec.integer(f"{IP}.20.1.4.{addr}", 1)


def entity(rec: Recording, rows: list[dict[str, object]]) -> None:
    """ENTITY-MIB entPhysicalTable: index, descr, class, name, hw/fw/sw revisions, serial, maker, model."""
    columns = {
        "descr": 2,
        "vendor_type": 3,
        "contained_in": 4,
        "cls": 5,
        "rel_pos": 6,
        "name": 7,
        "hw": 8,
        "fw": 9,
        "sw": 10,
        "serial": 11,
        "mfg": 12,
        "model": 13,
        "fru": 16,
    }
    for row in rows:
        idx = row["index"]
        for key, col in columns.items():
            value = row.get(key, {"vendor_type": "0.0", "contained_in": 0, "rel_pos": -1, "fru": 2}.get(key, ""))
            oid = f"{ENT_PHYS}.{col}.{idx}"
            if key == "vendor_type":
                rec.put(oid, "6", value)
            elif isinstance(value, int):
                rec.integer(oid, value)
            else:
                rec.text(oid, str(value))


def chassis_and_ports(
    model: str, descr: str, mfg: str, serial: str, hw: str, fw: str, sw: str, ports: list[Port]
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = [
        {
            "index": 1,
            "descr": descr,
            "cls": 3,
            "name": model,
            "hw": hw,
            "fw": fw,
            "sw": sw,
            "serial": serial,
            "mfg": mfg,
            "model": model,
            "fru": 2,
            "contained_in": 0,
            "rel_pos": -1,
        }
    ]
    for n, p in enumerate(ports, start=1):
        rows.append(
            {
                "index": 1000 + p.index,
                "descr": p.descr,
                "cls": 10,
                "name": p.name,
                "contained_in": 1,
                "rel_pos": n,
                "fru": 2,
            }
        )
    return rows


def lldp_local(
    rec: Recording,
    mac: str,
    name: str,
    descr: str,
    supported: int,
    enabled: int,
    ports: list[tuple[int, str, str]],
    mgmt_ip: str,
    mgmt_if: int,
) -> None:
    rec.integer(f"{LLDP_LOC}.1.0", 4)  # lldpLocChassisIdSubtype: macAddress
    rec.octets(f"{LLDP_LOC}.2.0", mac_bytes(mac))
    rec.text(f"{LLDP_LOC}.3.0", name)
    rec.text(f"{LLDP_LOC}.4.0", descr)
    rec.octets(f"{LLDP_LOC}.5.0", bytes([supported]))
    rec.octets(f"{LLDP_LOC}.6.0", bytes([enabled]))
    for num, port_id, port_desc in ports:
        rec.integer(f"{LLDP_LOC}.7.1.2.{num}", 5)  # interfaceName
        rec.text(f"{LLDP_LOC}.7.1.3.{num}", port_id)
        rec.text(f"{LLDP_LOC}.7.1.4.{num}", port_desc)
    man = f"1.4.{mgmt_ip}"  # subtype ipv4(1), length 4, address
    rec.integer(f"{LLDP_LOC}.8.1.3.{man}", 5)  # lldpLocManAddrLen
    rec.integer(f"{LLDP_LOC}.8.1.4.{man}", 2)  # ifIndex
    rec.integer(f"{LLDP_LOC}.8.1.5.{man}", mgmt_if)
    rec.put(f"{LLDP_LOC}.8.1.6.{man}", "6", "0.0")


@dataclass(frozen=True)
class Neighbour:
    local_port: int
    rem_index: int
    chassis_mac: str
    port_id: str
    port_desc: str
    sys_name: str
    sys_desc: str
    supported: int
    enabled: int
    mgmt_ip: str
    mgmt_if: int


def lldp_remote(rec: Recording, neighbours: list[Neighbour]) -> None:
    for nb in neighbours:
        idx = f"0.{nb.local_port}.{nb.rem_index}"  # lldpRemTimeMark.lldpRemLocalPortNum.lldpRemIndex
        rec.integer(f"{LLDP_REM}.4.{idx}", 4)
        rec.octets(f"{LLDP_REM}.5.{idx}", mac_bytes(nb.chassis_mac))
        rec.integer(f"{LLDP_REM}.6.{idx}", 5)
        rec.text(f"{LLDP_REM}.7.{idx}", nb.port_id)
        rec.text(f"{LLDP_REM}.8.{idx}", nb.port_desc)
        rec.text(f"{LLDP_REM}.9.{idx}", nb.sys_name)
        rec.text(f"{LLDP_REM}.10.{idx}", nb.sys_desc)
        rec.octets(f"{LLDP_REM}.11.{idx}", bytes([nb.supported]))
        rec.octets(f"{LLDP_REM}.12.{idx}", bytes([nb.enabled]))
        man = f"{idx}.1.4.{nb.mgmt_ip}"
        rec.integer(f"{LLDP_REM_MAN}.3.{man}", 2)  # lldpRemManAddrIfSubtype: ifIndex
        rec.integer(f"{LLDP_REM_MAN}.4.{man}", nb.mgmt_if)
        rec.put(f"{LLDP_REM_MAN}.5.{man}", "6", "0.0")


# ------------------------------------------------------------------------------------------------
# MikroTik CCR2004-16G-2S+ (RouterOS 7)

ROUTEROS_VERSION = "7.15.3"
ROUTER_BRIDGE_IF = 19
ROUTER_WAN_IF = 17


def router_ports(base_mac: str) -> list[Port]:
    ports = [
        Port(
            n,
            f"ether{n}",
            f"ether{n}",
            1000,
            n == 2,
            mac_plus(base_mac, n - 1),
            alias="LAN - sw-core" if n == 2 else "",
        )
        for n in range(1, 17)
    ]
    ports += [
        Port(17, "sfp-sfpplus1", "sfp-sfpplus1", 10000, True, mac_plus(base_mac, 16), alias="WAN - ISP (10G fibre)"),
        Port(18, "sfp-sfpplus2", "sfp-sfpplus2", 10000, False, mac_plus(base_mac, 17)),
        Port(ROUTER_BRIDGE_IF, "bridge", "bridge", 0, True, mac_plus(base_mac, 1), if_type=BRIDGE_IF),
        Port(20, "lo", "lo", 0, True, "", if_type=LOOPBACK, mtu=65536),
    ]
    return ports


def router_descr() -> str:
    return "RouterOS CCR2004-16G-2S+"


def build_router(c: Ctx) -> Recording:
    rec = Recording()
    t = c.topo
    base_mac = mac_plus(c.node.mac, -1)  # ether1; the node's LAN MAC is ether2's (= the bridge's)
    ports = router_ports(base_mac)
    uptime = 261_234_500
    system(rec, router_descr(), "1.3.6.1.4.1.14988.1", uptime, "it@truong.edu.vn", c.name, "Phòng máy chủ", 78)
    interfaces(rec, ports, uptime)
    ip_group(
        rec, True, [(t.gateway, ROUTER_BRIDGE_IF, "255.255.255.0"), (t.router_wan_ip, ROUTER_WAN_IF, "255.255.255.0")]
    )
    # RFC 1213 ipRouteTable: the default route via the ISP, and the two connected networks
    routes = [
        ("0.0.0.0", t.isp_ip, ROUTER_WAN_IF, "0.0.0.0", 4, 3),
        (str(t.lan.network_address), t.gateway, ROUTER_BRIDGE_IF, "255.255.255.0", 3, 2),
        (str(t.wan.network_address), t.router_wan_ip, ROUTER_WAN_IF, "255.255.255.0", 3, 2),
    ]
    for dest, hop, if_index, mask, rtype, proto in routes:
        rec.put(f"{IP}.21.1.1.{dest}", "64", dest)
        rec.integer(f"{IP}.21.1.2.{dest}", if_index)
        rec.put(f"{IP}.21.1.7.{dest}", "64", hop)
        rec.integer(f"{IP}.21.1.8.{dest}", rtype)
        rec.integer(f"{IP}.21.1.9.{dest}", proto)
        rec.put(f"{IP}.21.1.11.{dest}", "64", mask)
        # IP-FORWARD-MIB ipCidrRouteTable, index dest.mask.tos.nexthop
        idx = f"{dest}.{mask}.0.{hop}"
        rec.put(f"{IP}.24.4.1.1.{idx}", "64", dest)
        rec.put(f"{IP}.24.4.1.2.{idx}", "64", mask)
        rec.integer(f"{IP}.24.4.1.3.{idx}", 0)
        rec.put(f"{IP}.24.4.1.4.{idx}", "64", hop)
        rec.integer(f"{IP}.24.4.1.5.{idx}", if_index)
        rec.integer(f"{IP}.24.4.1.6.{idx}", rtype)
        rec.integer(f"{IP}.24.4.1.7.{idx}", proto)
        rec.integer(f"{IP}.24.4.1.16.{idx}", 1)
    rec.put(f"{IP}.24.3.0", "66", len(routes))  # ipCidrRouteNumber
    entity(
        rec,
        chassis_and_ports(
            "CCR2004-16G-2S+",
            "MikroTik Cloud Core Router CCR2004-16G-2S+",
            "MikroTik",
            c.serial,
            "r2",
            ROUTEROS_VERSION,
            f"RouterOS {ROUTEROS_VERSION}",
            ports[:18],
        ),
    )
    # MIKROTIK-MIB: licence software id / level / version, serial, firmware
    rec.text(f"{MIKROTIK}.4.1.0", f"{c.serial[:4]}-{c.serial[4:8]}")
    rec.integer(f"{MIKROTIK}.4.3.0", 6)
    rec.text(f"{MIKROTIK}.4.4.0", ROUTEROS_VERSION)
    rec.text(f"{MIKROTIK}.7.3.0", c.serial)
    rec.text(f"{MIKROTIK}.7.4.0", ROUTEROS_VERSION)
    caps = CAP_BRIDGE | CAP_ROUTER
    lldp_local(
        rec,
        c.node.mac,
        c.name,
        f"MikroTik RouterOS {ROUTEROS_VERSION} (stable) CCR2004-16G-2S+",
        caps,
        caps,
        [(p.index, p.name, p.descr) for p in ports[:18]],
        t.gateway,
        ROUTER_BRIDGE_IF,
    )
    if c.neighbours:
        sw = t.node("switch")
        lldp_remote(
            rec,
            [
                Neighbour(
                    2,
                    1,
                    sw.mac,
                    "Gi1/0/24",
                    "gigabitEthernet 1/0/24 : copper",
                    SWITCH_NAME,
                    SWITCH_DESCR,
                    CAP_BRIDGE | CAP_ROUTER,
                    CAP_BRIDGE,
                    sw.ip,
                    SWITCH_VLAN_IF,
                )
            ],
        )
    return rec


# ------------------------------------------------------------------------------------------------
# TP-Link JetStream TL-SG3428 (24x 1G RJ45 + 4x 1G SFP, L2+)

SWITCH_DESCR = "JetStream 24-Port Gigabit L2+ Managed Switch with 4 SFP Slots"
SWITCH_NAME = "sw-core"
SWITCH_FIRST_IF = 49153  # JetStream numbers port 1/0/1 as ifIndex 49153
SWITCH_VLAN_IF = 1
SWITCH_UPLINK_PORT = 24
# port -> (negotiated Mbit/s, who is plugged in) for the default school
SWITCH_LINKS = {
    1: (1000, "agent PC"),
    2: (1000, "file server"),
    3: (1000, "printer"),
    9: (1000, "ap1 nanoHD"),
    10: (100, "ap2 EAP115"),
    13: (1000, "PC"),
    14: (100, "PC"),
    24: (1000, "uplink router"),
}
AP1_PORT, AP2_PORT = 9, 10


def switch_ports(mac: str, links: dict[int, tuple[int, str]]) -> list[Port]:
    ports = [Port(SWITCH_VLAN_IF, "Vlan-interface1", "Vlan-interface1", 0, True, mac, if_type=L3IPVLAN)]
    for n in range(1, 29):
        medium = "copper" if n <= 24 else "fiber"
        speed, who = links.get(n, (1000, ""))
        ports.append(
            Port(
                SWITCH_FIRST_IF + n - 1,
                f"Gi1/0/{n}",
                f"gigabitEthernet 1/0/{n} : {medium}",
                speed,
                n in links,
                mac,
                alias=who,
                down_speed_mbit=1000,
            )
        )
    return ports


def build_switch(c: Ctx) -> Recording:
    rec = Recording()
    t = c.topo
    mac = c.node.mac
    ports = switch_ports(mac, SWITCH_LINKS if c.neighbours else {1: (1000, ""), 24: (1000, "uplink")})
    uptime = 187_654_300
    system(rec, SWITCH_DESCR, "1.3.6.1.4.1.11863.1.1.51", uptime, "it@truong.edu.vn", c.name, "Tủ mạng tầng 1", 2)
    interfaces(rec, ports, uptime)
    ip_group(rec, False, [(c.node.ip, SWITCH_VLAN_IF, "255.255.255.0")])
    phys = [p for p in ports if p.index >= SWITCH_FIRST_IF]
    entity(
        rec,
        chassis_and_ports(
            "TL-SG3428", SWITCH_DESCR, "TP-Link", c.serial, "3.0", "1.0.0", "3.0.1 Build 20230303 Rel.71539", phys
        ),
    )
    # BRIDGE-MIB
    rec.octets(f"{BRIDGE}.1.1.0", mac_bytes(mac))
    rec.integer(f"{BRIDGE}.1.2.0", len(phys))
    rec.integer(f"{BRIDGE}.1.3.0", 2)  # transparent-only
    for n, p in enumerate(phys, start=1):
        rec.integer(f"{BRIDGE}.1.4.1.1.{n}", n)
        rec.integer(f"{BRIDGE}.1.4.1.2.{n}", p.index)
    lldp_local(
        rec,
        mac,
        c.name,
        SWITCH_DESCR,
        CAP_BRIDGE | CAP_ROUTER,
        CAP_BRIDGE,
        [(n, p.name, p.descr) for n, p in enumerate(phys, start=1)],
        c.node.ip,
        SWITCH_VLAN_IF,
    )
    if c.neighbours:
        router, ap1, ap2, printer = t.node("router"), t.node("ap1"), t.node("ap2"), t.node("printer")
        # BRIDGE-MIB dot1dTpFdbTable: where the known MACs were learned
        for who, port in ((router, SWITCH_UPLINK_PORT), (ap1, AP1_PORT), (ap2, AP2_PORT), (printer, 3)):
            m = mac_oid(who.mac)
            rec.octets(f"{BRIDGE}.4.3.1.1.{m}", mac_bytes(who.mac))
            rec.integer(f"{BRIDGE}.4.3.1.2.{m}", port)
            rec.integer(f"{BRIDGE}.4.3.1.3.{m}", 3)  # learned
        lldp_remote(
            rec,
            [
                Neighbour(
                    SWITCH_UPLINK_PORT,
                    1,
                    router.mac,
                    "ether2",
                    "ether2",
                    ROUTER_NAME,
                    f"MikroTik RouterOS {ROUTEROS_VERSION} (stable) CCR2004-16G-2S+",
                    CAP_BRIDGE | CAP_ROUTER,
                    CAP_BRIDGE | CAP_ROUTER,
                    router.ip,
                    ROUTER_BRIDGE_IF,
                ),
                Neighbour(
                    AP1_PORT,
                    2,
                    ap1.mac,
                    "eth0",
                    "eth0",
                    AP1_NAME,
                    nanohd_descr(AP1_NAME),
                    CAP_BRIDGE | CAP_WLAN_AP,
                    CAP_BRIDGE | CAP_WLAN_AP,
                    ap1.ip,
                    2,
                ),
                Neighbour(
                    AP2_PORT,
                    3,
                    ap2.mac,
                    "eth0",
                    "eth0",
                    AP2_NAME,
                    EAP115_DESCR,
                    CAP_BRIDGE | CAP_WLAN_AP,
                    CAP_WLAN_AP,
                    ap2.ip,
                    2,
                ),
            ],
        )
    return rec


# ------------------------------------------------------------------------------------------------
# Ubiquiti UniFi UAP-nanoHD (802.11ac Wave 2: 2.4 GHz 2x2 300 Mbps + 5 GHz 4x4 1733 Mbps)

UNIFI_VERSION = "6.6.77.15402"
AP1_NAME = "ap-thu-vien"


def nanohd_descr(name: str) -> str:
    return f"Linux {name} 4.4.198 #1 SMP Thu Sep 14 10:08:11 2023 mips"


def build_nanohd(c: Ctx) -> Recording:
    rec = Recording()
    mac = c.node.mac
    uptime = 98_765_400
    # UniFi's Linux reports its radios and VAPs with ifType ethernetCsmacd(6), as real UniFi APs do
    ports = [
        Port(1, "lo", "lo", 0, True, "", if_type=LOOPBACK, mtu=65536),
        Port(2, "eth0", "eth0", 1000, True, mac),
        Port(3, "wifi0", "wifi0", 0, True, mac_plus(mac, 1)),
        Port(4, "wifi1", "wifi1", 0, True, mac_plus(mac, 2)),
        Port(5, "ath0", "ath0", 0, True, mac_plus(mac, 0x10001)),
        Port(6, "ath1", "ath1", 0, True, mac_plus(mac, 0x20001)),
        Port(7, "br0", "br0", 0, True, mac),
    ]
    system(rec, nanohd_descr(c.name), "1.3.6.1.4.1.8072.3.2.10", uptime, "", c.name, "Thư viện", 72)
    interfaces(rec, ports, uptime)
    ip_group(rec, False, [(c.node.ip, 7, "255.255.255.0")])
    entity(
        rec,
        [
            {
                "index": 1,
                "descr": "UniFi AP nanoHD",
                "cls": 3,
                "name": "UAP-nanoHD",
                "hw": "",
                "fw": UNIFI_VERSION,
                "sw": UNIFI_VERSION,
                "serial": c.serial,
                "mfg": "Ubiquiti Inc.",
                "model": "UAP-nanoHD",
            }
        ],
    )
    # UBNT-UniFi-MIB unifiRadioTable: name, radio ("ng" = 2.4 GHz 802.11n/g, "na" = 5 GHz 802.11a/n/ac)
    for idx, (name, radio) in enumerate((("wifi0", "ng"), ("wifi1", "na")), start=1):
        rec.text(f"{UNIFI}.1.1.1.2.{idx}", name)
        rec.text(f"{UNIFI}.1.1.1.3.{idx}", radio)
        rec.put(f"{UNIFI}.1.1.1.4.{idx}", "65", 18_345_000 * idx)
        rec.put(f"{UNIFI}.1.1.1.5.{idx}", "65", 25_120_000 * idx)
        rec.integer(f"{UNIFI}.1.1.1.6.{idx}", 31 if radio == "ng" else 12)
        rec.integer(f"{UNIFI}.1.1.1.7.{idx}", 9 if radio == "ng" else 4)
        rec.integer(f"{UNIFI}.1.1.1.8.{idx}", 11 if radio == "ng" else 6)
        rec.integer(f"{UNIFI}.1.1.1.9.{idx}", 7 if radio == "ng" else 2)
    # unifiVapTable: one SSID per radio
    vaps = ((ports[4], "ng", 6, 12, 20), (ports[5], "na", 36, 27, 23))
    for idx, (port, radio, channel, stations, power) in enumerate(vaps, start=1):
        rec.octets(f"{UNIFI}.1.2.1.2.{idx}", mac_bytes(port.mac))
        rec.integer(f"{UNIFI}.1.2.1.3.{idx}", 96)
        rec.integer(f"{UNIFI}.1.2.1.4.{idx}", channel)
        rec.integer(f"{UNIFI}.1.2.1.5.{idx}", 0 if radio == "ng" else 1)
        rec.text(f"{UNIFI}.1.2.1.6.{idx}", "TruongHoc")
        rec.text(f"{UNIFI}.1.2.1.7.{idx}", port.name)
        rec.integer(f"{UNIFI}.1.2.1.8.{idx}", stations)
        rec.text(f"{UNIFI}.1.2.1.9.{idx}", radio)
        rec.integer(f"{UNIFI}.1.2.1.21.{idx}", power)
        rec.integer(f"{UNIFI}.1.2.1.22.{idx}", 1)
        rec.text(f"{UNIFI}.1.2.1.23.{idx}", "user")
    rec.text(f"{UNIFI}.3.3.0", "UAP-nanoHD")  # unifiApSystemModel
    rec.text(f"{UNIFI}.3.6.0", UNIFI_VERSION)  # unifiApSystemVersion
    return rec


# ------------------------------------------------------------------------------------------------
# TP-Link EAP115 v4 (802.11n, 2.4 GHz only, 2x2 300 Mbps, one 10/100 port)

EAP115_DESCR = "300Mbps Wireless N Ceiling Mount Access Point"
AP2_NAME = "ap-phong-101"


def build_eap115(c: Ctx) -> Recording:
    rec = Recording()
    mac = c.node.mac
    uptime = 45_678_900
    ports = [
        Port(1, "lo", "lo", 0, True, "", if_type=LOOPBACK, mtu=16436),
        Port(2, "eth0", "eth0", 100, True, mac, down_speed_mbit=100),
        Port(3, "br0", "br0", 0, True, mac),
        Port(4, "ath0", "ath0", 300, True, mac_plus(mac, 1), if_type=IEEE80211),
    ]
    system(rec, EAP115_DESCR, "1.3.6.1.4.1.11863.3.2.115", uptime, "", c.name, "Phòng 101", 72)
    interfaces(rec, ports, uptime)
    ip_group(rec, False, [(c.node.ip, 3, "255.255.255.0")])
    entity(
        rec,
        [
            {
                "index": 1,
                "descr": EAP115_DESCR,
                "cls": 3,
                "name": "EAP115",
                "hw": "4.0",
                "fw": "5.0.4 Build 20220216 Rel. 49624",
                "sw": "5.0.4 Build 20220216 Rel. 49624",
                "serial": c.serial,
                "mfg": "TP-Link",
                "model": "EAP115",
            }
        ],
    )
    # IEEE802dot11-MIB on the radio interface (ifIndex 4): station id, SSID, maker, product, PHY type ht(7)
    radio = ports[3]
    rec.octets(f"{DOT11}.1.1.1.1.{radio.index}", mac_bytes(radio.mac))
    rec.text(f"{DOT11}.1.1.1.9.{radio.index}", "TruongHoc-GV")
    rec.text(f"{DOT11}.3.1.2.1.2.{radio.index}", "TP-Link")
    rec.text(f"{DOT11}.3.1.2.1.3.{radio.index}", "EAP115")
    rec.text(f"{DOT11}.3.1.2.1.4.{radio.index}", "4.0")
    rec.integer(f"{DOT11}.4.1.1.1.{radio.index}", 7)  # dot11PHYType ht(7)
    rec.integer(f"{DOT11}.4.5.1.1.{radio.index}", 6)  # dot11CurrentChannel
    return rec


# ------------------------------------------------------------------------------------------------
# HP LaserJet Pro M404dn (Printer-MIB, HOST-RESOURCES-MIB)

PRINTER_JETDIRECT = "HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI23900034,CIDATE 02/19/2020"


def build_printer(c: Ctx) -> Recording:
    rec = Recording()
    mac = c.node.mac
    uptime = 12_345_600
    ports = [
        Port(1, "HP ETHERNET MULTI-ENVIRONMENT", PRINTER_JETDIRECT, 1000, True, mac),
        Port(2, "lo0", "Software Loopback Interface", 0, True, "", if_type=LOOPBACK, mtu=32768),
    ]
    system(rec, PRINTER_JETDIRECT, "1.3.6.1.4.1.11.2.3.9.1", uptime, "", c.name, "Văn phòng", 72)
    interfaces(rec, ports, uptime)
    ip_group(rec, False, [(c.node.ip, 1, "255.255.255.0")])
    entity(
        rec,
        [
            {
                "index": 1,
                "descr": "HP LaserJet Pro M404dn",
                "cls": 3,
                "name": "HP LaserJet Pro M404dn",
                "hw": "",
                "fw": "002_2310A",
                "sw": "002_2310A",
                "serial": c.serial,
                "mfg": "HP",
                "model": "HP LaserJet Pro M404dn",
            }
        ],
    )
    model = "HP LaserJet Pro M404-M405"
    rec.put(f"{HR}.3.2.1.2.1", "6", "1.3.6.1.2.1.25.3.1.5")  # hrDeviceType: hrDevicePrinter
    rec.text(f"{HR}.3.2.1.3.1", model)
    rec.integer(f"{HR}.3.2.1.5.1", 2)  # running
    rec.integer(f"{HR}.3.5.1.1.1", 3)  # hrPrinterStatus idle
    rec.octets(f"{HR}.3.5.1.2.1", b"\x00")
    rec.text(f"{PRT}.5.1.1.16.1", model)  # prtGeneralPrinterName
    rec.text(f"{PRT}.5.1.1.17.1", c.serial)  # prtGeneralSerialNumber
    rec.put(f"{PRT}.10.2.1.4.1.1", "65", 12873)  # prtMarkerLifeCount (pages)
    rec.integer(f"{PRT}.11.1.1.4.1.1", 3)  # prtMarkerSuppliesClass: supplyThatIsConsumed
    rec.integer(f"{PRT}.11.1.1.5.1.1", 3)  # prtMarkerSuppliesType: toner
    rec.text(f"{PRT}.11.1.1.6.1.1", "Black Cartridge HP CF258A")
    rec.integer(f"{PRT}.11.1.1.7.1.1", 19)  # percent
    rec.integer(f"{PRT}.11.1.1.8.1.1", 100)
    rec.integer(f"{PRT}.11.1.1.9.1.1", 64)
    rec.text(f"{PRT}.16.5.1.2.1.1", "Ready")  # prtConsoleDisplayBufferText
    return rec


# ------------------------------------------------------------------------------------------------

ROUTER_NAME = "gw-truong"
BUILDERS: dict[str, Callable[[Ctx], Recording]] = {
    "router": build_router,
    "switch": build_switch,
    "ap-nanohd": build_nanohd,
    "ap-eap115": build_eap115,
    "printer": build_printer,
}
NAMES = {"router": ROUTER_NAME, "switch": SWITCH_NAME, "ap-nanohd": AP1_NAME, "ap-eap115": AP2_NAME}


def serial_for(kind: str, octet: int, host: int, mac: str) -> str:
    if kind == "router":
        return f"HFC{octet:02X}{host:02X}8E71A"
    if kind == "switch":
        return f"22{octet:03d}{host:03d}01842"
    if kind == "ap-nanohd":
        return mac.replace(":", "").upper()  # UniFi serial = base MAC
    if kind == "ap-eap115":
        return f"2196{octet:03d}{host:03d}417"
    return f"PHB{octet:02d}{host:03d}K7Q"  # HP: PHBxxxxxxx style


def render(topo: Topology, node: Node) -> str:
    """The .snmprec text for one SNMP-simulated node of ``topo``."""
    kind = node.recording
    host = int(node.ip.rsplit(".", 1)[1])
    extra = node.role.startswith("x")
    if kind == "printer":
        name = "NPI" + node.mac.replace(":", "")[-6:].upper()  # HP's default host name
    else:
        name = NAMES[kind] + (f"-{host}" if extra else "")
    ctx = Ctx(topo, node, name, serial_for(kind, topo.octet, host, node.mac), neighbours=not extra)
    return BUILDERS[kind](ctx).render()


def render_all(topo: Topology) -> dict[str, str]:
    """node role -> recording text, for every snmpsim node of ``topo``."""
    return {n.role: render(topo, n) for n in topo.snmp_nodes if n.agent == "snmpsim"}


def default_files() -> dict[str, str]:
    """lab/recordings/<name>.snmprec contents: the rendering for the default instance."""
    topo = Topology()
    return {n.recording: render(topo, n) for n in topo.snmp_nodes if n.agent == "snmpsim"}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m lab.make_recordings", description=__doc__.split("\n")[0])
    p.add_argument("--check", action="store_true", help="only compare with the committed files")
    p.add_argument("--out", type=Path, default=RECORDINGS_DIR)
    args = p.parse_args(argv)
    files = default_files()
    stale = [
        name
        for name, text in files.items()
        if not (args.out / f"{name}.snmprec").is_file() or (args.out / f"{name}.snmprec").read_text() != text
    ]
    if args.check:
        for name in stale:
            print(f"{args.out / name}.snmprec is out of date: run python -m lab.make_recordings", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / f"{name}.snmprec").write_text(text)
    print(f"wrote {len(files)} recordings to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["RECORDINGS_DIR", "Recording", "default_files", "render", "render_all"]
