"""Line rate <-> goodput arithmetic and the pass tolerance."""

from __future__ import annotations

import pytest

from probes.bandwidth import goodput as g


def test_ceilings_at_mtu_1500() -> None:
    assert g.goodput_ceiling(1000) == pytest.approx(941.48, abs=0.01)  # 1448/1538
    assert g.goodput_ceiling(10_000) == pytest.approx(9414.8, abs=0.1)
    assert g.goodput_ceiling(1000, timestamps=False) == pytest.approx(949.28, abs=0.01)
    assert g.goodput_ceiling(1000, ipv6=True) == pytest.approx(928.48, abs=0.01)
    assert g.goodput_ceiling(10_000, 9000) == pytest.approx(9900.4, abs=0.1)


def test_line_rate_inverts_ceiling() -> None:
    for rate in (100, 300, 1000, 2500, 10_000):
        assert g.line_rate(g.goodput_ceiling(rate)) == pytest.approx(rate)
    assert g.line_rate(941) == pytest.approx(999.5, abs=0.1)


def test_tbf_expectation_matches_lab_accounting() -> None:
    assert g.tbf_goodput(1000) == pytest.approx(956.4, abs=0.1)  # 1448/1514: tbf counts the L2 header only
    assert g.tbf_goodput(300) / 300 == pytest.approx(0.956, abs=0.001)


def test_pass_threshold_and_meets() -> None:
    assert g.pass_threshold(1000) == pytest.approx(913.2, abs=0.1)
    assert g.meets(914, 1000) is True
    assert g.meets(912, 1000) is False
    assert g.meets(None, 1000) is None
    assert g.meets(900, 1000, tolerance=0.95) is True
    with pytest.raises(ValueError):
        g.pass_threshold(1000, tolerance=1.5)
    with pytest.raises(ValueError):
        g.goodput_factor(500)


def test_within() -> None:
    assert g.within(97.1, 100)
    assert not g.within(96.9, 100)
    assert g.within(102.9, 100)
    assert not g.within(1, 0)
