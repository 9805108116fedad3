"""PHY rates against the published MCS tables (IEEE 802.11-2020 / 802.11be; criteria-and-wifi.md §2.4)."""

from __future__ import annotations

import pytest

from probes.wifi.rates import best_rate, class_number, marketing_class, phy_rate

# (phy, width, nss, mcs, gi, expected Mbit/s) from the standard's MCS tables
PUBLISHED = [
    ("ht", 20, 1, 7, 0.8, 65.0),
    ("ht", 20, 1, 7, 0.4, 72.2),
    ("ht", 20, 4, 7, 0.4, 288.9),
    ("ht", 40, 2, 7, 0.4, 300.0),
    ("ht", 40, 3, 7, 0.4, 450.0),
    ("ht", 40, 4, 7, 0.8, 540.0),
    ("ht", 20, 1, 0, 0.8, 6.5),
    ("vht", 20, 1, 8, 0.4, 86.7),
    ("vht", 20, 3, 9, 0.4, 288.9),
    ("vht", 40, 2, 9, 0.4, 400.0),
    ("vht", 80, 1, 9, 0.4, 433.3),
    ("vht", 80, 1, 9, 0.8, 390.0),
    ("vht", 80, 2, 9, 0.4, 866.7),
    ("vht", 80, 3, 9, 0.4, 1300.0),
    ("vht", 80, 4, 9, 0.4, 1733.3),
    ("vht", 160, 2, 9, 0.4, 1733.3),
    ("vht", 160, 4, 9, 0.4, 3466.7),
    ("vht", 160, 8, 9, 0.4, 6933.3),
    ("he", 20, 1, 11, 0.8, 143.4),
    ("he", 40, 2, 11, 0.8, 573.5),
    ("he", 40, 4, 11, 0.8, 1147.1),
    ("he", 80, 1, 11, 1.6, 567.1),
    ("he", 80, 1, 11, 3.2, 510.4),
    ("he", 80, 2, 11, 0.8, 1201.0),
    ("he", 80, 4, 11, 0.8, 2402.0),
    ("he", 160, 2, 11, 0.8, 2402.0),
    ("he", 160, 4, 11, 0.8, 4803.9),
    ("he", 160, 8, 11, 0.8, 9607.8),
    ("eht", 20, 1, 13, 0.8, 172.1),
    ("eht", 80, 2, 13, 0.8, 1441.2),
    ("eht", 160, 4, 13, 0.8, 5764.7),
    ("eht", 160, 4, 12, 0.8, 5188.2),
    ("eht", 320, 4, 13, 0.8, 11529.4),
    ("eht", 320, 8, 13, 0.8, 23058.8),
]


@pytest.mark.parametrize(("phy", "width", "nss", "mcs", "gi", "expected"), PUBLISHED)
def test_published_tables(phy, width, nss, mcs, gi, expected):
    assert phy_rate(phy, width, nss, mcs, gi) == expected


@pytest.mark.parametrize(
    ("width", "nss", "mcs"), [(20, 1, 9), (20, 2, 9), (20, 4, 9), (80, 3, 6), (80, 6, 9), (160, 3, 9)]
)
def test_vht_combinations_the_standard_marks_invalid(width, nss, mcs):
    assert phy_rate("vht", width, nss, mcs, 0.4) is None


def test_out_of_range_inputs_are_none_not_errors():
    assert phy_rate("ht", 80, 2, 7) is None  # HT has no 80 MHz
    assert phy_rate("ht", 20, 5, 7) is None  # HT stops at 4 streams
    assert phy_rate("vht", 80, 2, 10) is None  # 1024-QAM is not VHT...
    assert phy_rate("vht", 80, 4, 11, 0.4, vendor=True) == 2166.7  # ...except as a vendor mode
    assert phy_rate("he", 80, 2, 11, 0.4) is None  # HE has no 0.4 us GI
    assert phy_rate("eht", 320, 0, 13) is None


def test_best_rate_falls_back_past_invalid_top_mcs():
    assert best_rate("vht", 20, 2) == 173.3  # MCS 9 invalid -> MCS 8
    assert best_rate("vht", 160, 3) == 2340.0  # 160 MHz 3 SS MCS 9 invalid -> MCS 8
    assert best_rate("vht", 80, 2, top_mcs=7) == 650.0
    assert best_rate("ht", 40, 2, short_gi=False) == 270.0


def test_checkpoints_from_the_brief():
    assert best_rate("he", 40, 4) == 1147.1  # 2.4 GHz 4x4 HE40
    assert best_rate("vht", 160, 4) == 3466.7  # 5 GHz 4x4 VHT160 short GI


@pytest.mark.parametrize(
    ("standard", "total", "name"),
    [
        ("ac", 300 + 866.7, "AC1200"),
        ("ac", 400 + 866.7, "AC1300"),
        ("ac", 450 + 866.7, "AC1350"),
        ("ac", 450 + 1300, "AC1750"),
        ("ac", 800 + 1733.3, "AC2600"),
        ("ac", 1000 + 2166.7 + 2166.7, "AC5300"),
        ("ax", 573.5 + 1201, "AX1800"),
        ("ax", 573.5 + 2402, "AX3000"),
        ("ax", 573.5 + 4803.9, "AX5400"),
        ("n", 300, "N300"),
        ("ac", 300 + 1733.3, "AC2000"),  # no listed class within 3 %: rounded
    ],
)
def test_marketing_classes(standard, total, name):
    assert marketing_class(standard, total) == name


def test_no_single_band_reaches_the_criterion_figures():
    """§2.5: 1.3 Gbps at 2.4 GHz and 5.3 Gbps at 5 GHz are not reachable per band by any 802.11ac AP."""
    best_24_ac = max(best_rate("ht", 40, n) or 0 for n in range(1, 5))
    best_5_ac = max(best_rate("vht", w, n) or 0 for w in (80, 160) for n in range(1, 5))
    assert best_24_ac < 1300 and best_5_ac < 5300
    assert class_number("AC1300") == 1300 and class_number("AX5400") == 5400
