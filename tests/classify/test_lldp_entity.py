"""LLDP/CDP neighbour tables and ENTITY-MIB chassis data from real recordings."""

from __future__ import annotations

from typing import Any

import pytest

from probes.snmp import entity
from probes.snmp.lldp import capability_names, neighbors
from probes.snmp.ports import interfaces
from probes.snmp.snmprec import load

from .conftest import LAB_RECORDINGS


def test_capability_bits() -> None:
    assert capability_names(b"\x28\x00") == ("bridge", "router")
    assert capability_names(b"\x10") == ("wlan-access-point",)
    assert capability_names("28 2 4") == ("bridge", "router")      # net-snmp display form kept in recordings
    assert capability_names(None) == ()


def test_lldp_neighbours_with_capabilities_and_names(snmp: Any) -> None:
    data = snmp("routeros_rb760igs")
    found = neighbors(data, interfaces(data))
    assert len(found) == 9
    switch = next(n for n in found if n.remote_system_name == "peca-sw02")
    assert switch.protocol == "lldp" and switch.enabled_capabilities == ("bridge", "router")
    assert switch.remote_port == "gigabitEthernet 1/0/1"
    assert switch.remote_system_description.startswith("JetStream")


def test_lldp_management_address_and_local_port_speed(snmp: Any) -> None:
    data = snmp("ciscosb_c1200-8t-e-2g")
    (n,) = neighbors(data, interfaces(data))
    assert n.remote_mgmt_address == "192.168.0.5"
    aruba = snmp("arubaos-cx_10.07")
    aps = [n for n in neighbors(aruba, interfaces(aruba)) if "wlan-access-point" in n.enabled_capabilities]
    assert aps and aps[0].local_port == "1/1/1" and aps[0].local_port_speed_mbps == 1000


def test_cdp_neighbours(snmp: Any) -> None:
    data = snmp("nxos_n3k-3064pq")
    cdp = [n for n in neighbors(data, interfaces(data)) if n.protocol == "cdp"]
    assert len(cdp) == 2
    uplink = next(n for n in cdp if n.local_port == "Ethernet1/49")
    assert uplink.remote_port == "Ethernet1/49" and "router" in uplink.capabilities
    assert uplink.local_port_speed_mbps == 40000 and "N3K-C3064PQ" in uplink.remote_system_description


def test_entity_chassis_model_serial_and_junk(snmp: Any) -> None:
    (fgt,) = entity.chassis(snmp("fortigate_100e"))
    assert "FGT_100E" in (fgt.descr or "")
    procurve = entity.chassis(snmp("procurve"))
    assert procurve[0].model == "JL074A"
    routeros = entity.chassis(snmp("routeros_rb760igs"))
    assert routeros and all(c.model is None for c in routeros)   # '0x0002' is junk
    assert entity.clean("0x0029") is None and entity.clean("N/A") is None and entity.clean(" S4128F-ON ")
    assert entity.ports(snmp("dell-os10"))


def test_entity_names_the_uplink_cage(snmp: Any) -> None:
    assert entity.speed_hint_mbps(snmp("procurve"))[0] == 10000          # 'JL083A 4SFP+ Module'
    assert entity.speed_hint_mbps(snmp("dell-os10"))[0] == 100000        # '28x10GbE, 2x100GbE QSFP28'
    assert entity.speed_hint_mbps(snmp("fortigate_100e"))[0] is None     # 'Ethernet Port' says nothing


def test_local_port_resolves_through_the_bridge_port_map() -> None:
    path = LAB_RECORDINGS / "switch.snmprec"
    if not path.exists():
        pytest.skip("lab switch recording not built")
    data = load(path)
    found = {n.remote_system_name: n for n in neighbors(data, interfaces(data))}
    ap = found["ap-thu-vien"]                           # lldpLocPortNum 9 -> dot1dBasePortIfIndex 49161
    assert (ap.local_port, ap.local_port_speed_mbps, ap.remote_mgmt_address) == ("Gi1/0/9", 1000, "10.66.0.11")
    assert "wlan-access-point" in ap.enabled_capabilities


def test_local_port_by_name_or_if_index(snmp: Any) -> None:
    gs = snmp("zynos_gs1900-fdb")
    assert neighbors(gs, interfaces(gs))[0].local_port == "GigabitEthernet2"
    ex = snmp("junos_ex4600mp")
    assert {n.local_port for n in neighbors(ex, interfaces(ex))} == {"et-1/2/0", "et-0/2/0"}
