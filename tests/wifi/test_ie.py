"""Raw element parsing: HT/VHT/HE/EHT layouts, Wave 2 bit, widths, streams, and malformed input."""

from __future__ import annotations

import random
import struct

from probes.wifi.bss import BssObservation, analyse
from probes.wifi.ie import parse_elements
from tests.wifi.beacons import (
    ds,
    eht_cap,
    elements_bytes,
    elt,
    he_cap,
    ht_cap,
    ht_oper,
    rates,
    ssid,
    vendor,
    vht_cap,
    vht_oper,
    wps,
)

# HE Capabilities elements published as hex dumps in a public IE-decoder test (code index id 30633426200,
# repository not named by the index; see tests/data/README.md): a Qualcomm 807x AP and an ASUS RT-AX88U.
HE_QCOM_807X = bytes.fromhex("ff1d230d01081a400004604c897fc1839c010800faff faff791cc7711cc771".replace(" ", ""))
HE_ASUS_RT_AX88U = bytes.fromhex("ff1d230d00081200100c2002c06f5b8318000c00aaffaaffaaffaaff3b1cc7711cc7711cc771")[
    :31
]  # the dump lists more octets than its length byte (0x1d) covers: keep the element only


def radio(*elements, freq=5180):
    return analyse(BssObservation("02:00:00:00:00:01", parse_elements(elements_bytes(*elements)), freq))


def test_vht_mu_beamformer_bit_19_means_wave2():
    e = parse_elements(elements_bytes(vht_cap(2, mu=True)))
    assert e.vht is not None and e.vht.mu_beamformer and e.vht.info & 0x00080000
    off = parse_elements(elements_bytes(vht_cap(2, mu=False))).vht
    assert off is not None and not off.mu_beamformer
    r = radio(ssid("s"), ht_cap(2), vht_cap(2, mu=True), vht_oper(1, 42))
    assert (r.standard, r.wave2, r.max_nss, r.max_rate_mbps, r.channel_width_mhz) == ("ac", True, 2, 866.7, 80)
    assert any("B19" in b.key and b.value == "1" for b in r.basis)


def test_vht_width_set_bits_2_3_give_160():
    r = radio(ht_cap(4), vht_cap(4, mu=True, width_set=1, sgi160=True))
    assert r.widths_mhz == (20, 40, 80, 160) and r.max_rate_mbps == 3466.7
    r = radio(ht_cap(2), vht_cap(2, mu=True, width_set=2, sgi160=False))
    assert 160 in r.widths_mhz and r.max_rate_mbps == 1560.0  # VHT160 2 SS MCS 9 long GI


def test_vht_operation_160_signalled_with_ccfs1():
    r = radio(ht_cap(2), vht_cap(2, mu=True, width_set=1), vht_oper(1, 42, 50))
    assert r.channel_width_mhz == 160


def test_spatial_streams_from_mcs_maps():
    for nss in range(1, 9):
        vht = parse_elements(elements_bytes(vht_cap(nss, mu=False))).vht
        assert vht is not None and vht.max_nss == nss
    ht = parse_elements(elements_bytes(ht_cap(3))).ht
    assert ht is not None and ht.max_nss == 3


def test_ht_only_24ghz_ap():
    r = radio(ssid("n"), rates(), ds(6), ht_cap(2), ht_oper(6, 1), freq=2437)
    assert (r.band_ghz, r.standard, r.wave2, r.max_rate_mbps, r.widths_mhz) == ("2.4", "n", None, 300.0, (20, 40))
    assert r.channel_width_mhz == 40


