"""The simulated school as data: namespaces, addresses, MACs and what runs where.

One :class:`Topology` is one lab instance, parameterised by a namespace prefix (``sn``) and a base
network (``10.66`` -> LAN 10.66.0.0/24, WAN 10.66.1.0/24). Nothing here touches the system.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Literal

from agent.errors import UsageError
from lab.netns import LAB_RANGE

DEFAULT_PREFIX = "sn"
DEFAULT_BASE = "10.66"
DEFAULT_UPLINK_MBIT = 1000.0
MAX_EXTRA_AGENTS = 100  # .101 - .200
COMMUNITY = "school-ro"

Agent = Literal["snmpsim", "snmpd", "none"]

# Vendor OUIs, each checked against the IEEE registry (/usr/share/ieee-data/oui.txt, package ieee-data).
OUI = {
    "mikrotik": "48:8f:5a",  # Routerboard.com
    "tplink": "50:c7:bf",  # TP-LINK TECHNOLOGIES CO.,LTD.
    "ubiquiti": "78:8a:20",  # Ubiquiti Networks Inc.
    "hp": "3c:d9:2b",  # Hewlett Packard
}


@dataclass(frozen=True)
class Node:
    """One host on the simulated LAN (or the ISP)."""

    role: str  # agent, router, switch, ap1, ap2, printer, server, silent, isp, x101 ...
    ns: str
    addresses: tuple[str, ...]  # CIDRs on the node's LAN (or WAN) interface
    agent: Agent = "none"
    recording: str = ""  # lab/recordings/<recording>.snmprec (snmpsim nodes)
    mac: str = ""  # fixed MAC of the LAN interface ('' = kernel's random one)
    vendor: str = ""
    model: str = ""

    @property
    def ip(self) -> str:
        return self.addresses[0].split("/")[0]

    @property
    def ips(self) -> list[str]:
        return [a.split("/")[0] for a in self.addresses]


def parse_base(base: str) -> int:
    """'10.66' (or '10.66.0.0/16') -> 66; refuses bases outside the lab range 10.64.0.0/10."""
    m = re.fullmatch(r"10\.(\d{1,3})(?:\.0\.0(?:/16)?)?", base.strip())
    if not m or not 64 <= int(m.group(1)) <= 127:
        raise UsageError(f"--base {base!r}: expected 10.N with N in 64..127 (the lab range {LAB_RANGE})")
    return int(m.group(1))


def check_prefix(prefix: str) -> str:
    if not re.fullmatch(r"sn[a-z0-9]{0,4}", prefix):
        raise UsageError(f"--prefix {prefix!r}: expected 'sn' plus up to 4 lowercase letters/digits (e.g. snt)")
    return prefix


def mac_for(vendor: str, octet2: int, host: int, offset: int = 0) -> str:
    """A stable vendor MAC for one lab host: OUI + base octet + host octet (+ port offset)."""
    value = (octet2 << 16) | (host << 8) | 0
    value += offset
    tail = [(value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF]
    return OUI[vendor] + ":" + ":".join(f"{b:02x}" for b in tail)


# Kinds cycled through by --extra-agents (recording builder, vendor); see lab.make_recordings.
EXTRA_KINDS = ("switch", "ap-nanohd", "ap-eap115", "printer")


@dataclass(frozen=True)
class Topology:
    prefix: str = DEFAULT_PREFIX
    base: str = DEFAULT_BASE
    extra_agents: int = 0
    uplink_mbit: float = DEFAULT_UPLINK_MBIT
    octet: int = field(init=False)

    def __post_init__(self) -> None:
        check_prefix(self.prefix)
        object.__setattr__(self, "octet", parse_base(self.base))
        if not 0 <= self.extra_agents <= MAX_EXTRA_AGENTS:
            raise UsageError(f"--extra-agents {self.extra_agents}: expected 0..{MAX_EXTRA_AGENTS}")
        if not 1 <= self.uplink_mbit <= 100_000:
            raise UsageError(f"--uplink-mbit {self.uplink_mbit}: expected 1..100000")

    # --- networks -------------------------------------------------------------------------------
    @property
    def lan(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(f"10.{self.octet}.0.0/24")

    @property
    def wan(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(f"10.{self.octet}.1.0/24")

    @property
    def supernet(self) -> ipaddress.IPv4Network:
        """Everything this instance may use: 10.N.0.0/16."""
        return ipaddress.IPv4Network(f"10.{self.octet}.0.0/16")

    def lan_ip(self, host: int) -> str:
        return f"10.{self.octet}.0.{host}"

    def wan_ip(self, host: int) -> str:
        return f"10.{self.octet}.1.{host}"

    @property
    def gateway(self) -> str:
        return self.lan_ip(1)

    @property
    def router_wan_ip(self) -> str:
        return self.wan_ip(1)

    @property
    def isp_ip(self) -> str:
        return self.wan_ip(2)

    @property
    def speed_url(self) -> str:
        return f"http://{self.isp_ip}:8080"

    @property
    def district_url(self) -> str:
        return f"http://{self.isp_ip}:8000"

    # --- names ----------------------------------------------------------------------------------
    def ns(self, role: str) -> str:
        return f"{self.prefix}-{role}"

    @property
    def bridge_ns(self) -> str:
        return self.ns("lan")

    @property
    def agent_ns(self) -> str:
        return self.ns("agent")

    @property
    def extra_ns_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"{re.escape(self.prefix)}-x\d{{3}}")

    # --- hosts ----------------------------------------------------------------------------------
    @property
    def nodes(self) -> list[Node]:
        """Every LAN host (the router included, its LAN side) plus the ISP."""
        o, lan = self.octet, self.lan.prefixlen
        nodes = [
            Node("agent", self.ns("agent"), (f"{self.lan_ip(100)}/{lan}",)),
            Node(
                "router",
                self.ns("router"),
                (f"{self.lan_ip(1)}/{lan}",),
                "snmpsim",
                "router",
                mac_for("mikrotik", o, 1, 1),
                "MikroTik",
                "CCR2004-16G-2S+",
            ),
            Node(
                "switch",
                self.ns("switch"),
                (f"{self.lan_ip(2)}/{lan}",),
                "snmpsim",
                "switch",
                mac_for("tplink", o, 2),
                "TP-Link",
                "TL-SG3428",
            ),
            Node(
                "ap1",
                self.ns("ap1"),
                (f"{self.lan_ip(11)}/{lan}",),
                "snmpsim",
                "ap-nanohd",
                mac_for("ubiquiti", o, 11),
                "Ubiquiti",
                "UAP-nanoHD",
            ),
            Node(
                "ap2",
                self.ns("ap2"),
                (f"{self.lan_ip(12)}/{lan}",),
                "snmpsim",
                "ap-eap115",
                mac_for("tplink", o, 12),
                "TP-Link",
                "EAP115",
            ),
            Node(
                "printer",
                self.ns("printer"),
                (f"{self.lan_ip(20)}/{lan}",),
                "snmpsim",
                "printer",
                mac_for("hp", o, 20),
                "HP",
                "LaserJet Pro M404dn",
            ),
            Node(
                "server", self.ns("server"), (f"{self.lan_ip(30)}/{lan}",), "snmpd", vendor="Debian", model="net-snmp"
            ),
            Node("silent", self.ns("silent"), tuple(f"{self.lan_ip(h)}/{lan}" for h in range(50, 54))),
        ]
        for i in range(self.extra_agents):
            host = 101 + i
            kind = EXTRA_KINDS[i % len(EXTRA_KINDS)]
            vendor = {"switch": "tplink", "ap-nanohd": "ubiquiti", "ap-eap115": "tplink", "printer": "hp"}[kind]
            nodes.append(
                Node(
                    f"x{host}",
                    self.ns(f"x{host}"),
                    (f"{self.lan_ip(host)}/{lan}",),
                    "snmpsim",
                    kind,
                    mac_for(vendor, o, host),
                )
            )
        return nodes

    @property
    def isp(self) -> Node:
        return Node("isp", self.ns("isp"), (f"{self.isp_ip}/{self.wan.prefixlen}",))

    def node(self, role: str) -> Node:
        for n in self.nodes:
            if n.role == role:
                return n
        raise KeyError(role)

    @property
    def lan_hosts(self) -> list[Node]:
        """Hosts with a plain LAN port on the bridge (the router has its own wiring)."""
        return [n for n in self.nodes if n.role != "router"]

    @property
    def snmp_nodes(self) -> list[Node]:
        return [n for n in self.nodes if n.agent != "none"]

    @property
    def namespaces(self) -> list[str]:
        """Every namespace of this instance, in creation order."""
        return [self.bridge_ns, *(n.ns for n in self.nodes), self.isp.ns]

    def owns_namespace(self, name: str) -> bool:
        return name in self.namespaces or bool(self.extra_ns_pattern.fullmatch(name))

    def summary(self) -> dict[str, object]:
        return {
            "prefix": self.prefix,
            "base": f"10.{self.octet}",
            "lan": str(self.lan),
            "wan": str(self.wan),
            "gateway": self.gateway,
            "isp": self.isp_ip,
            "uplink_mbit": self.uplink_mbit,
            "extra_agents": self.extra_agents,
            "nodes": [
                {"role": n.role, "ns": n.ns, "ips": n.ips, "agent": n.agent, "recording": n.recording, "mac": n.mac}
                for n in [*self.nodes, self.isp]
            ],
        }
