"""Physical-port detection and speed normalisation on the real recordings' traps (README 'Traps')."""

from __future__ import annotations

from typing import Any

import pytest

from agent.model import Interface
from probes.snmp.ports import (
    interfaces,
    is_physical,
    negotiated_max_mbps,
    port_capability_hint_mbps,
    raw_speed_mbps,
    snap_speed,
)


def _by_name(ifaces: tuple[Interface, ...]) -> dict[str, Interface]:
    return {i.name: i for i in ifaces}


def test_speed_normalisation_rules() -> None:
    assert raw_speed_mbps(1000, None) == 1000
    assert raw_speed_mbps(1_000_000_000, None) == 1000          # bit/s in the Mbit/s column (ePMP)
    assert raw_speed_mbps(0, 100_000_000) == 100                # ifHighSpeed 0 -> ifSpeed
    assert raw_speed_mbps(None, 4294967295) is None             # Gauge32 ceiling = "see ifHighSpeed"
    assert raw_speed_mbps(0, 0) is None                         # 0 on an up port is unknown, not 0
    assert snap_speed(1048.576) == 1000                         # DrayTek 1 048 576 000 bit/s
    assert snap_speed(1410) is None                             # Grandstream: near no Ethernet rate
    assert snap_speed(4293.967296) is None                      # ePMP 4 293 967 296 written as bit/s
    assert snap_speed(2500) == 2500


@pytest.mark.parametrize("if_type,name,physical", [
    (6, "GigabitEthernet0/0/1", True), (6, "ether1", True), (117, "1/1/49", True), (7, "NC-6800h", True),
    (6, "wifi0.1", False), (6, "ath03-untag", False), (6, "wl0", False), (6, "br-lan", False),
    (6, "Eth-Trunk53", False), (6, "port-channel 1", False), (6, "Vlan-interface1", False),
    (6, "Inner_LAN.50", False), (6, "oct0", False), (6, "bcmsw", False), (6, "bluetooth 0", False),
    (6, "mgmt0", False), (6, "Mg0", False), (6, "oobm0", False), (6, "PortMGMT", False), (6, "Gi0", False),
    (6, "ptm0.101", False), (6, "lo", False), (0, "ag", False), (161, "lag47", False), (71, "wlan0", False),
    (6, "M-GigabitEthernet0/0/0", False), (6, "Route-Aggregation1", False), (6, "Bridge-Aggregation2", False),
])
def test_physical_rules(if_type: int, name: str, physical: bool) -> None:
    assert is_physical(if_type, name) is physical


def test_radios_and_ssids_with_iftype_6_are_not_physical(snmp: Any) -> None:
    hive = _by_name(interfaces(snmp("hiveos-wireless_320-n")))
    assert hive["eth1"].physical and not hive["wifi0"].physical and not hive["wifi1.3"].physical
    stellar = _by_name(interfaces(snmp("stellar_oaw-ap1321")))
    assert stellar["eth1"].physical and not stellar["ath13"].physical and not stellar["br-wan"].physical
    printer = _by_name(interfaces(snmp("jetdirect_m130nw")))
    assert printer["Ethernet"].physical and not printer["wifiUAP"].physical
    assert not _by_name(interfaces(snmp("tplink_td-w9970")))["wl0"].physical


def test_fake_physical_ports(snmp: Any) -> None:
    assert not _by_name(interfaces(snmp("ciscosb_c1200-8t-e-2g")))["bluetooth 0"].physical
    assert not _by_name(interfaces(snmp("vrp_s5328c-ei")))["Eth-Trunk53"].physical
    sophos = _by_name(interfaces(snmp("sophos-xg_xgs2100")))
    assert not sophos["oct0"].physical and not sophos["Inner_LAN"].physical and sophos["Port1"].physical
    assert negotiated_max_mbps(sophos.values()) == 1000          # not oct0's 10000 nor the LAG's 4000
    assert not any(i.physical for i in interfaces(snmp("cyberpower_pr2200rt2uc")))  # ifType 0 / 18


def test_odd_speeds(snmp: Any) -> None:
    epmp = _by_name(interfaces(snmp("epmp_epmp-ap-connected-sta")))
    assert epmp["LAN interface 1"].speed_mbps == 1000 and epmp["LAN interface 2"].speed_mbps is None
    assert {i.speed_mbps for i in interfaces(snmp("draytek")) if i.physical} == {100}
    gs = _by_name(interfaces(snmp("grandstream-sw")))
    assert gs["Ethernet1/0/21"].speed_mbps is None                # 1410 is no Ethernet rate
    assert gs["Ethernet1/0/17"].oper_up and gs["Ethernet1/0/17"].speed_mbps is None   # up at 0
    hive = _by_name(interfaces(snmp("hiveos-wireless_650ax")))
    assert hive["eth0"].oper_up and hive["eth0"].speed_mbps is None
    windows = _by_name(interfaces(snmp("windows_svr_2019_1809")))
    assert windows["ethernet_0"].speed_mbps == 10000               # ifSpeed 4294967295, ifHighSpeed 10000


def test_negotiated_speed_matches_every_label(snmp: Any, labels: dict[str, Any]) -> None:
    wrong = {}
    for name, label in labels.items():
        got = negotiated_max_mbps(interfaces(snmp(name)))
        if got != label["observed_max_phys_eth_up_mbps"]:
            wrong[name] = (got, label["observed_max_phys_eth_up_mbps"])
    assert not wrong


@pytest.mark.parametrize("name,mbps", [
    ("TenGigabitEthernet1/1/1", 10000), ("Te0/0/24", 10000), ("te1", 10000), ("xe-0/0/1", 10000),
    ("Ten-GigabitEthernet1/0/25", 10000), ("XGigabitEthernet0/0/1", 10000), ("TenGigabitEthernet 0/25", 10000),
    ("sfp-sfpplus1", 10000), ("SFP+1", 10000), ("TFGigabitEthernet 0/1", 25000), ("TF0/1", 25000),
    ("sfp28-1", 25000), ("TwentyFiveGigE1/0/1", 25000), ("FortyGigabitEthernet1/1/1", 40000),
    ("et-0/2/0", 40000), ("HundredGigE1/0/1", 100000), ("Hu0/25", 100000), ("qsfp28-1-1", 100000),
    ("TwoGigabitEthernet1/0/1", 2500), ("GigabitEthernet1/0/1", None), ("ether1", None),
])
def test_interface_name_speed_hints(name: str, mbps: int | None) -> None:
    iface = Interface(index=1, name=name, type=6, physical=True)
    assert port_capability_hint_mbps([iface])[0] == mbps
