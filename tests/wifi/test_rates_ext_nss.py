"""802.11ac Extended NSS BW: 160 / 80+80 MHz at a fraction of the streams (IEEE 802.11-2020 9.4.2.156.2).

Every combination of Supported Channel Width Set (B2-B3) x Extended NSS BW Support (B30-B31) x VHT Extended NSS
BW Capable (Supported VHT-MCS and NSS Set B61) x 1-8 streams is checked against the standard's Table 9-272,
written out below from the standard (not imported from the code under test).
"""

from __future__ import annotations

import struct
from fractions import Fraction

import pytest

from agent.model import Radio
from probes.wifi.bss import BssObservation, analyse
from probes.wifi.ie import VhtCapabilities, parse_elements
from probes.wifi.rates import phy_rate, vht_max_rate
from tests.wifi.beacons import elements_bytes, elt, ht_cap, mcs_map

# IEEE 802.11-2020 Table 9-272: (Supported Channel Width Set, Extended NSS BW Support) ->
# NSS factor at 20, 40, 80, 160, 80+80 MHz ("-" = that width is not supported) and where a 160 / 80+80 MHz BSS
# puts its second centre frequency segment. Rows absent from the table are reserved.
TABLE_9_272 = {
    (0, 0): ("1", "1", "1", "-", "-", "-", "-"),
    (0, 1): ("1", "1", "1", "1/2", "-", "CCFS2", "-"),
    (0, 2): ("1", "1", "1", "1/2", "1/2", "CCFS2", "CCFS2"),
    (0, 3): ("1", "1", "1", "3/4", "3/4", "CCFS2", "CCFS2"),
    (1, 0): ("1", "1", "1", "1", "-", "CCFS1", "-"),
    (1, 1): ("1", "1", "1", "1", "1/2", "CCFS1", "CCFS2"),
    (1, 2): ("1", "1", "1", "1", "3/4", "CCFS1", "CCFS2"),
    (1, 3): ("2", "2", "2", "2", "1", "CCFS1", "CCFS1"),
    (2, 0): ("1", "1", "1", "1", "1", "CCFS1", "CCFS1"),
    (2, 3): ("2", "2", "2", "1", "1", "CCFS1", "CCFS1"),
}
RESERVED = ("1", "1", "1", "-", "-", "-", "-")  # what the audit assumes for a reserved combination: <= 80 MHz
WIDTHS = (20, 40, 80, 160, "80+80")


def cap(width_set: int, ext: int, nss: int, *, capable: bool = True, sgi: bool = True) -> VhtCapabilities:
    info = (width_set << 2) | (ext << 30) | (0x60 if sgi else 0)
    return VhtCapabilities(info=info, rx_mcs_map=mcs_map(nss), rx_highest=0, tx_mcs_map=mcs_map(nss),
                           ext_nss_bw_capable=capable)


def expected_row(width_set: int, ext: int, capable: bool) -> tuple[str, ...]:
    return TABLE_9_272.get((width_set, ext if capable else 0), RESERVED)


def expected_nss(factor: str, nss: int) -> int:
    return 0 if factor == "-" else int(Fraction(factor) * nss)  # rounded down


COMBINATIONS = [(w, x, c, n) for w in range(4) for x in range(4) for c in (True, False) for n in range(1, 9)]


@pytest.mark.parametrize(("width_set", "ext", "capable", "nss"), COMBINATIONS)
def test_streams_per_width_follow_table_9_272(width_set: int, ext: int, capable: bool, nss: int) -> None:
    c = cap(width_set, ext, nss, capable=capable)
    row = expected_row(width_set, ext, capable)
    got = {w: c.nss_at(w) for w in WIDTHS}  # type: ignore[arg-type]
    want = {w: expected_nss(f, nss) for w, f in zip(WIDTHS, row[:5], strict=True)}
    assert got == want
    assert c.width_row.ccfs_160 == (None if row[5] == "-" else row[5])
    assert c.width_row.ccfs_80p80 == (None if row[6] == "-" else row[6])
    assert c.supports_160 == (want[160] > 0 or want["80+80"] > 0)
    assert c.max_nss == max(want.values())


@pytest.mark.parametrize(("width_set", "ext", "capable", "nss"), COMBINATIONS)
def test_max_rate_is_the_best_width_at_its_own_streams(width_set: int, ext: int, capable: bool, nss: int) -> None:
    row = expected_row(width_set, ext, capable)
    candidates = []
    for width, factor in zip((80, 160, 160), (row[2], row[3], row[4]), strict=True):
        streams = expected_nss(factor, nss)
        for mcs in (9, 8):  # VHT MCS 9 is invalid at some (width, streams): the standard's rate is then MCS 8
            rate = phy_rate("vht", width, streams, mcs, 0.4) if streams else None
            if rate is not None:
                candidates.append(rate)
                break
    best = vht_max_rate(cap(width_set, ext, nss, capable=capable))
    assert candidates, "every row supports 80 MHz at >= 1 stream"
    assert best is not None and best.rate == max(candidates)


