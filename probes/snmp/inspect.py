"""Inspect one SNMP device: read the subtrees the classifiers need into :class:`SnmpData`.

What is read (numeric OIDs; table columns are walked side by side in one GETBULK):

* system group (GET); IF-MIB ifTable (descr, type, speed, MAC, admin/oper status) and ifXTable
  (name, high speed, alias); ENTITY-MIB entPhysicalTable (descr, class, name, revisions, serial, model);
* BRIDGE-MIB dot1dBase scalars and port -> ifIndex; IP-MIB ipForwarding, ipAdEntIfIndex (own addresses) and the
  default route from ipRouteTable, ipCidrRouteTable and inetCidrRouteTable (only the 0.0.0.0/0 rows:
  a router's full table can hold a million routes);
* LLDP-MIB local system data and remote systems (with management addresses), CISCO-CDP-MIB cache;
* IEEE802dot11-MIB product/PHY/channel, HOST-RESOURCES hrDeviceType, Printer-MIB general printer;
* the vendor subtrees that the fingerprint (``probes.classify.fingerprint``) asks for, and one GETNEXT per
  subtree whose presence is evidence (the catalog's ``[[mib]]`` rows);
* the Wi-Fi radio tables of ``config/catalog/wifi_mibs.toml``: one GETNEXT each, then the tables that answer.

Every walk runs under the device's time budget; faults end as ``errors`` on the result.
"""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from probes.snmp.client import Session, SnmpClient, WalkResult
from probes.snmp.data import Oid, SnmpData, Value, oid


@dataclass(frozen=True)
class Subtree:
    """A named group of OID roots walked side by side (table columns of one table, usually)."""

    name: str
    roots: tuple[Oid, ...]


def _cols(base: str, columns: Iterable[int]) -> tuple[Oid, ...]:
    return tuple(oid(f"{base}.{c}") for c in columns)


SYS_DESCR = oid("1.3.6.1.2.1.1.1.0")
SYS_OBJECT_ID = oid("1.3.6.1.2.1.1.2.0")
SYS_UPTIME = oid("1.3.6.1.2.1.1.3.0")
SYS_CONTACT = oid("1.3.6.1.2.1.1.4.0")
SYS_NAME = oid("1.3.6.1.2.1.1.5.0")
SYS_LOCATION = oid("1.3.6.1.2.1.1.6.0")
SYS_SERVICES = oid("1.3.6.1.2.1.1.7.0")

SWEEP_OIDS: tuple[Oid, ...] = (SYS_DESCR, SYS_OBJECT_ID, SYS_UPTIME, SYS_NAME, SYS_SERVICES)

_DEFAULT_ROUTE_INDEX = ".0.0.0.0"
STANDARD_GETS: tuple[Oid, ...] = (
    SYS_CONTACT,
    SYS_LOCATION,
    oid("1.3.6.1.2.1.2.1.0"),  # ifNumber
    oid("1.3.6.1.2.1.4.1.0"),  # ipForwarding
    oid("1.3.6.1.2.1.4.21.1.2" + _DEFAULT_ROUTE_INDEX),  # ipRouteIfIndex.0.0.0.0
    oid("1.3.6.1.2.1.4.21.1.7" + _DEFAULT_ROUTE_INDEX),  # ipRouteNextHop.0.0.0.0
    oid("1.3.6.1.2.1.4.21.1.8" + _DEFAULT_ROUTE_INDEX),  # ipRouteType.0.0.0.0
    oid("1.3.6.1.2.1.17.1.1.0"),  # dot1dBaseBridgeAddress
    oid("1.3.6.1.2.1.17.1.2.0"),  # dot1dBaseNumPorts
    oid("1.3.6.1.2.1.17.1.3.0"),  # dot1dBaseType
    oid("1.0.8802.1.1.2.1.3.2.0"),  # lldpLocChassisId
)

