"""Controllers list their APs as child Devices: AP lists, per-AP radio tables and joined tables (profile, AP type).

The .snmprec files in tests/data/snmp used here are NOT device recordings: each was written by hand from the MIB
definitions cited in config/catalog/wifi_mibs.toml and tests/data/README.md (FORTINET-FORTIGATE-MIB fgWc tables,
HUAWEI-WLAN-AP-MIB / -AP-RADIO-MIB, RUCKUS-ZD-WLAN-MIB, CISCO-LWAPP-AP-MIB + CISCO-LWAPP-DOT11-MIB, WLSX-WLAN-MIB).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model import Device, Radio, Role
from probes.discovery import device_from_snmp
from probes.snmp.data import SnmpData, oid
from probes.snmp.snmprec import load
from probes.wifi.snmp_radios import load_tables, parse_index, radios_from_snmp, wifi_facts

DATA = Path(__file__).resolve().parents[1] / "data" / "snmp"
CONTROLLER = "192.0.2.10"


def aps(name: str, data: SnmpData | None = None) -> dict[str | None, Device]:
    """The controller's child Devices by MAC, through the public entry point that sets ``parent``."""
    _device, children = device_from_snmp(CONTROLLER, data if data is not None else load(DATA / f"{name}.snmprec"))
    assert children
    assert all(ch.parent == CONTROLLER and ch.role is Role.ACCESS_POINT for ch in children)
    return {ch.mac: ch for ch in children}


def radios(device: Device) -> list[tuple[str | None, str | None, int | None, int | None, str | None]]:
    ordered: list[Radio] = sorted(device.radios, key=lambda r: float(r.band_ghz or 0))
    return [(r.band_ghz, r.standard, r.channel_width_mhz, r.channel, r.provenance) for r in ordered]


def test_index_specs_split_the_ap_key_from_the_radio_slot() -> None:
    index = (1, 3, 65, 66, 67, 2)  # VDOM 1, "ABC", radio 2
    assert parse_index(index, ["int", "str"]) == (((1,), (3, 65, 66, 67)), (2,))
    assert parse_index(index, 6) == (((1, 3, 65, 66, 67, 2),), ())
    assert parse_index((1, 9, 65), ["int", "str"]) is None  # the length says 9 octets; 1 is there
    assert parse_index((0, 17, 34, 51, 68, 1, 0), ["mac"]) == (((0, 17, 34, 51, 68, 1),), (0,))


def test_every_join_names_a_keyed_table_and_every_table_a_source() -> None:
    tables = load_tables()
    keyed = {t["id"] for t in tables if t.get("kind") == "keyed"}
    joins = [t["join"]["table"] for t in tables if "join" in t]
    assert joins and set(joins) <= keyed
    assert keyed <= set(joins)  # a keyed table nothing joins would never be read
    assert all(t["source"].strip() for t in tables)


def test_fortigate_managed_aps_get_radios_through_their_wtp_profile() -> None:
    by_mac = aps("fortigate_wtp")
    assert sorted(str(m) for m in by_mac) == ["70:4c:a5:11:22:01", "70:4c:a5:11:22:02", "70:4c:a5:11:22:03"]
    ax = by_mac["70:4c:a5:11:22:01"]
    assert (ax.model, ax.ip, ax.sys_name) == ("FAP-231F", "10.10.30.11", "ap-lab")
    # band/standard/width from the profile (dot11ax2g/dot11ax5g), channel and BSSID from the session radio
    # table; radio 3 (notExist) is no radio
    assert radios(ax) == [("2.4", "ax", 20, 6, "measured"), ("5", "ax", 80, 36, "measured")]
    assert {r.bssid for r in ax.radios} == {"70:4c:a5:11:22:10", "70:4c:a5:11:22:18"}
    assert any(b.value == "FAP231F-default" for r in ax.radios for b in r.basis)  # the join is in the basis
    assert ax.wifi is not None
    assert (ax.wifi.standard, ax.wifi.wave2, ax.wifi.bands_ghz, ax.wifi.provenance) == ("ax", None, ("2.4", "5"),
                                                                                      "measured")


def test_fortigate_profile_facts_win_over_the_catalog() -> None:
    n_only = aps("fortigate_wtp")["70:4c:a5:11:22:02"]  # FAP-221E (an 802.11ac Wave 2 family) set to 11n only
    assert radios(n_only) == [("2.4", "n", 20, None, "measured"), ("5", "n", 40, None, "measured")]
    assert n_only.wifi is not None
    assert (n_only.wifi.standard, n_only.wifi.wave2, n_only.wifi.provenance) == ("n", False, "measured")
    five = next(r for r in n_only.radios if r.band_ghz == "5")
    assert any(b.key == "disagreement" and "ac" in b.note for b in five.basis)  # the catalog is heard, not obeyed


def test_fortigate_ap_whose_profile_has_no_radio_rows_falls_back_to_its_model() -> None:
    hall = aps("fortigate_wtp")["70:4c:a5:11:22:03"]
    assert hall.model == "FAP-221E" and hall.radios
    expected = wifi_facts([], "FAP-221E", "Fortinet")  # what the catalog (row or family rule) says of the model
    assert expected is not None and expected.provenance in ("catalog", "inferred")
    assert all(r.provenance == expected.provenance for r in hall.radios)
    assert hall.wifi is not None
    assert (hall.wifi.standard, hall.wifi.wave2, hall.wifi.provenance) == ("ac", True, expected.provenance)