def test_he_and_eht_from_extension_elements():
    r = radio(ht_cap(2), vht_cap(2, mu=True), he_cap(2))
    assert (r.standard, r.max_rate_mbps) == ("ax", 1201.0)
    r = radio(ht_cap(4), vht_cap(4, mu=True, width_set=1), he_cap(4, w160=True))
    assert r.max_rate_mbps == 4803.9 and 160 in r.widths_mhz
    r = radio(he_cap(2, band24=True), ht_cap(2), freq=2412)
    assert (r.standard, r.max_rate_mbps, r.widths_mhz) == ("ax", 573.5, (20, 40))
    r = radio(ht_cap(2), vht_cap(2, mu=True), he_cap(2), eht_cap(2))
    assert (r.standard, r.max_rate_mbps) == ("be", 1441.2)
    r = radio(he_cap(4, w160=True), eht_cap(4, widths=3, w320=True), freq=6135)
    assert (r.band_ghz, r.standard, r.max_rate_mbps, max(r.widths_mhz)) == ("6", "be", 11529.4, 320)


def test_published_he_capability_vectors():
    qcom = parse_elements(HE_QCOM_807X)
    assert not qcom.warnings and qcom.he is not None
    assert qcom.he.width_80_5 and not qcom.he.width_160_5 and qcom.he.nss_mcs(80) == (2, 11)
    asus = parse_elements(HE_ASUS_RT_AX88U)
    assert asus.he is not None and asus.he.width_160_5 and asus.he.nss_mcs(160) == (4, 11)
    r = analyse(BssObservation("02:00:00:00:00:02", asus, 5500))
    assert r.max_rate_mbps == 4803.9


def test_broadcom_vendor_vht_on_24ghz_counts_as_vendor_mode():
    inner = bytes(vht_cap(2, mu=False))
    r = radio(ht_cap(2), ht_oper(1), vendor("00:90:4c", bytes([0x04, 0x08]) + inner), freq=2412)
    assert r.standard == "n" and r.max_rate_mbps == 400.0
    assert any("vendor 256-QAM" in b.key for b in r.basis)


def test_wps_model_and_unknown_vendor_elements_are_tolerated():
    e = parse_elements(elements_bytes(ssid("x"), wps("TP-Link", "EAP225", "3.0"), vendor("00:15:6d", b"\x01\x02")))
    assert e.wps == {"manufacturer": "TP-Link", "model_name": "EAP225", "model_number": "3.0"}
    assert "00:15:6d" in e.vendor_ouis and not e.warnings


def test_truncated_and_malformed_elements_become_warnings():
    good = elements_bytes(ssid("ok"), ht_cap(2), vht_cap(2, mu=True))
    cut = parse_elements(good[:-5])
    assert cut.ssid == "ok" and cut.ht is not None and cut.vht is None
    assert any("truncated" in w for w in cut.warnings)
    short = parse_elements(bytes([191, 4, 1, 2, 3, 4]) + bytes([45, 3, 0, 0, 0]))
    assert short.vht is None and short.ht is None and len(short.warnings) == 2
    lone = parse_elements(bytes([0]))
    assert lone.warnings and lone.ssid is None
    bad_he = parse_elements(bytes([255, 10, 35]) + bytes(9))
    assert bad_he.he is None and any("255" in w for w in bad_he.warnings)
    bad_ext = parse_elements(bytes([255, 0]))
    assert bad_ext.warnings


def test_random_bytes_never_raise():
    rng = random.Random(8)
    for _ in range(3000):
        blob = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 120)))
        parse_elements(blob)
        analyse(BssObservation("02:00:00:00:00:03", parse_elements(blob), rng.choice([None, 2412, 5180, 6135])))


def test_fuzzed_valid_prefix_keeps_what_is_intact():
    body = elements_bytes(ssid("school"), ds(36), ht_cap(4), ht_oper(36, 1), vht_cap(4, mu=True), elt(221, b"\x00"))
    for cut in range(len(body)):
        parse_elements(body[:cut])
    e = parse_elements(body)
    assert (
        e.vht is not None and e.ds_channel == 36 and e.vht.max_nss == 4 and e.warnings
    )  # vendor element with a 1-octet OUI
    assert struct.unpack_from("<I", bytes(vht_cap(4, mu=True)), 2)[0] & (1 << 19)
