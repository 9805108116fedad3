"""Classification of the real recordings' traps (recordings README 'Traps worth a unit test each')."""

from __future__ import annotations

from typing import Any

import pytest

from agent.model import Device, Role, from_jsonable, to_jsonable
from probes.classify import BASE_SUBTREES, classify, fingerprint, to_device
from probes.snmp.data import SnmpData, oid
from probes.snmp.snmprec import load

from .conftest import LAB_RECORDINGS

AP, WLC, ROUTER, FW, SWITCH, PRINTER, OTHER = (Role.ACCESS_POINT, Role.WIRELESS_CONTROLLER, Role.ROUTER,
                                               Role.FIREWALL, Role.SWITCH, Role.PRINTER, Role.OTHER)


@pytest.mark.parametrize("name,role", [
    ("ciscosb", AP),                    # WAP371 under the Cisco SB *switch* sysObjectID subtree
    ("stellar_oaw-ap1321", AP),         # LibreNMS type 'network'
    ("fortiwlc", WLC),                  # LibreNMS type 'network', sysDescr 'controller'
    ("tplink_td-w9970", ROUTER),        # 'TP-Link Switch' in LibreNMS; a VDSL modem-router
    ("unifi_unifi", OTHER),             # answers the UniFi AP MIB but is a U-LTE-Pro LTE backup
    ("unifi-usp_rps", OTHER),           # UniFi power supply
])
def test_role_lies(classified: Any, name: str, role: Role) -> None:
    assert classified(name).role is role


@pytest.mark.parametrize("name,role,vendor", [
    ("altalabs-ap", AP, "Alta Labs"),
    ("zyxelusg_usgflex100", FW, "Zyxel"),
    ("dsm_ds214se-dsm7", OTHER, "Synology"),
    ("unifi-usp_rps", OTHER, "Ubiquiti"),
    ("pfsense_frr-bgp", FW, "Netgate"),
    ("opnsense_vm", FW, "Deciso"),
    ("zyxelnwa_1", AP, "Zyxel"),        # Zyxel 890.1.15: AP, controller, switch alike
    ("zyxelwlc_nxc2500", WLC, "Zyxel"),
    ("zynos_gs1900-fdb", SWITCH, "Zyxel"),
    ("zyxelac_xmg3927", ROUTER, "Zyxel"),  # bare 1.3.6.1.4.1.890
    ("edgeswitch_usw-flex-xg", SWITCH, "Ubiquiti"),  # bare 1.3.6.1.4.1
    ("engenius_3", AP, "EnGenius"),     # bare .1.3.6.1.4.1.14125 with a leading dot
    ("hiveos-wireless_320-n", AP, "Aerohive (Extreme)"),  # 26928.1 for every model
    ("hiveos-wireless_650ax", AP, "Aerohive (Extreme)"),
])
def test_shared_or_useless_sys_object_ids(classified: Any, name: str, role: Role, vendor: str) -> None:
    c = classified(name)
    assert (c.role, c.vendor) == (role, vendor)


def test_plain_linux_is_other_with_low_confidence(classified: Any) -> None:
    c = classified("linux")
    assert c.role is OTHER and c.role_confidence <= 0.35 and c.vendor is None


@pytest.mark.parametrize("name,role,model", [
    ("fortigate_fwf60d", FW, "FortiWiFi 60D"),    # empty sysDescr: ENTITY names the model
    ("fortigate_100e", FW, "FortiGate 100E"),     # sysDescr 'Gecom'
    ("sophos-xg_xgs2100", FW, "XGS2100"),         # sysDescr 'Linux localhost ...'; SFOS device type OID
    ("junos_ex4600mp", SWITCH, None),             # sysDescr 'hostname.example.org'
    ("procurve", SWITCH, "JL074A"),               # 'HP Stack': the model only in ENTITY
    ("brother_hl5370dw", PRINTER, "HL-5370DW"),   # sysDescr names the print server, not the printer
])
def test_empty_generic_or_user_set_sys_descr(classified: Any, name: str, role: Role, model: str | None) -> None:
    c = classified(name)
    assert c.role is role
    if model is not None:
        assert c.model == model


@pytest.mark.parametrize("name,capability,observed", [
    ("iosxe", 10000, 1000),                   # ASR1000: Te ports down
    ("ruijie_s6150", 100000, None),           # data ports all down, only Mgmt up
    ("ciscosb_cbs250-24p-4x-v3", 10000, None),  # no speed columns: capability from the model / 'te' names
    ("dlink-dgs1250_28x", 10000, None),
    ("zyxelwlc_nxc2500", 1000, None),
    ("junos", 100, None),                     # SRX100H2
    ("iosxe_c9200l", 10000, None),            # no IF-MIB at all
    ("netgear_3", 1000, None),
    ("edgeos_erl", 1000, None),
    ("grandstream-sw", 10000, 1000),          # ifHighSpeed 1410 ignored; 10G SFP+ from the model table
])
def test_capability_differs_from_observed(classified: Any, name: str, capability: int,
                                          observed: int | None) -> None:
    c = classified(name)
    assert (c.max_port_capability_mbps, c.max_port_speed_mbps) == (capability, observed)


@pytest.mark.parametrize("name,role", [
    ("routeros_wifi", OTHER),                 # 60 GHz point-to-point link
    ("epmp_epmp-ap-connected-sta", OTHER),    # ePMP point-to-multipoint base station
    ("routeros_rb433gl", ROUTER),             # radios used as trunks; still a router
])
def test_radios_that_are_not_client_wifi(classified: Any, name: str, role: Role) -> None:
    assert classified(name).role is role


