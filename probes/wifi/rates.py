"""PHY data rates for 802.11n/ac/ax/be and the aggregate marketing class (AC1200, AX5400, ...).

Rate = N_SD x N_BPSCS x R x N_SS / T_SYM (IEEE 802.11-2020 19.5 / 21.5 / 27.5, 802.11be 36.5), with
T_SYM = 3.2 us + GI for HT/VHT and 12.8 us + GI for HE/EHT. Checked against the published MCS tables
(tests/wifi/test_rates.py) and Linux ``cfg80211_calculate_bitrate_*``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from probes.wifi.ie import VhtCapabilities, VhtWidth

Phy = Literal["ht", "vht", "he", "eht"]

# MCS -> (bits per subcarrier, coding rate)
MODULATION: dict[int, tuple[int, Fraction]] = {
    0: (1, Fraction(1, 2)),
    1: (2, Fraction(1, 2)),
    2: (2, Fraction(3, 4)),
    3: (4, Fraction(1, 2)),
    4: (4, Fraction(3, 4)),
    5: (6, Fraction(2, 3)),
    6: (6, Fraction(3, 4)),
    7: (6, Fraction(5, 6)),
    8: (8, Fraction(3, 4)),
    9: (8, Fraction(5, 6)),
    10: (10, Fraction(3, 4)),
    11: (10, Fraction(5, 6)),
    12: (12, Fraction(3, 4)),
    13: (12, Fraction(5, 6)),
}

DATA_SUBCARRIERS: dict[str, dict[int, int]] = {
    "ht": {20: 52, 40: 108},
    "vht": {20: 52, 40: 108, 80: 234, 160: 468},
    "he": {20: 234, 40: 468, 80: 980, 160: 1960},
    "eht": {20: 234, 40: 468, 80: 980, 160: 1960, 320: 3920},
}
TOP_MCS: dict[str, int] = {"ht": 7, "vht": 9, "he": 11, "eht": 13}
MAX_NSS: dict[str, int] = {"ht": 4, "vht": 8, "he": 8, "eht": 8}
GUARD_INTERVALS: dict[str, tuple[float, ...]] = {"ht": (0.4, 0.8), "vht": (0.4, 0.8), "he": (0.8, 1.6, 3.2)}
GUARD_INTERVALS["eht"] = GUARD_INTERVALS["he"]

# VHT (width, nss, mcs) combinations the standard marks "not valid" (IEEE 802.11-2020 Tables 21-29..21-60;
# mac80211 minstrel_get_valid_vht_rates() for 20/80 MHz).
VHT_INVALID: frozenset[tuple[int, int, int]] = frozenset(
    {(20, n, 9) for n in (1, 2, 4, 5, 7, 8)} | {(80, 3, 6), (80, 7, 6), (80, 6, 9), (160, 3, 9)}
)


def phy_rate(phy: Phy, width_mhz: int, nss: int, mcs: int, gi_us: float = 0.8, *, vendor: bool = False) -> float | None:
    """Data rate in Mbit/s (one decimal), or None for a combination the standard does not define.

    ``vendor=True`` allows the non-standard VHT modes some vendors advertise (256-QAM on 2.4 GHz is plain VHT40;
    1024-QAM VHT MCS 10/11 is only accepted with this flag).
    """
    table = DATA_SUBCARRIERS.get(phy)
    if table is None or width_mhz not in table or not 1 <= nss <= MAX_NSS[phy] or mcs not in MODULATION:
        return None
    top = 11 if (phy == "vht" and vendor) else TOP_MCS[phy]
    if mcs > top or gi_us not in GUARD_INTERVALS[phy]:
        return None
    if phy == "vht" and (width_mhz, nss, mcs) in VHT_INVALID:
        return None
    bits, rate = MODULATION[mcs]
    symbol_us = Fraction(32, 10) if phy in ("ht", "vht") else Fraction(128, 10)
    mbps = Fraction(table[width_mhz] * bits * nss) * rate / (symbol_us + Fraction(str(gi_us)))
    return round(float(mbps), 1)


def best_rate(phy: Phy, width_mhz: int, nss: int, top_mcs: int | None = None, *, short_gi: bool = True) -> float | None:
    """Highest valid rate at this width and stream count, up to ``top_mcs`` (default: the PHY's top MCS).

    The shortest guard interval is used for HE/EHT (0.8 us) and for HT/VHT when ``short_gi`` (0.4 us).
    For VHT an invalid top MCS falls back to the next lower one (VHT20 2 SS -> MCS 8 = 173.3).
    """
    top = TOP_MCS[phy] if top_mcs is None else top_mcs
    gi = 0.4 if phy in ("ht", "vht") and short_gi else 0.8
    for mcs in range(top, -1, -1):
        rate = phy_rate(phy, width_mhz, nss, mcs, gi, vendor=top > TOP_MCS[phy])
        if rate is not None:
            return rate
    return None


class VhtBest(NamedTuple):
    """The highest VHT rate a capabilities element allows, and how it was reached."""

    rate: float
    width: VhtWidth
    nss: int
    mcs: int
    short_gi: bool
    factor: Fraction
    map_nss: int

    def describe(self) -> str:
        gi = "short GI" if self.short_gi else "long GI"
        text = f"VHT{self.width} {self.nss} SS up to MCS {self.mcs}, {gi}"
        if self.factor != 1:
            text += (f"; Extended NSS BW: {self.factor} x {self.map_nss} SS of the VHT-MCS map at {self.width} MHz "
                     "(IEEE 802.11-2020 Table 9-272)")
        return text


def vht_max_rate(cap: VhtCapabilities) -> VhtBest | None:
    """Highest rate over 80, 160 and 80+80 MHz, each at the streams Table 9-272 allows there (Extended NSS BW:
    a 4x4 80 MHz AP allowed 160 MHz at half its streams peaks at 4 SS VHT80 = 2 SS VHT160 = 1733.3, not 3466.7).

    Short GI is B5 for 80 MHz and B6 for 160 / 80+80 MHz; 20/40 MHz never beat 80 MHz at the same streams.
    """
    best: VhtBest | None = None
    widths: tuple[tuple[VhtWidth, int], ...] = ((80, 80), (160, 160), ("80+80", 160))  # (width, its rate table)
    for width, table in widths:
        factor = cap.nss_factor(width)
        sgi = cap.sgi_80 if width == 80 else cap.sgi_160
        for nss, mcs in cap.nss_mcs(width):
            rate = best_rate("vht", table, nss, mcs, short_gi=sgi)
            if rate is not None and factor is not None and (best is None or rate > best.rate):
                best = VhtBest(rate, width, nss, mcs, sgi, factor, cap.map_nss(mcs))
    return best


# Aggregate marketing classes: name -> the per-band sum it stands for (Mbit/s). Vendors round these freely,
# so a total is named after the nearest listed class within 3 %. Compositions in docs/wifi.md.
MARKETING_CLASSES: dict[str, float] = {
    "N150": 150,  # 1 SS HT40
    "N300": 300,  # 2 SS HT40
    "N450": 450,  # 3 SS HT40
    "N600": 600,  # 300 + 300 (dual-band 2 SS) or 4 SS HT40
    "AC600": 583.3,  # 150 + 433.3
    "AC750": 733.3,  # 300 + 433.3
    "AC1200": 1166.7,  # 300 + 866.7
    "AC1300": 1266.7,  # 400 (2.4 GHz 256-QAM) + 866.7
    "AC1350": 1316.7,  # 450 + 866.7
    "AC1600": 1600,  # 300 + 1300
    "AC1750": 1750,  # 450 + 1300
    "AC1900": 1900,  # 600 + 1300
    "AC2100": 2133.3,  # 400 + 1733.3
    "AC2300": 2333.3,  # 600 + 1733.3
    "AC2600": 2533.3,  # 800 + 1733.3
    "AC3000": 3000,  # 400 + 1300 + 1300 (tri-band)
    "AC3200": 3200,  # 600 + 1300 + 1300 (tri-band)
    "AC5300": 5333.3,  # 1000 + 2166.7 + 2166.7 (tri-band, vendor 1024-QAM)
    "AX1500": 1501.0,  # 300 + 1201
    "AX1800": 1774.5,  # 573.5 + 1201
    "AX3000": 2975.5,  # 573.5 + 2402
    "AX3600": 3549.1,  # 1147.1 + 2402
    "AX5400": 5377.4,  # 573.5 + 4803.9
    "AX6000": 5950.9,  # 1147.1 + 4803.9
    "AX6600": 6578.4,  # 573.5 + 1201 + 4803.9 (tri-band)
    "AX11000": 10755.0,  # 1147.1 + 4803.9 + 4803.9 (tri-band)
}


def marketing_class(standard: str, total_mbps: float) -> str:
    """The aggregate class name for a total: a listed class within 3 %, else the prefix + total rounded to 100."""
    prefix = {"n": "N", "ac": "AC", "ax": "AX", "be": "BE"}.get(standard, "")
    if not prefix or total_mbps <= 0:
        return ""
    candidates = [(abs(value - total_mbps) / value, name) for name, value in MARKETING_CLASSES.items()]
    candidates = [c for c in candidates if c[1].startswith(prefix) and c[1][len(prefix) :].isdigit()]
    if candidates:
        error, name = min(candidates)
        if error <= 0.03:
            return name
    return f"{prefix}{round(total_mbps / 100) * 100}"


def class_number(name: str) -> int | None:
    """The number in a class name ("AC1300" -> 1300), which is what the marketing figure claims."""
    digits = "".join(ch for ch in name if ch.isdigit())
    return int(digits) if digits else None
