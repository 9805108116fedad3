"""Radios over SNMP: the shared real recordings, the lab's AP recordings, and controller tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.model import Role
from probes.snmp.data import SnmpData, oid
from probes.snmp.snmprec import load
from probes.wifi.snmp_radios import load_tables, radios_from_snmp
from tests.labels import records as label_records

LAB = Path(__file__).resolve().parents[2] / "lab" / "recordings"


def labels(recordings_dir: Path) -> dict[str, dict]:
    return {r["file"]: r for r in label_records(recordings_dir)}


def test_every_table_has_a_source():
    tables = load_tables()
    assert tables
    for table in tables:
        assert table["source"].strip() and table["id"]


def test_every_recording_reads_without_error(recordings_dir):
    for path in sorted(recordings_dir.glob("*.snmprec")):
        result = radios_from_snmp(load(path), None, None)
        assert not result.warnings, path.name


def test_mib_radio_bands_match_the_labels(recordings_dir):
    """Where a radio table answered, its bands and standard agree with labels.json."""
    checked = 0
    for name, label in labels(recordings_dir).items():
        result = radios_from_snmp(load(recordings_dir / name), label["vendor"], None)
        if not result.tables:
            continue
        checked += 1
        bands = {r.band_ghz for r in result.radios if r.band_ghz}
        assert bands == set(label["wifi_bands_ghz"] or []), name
        for radio in result.radios:
            assert any(b.source == "snmp" for b in radio.basis), name
            if radio.standard and label["wifi_standard"] in ("n", "ac", "ax", "be"):
                assert radio.standard == label["wifi_standard"], name
    assert checked >= 4  # UniFi radio table, MikroTik AP and 60 GHz tables, Xirrus IAP table


def test_specific_recordings(recordings_dir):
    rb = radios_from_snmp(load(recordings_dir / "routeros_rb433gl.snmprec"), "MikroTik", "RB433GL")
    assert [(r.freq_mhz, r.band_ghz, r.standard, r.ssid) for r in rb.radios] == [
        (5600, "5", "n", "0203MH0204"),
        (5220, "5", "n", "pik-crkva"),
    ]
    lhg = radios_from_snmp(load(recordings_dir / "routeros_wifi.snmprec"), "MikroTik", None)
    assert [(r.freq_mhz, r.band_ghz, r.standard) for r in lhg.radios] == [(58320, "60", "ad")]
    lte = radios_from_snmp(load(recordings_dir / "unifi_unifi.snmprec"), "Ubiquiti", None)
    assert [(r.band_ghz, r.name) for r in lte.radios] == [("2.4", "unifi.1")]  # model U-LTE-Pro-EU: not catalogued


def test_catalog_radios_for_stub_recordings_agree_with_labels(recordings_dir):
    """A model-only capture gets its radios from the catalog row, marked so; they agree with the labels."""
    agree = total = 0
    for name, label in labels(recordings_dir).items():
        if label["role"] != "ap" or not label["model"]:
            continue
        model = label["model"].split(" ")[0]
        result = radios_from_snmp(load(recordings_dir / name), label["vendor"], model)
        if not result.radios or result.tables:  # a radio table answered: covered by the test above
            continue
        total += 1
        bands = sorted({r.band_ghz for r in result.radios if r.band_ghz}, key=float)
        best = max(
            (r.standard for r in result.radios), key=lambda s: ["legacy", "n", "ac", "ax", "be"].index(s or "legacy")
        )
        wave2 = next((r.wave2 for r in result.radios if r.band_ghz != "2.4" and r.wave2 is not None), None)
        wave2 = False if best == "n" else wave2
        label_std = (label["wifi_standard"] or "").replace("-wave2", "").replace("-6e", "")
        ok = bands == label["wifi_bands_ghz"] and best == label_std
        ok = ok and (label["wifi_wave2"] is None or wave2 == label["wifi_wave2"])
        agree += ok
        assert all(any(b.source == "catalog" for b in r.basis) for r in result.radios), name
    assert total >= 8 and agree == total


def lab_recording(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    if (LAB / f"{name}.snmprec").is_file():
        return LAB / f"{name}.snmprec"
    make = pytest.importorskip("lab.make_recordings")
    out = tmp_path_factory.mktemp("labrec")
    make.main(["--out", str(out)])
    return out / f"{name}.snmprec"


def test_lab_nanohd_passes_and_eap115_fails(tmp_path_factory):
    nano = radios_from_snmp(load(lab_recording(tmp_path_factory, "ap-nanohd")), "Ubiquiti", None)
    bands = {r.band_ghz: r for r in nano.radios}
    assert set(bands) == {"2.4", "5"}
    assert (bands["5"].standard, bands["5"].wave2, bands["5"].max_rate_mbps, bands["5"].streams) == (
        "ac",
        True,
        1733.3,
        4,
    )
    assert (bands["2.4"].standard, bands["2.4"].max_rate_mbps) == ("n", 300.0)
    # the VAP table names each radio's BSSID, SSID and channel (joins SNMP with the air scan)
    assert (bands["2.4"].channel, bands["5"].channel, bands["5"].ssid) == (6, 36, "TruongHoc")
    assert bands["5"].bssid and bands["5"].bssid.count(":") == 5
    eap = radios_from_snmp(load(lab_recording(tmp_path_factory, "ap-eap115")), "TP-Link", None)
    assert [(r.band_ghz, r.standard, r.wave2, r.max_rate_mbps, r.channel) for r in eap.radios] == [
        ("2.4", "n", False, 300.0, 6)
    ]


def data(values: dict[str, object]) -> SnmpData:
    d = SnmpData()
    for key, value in values.items():
        d.set(oid(key), value)  # type: ignore[arg-type]
    return d


MAC1 = "0.58.153.1.2.3"
MAC2 = "0.58.153.4.5.6"


def test_airespace_controller_expands_to_joined_aps():
    d = data({
        f"1.3.6.1.4.1.14179.2.2.1.1.3.{MAC1}": "AP-THU-VIEN",
        f"1.3.6.1.4.1.14179.2.2.1.1.16.{MAC1}": "AIR-AP1815I-E-K9",
        f"1.3.6.1.4.1.14179.2.2.1.1.19.{MAC1}": "10.0.0.21",
        f"1.3.6.1.4.1.14179.2.2.1.1.3.{MAC2}": "AP-PHONG-1",
        f"1.3.6.1.4.1.14179.2.2.1.1.16.{MAC2}": "AIR-CAP1702I-E-K9",
        f"1.3.6.1.4.1.14179.2.2.2.1.2.{MAC1}.0": 1,
        f"1.3.6.1.4.1.14179.2.2.2.1.2.{MAC1}.1": 2,
        f"1.3.6.1.4.1.14179.2.2.2.1.2.{MAC2}.0": 1,
        f"1.3.6.1.4.1.14179.2.2.2.1.2.{MAC2}.1": 2,
    })  # fmt: skip
    result = radios_from_snmp(d, "Cisco", "AIR-CT5508-K9")
    assert result.radios == () and len(result.children) == 2
    by_name = {c.sys_name: c for c in result.children}
    lib = by_name["AP-THU-VIEN"]
    assert (lib.ip, lib.mac, lib.role, lib.model) == (
        "10.0.0.21",
        "00:3a:99:01:02:03",
        Role.ACCESS_POINT,
        "AIR-AP1815I-E-K9",
    )
    assert [(r.band_ghz, r.standard, r.wave2) for r in lib.radios] == [("2.4", "n", None), ("5", "ac", True)]
    old = by_name["AP-PHONG-1"]
    assert [(r.band_ghz, r.standard, r.wave2) for r in old.radios] == [("2.4", "n", None), ("5", "ac", False)]


def test_fortiap_radio_type_gives_band_and_standard():
    d = data({
        "1.3.6.1.4.1.12356.120.4.1.1.6.1": 8,
        "1.3.6.1.4.1.12356.120.4.1.1.6.2": 9,
        "1.3.6.1.4.1.12356.120.4.1.1.12.2": 2,
        "1.3.6.1.4.1.12356.120.4.1.1.14.1": 6,
        "1.3.6.1.4.1.12356.120.4.1.1.14.2": 36,
    })  # fmt: skip
    result = radios_from_snmp(d, "Fortinet", None)
    assert [(r.band_ghz, r.standard, r.channel, r.channel_width_mhz) for r in result.radios] == [
        ("2.4", "ax", 6, None),
        ("5", "ax", 36, 80),
    ]


def test_ieee802dot11_ofdm_table_and_phy_type():
    d = data({
        "1.2.840.10036.4.1.1.1.5": 9,  # vht
        "1.2.840.10036.4.11.1.1.5": 44,  # dot11CurrentFrequency (OFDM, 5 GHz)
        "1.2.840.10036.1.1.1.9.5": "School",
        "1.2.840.10036.3.1.2.1.3.5": "DAP-2660",
    })  # fmt: skip
    (radio,) = radios_from_snmp(d, "D-Link", None).radios
    assert (radio.band_ghz, radio.standard, radio.channel, radio.ssid, radio.wave2) == ("5", "ac", 44, "School", False)


def test_mikrotik_band_string_and_channel_only_rules():
    d = data({
        "1.3.6.1.4.1.14988.1.1.1.3.1.4.1": "school",
        "1.3.6.1.4.1.14988.1.1.1.3.1.8.1": "5805/20-Ceee/ac",
        "1.3.6.1.4.1.14988.1.1.1.3.1.8.2": "2412/20/gn",
    })  # fmt: skip
    result = radios_from_snmp(d, "MikroTik", None)
    assert [(r.freq_mhz, r.band_ghz, r.standard, r.channel_width_mhz) for r in result.radios] == [
        (5805, "5", "ac", 20),
        (2412, "2.4", "n", 20),
    ]
    # a channel number alone: 1-14 is not 2.4 GHz for a model that also has 6 GHz
    d = data({"1.3.6.1.4.1.42397.1.1.3.1.1.4.1": 5, "1.3.6.1.4.1.42397.1.1.3.1.1.4.2": 149})
    radios = radios_from_snmp(d, "Ubiquiti", "U6-Enterprise").radios
    assert [r.band_ghz for r in radios] == [None, "5"]
    assert any("6 GHz" in b.note for b in radios[0].basis)


def test_nothing_to_read_gives_nothing():
    result = radios_from_snmp(SnmpData(), None, None)
    assert result.radios == () and result.children == ()


def test_dsss_table_with_a_5ghz_channel_number_is_not_called_24ghz():
    d = data({"1.2.840.10036.4.5.1.1.3": 36, "1.2.840.10036.4.5.1.1.4": 11})
    radios = radios_from_snmp(d, "Cisco Meraki", None).radios
    assert [r.band_ghz for r in radios] == ["5", "2.4"]
    assert "channel number only" in radios[0].basis[-1].note


def test_airmax_frequency():
    d = data({"1.3.6.1.4.1.41112.1.4.1.1.4.1": 5745, "1.3.6.1.4.1.41112.1.4.5.1.2.1": "ptp-link"})
    (radio,) = radios_from_snmp(d, "Ubiquiti", None).radios
    assert (radio.freq_mhz, radio.band_ghz, radio.ssid, radio.channel) == (5745, "5", "ptp-link", 149)


# ---------------------------------------------------------------- unseen models: [[family]] rows
UNSEEN_APS = [
    # (model as the classifier reports it, vendor as the classifier names it, standard, wave2, bands)
    ("515", "HPE Aruba Networking", "ax", None, {"2.4", "5"}),      # ArubaOS 'MODEL: 515'
    ("AP-345", "HPE Aruba Networking", "ac", True, {"2.4", "5"}),
    ("U6-Mesh", "Ubiquiti", "ax", None, {"2.4", "5"}),
    ("UAP-AC-IW", "Ubiquiti", "ac", False, {"2.4", "5"}),
    ("EAP683 LR", "TP-Link", "ax", None, {"2.4", "5"}),
    ("R850", "Ruckus (CommScope)", "ax", None, {"2.4", "5"}),
    ("R720", "Ruckus (CommScope)", "ac", True, {"2.4", "5"}),
    ("C9130AXI-E", "Cisco", "ax", None, {"2.4", "5"}),
    ("AIR-AP3802I-E-K9", "Cisco", "ac", True, {"2.4", "5"}),
    ("MR56", "Cisco Meraki", "ax", None, {"2.4", "5"}),
    ("WAX630S", "Zyxel", "ax", None, {"2.4", "5"}),
    ("FAP-231E", "Fortinet", "ac", True, {"2.4", "5"}),
    ("wAP ax", "MikroTik", "ax", None, {"2.4", "5"}),
]


@pytest.mark.parametrize("model,vendor,standard,wave2,bands", UNSEEN_APS, ids=[a[0] for a in UNSEEN_APS])
def test_unseen_ap_model_gets_its_family(model, vendor, standard, wave2, bands):
    """No [[ap]] row names these models: the vendor's family row gives standard, Wave 2 and bands."""
    result = radios_from_snmp(SnmpData(), vendor, model)
    assert {r.band_ghz for r in result.radios} == bands
    five = next(r for r in result.radios if r.band_ghz == "5")
    assert five.standard == standard and five.wave2 is wave2
    for radio in result.radios:
        assert any(b.source == "catalog" and b.key.startswith("catalog:family-") for b in radio.basis)


def test_family_rows_need_the_vendor():
    """Without a vendor (or with another vendor) a bare number never picks a family: unknown, not a guess."""
    assert radios_from_snmp(SnmpData(), None, "515").radios == ()
    assert radios_from_snmp(SnmpData(), "Ubiquiti", "515").radios == ()
    assert radios_from_snmp(SnmpData(), "Ubiquiti", "U-LTE-Pro-EU").radios == ()


def test_exact_rows_match_across_vendor_spellings():
    """The classifier's 'HPE Aruba Networking' / 'Ruckus (CommScope)' name the catalog's 'Aruba' / 'Ruckus' rows."""
    aruba = radios_from_snmp(SnmpData(), "HPE Aruba Networking", "AP-515")
    assert aruba.radios and all(any(b.key == "catalog:aruba-ap-515" for b in r.basis) for r in aruba.radios)
    ruckus = radios_from_snmp(SnmpData(), "Ruckus (CommScope)", "R750")
    assert ruckus.radios and all(any(b.key == "catalog:ruckus-r750" for b in r.basis) for r in ruckus.radios)