def test_every_claim_has_a_basis(classified: Any, labels: dict[str, Any]) -> None:
    for name in labels:
        c = classified(name)
        assert c.basis, name
        keys = " ".join(b.key for b in c.basis)
        assert "sysObjectID" in keys
        if c.model_row_id:
            assert f"models.toml#{c.model_row_id}" in keys
        if c.fingerprint_id:
            assert f"fingerprints.toml#{c.fingerprint_id}" in keys
        assert 0.0 <= c.role_confidence <= 1.0


def test_unknown_is_honest() -> None:
    c = classify("192.0.2.9", SnmpData())
    assert (c.role, c.role_confidence, c.vendor, c.model) == (Role.UNKNOWN, 0.0, None, None)
    data = SnmpData()
    data.set(oid("1.3.6.1.2.1.1.2.0"), "1.3.6.1.4.1.99999.7")
    data.set(oid("1.3.6.1.2.1.1.1.0"), "Acme box 3.1")
    assert classify("192.0.2.9", data).role is Role.UNKNOWN


def test_user_set_sys_descr_does_not_override_vendor_evidence() -> None:
    data = load(LAB_RECORDINGS / "router.snmprec")
    data.set(oid("1.3.6.1.2.1.1.1.0"), "core router, room 12")   # an administrator's description
    c = classify("10.66.0.1", data)
    assert c.role is ROUTER and c.vendor == "MikroTik"


def test_fingerprint_for_the_sweep() -> None:
    fp = fingerprint("1.3.6.1.4.1.14988.1", "RouterOS CCR2004-16G-2S+")
    assert (fp.vendor, fp.os_family, fp.model, fp.role_hint) == ("MikroTik", "RouterOS", "CCR2004-16G-2S+", ROUTER)
    assert "1.3.6.1.4.1.14988.1.1.1" in fp.extra_subtrees          # mtxrWireless
    ambiguous = fingerprint("1.3.6.1.4.1.8072.3.2.10", "Linux nas0 3.2.101")
    assert ambiguous.vendor is None
    assert "1.3.6.1.4.1.6574.1" in ambiguous.extra_subtrees       # the Synology MIB resolves it
    assert "1.3.6.1.4.1.41112.1.6.3" in ambiguous.extra_subtrees   # the UniFi MIB too
    zyxel = fingerprint(".1.3.6.1.4.1.890.1.15", "NXC2500")
    assert zyxel.vendor == "Zyxel" and zyxel.role_hint is None and "1.3.6.1.4.1.890.1.15.3.1.11.0" in zyxel.model_oids
    unknown = fingerprint(None, None)
    assert unknown.id is None and unknown.extra_subtrees
    assert fingerprint("", "") == unknown
    assert not any(s.startswith(b + ".") for s in fp.extra_subtrees for b in BASE_SUBTREES)


def test_base_subtrees_are_dotted_oids() -> None:
    assert "1.3.6.1.2.1.1" in BASE_SUBTREES and "1.3.6.1.2.1.31.1.1.1.15" in BASE_SUBTREES
    for text in BASE_SUBTREES:
        assert oid(text)


@pytest.mark.parametrize("file,role,vendor,model,capability", [
    ("router", ROUTER, "MikroTik", "CCR2004-16G-2S+", 10000),
    ("switch", SWITCH, "TP-Link", "TL-SG3428", 1000),
    ("ap-nanohd", AP, "Ubiquiti", "UAP-nanoHD", 1000),
    ("ap-eap115", AP, "TP-Link", "EAP115", 100),
    ("printer", PRINTER, "HP", "HP LaserJet Pro M404dn", 1000),
])
def test_lab_devices(file: str, role: Role, vendor: str, model: str, capability: int) -> None:
    path = LAB_RECORDINGS / f"{file}.snmprec"
    if not path.exists():
        pytest.skip(f"lab recording {path.name} not built")
    c = classify("10.66.0.9", load(path))
    assert (c.role, c.vendor, c.model, c.max_port_capability_mbps) == (role, vendor, model, capability)


def test_to_device_round_trips_through_json(classified: Any) -> None:
    c = classified("arubaos-cx_10.07")
    device = to_device(c, snmp_status="ok", snmp_version="v2c")
    assert device.role is SWITCH and device.model == c.model and device.interfaces == c.interfaces
    assert device.max_port_speed_mbps == 10000 and device.lldp_neighbors and device.snmp_version == "v2c"
    again = from_jsonable(Device, to_jsonable(device))
    assert again == device


def test_generic_signals_break_ties_with_their_basis() -> None:
    data = SnmpData()
    data.set(oid("1.3.6.1.2.1.1.2.0"), "1.3.6.1.4.1.99999.1")
    data.set(oid("1.3.6.1.2.1.4.1.0"), 1)                                   # ipForwarding = forwarding
    data.set(oid("1.3.6.1.2.1.4.21.1.7.0.0.0.0"), "192.0.2.254")             # a default route
    data.set(oid("1.0.8802.1.1.2.1.3.6.0"), b"\x08\x00")                   # LLDP enabled: router
    c = classify("192.0.2.1", data)
    assert c.role is ROUTER and c.role_confidence < 0.6
    keys = " ".join(b.key for b in c.basis)
    assert "ipForwarding" in keys and "lldpLocSysCapEnabled" in keys
    switch = SnmpData()
    switch.set(oid("1.3.6.1.2.1.17.1.2.0"), 24)
    for i in range(1, 25):
        switch.set(oid(f"1.3.6.1.2.1.2.2.1.3.{i}"), 6)
        switch.set(oid(f"1.3.6.1.2.1.31.1.1.1.1.{i}"), f"port{i}")
    assert classify("192.0.2.2", switch).role is SWITCH