# The columns each parser reads are added from the parsers themselves (see standard_plan): these are the
# ones this module knows are needed; only what is read is walked (every variable costs decoding time).
STANDARD_WALKS: tuple[Subtree, ...] = (
    Subtree(
        "interfaces",
        (
            *_cols("1.3.6.1.2.1.2.2.1", (2, 3, 5, 6, 7, 8)),  # ifDescr ifType ifSpeed ifPhysAddress admin oper
            *_cols("1.3.6.1.2.1.31.1.1.1", (1, 15, 18)),  # ifName ifHighSpeed ifAlias
        ),
    ),
    Subtree("entity", _cols("1.3.6.1.2.1.47.1.1.1.1", (2, 5, 7, 8, 9, 10, 11, 12, 13))),  # descr .. model name
    Subtree(
        "ip",
        (
            oid("1.3.6.1.2.1.17.1.4.1.2"),  # dot1dBasePortIfIndex: bridge port -> ifIndex
            oid("1.3.6.1.2.1.4.20.1.2"),  # ipAdEntIfIndex: own IPv4 addresses
            oid("1.3.6.1.2.1.4.24.4.1.4.0.0.0.0.0.0.0.0"),  # ipCidrRouteNextHop, 0.0.0.0/0 rows
            oid("1.3.6.1.2.1.4.24.4.1.5.0.0.0.0.0.0.0.0"),  # ipCidrRouteIfIndex, 0.0.0.0/0 rows
            oid("1.3.6.1.2.1.4.24.7.1.7.1.4.0.0.0.0.0"),  # inetCidrRouteIfIndex, ipv4 0.0.0.0/0 rows
        ),
    ),
    Subtree("lldp", (oid("1.0.8802.1.1.2.1.3"), oid("1.0.8802.1.1.2.1.4"))),  # local system, remote systems
    Subtree("cdp", (oid("1.3.6.1.4.1.9.9.23.1.2.1"),)),  # cdpCacheTable
    Subtree(
        "host",
        (
            oid("1.3.6.1.2.1.25.3.2.1.2"),  # hrDeviceType (hrDevicePrinter, hrDeviceNetwork ...)
            oid("1.3.6.1.2.1.25.3.2.1.3"),  # hrDeviceDescr
            oid("1.3.6.1.2.1.43.5.1.1"),  # Printer-MIB prtGeneralTable
        ),
    ),
)

PARALLEL_WALKS = 4  # walks in flight to one device at once

_OID_TEXT = re.compile(r"^\d+(\.\d+)+$")
# objects whose SMI type the classifiers rely on: name -> (OID, column?, expected kind)
EXPECTED_TYPES: tuple[tuple[str, Oid, bool, str], ...] = (
    ("sysDescr", SYS_DESCR, False, "text"),
    ("sysObjectID", SYS_OBJECT_ID, False, "oid"),
    ("sysUpTime", SYS_UPTIME, False, "int"),
    ("sysServices", SYS_SERVICES, False, "int"),
    ("ifType", oid("1.3.6.1.2.1.2.2.1.3"), True, "int"),
    ("ifSpeed", oid("1.3.6.1.2.1.2.2.1.5"), True, "int"),
    ("ifAdminStatus", oid("1.3.6.1.2.1.2.2.1.7"), True, "int"),
    ("ifOperStatus", oid("1.3.6.1.2.1.2.2.1.8"), True, "int"),
    ("ifName", oid("1.3.6.1.2.1.31.1.1.1.1"), True, "text"),
    ("ifHighSpeed", oid("1.3.6.1.2.1.31.1.1.1.15"), True, "int"),
    ("entPhysicalClass", oid("1.3.6.1.2.1.47.1.1.1.1.5"), True, "int"),
    ("entPhysicalModelName", oid("1.3.6.1.2.1.47.1.1.1.1.13"), True, "text"),
)


def _kind_ok(value: Value, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int)
    if kind == "oid":
        return isinstance(value, str) and bool(_OID_TEXT.match(value))
    return isinstance(value, (str, bytes))


def wrong_types(data: SnmpData) -> list[str]:
    """Objects that came back with the wrong SMI type (kept as data, but reported)."""
    out = []
    for name, key, column, kind in EXPECTED_TYPES:
        values = [v for _k, v in data.walk(key)] if column else ([data.get(key)] if key in data.values else [])
        bad = [v for v in values if v is not None and not _kind_ok(v, kind)]
        if bad:
            out.append(
                f"wrong value type for {name} ({len(bad)} of {len(values)}): expected {kind}, got "
                f"{type(bad[0]).__name__} {str(bad[0])[:40]!r}"
            )
    return out


def _covered(root: Oid, others: Iterable[Oid]) -> bool:
    return any(o != root and root[: len(o)] == o for o in others)