@pytest.mark.parametrize(
    ("width_set", "ext", "nss", "rate", "width", "streams"),
    [
        (0, 1, 4, 1733.3, 80, 4),  # issue #12: 4x4 80 MHz, 160 at half the streams -> 1733.3, not 3466.7
        (0, 2, 4, 1733.3, 80, 4),
        (0, 3, 4, 2340.0, 160, 3),  # 160 MHz at 3/4: 3 SS (MCS 9 invalid at VHT160 3 SS -> MCS 8)
        (0, 1, 1, 433.3, 80, 1),  # 1 stream x 1/2 = none at 160 MHz
        (1, 0, 4, 3466.7, 160, 4),
        (1, 3, 2, 3466.7, 160, 4),  # the map says 2 SS, the factor 2 gives 4 at 80 and 160 MHz
        (2, 3, 2, 1733.3, 80, 4),  # 4 SS at 80 MHz; 160 MHz at the map's 2 SS is the same rate
        (2, 1, 4, 1733.3, 80, 4),  # reserved combination: 160 MHz is not claimed
    ],
)
def test_checkpoints(width_set: int, ext: int, nss: int, rate: float, width: object, streams: int) -> None:
    best = vht_max_rate(cap(width_set, ext, nss))
    assert best is not None
    assert (best.rate, best.nss, best.width) == (rate, streams, width)  # a tie keeps the narrower width


def test_ext_nss_bw_bits_count_only_with_the_capable_bit() -> None:
    assert cap(0, 1, 4, capable=False).supports_160 is False
    assert vht_max_rate(cap(0, 3, 4, capable=False)).rate == 1733.3  # type: ignore[union-attr]
    assert vht_max_rate(cap(0, 3, 4, capable=True)).rate == 2340.0  # type: ignore[union-attr]


def test_mixed_mcs_map_uses_max_nss_per_mcs() -> None:
    # streams 1-3 MCS 0-9, stream 4 MCS 0-7: 160 at 1/2 gives 1 SS at MCS 9, 2 SS at MCS 7
    mixed = mcs_map(3) & ~(0x3 << 6)  # stream 4: code 0 = MCS 0-7
    c = VhtCapabilities(info=(1 << 30) | 0x60, rx_mcs_map=mixed, rx_highest=0, tx_mcs_map=mixed,
                        ext_nss_bw_capable=True)
    assert (c.map_nss(9), c.map_nss(7)) == (3, 4)
    assert c.nss_mcs(160) == [(2, 7), (1, 8), (1, 9)]
    best = vht_max_rate(c)
    assert best is not None and best.rate == 1300.0  # VHT80 4 SS MCS 7 = VHT80 3 SS MCS 9 = VHT160 2 SS MCS 7


def _vht_cap_element(width_set: int, ext: int, nss: int, capable: bool) -> object:
    info = 0x3 | (width_set << 2) | 0x10 | 0x20 | 0x40 | 0x800 | (1 << 19) | (ext << 30)
    m = mcs_map(nss)
    return elt(191, struct.pack("<IHHHH", info, m, 0, m, 0x2000 if capable else 0))


def _ht_oper(primary: int, ccfs2: int = 0) -> object:
    info1 = 0x01 | 0x04  # secondary above, any width
    return elt(61, bytes([primary, info1]) + struct.pack("<H", ccfs2 << 5) + bytes([0, 0]) + bytes(16))


def _vht_oper(width: int, ccfs0: int, ccfs1: int = 0) -> object:
    return elt(192, bytes([width, ccfs0, ccfs1]) + struct.pack("<H", 0xFFFC))


def _radio(*elements: object) -> Radio:
    return analyse(BssObservation("02:00:00:00:00:01", parse_elements(elements_bytes(*elements)), 5180))


def test_beacon_of_a_4x4_ext_nss_ap_reads_1733_not_3466() -> None:
    r = _radio(ht_cap(4), _vht_cap_element(0, 1, 4, True), _ht_oper(36, ccfs2=50), _vht_oper(1, 42))
    assert (r.standard, r.max_rate_mbps, r.max_nss) == ("ac", 1733.3, 4)
    assert 160 in r.widths_mhz
    assert r.channel_width_mhz == 160  # CCFS1 = 0, HT Operation CCFS2 = 50: a 160 MHz BSS (Table 9-272 "CCFS2")
    rule = next(b for b in r.basis if b.key == "max PHY rate")
    assert rule.value == "1733.3 Mbit/s"


def test_beacon_ccfs2_rule() -> None:
    assert _radio(ht_cap(4), _vht_cap_element(0, 1, 4, True), _ht_oper(36), _vht_oper(1, 42)).channel_width_mhz == 80
    e = parse_elements(elements_bytes(_ht_oper(36, ccfs2=50), _vht_oper(1, 42)))
    assert e.ht_oper is not None and e.ht_oper.ccfs2 == 50
    assert e.vht_oper is not None and e.vht_oper.ccfs2 == 50 and e.vht_oper.width_mhz == 160
    r = _radio(ht_cap(4), _vht_cap_element(0, 3, 4, True), _ht_oper(36), _vht_oper(1, 42))
    rule = next(b for b in r.basis if b.key == "max PHY rate")
    assert r.max_rate_mbps == 2340.0 and "3/4 x 4 SS" in rule.note and "Table 9-272" in rule.note
