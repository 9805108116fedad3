"""classify() turns odd data into an answer, never an exception (wrong types, junk, empty tables)."""

from __future__ import annotations

import random
from typing import Any

import pytest

from agent.model import Role
from probes.classify import classify
from probes.snmp.data import SnmpData, Value


def _scramble(data: SnmpData, seed: int) -> SnmpData:
    rnd = random.Random(seed)
    odd: list[Value] = [None, -1, 0, 2**64, b"\xff\xfe\x00", "", "0x0029", "1.3.6.1.4.1", "\x00\x01", 4294967295]
    out = SnmpData()
    for key, value in data.values.items():
        out.set(key, rnd.choice(odd) if rnd.random() < 0.5 else value)
    return out


@pytest.mark.parametrize("name", ["arubaos-cx_10.07", "routeros_rb760igs", "nxos_n3k-3064pq", "ciscosb",
                                  "unifi_unifi", "epmp_epmp-ap-connected-sta"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_scrambled_values_do_not_break_classification(snmp: Any, name: str, seed: int) -> None:
    c = classify("192.0.2.1", _scramble(snmp(name), seed))
    assert isinstance(c.role, Role) and 0.0 <= c.role_confidence <= 1.0
    assert c.interfaces, "scrambled values must not lose the interface table"
    assert all(i.speed_mbps is None or i.speed_mbps > 0 for i in c.interfaces)


def test_sys_object_id_as_junk_text() -> None:
    data = SnmpData()
    data.set((1, 3, 6, 1, 2, 1, 1, 2, 0), "not an oid")
    data.set((1, 3, 6, 1, 2, 1, 1, 1, 0), b"\xc3\x28 binary descr")
    c = classify("192.0.2.1", data)
    assert c.role is Role.UNKNOWN and c.sys_object_id is None
