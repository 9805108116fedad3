# ruff: noqa: E501  (one device string per line: long sysDescr values are the test data)
"""Vendor-line rules on sysObjectID + sysDescr alone (the tier-B case: a device that says little more).

The strings follow each vendor's documented sysDescr conventions (project-written, not recordings);
each line checks a rule that a whole product line shares, not one device.
"""

from __future__ import annotations

import pytest

from probes.classify import classify
from probes.snmp.data import SnmpData, oid

CASES = [
 ("1.3.6.1.4.1.9.1.1208", "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(2)E7, RELEASE SOFTWARE (fc3)", "switch"),
 ("1.3.6.1.4.1.9.1.1745", "Cisco IOS Software, IOS-XE Software, Catalyst L3 Switch Software (CAT3K_CAA-UNIVERSALK9-M), Version 03.06.06E", "switch"),
 ("1.3.6.1.4.1.9.1.1166", "Cisco IOS Software, C2900 Software (C2900-UNIVERSALK9-M), Version 15.4(3)M3, RELEASE SOFTWARE (fc2)", "router"),
 ("1.3.6.1.4.1.9.1.2068", "Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.9.4", "router"),
 ("1.3.6.1.4.1.9.1.2371", "Cisco IOS Software [Gibraltar], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 16.12.3a", "switch"),
 ("1.3.6.1.4.1.9.1.2391", "Cisco IOS Software [Amsterdam], C9800 Software (C9800_IOSXE-K9), Version 17.3.4c", "wireless_controller"),
 ("1.3.6.1.4.1.9.1.745", "Cisco Adaptive Security Appliance Version 9.8(4)", "firewall"),
 ("1.3.6.1.4.1.9.1.1034", "Cisco IOS Software, C1240 Software (C1240-K9W7-M), Version 12.4(25d)JA2", "access_point"),
 ("1.3.6.1.4.1.9.6.1.94.28.1", "SG350-28 28-Port Gigabit Managed Switch", "switch"),
 ("1.3.6.1.4.1.9.6.1.83.10.1", "Linux, Cisco Small Business RV340, Version 1.0.03.20", "router"),
 ("1.3.6.1.4.1.9.12.3.1.3.1208", "Cisco NX-OS(tm) n9000, Software (n9000-dk9), Version 9.3(5)", "switch"),
 ("1.3.6.1.4.1.41112.1.6", "UAP-AC-Pro-Gen2 4.3.28.11361", "access_point"),
 ("1.3.6.1.4.1.41112.1.6", "U6-LR 6.5.28.14491", "access_point"),
 ("1.3.6.1.4.1.4413", "USW-24-PoE, 5.43.23.12533, Linux 3.6.5", "switch"),
 ("1.3.6.1.4.1.4413", "EdgeSwitch 24-Port 250W, 1.9.2.5322103, Linux 3.6.5, 1.0.0.4857129", "switch"),
 ("1.3.6.1.4.1.41112.1.5", "EdgeOS v2.0.9.5346345.201028.1647", "router"),
 ("1.3.6.1.4.1.10002.1", "Linux 2.6.32.68 #1 Tue Mar 10 12:29:12 EET 2020 mips", "unknown"),
 ("1.3.6.1.4.1.14988.1", "RouterOS CRS326-24G-2S+", "switch"),
 ("1.3.6.1.4.1.14988.1", "RouterOS RB5009UG+S+", "router"),
 ("1.3.6.1.4.1.14988.1", "RouterOS cAP ac", "access_point"),
 ("1.3.6.1.4.1.14988.1", "RouterOS SXTsq 5 ac", "other"),
 ("1.3.6.1.4.1.2636.1.1.1.2.132", "Juniper Networks, Inc. ex2300-24p Ethernet Switch, kernel JUNOS 20.4R3", "switch"),
 ("1.3.6.1.4.1.2636.1.1.1.2.136", "Juniper Networks, Inc. srx345 internet router, kernel JUNOS 19.4R3", "firewall"),
 ("1.3.6.1.4.1.2636.1.1.1.2.21", "Juniper Networks, Inc. mx480 internet router, kernel JUNOS 18.4R3", "router"),
 ("1.3.6.1.4.1.11.2.3.7.11.160", "Aruba JL258A 2930F-8G-PoE+-2SFP+ Switch, revision WC.16.10.0012, ROM WC.16.01.0008 (/ws/swbuildm/rel_ukiah_qaoff/code/build/bom(swbuildm_rel_ukiah_qaoff_rel_ukiah))", "switch"),
 ("1.3.6.1.4.1.14823.1.2.111", "ArubaOS (MODEL: 515), Version 8.6.0.4-8.6.0.4", "access_point"),
 ("1.3.6.1.4.1.14823.1.1.32", "ArubaOS (MODEL: Aruba7010), Version 8.5.0.10", "wireless_controller"),
 ("1.3.6.1.4.1.12356.101.1.8001", "", "firewall"),
 ("1.3.6.1.4.1.12356.106.1.108", "FortiSwitch-108E-POE v6.4.6,build0470,210916 (GA)", "switch"),
 ("1.3.6.1.4.1.12356.120.10.231", "FortiAP-231F", "access_point"),
 ("1.3.6.1.4.1.2011.2.23.452", "S5735-L24P4X-A1\r\nHuawei Versatile Routing Platform Software\r\nVRP (R) software, Version 5.170 (S5735 V200R019C10SPC500)", "switch"),
 ("1.3.6.1.4.1.2011.2.240.12", "AC6508\r\nHuawei Versatile Routing Platform Software", "wireless_controller"),
 ("1.3.6.1.4.1.2011.2.224.279", "Huawei AR6120 Huawei Versatile Routing Platform Software VRP (R) software,Version 5.170", "router"),
 ("1.3.6.1.4.1.25506.11.1.239", "H3C Comware Platform Software, Software Version 7.1.070, Release 6312P02\r\nH3C S5130S-28S-EI\r\nCopyright (c) 2004-2021 New H3C Technologies Co., Ltd.", "switch"),
 ("1.3.6.1.4.1.4881.1.1.10.1.145", "Ruijie Full Gigabit Security & Intelligence Access Switch(S2910-24GT4XS-E) By Ruijie Networks", "switch"),
 ("1.3.6.1.4.1.4881.1.1.10.1.1", "Ruijie Gateway(RG-EG210G-E) By Ruijie Networks", "router"),
 ("1.3.6.1.4.1.11863.5.165", "JetStream 24-Port Gigabit L2+ Managed Switch with 4 10GE SFP+ Slots", "switch"),
 ("1.3.6.1.4.1.11863.1.1.60", "ER605", "router"),
 ("1.3.6.1.4.1.171.10.76.28.2", "DGS-1210-28/ME/B1", "switch"),
 ("1.3.6.1.4.1.171.10.113.1.5", "DES-3200-28/C1 Fast Ethernet Switch", "switch"),
 ("1.3.6.1.4.1.4526.100.4.41", "GS724Tv4", "switch"),
 ("1.3.6.1.4.1.890.1.5.8.73", "GS1920-24HPv2", "switch"),
 ("1.3.6.1.4.1.890.1.15", "WAX510D", "access_point"),
 ("1.3.6.1.4.1.890.1.15", "ATP200", "firewall"),
 ("1.3.6.1.4.1.7367", "DrayTek Corporation, Router Model: Vigor2927 Series, Version: 4.4.2", "router"),
 ("1.3.6.1.4.1.25461.2.3.36", "Palo Alto Networks PA-220 series firewall", "firewall"),
 ("1.3.6.1.4.1.8741.1", "SonicWALL TZ 370 (SonicOS 7.0.1-5035)", "firewall"),
 ("1.3.6.1.4.1.3097.1.5", "WatchGuard Fireware v12.7", "firewall"),
 ("1.3.6.1.4.1.29671.2.107", "Meraki MS220-8P Cloud Managed Switch", "switch"),
 ("1.3.6.1.4.1.29671.2.162", "Meraki MR36 Cloud Managed AP", "access_point"),
 ("1.3.6.1.4.1.42397.1.1.1.3", "GWN7610", "access_point"),
 ("1.3.6.1.4.1.25053.3.1.4.67", "Ruckus Wireless R510 Multimedia Hotzone Wireless AP", "access_point"),
 ("1.3.6.1.4.1.1991.1.3.61.2.5.1.1", "Ruckus Wireless, Inc. ICX7150-C12-POE, IronWare Version 08.0.95bT211", "switch"),
 ("1.3.6.1.4.1.1916.2.300", "ExtremeXOS (X440G2-48p-10G4) version 30.7.1.1", "switch"),
 ("1.3.6.1.4.1.207.1.14.107", "Allied Telesis router/switch, AW+ v5.4.9-2.4", "switch"),
 ("1.3.6.1.4.1.2620.1.6.123.1.49", "Linux gw-1 3.10.0-693cpx86_64 #1 SMP", "firewall"),
 ("1.3.6.1.4.1.318.1.3.27", "APC Web/SNMP Management Card (MB:v4.1.0 PF:v6.8.2 PN:apc_hw05_aos_682.bin)", "other"),
 ("1.3.6.1.4.1.534.1", "Eaton 5PX 1500", "other"),
 ("1.3.6.1.4.1.1602.4.7", "Canon iR-ADV C5535 /P", "printer"),
 ("1.3.6.1.4.1.1347.41", "KYOCERA Document Solutions Printing System", "printer"),
 ("1.3.6.1.4.1.641.2.1.2.1", "Lexmark MS610de version LW60.PRL.P516 kernel 3.0.0", "printer"),
 ("1.3.6.1.4.1.6876.4.1", "VMware ESXi 7.0.3 build-19193900 VMware, Inc. x86_64", "other"),
 ("1.3.6.1.4.1.311.1.1.3.1.1", "Hardware: Intel64 Family 6 Model 158 - Software: Windows Version 6.3 (Build 19045 Multiprocessor Free)", "other"),
 ("1.3.6.1.4.1.8072.3.2.10", "Linux OpenWrt 5.10.176 #0 SMP Thu May 11 mips", "router"),
 ("1.3.6.1.4.1.39165.1.1", "Hikvision DS-2CD2143G2-I", "other"),
 ("1.3.6.1.4.1.8072.3.2.8", "FreeBSD truenas.local 13.1-RELEASE-p9 FreeBSD 13.1-RELEASE-p9 TRUENAS amd64", "other"),
 ("1.3.6.1.4.1.14823.1.1.9999", "ArubaOS (MODEL: ArubaMC-VA-US), Version 8.7.1.3", "wireless_controller"),
 ("1.3.6.1.4.1.17713.21.9.36", "Linux ePMP-3000 3.14.77", "other"),
 ("1.3.6.1.4.1.171.10.37.37", "D-Link DAP-2610", "access_point"),
 ("1.3.6.1.4.1.11863.1.1.3", "EAP245(EU) 5.0", "access_point"),
 ("1.3.6.1.4.1.24681", "Linux TS-453D 5.10.60-qnap", "other"),
 ("1.3.6.1.4.1.5624.2.1.100", "Enterasys Networks, Inc. B5G124-24P2 Rev 06.61.08.0013", "switch"),
 ("1.3.6.1.4.1.388.50.1.4.1", "WiNG AP7522 5.9.1.2", "access_point"),
 ("1.3.6.1.4.1.6486.800.1.1.2.1.11.2.2", "Alcatel-Lucent Enterprise OS6450-P24 6.7.2.191.R04 Service Release", "switch"),
 ("1.3.6.1.4.1.30065.1.3011.7124.3.1", "Arista Networks EOS version 4.24.2F running on an Arista Networks DCS-7124SX", "switch"),
 ("1.3.6.1.4.1.3955.6.1.2024.1", "LGS326-26P 26-Port Gigabit PoE+ Smart Switch", "switch"),
 ("1.3.6.1.4.1.21067.1", "Cyberoam CR25iNG", "firewall"),
 ("1.3.6.1.4.1.23695", "Peplink Balance 380", "router"),
 ("1.3.6.1.4.1.8072.3.2.8", "FreeBSD fw.local 13.1-RELEASE-p7 FreeBSD 13.1-RELEASE-p7 stable/23.1-n250347-8b9c8c9 amd64", "firewall"),
 ("1.3.6.1.4.1.8072.3.2.8", "FreeBSD files.local 13.2-RELEASE FreeBSD 13.2-RELEASE releng/13.2 amd64", "other"),
]


@pytest.mark.parametrize("sys_object_id,sys_descr,role", CASES, ids=[c[1][:40] for c in CASES])
def test_vendor_line(sys_object_id: str, sys_descr: str, role: str) -> None:
    data = SnmpData()
    data.set(oid("1.3.6.1.2.1.1.2.0"), sys_object_id)
    data.set(oid("1.3.6.1.2.1.1.1.0"), sys_descr)
    c = classify("192.0.2.1", data)
    assert c.role.value == role, (c.scores, c.fingerprint_id, c.model_row_id)
    if role == "unknown":
        assert c.role_confidence == 0.0
