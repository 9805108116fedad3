"""Vendor MIB paths for models and radio facts, on small .snmprec files written from the MIB definitions.

tests/data/snmp/*.snmprec are NOT device recordings: each was written by hand from the MIB objects cited in
tests/data/README.md (FORTINET-FORTIAP-MIB, TP-Link Omada model scalar, LLDP-MIB lldpLocSysDesc, AIRESPACE +
CISCO-LWAPP-AP-MIB, Aruba Instant / Meraki / Huawei sysDescr shapes from shared/reference/ap-mibs.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model import Role
from probes.classify import classify
from probes.snmp.snmprec import load
from probes.wifi.snmp_radios import radios_from_snmp

DATA = Path(__file__).resolve().parents[1] / "data" / "snmp"


def facts(name: str):  # type: ignore[no-untyped-def]
    data = load(DATA / f"{name}.snmprec")
    c = classify("192.0.2.1", data)
    return c, radios_from_snmp(data, c.vendor, c.model)


@pytest.mark.parametrize(
    ("name", "model", "standard"),
    [
        ("fortiap_231f", "FAP-231F", "ax"),           # fapVersion names the platform; fapRadioType ax24G/ax5G
        ("omada_eap245", "EAP245", "ac"),             # Omada model scalar on a net-snmp sysObjectID
        ("grandstream_gwn7660", "GWN7660", "ax"),     # sysName 'grandstream': the LLDP local description names it
        ("meraki_mr36", "MR36", "ax"),
        ("huawei_airengine", "AirEngine5760-10", "ax"),
    ],
)
def test_model_and_generation_from_vendor_mibs(name: str, model: str, standard: str) -> None:
    c, result = facts(name)
    assert c.model == model
    assert c.role is Role.ACCESS_POINT
    assert result.wifi is not None and result.wifi.standard == standard
    assert result.wifi.bands_ghz == ("2.4", "5")
    assert any(model in b.value or model.split("-")[-1] in b.value for b in c.basis)  # the basis says where


def test_fortiap_radio_facts_are_measured() -> None:
    _c, result = facts("fortiap_231f")
    radios = sorted(result.radios, key=lambda r: float(r.band_ghz or 0))
    assert [(r.band_ghz, r.standard, r.channel_width_mhz, r.channel, r.provenance) for r in radios] == [
        ("2.4", "ax", 20, 6, "measured"), ("5", "ax", 80, 36, "measured")]
    assert result.wifi is not None and result.wifi.provenance == "measured"
    assert result.wifi.wave2 is None  # 802.11ax: newer than Wave 2, said so in the basis
    assert any(b.key == "wifi.wave2" and "newer" in b.note for b in result.wifi.basis)


def test_catalog_rows_per_revision_agree_on_the_generation() -> None:
    _c, result = facts("omada_eap245")
    assert result.wifi is not None
    assert (result.wifi.standard, result.wifi.provenance) == ("ac", "catalog")
    assert result.wifi.verified is False  # the EAP245 rows are unverified: the core shows "catalog, unverified"


def test_controller_lists_its_aps_with_lwapp_radio_facts() -> None:
    c, result = facts("cisco_wlc_aps")
    assert c.role is Role.WIRELESS_CONTROLLER
    by_mac = {ch.mac: ch for ch in result.children}
    assert sorted(by_mac) == ["00:11:22:33:44:01", "00:11:22:33:44:02"]
    wave2 = by_mac["00:11:22:33:44:01"]
    assert (wave2.model, wave2.ip, wave2.role) == ("AIR-AP2802I-E-K9", "10.10.20.11", Role.ACCESS_POINT)
    five = next(r for r in wave2.radios if r.band_ghz == "5")
    assert (five.standard, five.channel_width_mhz, five.max_rate_mbps, five.provenance) == ("ac", 80, 867.0, "measured")
    assert wave2.wifi is not None and wave2.wifi.standard == "ac" and wave2.wifi.wave2 is True
    assert wave2.wifi.max_rate_mbps == {"2.4": 144.0, "5": 867.0, "aggregate": 1011.0}
    ax = by_mac["00:11:22:33:44:02"]  # listed in bsnAPTable only: radios from its catalog row
    assert ax.model == "C9120AXI-E" and ax.wifi is not None and ax.wifi.standard == "ax"
    assert ax.radios and all(r.provenance == "catalog" for r in ax.radios)


def test_aruba_instant_model_from_sysdescr() -> None:
    c, result = facts("aruba_instant_315")
    assert c.model is not None and c.model.endswith("315")
    assert result.wifi is not None and result.wifi.standard == "ac"


def test_model_scan_finds_a_catalog_name_anywhere_but_not_in_neighbour_tables() -> None:
    from probes.model_sources import scan
    from probes.snmp.data import SnmpData, oid

    data = SnmpData()
    data.set(oid("1.3.6.1.4.1.99999.1.1.0"), "hw=EAP225 rev 3")
    data.set(oid("1.0.8802.1.1.2.1.4.1.1.10.0.1.1"), "UAP-AC-Pro neighbour")  # LLDP remote: another device
    found = scan(data, "TP-Link")
    assert found is not None and found[0] == "EAP225"
    only_neighbour = SnmpData()
    only_neighbour.set(oid("1.0.8802.1.1.2.1.4.1.1.10.0.1.1"), "UAP-AC-Pro neighbour")
    assert scan(only_neighbour, None) is None


def test_model_scan_ignores_names_an_admin_typed() -> None:
    from probes.model_sources import scan
    from probes.snmp.data import SnmpData, oid

    data = SnmpData()
    data.set(oid("1.3.6.1.2.1.1.5.0"), "EAP225-lobby")      # sysName
    data.set(oid("1.3.6.1.2.1.1.6.0"), "near the EAP245")   # sysLocation
    data.set(oid("1.3.6.1.2.1.31.1.1.1.18.3"), "to EAP225")  # ifAlias
    assert scan(data, None) is None


def test_ruckus_radio_mode_gives_the_standard_and_the_catalog_the_rest() -> None:
    c, result = facts("ruckus_r510")
    assert c.model == "R510"
    by_name = {r.name: r for r in result.radios}
    assert (by_name["ruckus-radio.2"].standard, by_name["ruckus-radio.2"].provenance) == ("ac", "measured")
    assert by_name["ruckus-radio.1"].provenance == "catalog"  # value 3 is unmapped: the model row fills it
    assert result.wifi is not None
    assert (result.wifi.standard, result.wifi.provenance) == ("ac", "measured")
    assert result.wifi.bands_ghz == ("2.4", "5")  # the radio mode names no band: the model row does
