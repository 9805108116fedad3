"""The one interface every bandwidth engine implements (http, iperf3, speedtest).

An engine measures one server in the directions asked for and returns one
:class:`agent.model.BandwidthResult` per direction. It never raises for a network or server fault:
the fault becomes ``error`` or ``warnings`` on the result. It never decides pass/fail either;
:mod:`probes.bandwidth.limits` judges what the local machine allows afterwards.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from agent.model import BandwidthResult, BandwidthRole, Direction

# Called with the direction and the current rate (Mbit/s) about every sample interval: the live progress line.
SampleCallback = Callable[[Direction, float], None]

DIRECTIONS: tuple[Direction, ...] = ("download", "upload")


@dataclass(frozen=True)
class Target:
    """What to measure against: a LibreSpeed base URL (http), HOST[:PORT] (iperf3) or a server id (speedtest)."""

    server: str = ""
    port: int | None = None
    name: str = ""
    ca_file: str | None = None
    role: BandwidthRole = ""  # "internet" | "district", copied onto the results
    network: str = ""  # who runs the server's network, copied onto results that do not name it themselves
    count: int = 1  # speedtest with no server id: how many of the nearest servers to measure


@dataclass(frozen=True)
class Settings:
    """How to measure: steady-state seconds per direction (the ramp-up comes on top), parallel streams."""

    duration_s: float = 10.0
    streams: int = 4
    directions: Sequence[Direction] = DIRECTIONS
    interval_s: float = 0.25
    max_grace_s: dict[str, float] = field(default_factory=lambda: {"download": 2.0, "upload": 3.0})
    timeout_s: float = 10.0


class Engine(abc.ABC):
    """One way of measuring bandwidth."""

    name: ClassVar[str]

    def unavailable(self) -> str | None:
        """Why this engine cannot run on this machine (None when it can)."""
        return None

    @abc.abstractmethod
    def measure(
        self, target: Target, settings: Settings, on_sample: SampleCallback | None = None
    ) -> list[BandwidthResult]:
        """Measure ``target`` in each of ``settings.directions`` (for each server when ``target.count`` > 1
        picks several); faults become data, never exceptions."""

    def failed(self, target: Target, settings: Settings, error: str) -> list[BandwidthResult]:
        """One result per direction carrying ``error`` (no rate)."""
        return [
            BandwidthResult(
                engine=self.name,
                server=target.server,
                direction=d,
                mbps=None,
                streams=settings.streams,
                error=error,
                role=target.role,
                network=target.network,
            )
            for d in settings.directions
        ]
