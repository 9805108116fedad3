"""Build synthetic SnmpData for classifier tests: system group, IF-MIB rows and a few standard scalars.

Project-written test data (no recording): each helper fills only what a real agent of that kind answers.
"""

from __future__ import annotations

from collections.abc import Iterable

from probes.snmp.data import SnmpData, Value, oid

Port = tuple[str, int, int, bool]  # (ifName, ifType, ifHighSpeed Mbit/s, oper up)

LLDP_BITS = {"bridge": 0x20, "wlan-access-point": 0x10, "router": 0x08, "station": 0x01}
HR_PROCESSOR = "1.3.6.1.2.1.25.3.1.3"
HR_NETWORK = "1.3.6.1.2.1.25.3.1.4"
HR_DISK = "1.3.6.1.2.1.25.3.1.6"


def ethernet(prefix: str, count: int, speed: int = 1000, up: int | None = None, start: int = 1) -> list[Port]:
    """``count`` Ethernet ports named prefix+N; the first ``up`` (default: all) are up."""
    up = count if up is None else up
    return [(f"{prefix}{start + i}", 6, speed, i < up) for i in range(count)]


def device(sys_object_id: str | None = None, sys_descr: str | None = None, *, ports: Iterable[Port] = (),
           bridge_ports: int | None = None, forwarding: int | None = None, default_route: bool = False,
           lldp: Iterable[str] = (), services: int | None = None, hr_devices: Iterable[str] = (),
           extra: dict[str, Value] | None = None) -> SnmpData:
    data = SnmpData()

    def put(text: str, value: Value) -> None:
        data.set(oid(text), value)

    if sys_descr is not None:
        put("1.3.6.1.2.1.1.1.0", sys_descr)
    if sys_object_id is not None:
        put("1.3.6.1.2.1.1.2.0", sys_object_id)
    put("1.3.6.1.2.1.1.3.0", 123456)
    put("1.3.6.1.2.1.1.5.0", "device-under-test")
    if services is not None:
        put("1.3.6.1.2.1.1.7.0", services)
    for index, (name, if_type, speed, up) in enumerate(ports, start=1):
        put(f"1.3.6.1.2.1.2.2.1.1.{index}", index)
        put(f"1.3.6.1.2.1.2.2.1.2.{index}", name)
        put(f"1.3.6.1.2.1.2.2.1.3.{index}", if_type)
        put(f"1.3.6.1.2.1.2.2.1.5.{index}", min(speed * 1_000_000, 4_294_967_295))
        put(f"1.3.6.1.2.1.2.2.1.7.{index}", 1)
        put(f"1.3.6.1.2.1.2.2.1.8.{index}", 1 if up else 2)
        put(f"1.3.6.1.2.1.31.1.1.1.1.{index}", name)
        put(f"1.3.6.1.2.1.31.1.1.1.15.{index}", speed)
    if bridge_ports is not None:
        put("1.3.6.1.2.1.17.1.2.0", bridge_ports)
    if forwarding is not None:
        put("1.3.6.1.2.1.4.1.0", forwarding)
    if default_route:
        put("1.3.6.1.2.1.4.21.1.7.0.0.0.0", "192.0.2.254")
    bits = 0
    for name in lldp:
        bits |= LLDP_BITS[name]
    if bits:
        put("1.0.8802.1.1.2.1.3.5.0", bytes([bits, 0]))
        put("1.0.8802.1.1.2.1.3.6.0", bytes([bits, 0]))
    for index, kind in enumerate(hr_devices, start=1):
        put(f"1.3.6.1.2.1.25.3.2.1.2.{index}", kind)
        put(f"1.3.6.1.2.1.25.3.2.1.3.{index}", f"device {index}")
    for key, value in (extra or {}).items():
        put(key, value)
    return data