@functools.cache
def standard_plan() -> tuple[Subtree, ...]:
    """The standard walks plus every column/subtree the parsers declare they read (ports, entity, LLDP/CDP)."""
    from probes.snmp import entity, lldp, ports

    declared = {
        "interfaces": tuple(getattr(ports, "IF_COLUMNS", ())),
        "entity": tuple(getattr(entity, "ENTITY_COLUMNS", ())),
        "lldp": tuple(getattr(lldp, "LLDP_SUBTREES", ())),
        "cdp": tuple(getattr(lldp, "CDP_SUBTREES", ())),
    }
    plan = []
    everywhere = {r for sub in STANDARD_WALKS for r in sub.roots}
    for sub in STANDARD_WALKS:
        roots = list(sub.roots)
        for extra in declared.get(sub.name, ()):
            key = oid(extra) if isinstance(extra, str) else tuple(extra)
            if key not in roots and key not in everywhere:
                roots.append(key)
                everywhere.add(key)
        plan.append(Subtree(sub.name, tuple(r for r in roots if not _covered(r, roots))))
    # whatever else the classifier says it reads on every device
    from probes import classify

    mine = [r for sub in plan for r in sub.roots]
    scalars = set(STANDARD_GETS) | set(SWEEP_OIDS)
    more = []
    for text in getattr(classify, "BASE_SUBTREES", ()):
        key = oid(text)
        if key == (1, 3, 6, 1, 2, 1, 1) or (*key, 0) in scalars or key in scalars:
            continue  # the system group and single objects are read by GET
        if key not in mine and not _covered(key, mine) and key not in more:
            more.append(key)
    if more:
        plan.append(Subtree("classifier", tuple(more)))
    return tuple(plan)


@dataclass
class Inspection:
    """What one device said, and what went wrong while asking."""

    data: SnmpData
    complete: bool = True
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0
    timed_out: bool = False
    outcome: str = "ok"  # of the first GET: ok, timeout, auth, error


def extra_subtrees(sys_object_id: str | None, sys_descr: str | None) -> tuple[list[Subtree], list[Oid]]:
    """Vendor subtrees to walk and single objects to GET that the fingerprint asks for."""
    from probes.classify import fingerprint

    hint: Any = fingerprint(sys_object_id or "", sys_descr or "")
    walks, gets = _hint_oids(hint)
    asked = list(gets)
    # vendor model OIDs of config/catalog/model_sources.toml (all of them for an unrecognised device, else the
    # fingerprinted vendor's and the vendor-neutral ones): scalars by GET, columns by walking
    from probes.model_sources import LLDP_LOC_SYS_DESC, model_oids

    for text in (*model_oids(getattr(hint, "vendor", None)), LLDP_LOC_SYS_DESC):
        key = oid(text)
        target = gets if text.endswith(".0") else walks
        if key not in target and not any(key[: len(w)] == w for w in walks):
            target.append(key)
    # an OID asked for by GET may also be a table column (model per stack member): walk it too
    return [Subtree("vendor", (root,)) for root in walks + [g for g in asked if g not in walks]], gets


def _roots(hint: Any) -> list[Oid]:
    """OID roots from a fingerprint answer (an object with ``walk``/``subtrees``, or an iterable of OIDs)."""
    if hint is None:
        return []
    for attr in ("walk", "subtrees", "extra_subtrees", "oids"):
        if hasattr(hint, attr):
            hint = getattr(hint, attr)
            break
    out: list[Oid] = []
    if isinstance(hint, str) or (isinstance(hint, tuple) and hint and isinstance(hint[0], int)):
        hint = [hint]
    for item in hint or ():
        root = oid(item) if isinstance(item, str) else tuple(int(x) for x in item)
        if len(root) >= 2 and root not in out:
            out.append(root)
    return out