def test_huawei_ac_joins_the_ap_type_radio_table() -> None:
    by_mac = aps("huawei_ac_aps")
    assert sorted(str(m) for m in by_mac) == ["00:e0:fc:11:22:01", "00:e0:fc:11:22:02", "00:e0:fc:11:22:03"]
    ae = by_mac["00:e0:fc:11:22:01"]
    assert (ae.model, ae.ip, ae.sys_name, ae.serial) == ("AirEngine5760-10", "10.10.40.11", "ae-library",
                                                         "2102351234567890")
    # hwWlanRadioInfoTable (band, width) and hwWlanApTypeRadioTable (bgnax / anacax, streams) are one radio each
    assert radios(ae) == [("2.4", "ax", 20, None, "measured"), ("5", "ax", 80, None, "measured")]
    assert [r.streams for r in sorted(ae.radios, key=lambda r: float(r.band_ghz or 0))] == [2, 2]
    assert ae.wifi is not None and (ae.wifi.standard, ae.wifi.provenance) == ("ax", "measured")
    wave2 = by_mac["00:e0:fc:11:22:02"]  # AP4050DN: only the AP-type table speaks (bgn / anac)
    assert radios(wave2) == [("2.4", "n", None, None, "measured"), ("5", "ac", None, None, "measured")]
    assert wave2.wifi is not None
    assert (wave2.wifi.standard, wave2.wifi.wave2, wave2.wifi.provenance) == ("ac", True, "measured")
    unknown_type = by_mac["00:e0:fc:11:22:03"]  # AP4050DN-E: no type rows -> the model's catalog facts
    expected = wifi_facts([], "AP4050DN-E", "Huawei")
    assert expected is not None and expected.provenance in ("catalog", "inferred")
    assert unknown_type.wifi is not None
    assert (unknown_type.wifi.standard, unknown_type.wifi.provenance) == (expected.standard, expected.provenance)


def test_rows_of_two_tables_with_other_bands_are_not_merged() -> None:
    data = load(DATA / "huawei_ac_aps.snmprec")
    # say the AirEngine's type radio 1 is bgnax (2.4 GHz) while hwWlanRadioInfoTable says radio 1 is 5 GHz
    data.set(oid("1.3.6.1.4.1.2011.6.139.13.2.2.1.2.16.65.105.114.69.110.103.105.110.101.53.55.54.48.45.49.48.1"), 10)
    ae = aps("huawei_ac_aps", data)["00:e0:fc:11:22:01"]
    five = next(r for r in ae.radios if r.band_ghz == "5")
    assert (five.channel_width_mhz, five.provenance) == (80, "catalog")  # kept its own facts; standard from the row
    assert any(b.key == "disagreement" and "not merged" in b.note for b in five.basis)
    assert len(ae.radios) == 2


def test_zonedirector_lists_aps_with_model_and_falls_back_to_the_catalog_row() -> None:
    by_mac = aps("ruckus_zd_aps")
    measured, listed = by_mac["2c:5d:93:11:22:01"], by_mac["2c:5d:93:11:22:02"]
    assert (measured.model, measured.ip, measured.serial, measured.sys_descr) == ("R510", "10.10.50.11",
                                                                                  "441700000001", "library ceiling")
    assert radios(measured) == [("2.4", "n", None, 6, "measured"), ("5", "ac", None, 36, "measured")]
    assert measured.wifi is not None
    assert (measured.wifi.standard, measured.wifi.wave2, measured.wifi.provenance) == ("ac", True, "measured")
    # no radio stats rows: the R510 catalog row gives the radios, marked so
    assert listed.radios and all(r.provenance == "catalog" for r in listed.radios)
    assert listed.wifi is not None
    assert (listed.wifi.standard, listed.wifi.bands_ghz, listed.wifi.provenance) == ("ac", ("2.4", "5"), "catalog")
    assert any(b.key == "radios" and "catalog only" in b.value for r in listed.radios for b in r.basis)


def test_cisco_he_capability_table_completes_the_lwapp_radios() -> None:
    by_mac = aps("cisco_wlc_he")
    ax, old = by_mac["00:11:22:33:55:01"], by_mac["00:11:22:33:55:02"]
    # cLApDot11IfTable says 11ac at most (no .31 column); cldDot11IsHeCapable = true on both slots
    assert radios(ax) == [("2.4", "ax", None, None, "measured"), ("5", "ax", 80, None, "measured")]
    assert any("cldDot11axHeCapTable" in b.key for r in ax.radios for b in r.basis)
    assert ax.wifi is not None and (ax.wifi.standard, ax.wifi.provenance) == ("ax", "measured")
    assert radios(old) == [("2.4", "n", None, None, "measured"), ("5", "ac", 80, None, "measured")]
    assert old.wifi is not None and old.wifi.standard == "ac" and old.wifi.wave2 is False  # 3702: Wave 1 row


def test_aruba_ht_modes_he_and_vht_are_measured_ht_is_left_to_the_catalog() -> None:
    by_mac = aps("aruba_mc_aps")
    ax, ac = by_mac["20:4c:03:11:22:01"], by_mac["20:4c:03:11:22:02"]
    assert radios(ax) == [("2.4", "ax", 20, 6, "measured"), ("5", "ax", 80, 36, "measured")]
    assert ax.model == "AP-515" and ax.wifi is not None and ax.wifi.standard == "ax"
    assert radios(ac) == [("2.4", "n", 20, 1, "catalog"), ("5", "ac", 80, 44, "measured")]
    assert ac.wifi is not None and (ac.wifi.standard, ac.wifi.wave2, ac.wifi.provenance) == ("ac", True, "measured")


@pytest.mark.parametrize("name", ["fortigate_wtp", "huawei_ac_aps", "ruckus_zd_aps", "cisco_wlc_he", "aruba_mc_aps"])
def test_controller_files_read_without_warnings(name: str) -> None:
    result = radios_from_snmp(load(DATA / f"{name}.snmprec"), None, None)
    assert not result.warnings and result.children and not result.radios
