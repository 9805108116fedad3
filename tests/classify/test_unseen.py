# ruff: noqa: E501  (one device per line: long sysDescr values are the test data)
"""Devices NOT in the 64 recordings: sysObjectID + sysDescr + a few table rows, built in code.

The strings follow each vendor's documented conventions (project-written from product knowledge, not
recordings). They check that vendor-wide rules, not training-file rules, carry the decision; and that a
device of an unknown vendor gets a role from standard MIBs only with a low confidence, or ``unknown``.
"""

from __future__ import annotations

from typing import Any

import pytest

from probes.catalog import fingerprints
from probes.classify import classify
from tests.classify.synth import HR_DISK, HR_NETWORK, HR_PROCESSOR, device, ethernet

ENT = "1.3.6.1.2.1.47.1.1.1.1"


def chassis(model: str) -> dict[str, Any]:
    """ENTITY-MIB: one chassis row (class 3) naming ``model``."""
    return {f"{ENT}.2.1": f"{model} chassis", f"{ENT}.5.1": 3, f"{ENT}.7.1": model, f"{ENT}.13.1": model}


SW_PORTS = ethernet("GigabitEthernet1/0/", 24, up=12) + ethernet("TenGigabitEthernet1/1/", 4, 10000, up=1)

# (sysObjectID, sysDescr, extra keyword args for synth.device, role, vendor first word, model or None)
CASES: list[tuple[str, str, dict[str, Any], str, str | None, str | None]] = [
    # Cisco
    ("1.3.6.1.4.1.9.1.2494", "Cisco IOS Software [Bengaluru], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.6.4, RELEASE SOFTWARE (fc1)", {"ports": SW_PORTS, "bridge_ports": 28, "extra": chassis("C9300-24P")}, "switch", "Cisco", "C9300-24P"),
    ("1.3.6.1.4.1.9.1.1861", "Cisco IOS Software [Amsterdam], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 17.3.5", {"ports": ethernet("GigabitEthernet0/0/", 3), "forwarding": 1, "default_route": True, "extra": chassis("ISR4331/K9")}, "router", "Cisco", "ISR4331/K9"),
    ("1.3.6.1.4.1.9.1.2669", "Cisco IOS Software [Cupertino], C9800 Software (C9800_IOSXE-K9), Version 17.9.4", {"extra": chassis("C9800-L-F-K9")}, "wireless_controller", "Cisco", "C9800-L-F-K9"),
    ("1.3.6.1.4.1.9.1.2240", "Cisco Adaptive Security Appliance Version 9.12(4)", {"extra": chassis("ASA5506")}, "firewall", "Cisco", None),
    ("1.3.6.1.4.1.9.1.2147", "Cisco AP Software, ap3g3 Software (ap3g3-k9w8), Version 8.10.185.0", {"ports": [*ethernet("GigabitEthernet", 1), ("Dot11Radio0", 71, 0, True), ("Dot11Radio1", 71, 0, True)]}, "access_point", "Cisco", None),
    ("1.3.6.1.4.1.9.1.620", "Cisco IOS Software, 1841 Software (C1841-ADVIPSERVICESK9-M), Version 12.4(15)T14, RELEASE SOFTWARE (fc2)", {}, "router", "Cisco", None),
    ("1.3.6.1.4.1.29671.2.200", "Meraki MS120-8LP Cloud Managed Switch", {}, "switch", "Cisco", "MS120-8LP"),
    ("1.3.6.1.4.1.9.6.1.1004.48.1", "CBS350-48P-4X 48-Port Gigabit PoE Managed Switch with 10G Uplinks", {}, "switch", "Cisco", "CBS350-48P-4X"),
    # HPE / Aruba
    ("1.3.6.1.4.1.47196.4.1.1.1.300", "Aruba JL661A 6300M 48G CL4 PoE 4SFP56 Swch FL.10.10.1030", {}, "switch", "HPE", "JL661A"),
    ("1.3.6.1.4.1.11.2.3.7.11.181", "HPE OfficeConnect Switch 1820 24G J9980A, PT.02.12, Linux 3.6.5, U-Boot 2012.10", {}, "switch", "HPE", "J9980A"),
    ("1.3.6.1.4.1.14823.1.2.124", "ArubaOS (MODEL: 535), Version 8.10.0.6", {}, "access_point", "HPE", "AP-535"),
    ("1.3.6.1.4.1.14823.1.1.48", "ArubaOS (MODEL: Aruba7205), Version 8.10.0.7", {}, "wireless_controller", "HPE", "Aruba7205"),
    ("1.3.6.1.4.1.25506.11.1.218", "HPE Comware Platform Software, Software Version 7.1.070, Release 3208P10\r\nHPE 5130 24G PoE+ 4SFP+ 370W EI JG936A Switch\r\nCopyright (c) 2010-2021 Hewlett Packard Enterprise Development LP", {}, "switch", "HPE", None),
    # Juniper
    ("1.3.6.1.4.1.2636.1.1.1.2.151", "Juniper Networks, Inc. ex3400-48p Ethernet Switch, kernel JUNOS 21.4R3-S4", {}, "switch", "Juniper", "ex3400-48p"),
    ("1.3.6.1.4.1.2636.1.1.1.2.133", "Juniper Networks, Inc. srx300 internet router, kernel JUNOS 21.2R3", {}, "firewall", "Juniper", "srx300"),
    ("1.3.6.1.4.1.2636.1.1.1.2.134", "Juniper Networks, Inc. qfx5120-48y-8c Ethernet Switch, kernel JUNOS 20.4R3", {}, "switch", "Juniper", None),
    ("1.3.6.1.4.1.2636.1.1.1.2.144", "Juniper Networks, Inc. mx204 internet router, kernel JUNOS 22.2R3", {}, "router", "Juniper", "mx204"),
    # MikroTik
    ("1.3.6.1.4.1.14988.1", "RouterOS CRS328-24P-4S+", {"ports": ethernet("ether", 24) + ethernet("sfp-sfpplus", 4, 10000, 0)}, "switch", "MikroTik", "CRS328-24P-4S+"),
    ("1.3.6.1.4.1.14988.2", "CSS326-24G-2S+ SwOS v2.13", {}, "switch", "MikroTik", "CSS326-24G-2S+"),
    ("1.3.6.1.4.1.14988.1", "RouterOS wAP ac", {"ports": [*ethernet("ether", 1), ("wlan1", 71, 0, True), ("wlan2", 71, 0, True)]}, "access_point", "MikroTik", None),
    ("1.3.6.1.4.1.14988.1", "RouterOS CCR2116-12G-4S+", {"ports": ethernet("ether", 12) + ethernet("sfp-sfpplus", 4, 10000, 1), "forwarding": 1, "default_route": True}, "router", "MikroTik", "CCR2116-12G-4S+"),
    # Ubiquiti
    ("1.3.6.1.4.1.41112.1.5", "EdgeRouter 4", {}, "router", "Ubiquiti", None),
    ("1.3.6.1.4.1.4413", "ES-24-250W, 1.9.3.5328201, Linux 3.6.5", {}, "switch", "Ubiquiti", None),
    ("1.3.6.1.4.1.8072.3.2.10", "U6-Pro 6.6.55.15189", {}, "access_point", "Ubiquiti", "U6-Pro"),
    ("1.3.6.1.4.1.8072.3.2.10", "UDM-Pro 3.2.9", {}, "router", "Ubiquiti", "UDM-Pro"),
    ("1.3.6.1.4.1.4413", "USW-Pro-24-PoE, 6.6.61.15179, Linux 4.4.153", {}, "switch", "Ubiquiti", "USW-Pro-24-PoE"),
    # TP-Link
    ("1.3.6.1.4.1.11863.5.100", "JetStream 48-Port Gigabit L2+ Managed Switch with 4 10GE SFP+ Slots", {"extra": {"1.3.6.1.4.1.11863.6.1.1.5.0": "TL-SG3452X 1.0"}}, "switch", "TP-Link", "TL-SG3452X"),
    ("1.3.6.1.4.1.11863.1.1.80", "EAP670(EU) 1.0", {}, "access_point", "TP-Link", "EAP670(EU)"),
    ("1.3.6.1.4.1.11863.1.1.61", "ER7206 1.0", {}, "router", "TP-Link", "ER7206"),
    ("1.3.6.1.4.1.16972", "1.1.0 0.9.1 v009f.0 Build 220613 Rel.50216n", {"ports": [("ptm0", 6, 100, True), *ethernet("eth", 4, 1000), ("wl0", 6, 0, True)]}, "router", "TP-Link", None),
    # D-Link
    ("1.3.6.1.4.1.171.10.153.1.1", "DGS-3130-30TS Gigabit Ethernet Switch", {}, "switch", "D-Link", "DGS-3130-30TS"),
    ("1.3.6.1.4.1.171.10.37.60", "D-Link DAP-2680", {}, "access_point", "D-Link", "DAP-2680"),
    ("1.3.6.1.4.1.171.10.138.1", "DWC-2000 Wireless Controller", {}, "wireless_controller", "D-Link", "DWC-2000"),
    ("1.3.6.1.4.1.171.10.96.2", "DSR-1000AC Unified Services Router", {}, "router", "D-Link", "DSR-1000AC"),
    # NETGEAR
    ("1.3.6.1.4.1.4526.100.11.68", "M4300-28G ProSAFE 24-port 1G and 4-port 10G Stackable Managed Switch, 12.0.17.7, B1.0.0.4", {}, "switch", "NETGEAR", "M4300-28G"),
    ("1.3.6.1.4.1.4526.100.7.43", "WAC540 Tri-band Insight Managed Access Point", {}, "access_point", "NETGEAR", "WAC540"),
    ("1.3.6.1.4.1.4526.100.4.80", "GS752TPv2 52-Port Gigabit PoE+ Smart Managed Pro Switch", {}, "switch", "NETGEAR", None),
    ("1.3.6.1.4.1.4526.100.13.2", "WC7600", {}, "wireless_controller", "NETGEAR", "WC7600"),
    # Zyxel
    ("1.3.6.1.4.1.890.1.15", "XGS2220-30", {}, "switch", "Zyxel", "XGS2220-30"),
    ("1.3.6.1.4.1.890.1.15", "NWA220AX-6E", {}, "access_point", "Zyxel", "NWA220AX-6E"),
    ("1.3.6.1.4.1.8072.3.2.10", "USG FLEX 200", {}, "firewall", "Zyxel", "USG FLEX 200"),
    ("1.3.6.1.4.1.890.1.15", "NXC5500", {}, "wireless_controller", "Zyxel", "NXC5500"),
    ("1.3.6.1.4.1.890.1.6.22.1", "USG60W", {}, "firewall", "Zyxel", "USG60W"),
    # Huawei, H3C, Ruijie
    ("1.3.6.1.4.1.2011.2.240.30", "AirEngine5760-10\r\nHuawei Versatile Routing Platform Software", {}, "access_point", "Huawei", "AirEngine5760-10"),
    ("1.3.6.1.4.1.2011.2.224.300", "Huawei AR651 Huawei Versatile Routing Platform Software VRP (R) software,Version 5.170", {}, "router", "Huawei", "AR651"),
    ("1.3.6.1.4.1.2011.2.239.12", "USG6510E\r\nHuawei Versatile Routing Platform Software", {}, "firewall", "Huawei", "USG6510E"),
    ("1.3.6.1.4.1.2011.2.239.40", "CE6881-48S6CQ\r\nHuawei Versatile Routing Platform Software", {}, "switch", "Huawei", "CE6881-48S6CQ"),
    ("1.3.6.1.4.1.2011.2.239.41", "Huawei Versatile Routing Platform Software\r\nVRP (R) software, Version 8.180 (CE6881 V200R005C10SPC800)\r\nCopyright (C) 2012-2018 Huawei Technologies Co., Ltd.", {}, "switch", "Huawei", "CE6881"),
    ("1.3.6.1.4.1.25506.11.1.300", "H3C Comware Platform Software, Software Version 7.1.064\r\nH3C WA6320\r\nCopyright (c) 2004-2022 New H3C Technologies Co., Ltd.", {}, "access_point", "H3C", "WA6320"),
    ("1.3.6.1.4.1.4881.1.1.10.1.300", "Ruijie Reyee AP(RG-RAP2260(G)) By Ruijie Networks", {}, "access_point", "Ruijie", None),
    ("1.3.6.1.4.1.4881.1.1.10.1.301", "Ruijie Reyee Switch(RG-NBS3100-24GT4SFP) By Ruijie Networks", {}, "switch", "Ruijie", None),
    # security appliances
    ("1.3.6.1.4.1.12356.101.1.1004", "", {"extra": chassis("FGT_60F")}, "firewall", "Fortinet", "FGT_60F"),
    ("1.3.6.1.4.1.12356.106.1.1242", "FortiSwitch-124F-POE v7.2.4,build0497,230320 (GA)", {}, "switch", "Fortinet", None),
    ("1.3.6.1.4.1.12356.120.10.431", "FortiAP-431F", {}, "access_point", "Fortinet", None),
    ("1.3.6.1.4.1.2604.5", "Linux localhost 4.14.302 #2 SMP Mon Jan 9 2023 x86_64", {"extra": {"1.3.6.1.4.1.2604.5.1.1.2.0": "XGS136_XN01_SFOS 19.5.1"}}, "firewall", "Sophos", "XGS136"),
    ("1.3.6.1.4.1.25461.2.3.46", "Palo Alto Networks PA-3200 series firewall", {"extra": chassis("PA-3220")}, "firewall", "Palo", "PA-3220"),
    ("1.3.6.1.4.1.2620.1.6.123.1.64", "Linux gw-2 3.10.0-957.21.3cpx86_64 #1 SMP Tue Jan 28 17:26:12 IST 2020 x86_64", {}, "firewall", "Check", None),
    ("1.3.6.1.4.1.3097.1.5.86", "T40", {}, "firewall", "WatchGuard", "T40"),
    ("1.3.6.1.4.1.8741.1", "SonicWall NSa 2700 (SonicOS Enhanced 7.0.1-5095)", {}, "firewall", "SonicWall", "NSa 2700"),
    ("1.3.6.1.4.1.8072.3.2.8", "pfSense fw1.example 2.7.2-RELEASE pfSense FreeBSD 14.0-CURRENT amd64", {}, "firewall", "Netgate", None),
    ("1.3.6.1.4.1.7367", "DrayTek Corporation, Router Model: Vigor2962 Series, Version: 4.4.3, Build Date/Time:Jan 10 2024", {}, "router", "DrayTek", "Vigor2962"),
    # other switch/AP/controller lines
    ("1.3.6.1.4.1.207.1.14.167", "Allied Telesis router/switch, AW+ v5.5.2-2.1", {"extra": chassis("AT-x230-28GP")}, "switch", "Allied", "AT-x230-28GP"),
    ("1.3.6.1.4.1.1916.2.280", "ExtremeXOS (X450-G2-48p-10G4) version 22.7.1.2 22.7.1.2-patch1-4", {}, "switch", "Extreme", "X450-G2-48p-10G4"),
    ("1.3.6.1.4.1.674.10895.3060", "Dell Networking N1548P, 6.6.3.11, Linux 4.14.138", {}, "switch", "Dell", None),
    ("1.3.6.1.4.1.674.11000.5000.100.2.1.20", "Dell EMC Networking OS10 Enterprise.", {"extra": chassis("S5248F-ON")}, "switch", "Dell", "S5248F-ON"),
    ("1.3.6.1.4.1.1991.1.3.52.1.1", "Brocade Communications Systems, Inc. ICX6450-24P, IronWare Version 08.0.30tT311", {}, "switch", "Ruckus", "ICX6450-24P"),
    ("1.3.6.1.4.1.25053.3.1.4.80", "Ruckus Wireless R750 Multimedia Hotzone Wireless AP", {}, "access_point", "Ruckus", "R750"),
    ("1.3.6.1.4.1.25053.3.1.5.15", "Ruckus Wireless ZD3050", {}, "wireless_controller", "Ruckus", "ZD3050"),
    ("1.3.6.1.4.1.17713.22.1", "cnPilot e600 4.2.2", {}, "access_point", "Cambium", None),
    ("1.3.6.1.4.1.17713.21.9.40", "Linux ePMP3000 3.14.77 armv7l", {}, "other", "Cambium", None),
    ("1.3.6.1.4.1.42397.1.1.1.5", "GWN7664", {}, "access_point", "Grandstream", "GWN7664"),
    ("1.3.6.1.4.1.42397.1.1.1.9", "GWN7003", {}, "router", "Grandstream", "GWN7003"),
    ("1.3.6.1.4.1.14125.100.1.3", "ECW230", {}, "access_point", "EnGenius", None),
    ("1.3.6.1.4.1.259.10.1.45.101", "ECS2100-28P", {}, "switch", "Edgecore", "ECS2100-28P"),
    ("1.3.6.1.4.1.3955.6.1.2029.1", "LGS328PC 28-Port Business Gigabit PoE+ Smart Switch", {}, "switch", "Linksys", None),
    ("1.3.6.1.4.1.6486.800.1.1.2.1.12.1.1", "Alcatel-Lucent Enterprise OS6360-P24 8.7.354.R02 GA", {}, "switch", "Alcatel", None),
    ("1.3.6.1.4.1.35265.1.52", "MES2324B 28-port 1G/10G Managed Switch", {}, "switch", "Eltex", "MES2324B"),
    ("1.3.6.1.4.1.35265.1.81", "ESR-20", {}, "router", "Eltex", "ESR-20"),
    ("1.3.6.1.4.1.46242", "Netonix WS-12-250-AC", {}, "switch", "Netonix", None),
    ("1.3.6.1.4.1.6527.1.3.17", "TiMOS-B-20.10.R1 both/x86_64 Nokia 7750 SR Copyright (c) 2000-2020 Nokia.", {}, "router", "Nokia", None),
    ("1.3.6.1.4.1.25049.1.61", "Opengear ACM7004-2-L Version 4.12.0", {}, "other", "Opengear", None),
    # sysDescr names the vendor, sysObjectID is net-snmp's
    ("1.3.6.1.4.1.8072.3.2.10", "NETGEAR WAX610 Wireless Access Point", {}, "access_point", "NETGEAR", "WAX610"),
    ("1.3.6.1.4.1.8072.3.2.10", "Linux D-Link DAP-X2850 4.4.60", {}, "access_point", "D-Link", "DAP-X2850"),
    # hosts, NAS, printers, UPS
    ("1.3.6.1.4.1.8072.3.2.10", "Linux nas1 4.4.302+ #69057 SMP x86_64", {"extra": {"1.3.6.1.4.1.6574.1.5.1.0": "DS920+", "1.3.6.1.4.1.6574.1.1.0": 1}}, "other", "Synology", "DS920+"),
    ("1.3.6.1.4.1.24681.1.4", "Linux TS-873A 5.10.60-qnap #1 SMP x86_64", {}, "other", "QNAP", None),
    ("1.3.6.1.4.1.11.2.3.9.1", "HP ETHERNET MULTI-ENVIRONMENT,ROM none,JETDIRECT,JD153,EEPROM JSI23900012,CIDATE 05/18/2021", {"extra": {"1.3.6.1.2.1.43.5.1.1.16.1": "HP LaserJet Pro M404dn", "1.3.6.1.2.1.43.5.1.1.1.1": 1}}, "printer", "HP", None),
    ("1.3.6.1.4.1.1248.1.1.2.1.3.23", "EPSON Built-in 10Base-T/100Base-TX Print Server", {}, "printer", None, None),
    ("1.3.6.1.4.1.1347.41", "KYOCERA Document Solutions Printing System", {"extra": {"1.3.6.1.2.1.43.5.1.1.16.1": "ECOSYS M2540dn"}}, "printer", None, None),
    ("1.3.6.1.4.1.253.8.62.1.22.3.1.1", "Xerox VersaLink C405; SS 72.62.61, NC 72.62.61, UI 72.62.61", {}, "printer", None, None),
    ("1.3.6.1.4.1.318.1.3.27", "APC Web/SNMP Management Card (MB:v4.3.3 PF:v7.0.6 PN:apc_hw21_aos_7.0.6.bin)", {"extra": {"1.3.6.1.2.1.33.1.1.2.0": "Smart-UPS 1500"}}, "other", None, None),
    ("1.3.6.1.4.1.534.1", "Eaton 9PX 3000i", {"extra": {"1.3.6.1.2.1.33.1.1.2.0": "9PX 3000i"}}, "other", None, None),
    ("1.3.6.1.4.1.3808.1.1.1", "CyberPower RMCARD205", {}, "other", "CyberPower", None),
    ("1.3.6.1.4.1.311.1.1.3.1.3", "Hardware: Intel64 Family 6 Model 85 Stepping 7 AT/AT COMPATIBLE - Software: Windows Version 6.3 (Build 20348 Multiprocessor Free)", {}, "other", "Microsoft", None),
    ("1.3.6.1.4.1.6876.4.1", "VMware ESXi 8.0.2 build-22380479 VMware, Inc. x86_64", {}, "other", "VMware", None),
]


