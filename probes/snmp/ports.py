"""IF-MIB interfaces -> :class:`agent.model.Interface`, with physical-Ethernet detection and sane speeds.

Rules are data (``config/catalog/interfaces.toml``): a port is physical Ethernet when its ifType is an
Ethernet type and its name is not a radio/VAP, bridge, LAG, VLAN, tunnel, loopback, CPU or management
interface. Speed is ifHighSpeed (Mbit/s), else ifSpeed / 10^6, normalised:

- ifSpeed 4 294 967 295 (the Gauge32 ceiling) means "faster than 4 Gbit/s, see ifHighSpeed" -> unknown;
- an ifHighSpeed >= 1 000 000 is bit/s written in the Mbit/s column -> divided by 10^6;
- 0 (common on up ports of APs and some switches) -> unknown, never "0 Mbit/s";
- on physical ports a value is snapped to the nearest Ethernet rate within a tolerance
  (1 048 Mbit/s -> 1000); a value near no Ethernet rate (1410, 4293) is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable

from agent.model import Interface
from probes.catalog import InterfaceRules, interface_rules
from probes.snmp.data import Oid, SnmpData, Value, as_text

IF_DESCR = "1.3.6.1.2.1.2.2.1.2"
IF_TYPE = "1.3.6.1.2.1.2.2.1.3"
IF_SPEED = "1.3.6.1.2.1.2.2.1.5"
IF_PHYS_ADDRESS = "1.3.6.1.2.1.2.2.1.6"
IF_ADMIN_STATUS = "1.3.6.1.2.1.2.2.1.7"
IF_OPER_STATUS = "1.3.6.1.2.1.2.2.1.8"
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
IF_HIGH_SPEED = "1.3.6.1.2.1.31.1.1.1.15"
IF_ALIAS = "1.3.6.1.2.1.31.1.1.1.18"

#: IF-MIB columns the inspection must walk for :func:`interfaces`.
IF_COLUMNS = (
    IF_DESCR,
    IF_TYPE,
    IF_SPEED,
    IF_PHYS_ADDRESS,
    IF_ADMIN_STATUS,
    IF_OPER_STATUS,
    IF_NAME,
    IF_HIGH_SPEED,
    IF_ALIAS,
)

_GAUGE_MAX = 4294967295


def mac_text(value: Value) -> str | None:
    """A 6-byte OCTET STRING (bytes, or text that decoded from bytes) as aa:bb:cc:dd:ee:ff."""
    if isinstance(value, str):
        raw = value.encode("latin-1", errors="ignore")
        if len(raw) != 6:
            return value.lower() if value.count(":") == 5 else None
    elif isinstance(value, bytes):
        raw = value
    else:
        return None
    if len(raw) != 6 or not any(raw):
        return None
    return ":".join(f"{b:02x}" for b in raw)


def raw_speed_mbps(high_speed: Value, speed: Value) -> float | None:
    """The speed a row reports in Mbit/s, before snapping (None when it reports nothing usable)."""
    if isinstance(high_speed, int) and high_speed > 0:
        return high_speed / 1e6 if high_speed >= 1_000_000 else float(high_speed)
    if isinstance(speed, int) and 0 < speed < _GAUGE_MAX:
        return speed / 1e6
    return None


def snap_speed(mbps: float | None, rules: InterfaceRules | None = None) -> int | None:
    """Snap to the nearest Ethernet rate within the tolerance; None when near none (1410 -> None)."""
    if mbps is None or mbps <= 0:
        return None
    rules = rules or interface_rules()
    best = min(rules.ethernet_speeds_mbps, key=lambda rate: abs(rate - mbps))
    if abs(best - mbps) <= best * rules.snap_tolerance:
        return best
    return None


def is_physical(if_type: int | None, name: str, rules: InterfaceRules | None = None) -> bool:
    rules = rules or interface_rules()
    return if_type in rules.physical_if_types and rules.virtual_kind(name.strip()) is None


def _status(value: Value) -> bool | None:
    if not isinstance(value, int):
        return None
    return value == 1


def interfaces(data: SnmpData) -> tuple[Interface, ...]:
    """Every IF-MIB interface the device listed, in ifIndex order."""
    rules = interface_rules()
    columns = {col: data.column(col) for col in IF_COLUMNS}
    indexes: set[Oid] = set()
    for col in (IF_DESCR, IF_TYPE, IF_NAME, IF_OPER_STATUS):
        indexes.update(columns[col])
    result = []
    for index in sorted(indexes):
        if len(index) != 1:
            continue
        name = as_text(columns[IF_NAME].get(index)) or as_text(columns[IF_DESCR].get(index)) or f"if{index[0]}"
        if_type = columns[IF_TYPE].get(index)
        if_type = if_type if isinstance(if_type, int) else None
        physical = is_physical(if_type, name, rules)
        raw = raw_speed_mbps(columns[IF_HIGH_SPEED].get(index), columns[IF_SPEED].get(index))
        if physical:
            speed = snap_speed(raw, rules)
        else:
            speed = round(raw) if raw is not None and raw <= rules.max_mbps else None
        result.append(
            Interface(
                index=index[0],
                name=name,
                type=if_type,
                oper_up=_status(columns[IF_OPER_STATUS].get(index)),
                admin_up=_status(columns[IF_ADMIN_STATUS].get(index)),
                speed_mbps=speed or None,
                physical=physical,
                mac=mac_text(columns[IF_PHYS_ADDRESS].get(index)),
                alias=as_text(columns[IF_ALIAS].get(index)) or "",
            )
        )
    return tuple(result)


def negotiated_max_mbps(ifaces: Iterable[Interface]) -> int | None:
    """The fastest negotiated speed over up, physical Ethernet ports (None when none reports one)."""
    speeds = [i.speed_mbps for i in ifaces if i.physical and i.oper_up and i.speed_mbps]
    return max(speeds) if speeds else None


def port_capability_hint_mbps(ifaces: Iterable[Interface]) -> tuple[int | None, str | None]:
    """The fastest rate any physical port shows (any status) or its name implies ('Te1/1/1' -> 10000).

    Returns (Mbit/s, the interface that showed it). Down ports often report the rate they are able to do
    (or configured for); name hints cover ports that report no speed at all.
    """
    rules = interface_rules()
    best: tuple[int | None, str | None] = (None, None)
    for iface in ifaces:
        if not iface.physical:
            continue
        candidates = [iface.speed_mbps or 0]
        for hint in rules.speed_hints:
            if hint.matches(iface.name):
                candidates.append(hint.mbps)
                break
        value = max(candidates)
        if value and (best[0] is None or value > best[0]):
            best = (value, iface.name)
    return best
