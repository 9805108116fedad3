"""Ramp-up detection, stalls and the steady-state statistic."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from agent.model import Sample
from probes.bandwidth import stats


def _samples(rates: Sequence[float], dt: float = 0.25) -> list[Sample]:
    return [Sample(round((i + 1) * dt, 3), r) for i, r in enumerate(rates)]


def test_percentiles() -> None:
    assert stats.median([3, 1, 2]) == 2
    assert stats.percentile([0, 10], 10) == pytest.approx(1.0)
    assert stats.percentile([5], 90) == 5
    with pytest.raises(ValueError):
        stats.median([])


def test_ramp_ends_when_three_intervals_agree() -> None:
    ramp = stats.RampDetector(2.0)
    rates = [100, 400, 800, 950, 955, 952, 951]
    t = 0.0
    found = None
    for r in rates:
        found = ramp.feed(t, t + 0.25, r)
        t += 0.25
    assert ramp.stable and found == 0.75  # intervals starting at 0.75, 1.0, 1.25 agree within 5 %


def test_ramp_capped_by_max_grace() -> None:
    ramp = stats.RampDetector(1.0)
    t = 0.0
    for r in [100, 300, 100, 300, 100, 300]:
        ramp.feed(t, t + 0.25, r)
        t += 0.25
    assert not ramp.stable and ramp.steady_from == 1.0


def test_analyse_excludes_ramp_and_stalls() -> None:
    rates = [50, 900, 950, 951, 0, 0, 949, 952, 950, 948]
    a = stats.analyse(_samples(rates), 0.5, 0.25)
    assert a.stalled == 2 and a.stalled_s == 0.5
    assert a.median == pytest.approx(950, abs=1)
    assert a.active == 6


def test_analyse_too_little_data_gives_no_rate() -> None:
    a = stats.analyse(_samples([900, 950, 0, 0, 0, 0, 0]), 0.25, 0.25)
    assert a.median is None and a.stalled == 5


def test_confidence_grades() -> None:
    steady = stats.analyse(_samples([950.0] * 20), 0.0, 0.25)
    assert stats.confidence(steady, faults=False, limited=False) == "high"
    assert stats.confidence(steady, faults=True, limited=False) == "low"
    assert stats.confidence(steady, faults=False, limited=True) == "low"
    noisy = stats.analyse(_samples([900.0, 1000.0] * 10), 0.0, 0.25)
    assert stats.confidence(noisy, faults=False, limited=False) == "medium"
    none = stats.analyse(_samples([0.0] * 10), 0.0, 0.25)
    assert stats.confidence(none, faults=False, limited=False) == "none"
    short = stats.analyse(_samples([950.0] * 8), 0.0, 0.25)
    assert stats.confidence(short, faults=False, limited=False) == "medium"
    assert stats.confidence(short, faults=False, limited=False, runs=3, run_spread=0.01) == "high"