@pytest.mark.parametrize("sys_object_id,sys_descr,kw,role,vendor,model", CASES, ids=[f"{c[3]}:{c[1][:36]}" for c in CASES])
def test_unseen_device(sys_object_id: str, sys_descr: str, kw: dict[str, Any], role: str, vendor: str | None,
                       model: str | None) -> None:
    c = classify("192.0.2.7", device(sys_object_id, sys_descr, **kw))
    assert c.role.value == role, (c.scores, c.fingerprint_id, c.model_row_id)
    if vendor:
        assert c.vendor and c.vendor.lower().startswith(vendor.lower()), c.vendor
    if model:  # the device's own spelling, or the catalog's name for it ('EAP670(EU)' -> 'EAP670')
        assert c.model and (c.model == model or model.upper().startswith(c.model.upper())), (c.model, c.model_row_id)


def _case(descr_start: str) -> Any:
    sys_object_id, sys_descr, kw, *_ = next(c for c in CASES if c[1].startswith(descr_start))
    return classify("192.0.2.7", device(sys_object_id, sys_descr, **kw))


def test_capability_from_family_and_ports() -> None:
    c9300 = _case("Cisco IOS Software [Bengaluru]")
    assert c9300.max_port_capability_mbps == 10000 and c9300.max_port_speed_mbps == 10000  # one Te uplink up
    crs = _case("RouterOS CRS328")  # SFP+ cages all empty: capability from the family / port speed, link at 1G
    assert crs.max_port_capability_mbps == 10000 and crs.max_port_speed_mbps == 1000


