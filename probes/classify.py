"""What a device is, from what SNMP said: role, vendor, model, firmware, serial, port capability.

Knowledge lives in ``config/catalog/`` (see :mod:`probes.catalog`); this module only weighs evidence:

1. **Fingerprint** (``fingerprints.toml``): the first row whose sysObjectID prefix / sysDescr regex /
   required vendor subtree matches gives vendor, OS family, model extraction and a role hint.
2. **Vendor MIB presence** (``[[mib]]`` rows): UniFi radios, AIRESPACE AP table, Printer-MIB, UPS-MIB ...
3. **Model table** (``models.toml``): the model (vendor model OID, ENTITY chassis model, sysDescr) looked up
   by exact name, then sysObjectID, then family pattern -> role, port capability, throughput.
4. **Generic signals** (BRIDGE port count, ipForwarding + default route, LLDP capabilities, WAN interfaces,
   sysServices) with low weights, only to break ties.

Each piece of evidence is (role, weight, basis). Per role the weights combine as a noisy-OR
(1 - prod(1 - w)); the best role wins with confidence = best - 0.5 x runner-up. Below the catalog's
``unknown_below`` the answer is ``unknown``: an honest answer, never a guess.

Two entry points for the discovery engineer:

- :func:`fingerprint` (sysObjectID, sysDescr from the sweep) -> vendor, OS family and ``extra_subtrees``
  to walk for this device on top of :data:`BASE_SUBTREES`;
- :func:`classify` (ip, SnmpData of the inspection) -> :class:`Classification`; :func:`to_device` turns
  it into an :class:`agent.model.Device`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from agent.model import Basis, Device, Interface, LldpNeighbor, Role
from probes import model_sources
from probes.catalog import FingerprintRow, ModelRow, fingerprints, interface_rules, models
from probes.snmp import entity, lldp
from probes.snmp.data import SnmpData, as_text, oid
from probes.snmp.ports import IF_COLUMNS, interfaces, negotiated_max_mbps, port_capability_hint_mbps

SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"
SYS_SERVICES = "1.3.6.1.2.1.1.7.0"
IP_FORWARDING = "1.3.6.1.2.1.4.1.0"
DOT1D_BASE_NUM_PORTS = "1.3.6.1.2.1.17.1.2.0"
IP_ROUTE_NEXT_HOP_DEFAULT = "1.3.6.1.2.1.4.21.1.7.0.0.0.0"
IP_CIDR_ROUTE_DEFAULT = "1.3.6.1.2.1.4.24.4.1.4.0.0.0.0.0.0.0.0"
INET_CIDR_ROUTE_DEFAULT = "1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0"
DOT11_PRODUCT_NAME = "1.2.840.10036.3.1.2.1.3"
HR_DEVICE_TYPE = "1.3.6.1.2.1.25.3.2.1.2"
HR_DEVICE_DESCR = "1.3.6.1.2.1.25.3.2.1.3"
HR_DEVICE_PRINTER = "1.3.6.1.2.1.25.3.1.5"
HR_DEVICE_PROCESSOR = "1.3.6.1.2.1.25.3.1.3"
HR_DEVICE_DISK = "1.3.6.1.2.1.25.3.1.6"
PRINTER_MIB = "1.3.6.1.2.1.43"
PRT_GENERAL_PRINTER_NAME = "1.3.6.1.2.1.43.5.1.1.16"
UPS_IDENT_MODEL = "1.3.6.1.2.1.33.1.1.2.0"

#: Subtrees the inspection walks on every SNMP responder (GETBULK each; they are small on real devices).
BASE_SUBTREES: tuple[str, ...] = (
    "1.3.6.1.2.1.1",                 # system group (sysDescr, sysObjectID, sysName, sysServices ...)
    *IF_COLUMNS,                     # IF-MIB ifTable / ifXTable columns used by probes.snmp.ports
    *entity.ENTITY_COLUMNS,          # ENTITY-MIB entPhysicalTable columns (model, serial, firmware)
    "1.3.6.1.2.1.17.1.2",            # BRIDGE-MIB dot1dBaseNumPorts
    "1.3.6.1.2.1.4.1",               # IP-MIB ipForwarding
    "1.3.6.1.2.1.4.21.1.7.0.0.0",    # RFC1213 ipRouteNextHop of 0.0.0.x (holds the 0.0.0.0 default route)
    "1.3.6.1.2.1.4.24.4.1.4.0.0.0.0.0.0.0.0",  # IP-FORWARD-MIB ipCidrRouteNextHop, default route only
    INET_CIDR_ROUTE_DEFAULT,         # IP-FORWARD-MIB inetCidrRouteNextHop, IPv4 default route only
    *lldp.LLDP_SUBTREES,             # LLDP-MIB local system/ports, remote table, management addresses
    *lldp.CDP_SUBTREES,              # CISCO-CDP-MIB cdpCacheTable
    "1.3.6.1.2.1.43.5.1.1",          # Printer-MIB prtGeneralTable (presence = printer)
    "1.3.6.1.2.1.33.1.1",            # UPS-MIB upsIdent (presence = UPS)
    DOT11_PRODUCT_NAME,              # IEEE802dot11-MIB dot11manufacturerProductName
    HR_DEVICE_TYPE, HR_DEVICE_DESCR,  # HOST-RESOURCES hrDeviceTable (a printer names its model here)
)

_TOKEN_SPLIT = re.compile(r"[\s,;()\"'\[\]]+")
_VERSIONISH = re.compile(r"^v?\d+(\.\d+)+\w*$", re.IGNORECASE)
_MODEL_WEIGHT = {("exact", "high"): 0.95, ("exact", "medium"): 0.9, ("exact", "low"): 0.75,
                 ("family", "high"): 0.85, ("family", "medium"): 0.75, ("family", "low"): 0.6}


@dataclass(frozen=True)
class Fingerprint:
    """What sysObjectID + sysDescr alone say (the sweep's answer; cheap, cached).

    ``extra_subtrees``: walk these on top of :data:`BASE_SUBTREES` (they already include the parents of the
    ``*_oids`` scalars, so walking is enough; the scalars are listed too for a plain GET).
    """

    id: str | None = None
    vendor: str | None = None
    os_family: str | None = None
    model: str | None = None
    firmware: str | None = None
    role_hint: Role | None = None
    role_weight: float = 0.0
    extra_subtrees: tuple[str, ...] = ()
    model_oids: tuple[str, ...] = ()
    firmware_oids: tuple[str, ...] = ()
    serial_oids: tuple[str, ...] = ()
    basis: tuple[Basis, ...] = ()


@dataclass(frozen=True)
class Classification:
    """Everything :func:`classify` concluded about one device, each claim with its basis."""

    ip: str
    role: Role = Role.UNKNOWN
    role_confidence: float = 0.0
    vendor: str | None = None
    model: str | None = None
    os_family: str | None = None
    firmware: str | None = None
    serial: str | None = None
    subrole: str | None = None
    max_port_capability_mbps: int | None = None
    max_port_speed_mbps: int | None = None
    throughput_mbps: int | None = None
    fingerprint_id: str | None = None
    model_row_id: str | None = None
    sys_descr: str | None = None
    sys_object_id: str | None = None
    sys_name: str | None = None
    sys_location: str | None = None
    interfaces: tuple[Interface, ...] = ()
    lldp_neighbors: tuple[LldpNeighbor, ...] = ()
    scores: tuple[tuple[str, float], ...] = ()
    basis: tuple[Basis, ...] = field(default=())


# --------------------------------------------------------------------------- fingerprints


def _row_matches(row: FingerprintRow, sys_object_id: str | None, sys_descr: str | None,
                 data: SnmpData | None) -> bool:
    if not row.oid_matches(sys_object_id) or not row.descr_matches(sys_descr):
        return False
    if row.requires:
        return data is not None and all(data.has(r) for r in row.requires)
    return True


@functools.lru_cache(maxsize=4096)
def _match_index(sys_object_id: str | None, sys_descr: str | None) -> int | None:
    for i, row in enumerate(fingerprints().fingerprint):
        if not row.requires and _row_matches(row, sys_object_id, sys_descr, None):
            return i
    return None


def _match(sys_object_id: str | None, sys_descr: str | None, data: SnmpData | None) -> FingerprintRow | None:
    rows = fingerprints().fingerprint
    index = _match_index(sys_object_id, sys_descr)
    if data is not None:
        stop = len(rows) if index is None else index
        for row in rows[:stop]:
            if row.requires and _row_matches(row, sys_object_id, sys_descr, data):
                return row
    return rows[index] if index is not None else None


def _scalar_parent(text: str) -> str:
    return text[:-2] if text.endswith(".0") else text


def _norm_oid(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip().strip(".")
    try:
        oid(value)
    except ValueError:
        return None
    return value


@functools.lru_cache(maxsize=4096)
def fingerprint(sys_object_id: str | None, sys_descr: str | None) -> Fingerprint:
    """Vendor, OS family, model hint and the vendor subtrees worth walking, from the sweep's two values."""
    sys_object_id = _norm_oid(sys_object_id)
    row = _match(sys_object_id, sys_descr, None)
    if row is None:
        # unknown device: walk the subtrees that let classify() find the ambiguous families
        subtrees = [s for r in fingerprints().fingerprint if r.id == "net-snmp" for s in r.extra_subtrees]
        return Fingerprint(extra_subtrees=_minimal_subtrees(subtrees))
    subtrees = [*row.extra_subtrees, *(_scalar_parent(o) for o in (*row.model_oids, *row.firmware_oids,
                                                                    *row.serial_oids))]
    # rows further down that `requires` a subtree could still apply: walk what they need
    for other in fingerprints().fingerprint:
        if other.requires and other.oid_matches(sys_object_id) and other.descr_matches(sys_descr):
            subtrees.extend(other.requires)
    return Fingerprint(
        id=row.id,
        vendor=row.vendor,
        os_family=row.os_family,
        model=row.extract("model", sys_descr),
        firmware=row.extract("firmware", sys_descr),
        role_hint=row.role,
        role_weight=row.role_weight if row.role else 0.0,
        extra_subtrees=_minimal_subtrees(subtrees),
        model_oids=row.model_oids,
        firmware_oids=row.firmware_oids,
        serial_oids=row.serial_oids,
        basis=(_fp_basis(row),),
    )


def _minimal_subtrees(subtrees: Iterable[str]) -> tuple[str, ...]:
    """Drop duplicates, subtrees under another listed one, and those BASE_SUBTREES already walks."""
    chosen: list[str] = []
    covered = list(BASE_SUBTREES)
    for text in sorted(set(subtrees), key=lambda t: len(t.split("."))):
        if not any(text == c or text.startswith(c + ".") for c in (*covered, *chosen)):
            chosen.append(text)
    return tuple(chosen)


def _fp_basis(row: FingerprintRow) -> Basis:
    said = [f"vendor {row.vendor}" if row.vendor else "vendor not implied", f"os {row.os_family}"]
    if row.role:
        said.append(f"role {row.role.value} ({row.role_weight:g})")
    return Basis("catalog", f"fingerprints.toml#{row.id}", ", ".join(said), row.source)


# --------------------------------------------------------------------------- model lookup


def _clean_model(value: str) -> str:
    value = value.strip().strip('"').strip()
    parts = value.split()
    if len(parts) >= 2 and _VERSIONISH.match(parts[-1]):
        value = " ".join(parts[:-1])
    return value


def _tokens(text: str, limit: int = 60) -> list[str]:
    words = [w for w in _TOKEN_SPLIT.split(text[:400]) if w][:limit]
    out: list[str] = []
    for size in (3, 2, 1):
        out.extend(" ".join(words[i:i + size]) for i in range(len(words) - size + 1))
    return out


def _first_value(data: SnmpData, oids: Iterable[str]) -> tuple[str, str] | None:
    for text in oids:
        value = entity.clean(data.text(text))
        if value is None:
            value = next((entity.clean(as_text(v)) for _k, v in data.walk(text)), None)
        if value:
            return value, text
    return None


def _standard_model_candidates(data: SnmpData) -> list[tuple[str, Basis]]:
    """Model names in standard MIBs: 802.11 product name, printer and UPS model."""
    out: list[tuple[str, Basis]] = []
    found = _first_value(data, [DOT11_PRODUCT_NAME])
    if found:
        out.append((_clean_model(found[0]), Basis("snmp", "IEEE802dot11-MIB dot11manufacturerProductName", found[0])))
    # hrDevicePrinter rows name the printer's model, but only on a printer (Windows lists 'Print To PDF')
    types = data.column(HR_DEVICE_TYPE) if data.has(PRINTER_MIB) else {}
    for index, value in data.column(HR_DEVICE_DESCR).items():
        text = entity.clean(as_text(value))
        if text and types.get(index) == HR_DEVICE_PRINTER:
            out.append((_clean_model(text), Basis("snmp", "HOST-RESOURCES hrDeviceDescr (printer)", text)))
    for text_oid, name in ((PRT_GENERAL_PRINTER_NAME, "Printer-MIB prtGeneralPrinterName"),
                           (UPS_IDENT_MODEL, "UPS-MIB upsIdentModel")):
        found = _first_value(data, [text_oid])
        if found:
            out.append((_clean_model(found[0]), Basis("snmp", name, found[0])))
    return out


@dataclass
class _Evidence:
    scores: dict[Role, list[float]] = field(default_factory=lambda: defaultdict(list))
    basis: list[Basis] = field(default_factory=list)
    specific: set[Role] = field(default_factory=set)

    def add(self, role: Role | None, weight: float, basis: Basis, generic: bool = False) -> None:
        """One piece of evidence; ``generic`` = vendor-neutral (port counts, forwarding, LLDP ...)."""
        self.basis.append(basis)
        if role is not None and weight > 0:
            self.scores[role].append(weight)
            if not generic:
                self.specific.add(role)

    def ranked(self) -> list[tuple[Role, float]]:
        combined = []
        for role, weights in self.scores.items():
            p = 1.0
            for w in weights:
                p *= 1.0 - w
            combined.append((role, 1.0 - p))
        return sorted(combined, key=lambda item: item[1], reverse=True)


def _find_model(data: SnmpData, row: FingerprintRow | None, vendor: str | None, sys_object_id: str | None,
                sys_descr: str | None, ev: _Evidence, mib_model_oids: Iterable[str] = ()
                ) -> tuple[str | None, ModelRow | None, str]:
    """(model to report, catalog row, 'exact' | 'family' | 'none')."""
    table = models()
    explicit: list[tuple[str, Basis]] = []
    if row is not None:
        found = _first_value(data, row.model_oids)
        if found:
            value = _clean_model(row.model_from_oid_value(found[0]))
            explicit.append((value, Basis("snmp", f"model OID {found[1]}", found[0])))
    found = _first_value(data, mib_model_oids)
    if found:
        explicit.append((_clean_model(found[0]), Basis("snmp", f"model OID {found[1]}", found[0])))
    ent = [(_clean_model(v), Basis("snmp", f"ENTITY-MIB {where}", v)) for v, where in entity.model_candidates(data)]
    explicit.extend(e for e in ent if "ModelName" in e[1].key)
    if row is not None:
        extracted = row.extract("model", sys_descr)
        if extracted:
            explicit.append((_clean_model(extracted), Basis("snmp", "sysDescr.0 model_regex", extracted)))
    explicit.extend(_standard_model_candidates(data))
    explicit.extend((_clean_model(v), b) for v, b in model_sources.from_oids(data, vendor))
    explicit.extend((_clean_model(v), b) for v, b in model_sources.from_texts(data, vendor))
    explicit.extend(e for e in ent if "ModelName" not in e[1].key)
    parts = [(t, b) for value, b in explicit for t in _tokens(value) if t != value]
    tokens = [(t, Basis("snmp", "sysDescr.0 token", t)) for t in _tokens(sys_descr or "")]
    for source in (explicit, parts, tokens):
        for value, basis in source:
            hit = table.by_name(value, vendor)
            if hit is not None:
                ev.basis.append(basis)
                return (value if hit.series else hit.model or value), hit, "exact"
    hit = table.by_oid(sys_object_id)
    if hit is not None:
        ev.basis.append(Basis("snmp", "sysObjectID.0", sys_object_id or ""))
        return (explicit[0][0] if hit.series and explicit else hit.model), hit, "exact"
    # families only on values the device states as its model (never on free sysDescr words: host names)
    for source in (explicit, [(t, b) for t, b in parts if " " not in t]):
        for value, basis in source:
            hit = table.by_family(value, vendor)
            if hit is not None:
                ev.basis.append(basis)
                return value, hit, "family"
    if explicit:
        ev.basis.append(explicit[0][1])
        return explicit[0][0], None, "none"
    scanned = model_sources.scan(data, vendor)
    if scanned is not None:
        ev.basis.append(scanned[1])
        return scanned[0], None, "none"
    return None, None, "none"


def _ap_catalog_evidence(model: str, vendor: str | None, ev: _Evidence) -> None:
    """A model the AP catalog names (exact row or the vendor's family) but models.toml does not: an AP.

    Vendor-neutral naming rules ("AX1800", "-AC") are not role evidence: routers carry such names too.
    """
    from probes.wifi import catalog as ap_catalog

    match = ap_catalog.lookup(model, vendor=vendor)
    if match is None or not match.candidates or any(r.vendor == ap_catalog.ANY_VENDOR for r in match.candidates):
        return
    g = fingerprints().generic
    family = any(r.pattern for r in match.candidates)
    weight = g.ap_catalog_family if family else g.ap_catalog_exact
    ids = ", ".join(r.id for r in match.candidates)
    ev.add(Role.ACCESS_POINT, weight, Basis("catalog", f"access_points:{ids}",
                                            f"{model} is a catalogued access point ({weight:g})",
                                            match.candidates[0].source))


# --------------------------------------------------------------------------- generic signals


def _has_default_route(data: SnmpData) -> bool:
    if isinstance(data.get(IP_ROUTE_NEXT_HOP_DEFAULT), str):
        return True
    return data.has(IP_CIDR_ROUTE_DEFAULT) or data.has(INET_CIDR_ROUTE_DEFAULT)


def _generic(data: SnmpData, ifaces: tuple[Interface, ...], ev: _Evidence) -> None:
    g = fingerprints().generic
    phys = [i for i in ifaces if i.physical]
    bridge_ports = data.integer(DOT1D_BASE_NUM_PORTS)
    if bridge_ports is not None and bridge_ports >= g.bridge_switch_min_ports and len(phys) >= \
            g.bridge_switch_min_ports:
        ev.add(Role.SWITCH, g.bridge_switch,
               Basis("snmp", "BRIDGE-MIB dot1dBaseNumPorts.0", str(bridge_ports), f"{len(phys)} physical ports"),
               generic=True)
    if len(phys) >= g.many_ports_min:
        ev.add(Role.SWITCH, g.many_ports_switch,
               Basis("rule", "physical Ethernet ports", str(len(phys)), f">= {g.many_ports_min}"), generic=True)
    if data.integer(IP_FORWARDING) == 1 and _has_default_route(data):
        ev.add(Role.ROUTER, g.forwarding_default_route_router,
               Basis("snmp", "IP-MIB ipForwarding.0 + default route", "forwarding(1)"), generic=True)
    wan_re = re.compile(g.wan_name_pattern, re.IGNORECASE)
    wan = [i for i in ifaces if i.oper_up and (i.type in g.wan_if_types or wan_re.match(i.name))]
    if wan:
        ev.add(Role.ROUTER, g.wan_interface_router,
               Basis("snmp", "IF-MIB WAN interface (ifType/name)", wan[0].name, f"ifType {wan[0].type}"), generic=True)
    rules = interface_rules()
    radios = [i for i in ifaces
              if i.oper_up and (i.type == 71 or (not i.physical and rules.virtual_kind(i.name) == "radio"))]
    if radios and 0 < len(phys) <= g.radio_max_ethernet_ports and not data.has(PRINTER_MIB):  # Wi-Fi printers
        ev.add(Role.ACCESS_POINT, g.radio_few_ports_ap,
               Basis("snmp", "IF-MIB radio interfaces on a device with few Ethernet ports",
                     f"{radios[0].name} (+{len(radios) - 1}); {len(phys)} Ethernet"), generic=True)
    _supported, enabled = lldp.local_capabilities(data)
    if enabled:
        role = (Role.ROUTER if "router" in enabled else Role.ACCESS_POINT if "wlan-access-point" in enabled
                else Role.SWITCH if "bridge" in enabled else Role.OTHER if set(enabled) <= {"station", "other"}
                else None)
        ev.add(role, g.lldp_capability, Basis("snmp", "LLDP-MIB lldpLocSysCapEnabled.0", ",".join(enabled)),
               generic=True)
    services = data.integer(SYS_SERVICES)
    if services:
        role = Role.ROUTER if services & 4 and not services & 2 else Role.SWITCH if services & 2 and not \
            services & 4 else None
        ev.add(role, g.sys_services, Basis("snmp", "SNMPv2-MIB sysServices.0", str(services), "low weight"),
               generic=True)
    _host_resources(data, phys, ev)


def _host_resources(data: SnmpData, phys: list[Interface], ev: _Evidence) -> None:
    """A general-purpose host: HOST-RESOURCES lists processors and a disk, few NICs, no bridge, no printer."""
    g = fingerprints().generic
    types = list(data.column(HR_DEVICE_TYPE).values())
    if HR_DEVICE_DISK not in types or HR_DEVICE_PROCESSOR not in types or data.has(PRINTER_MIB):
        return
    if len(phys) > g.host_max_ethernet_ports or (data.integer(DOT1D_BASE_NUM_PORTS) or 0) >= g.bridge_switch_min_ports:
        return
    ev.add(Role.OTHER, g.host_resources_other,
           Basis("snmp", "HOST-RESOURCES hrDeviceTable", f"{types.count(HR_DEVICE_PROCESSOR)} processor(s) + disk",
                 f"{len(phys)} Ethernet port(s): a server/NAS-like host"), generic=True)


def _decide(ranked: list[tuple[Role, float]], ev: _Evidence) -> tuple[Role, float]:
    """Best role and confidence; ``unknown`` when the evidence is weak, or two weak roles tie.

    A role backed only by vendor-neutral signals (port counts, forwarding, LLDP, radios, HOST-RESOURCES)
    gets at most ``generic_confidence_cap``: a sensible guess, said to be one.
    """
    g = fingerprints().generic
    if not ranked:
        return Role.UNKNOWN, 0.0
    best_role, best = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best < g.unknown_below:
        ev.basis.append(Basis("rule", "role", "unknown", f"best evidence {best_role.value} {best:.2f} is too weak"))
        return Role.UNKNOWN, 0.0
    if best - runner_up < g.min_margin and best < g.tie_unknown_below:
        ev.basis.append(Basis("rule", "role", "unknown",
                              f"{best_role.value} {best:.2f} and {ranked[1][0].value} {runner_up:.2f} tie"))
        return Role.UNKNOWN, 0.0
    confidence = max(0.0, best - 0.5 * runner_up)
    if best_role not in ev.specific and confidence > g.generic_confidence_cap:
        confidence = g.generic_confidence_cap
        ev.basis.append(Basis("rule", "role confidence", f"{confidence:g}",
                              "only vendor-neutral evidence: capped (generic_confidence_cap)"))
    return best_role, round(confidence, 3)


# --------------------------------------------------------------------------- classify


def classify(ip: str, data: SnmpData) -> Classification:
    """Role, vendor, model, firmware, serial, port capability and their basis for one SNMP responder."""
    sys_descr = data.text(SYS_DESCR)
    sys_object_id = _norm_oid(data.text(SYS_OBJECT_ID))
    ev = _Evidence()
    if sys_object_id:
        ev.basis.append(Basis("snmp", "sysObjectID.0 (1.3.6.1.2.1.1.2.0)", sys_object_id))
    if sys_descr:
        ev.basis.append(Basis("snmp", "sysDescr.0 (1.3.6.1.2.1.1.1.0)", sys_descr[:200]))

    row = _match(sys_object_id, sys_descr, data)
    vendor = row.vendor if row else None
    if row is not None:
        ev.add(row.role, row.role_weight if row.role else 0.0, _fp_basis(row), generic=row.generic)

    mib_model_oids: list[str] = []
    for mib in fingerprints().mib:
        if data.has(mib.subtree):
            ev.add(mib.role, mib.weight, Basis("snmp", f"{mib.name} ({mib.subtree}) present", "yes",
                                               f"fingerprints.toml[mib]#{mib.id}"), generic=mib.generic)
            if vendor is None and mib.vendor:
                vendor = mib.vendor
            mib_model_oids.extend(mib.model_oids)
    chassis = entity.chassis(data)
    chassis_descr = chassis[0].descr if chassis else None
    factor = fingerprints().generic.entity_descr_hint_factor
    for hint in fingerprints().descr_hint:
        if hint.matches(sys_descr):
            ev.add(hint.role, hint.weight, Basis("catalog", f"fingerprints.toml[descr_hint]#{hint.id}",
                                                 f"sysDescr says {hint.role.value} ({hint.weight:g})", hint.source))
        elif factor and hint.matches(chassis_descr):
            weight = round(hint.weight * factor, 3)
            ev.add(hint.role, weight, Basis("catalog", f"fingerprints.toml[descr_hint]#{hint.id}",
                                            f"ENTITY chassis entPhysicalDescr says {hint.role.value} ({weight:g})",
                                            hint.source))

    model, model_row, kind = _find_model(data, row, vendor, sys_object_id, sys_descr, ev, mib_model_oids)
    if model_row is not None:
        vendor = vendor or model_row.vendor
        weight = _MODEL_WEIGHT[(kind, model_row.confidence)]
        ev.add(model_row.role, weight,
               Basis("catalog", f"models.toml#{model_row.id}",
                     f"{model} -> role {model_row.role.value} ({weight:g})", model_row.source))
    if vendor is None and model:
        vendor = model_sources.vendor_hint(data, model)
    if model_row is None and model:
        _ap_catalog_evidence(model, vendor, ev)

    ifaces = interfaces(data)
    _generic(data, ifaces, ev)

    ranked = ev.ranked()
    role, confidence = _decide(ranked, ev)

    firmware = serial = None
    if row is not None:
        found = _first_value(data, row.firmware_oids)
        firmware = found[0] if found else row.extract("firmware", sys_descr)
        found = _first_value(data, row.serial_oids)
        serial = found[0] if found else None
    if chassis:
        firmware = firmware or chassis[0].firmware_text
        serial = serial or chassis[0].serial

    capability: int | None = None
    if model_row is not None and model_row.port_capability_mbps:
        capability = model_row.port_capability_mbps
        ev.basis.append(Basis("catalog", f"models.toml#{model_row.id} port_capability_mbps", str(capability),
                              model_row.ports))
    seen, where = port_capability_hint_mbps(ifaces)
    if seen and (capability is None or seen > capability):
        capability = seen
        ev.basis.append(Basis("snmp", f"IF-MIB fastest physical port ({where})", str(seen),
                              "ifHighSpeed/ifSpeed of any physical port, or its name"))
    seen, where = entity.speed_hint_mbps(data)
    if seen and (capability is None or seen > capability):
        capability = seen
        ev.basis.append(Basis("snmp", f"ENTITY-MIB {where}", str(seen), "cage type named by the chassis/module"))
    negotiated = negotiated_max_mbps(ifaces)
    if negotiated:
        ev.basis.append(Basis("snmp", "IF-MIB max negotiated speed of up physical ports", str(negotiated)))

    return Classification(
        ip=ip,
        role=role,
        role_confidence=confidence,
        vendor=vendor,
        model=model,
        os_family=row.os_family if row else None,
        firmware=firmware,
        serial=serial,
        subrole=model_row.subrole if model_row else None,
        max_port_capability_mbps=capability,
        max_port_speed_mbps=negotiated,
        throughput_mbps=model_row.throughput_mbps if model_row else None,
        fingerprint_id=row.id if row else None,
        model_row_id=model_row.id if model_row else None,
        sys_descr=sys_descr,
        sys_object_id=sys_object_id,
        sys_name=data.text(SYS_NAME),
        sys_location=data.text(SYS_LOCATION),
        interfaces=ifaces,
        lldp_neighbors=lldp.neighbors(data, ifaces),
        scores=tuple((r.value, round(s, 3)) for r, s in ranked),
        basis=tuple(ev.basis),
    )


def to_device(c: Classification, **fields: Any) -> Device:
    """An :class:`agent.model.Device` from a classification; ``fields`` set the rest (mac, snmp_status ...)."""
    device = Device(
        ip=c.ip,
        vendor=c.vendor,
        model=c.model,
        firmware=c.firmware,
        serial=c.serial,
        os_family=c.os_family,
        sys_name=c.sys_name,
        sys_descr=c.sys_descr,
        sys_object_id=c.sys_object_id,
        sys_location=c.sys_location,
        role=c.role,
        role_confidence=c.role_confidence,
        basis=c.basis,
        interfaces=c.interfaces,
        max_port_speed_mbps=c.max_port_speed_mbps,
        max_port_capability_mbps=c.max_port_capability_mbps,
        throughput_mbps=c.throughput_mbps,
        lldp_neighbors=c.lldp_neighbors,
    )
    return dataclasses.replace(device, **fields) if fields else device
