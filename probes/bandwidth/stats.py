"""Statistics over per-interval throughput samples: ramp-up detection, stalls, median/p10/p90, confidence."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from agent.model import Confidence, Sample

STALL_FRACTION = 0.1  # an interval below 10 % of the typical active rate carried (almost) nothing
MIN_ACTIVE_INTERVALS = 4  # fewer active steady intervals than this: no trustworthy rate
RAMP_WINDOW = 3  # the ramp ends when this many consecutive intervals agree ...
RAMP_AGREE = 0.05  # ... within 5 %
MIN_GRACE_S = 0.5


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) with linear interpolation; ``values`` must not be empty."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("percentile of no values")
    pos = (len(ordered) - 1) * q / 100.0
    lo, hi = math.floor(pos), math.ceil(pos)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def cv(values: Sequence[float]) -> float:
    """Coefficient of variation (population standard deviation / mean); 0 for fewer than 2 values."""
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    if mean <= 0:
        return math.inf
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) / mean


class RampDetector:
    """Finds where TCP ramp-up ends: the first of ``RAMP_WINDOW`` consecutive intervals agreeing within 5 %,
    not before ``MIN_GRACE_S`` and not after ``max_grace_s`` (then the steady part starts there regardless)."""

    def __init__(self, max_grace_s: float) -> None:
        self.max_grace_s = max_grace_s
        self._recent: list[tuple[float, float, float]] = []  # (t_start, t_end, mbps)
        self.steady_from: float | None = None
        self.stable = False

    def feed(self, t_start: float, t_end: float, mbps: float) -> float | None:
        """Add one interval; returns the steady start time once known."""
        if self.steady_from is not None:
            return self.steady_from
        if t_start >= MIN_GRACE_S - 1e-9:
            self._recent.append((t_start, t_end, mbps))
            self._recent = self._recent[-RAMP_WINDOW:]
            if len(self._recent) == RAMP_WINDOW:
                rates = [r[2] for r in self._recent]
                if min(rates) > 0 and max(rates) <= (1 + RAMP_AGREE) * min(rates):
                    self.steady_from, self.stable = self._recent[0][0], True
                    return self.steady_from
        if t_end >= self.max_grace_s:
            self.steady_from = t_end
        return self.steady_from


@dataclass(frozen=True)
class Analysis:
    """What the steady part of a phase says."""

    median: float | None
    p10: float | None
    p90: float | None
    cv: float
    active: int  # steady intervals that carried data
    stalled: int  # steady intervals that carried (almost) nothing
    stalled_s: float
    reference: float  # the typical active rate the stall test used


def analyse(samples: Sequence[Sample], steady_from_s: float, interval_s: float) -> Analysis:
    """Median/p10/p90 of the steady intervals (``t_s`` = interval end > ``steady_from_s``), stalls excluded."""
    positives = sorted(s.mbps for s in samples if s.mbps > 0)
    reference = median(positives[len(positives) // 2 :]) if positives else 0.0
    steady = [s for s in samples if s.t_s > steady_from_s + 1e-9]
    active = [s.mbps for s in steady if reference > 0 and s.mbps >= STALL_FRACTION * reference]
    stalled = len(steady) - len(active)
    if len(active) < MIN_ACTIVE_INTERVALS:
        return Analysis(None, None, None, 0.0, len(active), stalled, stalled * interval_s, reference)
    return Analysis(
        median(active),
        percentile(active, 10),
        percentile(active, 90),
        cv(active),
        len(active),
        stalled,
        stalled * interval_s,
        reference,
    )


def confidence(
    analysis: Analysis, *, faults: bool, limited: bool, runs: int = 1, run_spread: float | None = None
) -> Confidence:
    """high: a stable steady state (CV <= 3 % over >= 16 intervals, or >= 3 runs within 3 % of each other with
    CV <= 5 %) and nothing odd; medium: CV <= 10 %; low: faults, limits or more scatter; none: no rate."""
    if analysis.median is None:
        return "none"
    if faults or limited or analysis.stalled:
        return "low"
    if runs >= 3 and run_spread is not None and run_spread <= 0.03 and analysis.cv <= 0.05:
        return "high"
    if runs < 3 and analysis.cv <= 0.03 and analysis.active >= 16:
        return "high"
    if analysis.cv <= 0.10 and (run_spread is None or run_spread <= 0.10):
        return "medium"
    return "low"