async def inspect_session(
    client: SnmpClient,
    session: Session,
    *,
    known: dict[Oid, Value] | None = None,
    budget_s: float = 60.0,
    plan: Sequence[Subtree] | None = None,
    extras: bool = True,
) -> Inspection:
    """Read everything the classifiers need from one device within ``budget_s`` seconds."""
    started = time.monotonic()
    deadline = started + budget_s
    data = SnmpData()
    if known:
        data.update(known)
    result = Inspection(data)
    gets = list(STANDARD_GETS)
    if not known or SYS_OBJECT_ID not in known:
        gets = list(SWEEP_OIDS) + gets
    got = await client.get(session, gets)
    result.requests += 1
    result.outcome = got.outcome
    if got.outcome != "ok":
        result.errors.append(f"GET failed: {got.error}")
        result.complete = False
        result.timed_out = got.outcome == "timeout"
        if not known:
            result.seconds = time.monotonic() - started
            return result
    data.update(got.values)

    subtrees = list(standard_plan() if plan is None else plan)
    if extras:
        try:
            vendor_walks, vendor_gets = extra_subtrees(data.text(SYS_OBJECT_ID), data.text(SYS_DESCR))
            subtrees += vendor_walks
            if vendor_gets:
                got = await client.get(session, vendor_gets)
                result.requests += 1
                data.update(got.values)
        except Exception as exc:  # a fault in the fingerprint must not lose the device
            result.errors.append(f"fingerprint failed: {type(exc).__name__}: {exc}")
        try:
            probes = presence_roots()
        except Exception as exc:
            result.errors.append(f"catalog [[mib]] rows unreadable: {type(exc).__name__}: {exc}")
            probes = []
        if probes:
            first = await client.walk(session, probes, deadline=deadline, first_only=True)
            data.update(first.values)
            result.requests += first.requests
    gate = asyncio.Semaphore(PARALLEL_WALKS)

    async def one(sub: Subtree) -> WalkResult:
        async with gate:
            return await client.walk(session, sub.roots, deadline=deadline)

    async def radios() -> WalkResult:
        async with gate:
            await _read_radio_tables(client, session, deadline, result)
        return WalkResult()

    walks = await asyncio.gather(*(one(sub) for sub in subtrees), *([radios()] if extras else []))
    for walked in walks:
        data.update(walked.values)
        result.requests += walked.requests
        result.errors.extend(walked.errors)
        result.complete = result.complete and walked.complete
    mistyped = wrong_types(data)
    if mistyped:
        result.errors.extend(mistyped)
        result.complete = False
    result.timed_out = result.timed_out or session.dead
    result.seconds = time.monotonic() - started
    return result


def presence_roots() -> list[Oid]:
    """Subtrees whose mere presence is evidence for a role (the catalog's [[mib]] rows): one GETNEXT each."""
    from probes.catalog import fingerprints

    roots: list[Oid] = []
    for row in fingerprints().mib:
        root = oid(row.subtree)
        if root not in roots:
            roots.append(root)
    return roots


def radio_tables() -> list[tuple[list[Oid], list[Oid]]]:
    """Per Wi-Fi radio table of the catalog (``wifi_mibs.toml``): (its columns, its scalars to GET)."""
    from probes.wifi.snmp_radios import load_tables

    def columns(spec: Any) -> list[Oid]:
        found: list[Oid] = []
        if isinstance(spec, dict):
            for key, value in spec.items():
                if key == "oid" and isinstance(value, str):
                    found.append(oid(value))
                else:
                    found += columns(value)
        return found

    out = []
    for table in load_tables():
        cols = list(dict.fromkeys(columns({k: v for k, v in table.items() if k != "model_oid"})))
        scalars = [oid(table["model_oid"])] if isinstance(table.get("model_oid"), str) else []
        if cols or scalars:
            out.append((cols, scalars))
    return out


async def _read_radio_tables(client: SnmpClient, session: Session, deadline: float, result: Inspection) -> None:
    """Which radio tables answer (one GETNEXT per table, all in one request), then walk those in full."""
    try:
        tables = radio_tables()
    except Exception as exc:
        result.errors.append(f"Wi-Fi MIB catalog unreadable: {type(exc).__name__}: {exc}")
        return
    firsts = [cols[0] for cols, _ in tables if cols]
    probe = await client.walk(session, firsts, deadline=deadline, first_only=True)
    result.requests += probe.requests
    result.data.update(probe.values)
    present = {r for r in firsts if any(k[: len(r)] == r for k in probe.values)}
    walk = [c for cols, _ in tables if cols and cols[0] in present for c in cols]
    scalars = [s for cols, scal in tables for s in scal if not cols or cols[0] in present]
    if scalars:
        got = await client.get(session, scalars)
        result.requests += 1
        result.data.update(got.values)
    if walk:
        walked = await client.walk(session, list(dict.fromkeys(walk)), deadline=deadline)
        result.requests += walked.requests
        result.data.update(walked.values)
        result.errors.extend(walked.errors)
        result.complete = result.complete and walked.complete


def _hint_oids(hint: Any) -> tuple[list[Oid], list[Oid]]:
    """(subtrees to walk, single objects to GET) from a fingerprint answer."""
    walks = _roots(hint)
    gets: list[Oid] = []
    for attr in ("model_oids", "firmware_oids", "serial_oids", "requires"):
        for item in getattr(hint, attr, ()) or ():
            key = oid(item) if isinstance(item, str) else tuple(item)
            if len(key) >= 2 and key not in gets:
                gets.append(key)
    return walks, gets