# ---------------------------------------------------------------- unknown vendor: standard MIBs only
UNKNOWN = "1.3.6.1.4.1.99999.1.2"
CAP = fingerprints().generic.generic_confidence_cap

GENERIC: list[tuple[str, Any, str]] = [
    ("24 ports + BRIDGE + LLDP bridge", device(UNKNOWN, "NOS 1.0", ports=ethernet("port", 24, up=10) + ethernet("sfp", 2, 10000, 0), bridge_ports=26, lldp=["bridge"], services=2), "switch"),
    ("48 ports, no BRIDGE-MIB", device(UNKNOWN, "NOS 1.0", ports=ethernet("ge-0/0/", 48, up=20)), "switch"),
    ("forwarding + default route + LLDP router", device(UNKNOWN, "NOS 1.0", ports=ethernet("eth", 4), forwarding=1, default_route=True, lldp=["router"]), "router"),
    ("up VDSL interface", device(UNKNOWN, "firmware 3.2", ports=[*ethernet("eth", 4), ("dsl0", 97, 100, True)]), "router"),
    ("radios on a one-port box", device(UNKNOWN, "firmware 2.1", ports=[*ethernet("eth", 1), ("radio0", 71, 0, True), ("radio1", 71, 0, True)]), "access_point"),
    ("radio + IEEE802dot11-MIB", device(UNKNOWN, "firmware 2.1", ports=[*ethernet("eth", 1), ("radio0", 71, 0, True)], extra={"1.2.840.10036.3.1.2.1.3.1": "XYZ-AP200"}), "access_point"),
    ("LLDP wlan-access-point", device(UNKNOWN, "firmware 2.1", ports=ethernet("eth", 1), lldp=["wlan-access-point"]), "access_point"),
    ("LLDP station only (a host running lldpd)", device(UNKNOWN, "fw 1.0", ports=ethernet("eno", 2), lldp=["station"]), "other"),
    ("Linux host: HOST-RESOURCES CPUs + disk", device("1.3.6.1.4.1.8072.3.2.10", "Linux srv1 5.15.0-91-generic #101-Ubuntu SMP x86_64", ports=ethernet("eno", 2, 10000), forwarding=2, hr_devices=[HR_PROCESSOR] * 4 + [HR_NETWORK, HR_DISK]), "other"),
]
STANDARD: list[tuple[str, Any, str]] = [
    ("Printer-MIB", device(UNKNOWN, "NPI 1A2B3C", ports=ethernet("eth", 1, 100), extra={"1.3.6.1.2.1.43.5.1.1.16.1": "ACME P100", "1.3.6.1.2.1.43.5.1.1.1.1": 1}), "printer"),
    ("UPS-MIB", device(UNKNOWN, "card v1.2", ports=ethernet("eth", 1, 100), extra={"1.3.6.1.2.1.33.1.1.2.0": "ACME 1500VA", "1.3.6.1.2.1.33.1.1.1.0": "ACME"}), "other"),
    ("sysDescr role words", device(UNKNOWN, "24-Port Gigabit Smart Switch with 4 SFP slots"), "switch"),
    ("ENTITY chassis descr role words", device(UNKNOWN, "fw 3.1.4", extra={f"{ENT}.2.1": "ACME X1 Dual Band Wireless Access Point", f"{ENT}.5.1": 3}), "access_point"),
]
THIN: list[tuple[str, Any]] = [
    ("nothing at all", device(None, None)),
    ("unknown OID only", device(UNKNOWN, None)),
    ("two ports, nothing else", device(UNKNOWN, "Linux box 4.9.0", ports=ethernet("eth", 2))),
    ("8-port bridge only", device(UNKNOWN, "v1.0", ports=ethernet("lan", 4), bridge_ports=4)),
    ("Linux forwarding box: router vs host tie", device("1.3.6.1.4.1.8072.3.2.10", "Linux gw 5.4.0", ports=ethernet("eth", 3), forwarding=1, default_route=True)),
    ("sysServices only", device(UNKNOWN, "v1.0", services=72)),
]


@pytest.mark.parametrize("name,data,role", GENERIC, ids=[g[0] for g in GENERIC])
def test_generic_evidence_gives_a_capped_guess(name: str, data: Any, role: str) -> None:
    c = classify("192.0.2.9", data)
    assert c.role.value == role, c.scores
    assert 0 < c.role_confidence <= CAP, c.role_confidence
    assert c.vendor is None


@pytest.mark.parametrize("name,data,role", STANDARD, ids=[s[0] for s in STANDARD])
def test_standard_role_mibs_decide_without_a_vendor(name: str, data: Any, role: str) -> None:
    c = classify("192.0.2.9", data)
    assert c.role.value == role, c.scores
    assert c.vendor is None


@pytest.mark.parametrize("name,data", THIN, ids=[t[0] for t in THIN])
def test_thin_evidence_is_unknown(name: str, data: Any) -> None:
    c = classify("192.0.2.9", data)
    assert c.role.value == "unknown", c.scores
    assert c.role_confidence == 0.0
    assert any(b.key == "role" and b.value == "unknown" for b in c.basis) or not c.scores
