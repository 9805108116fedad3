"""Bandwidth measurement: speedtest.net (speedtest-cli), the own multi-stream HTTP engine, iperf3.

``measure(config, host, progress)`` runs ``config.bandwidth.engines`` in order against the configured servers
and returns one :class:`agent.model.BandwidthResult` per engine, server and direction. Every fault becomes a
result with ``error`` or ``warnings`` set; nothing here raises for a network or server problem.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agent.model import BandwidthResult, BandwidthRole, Direction, Host, Sample
from probes.bandwidth import limits, stats
from probes.bandwidth.interface import DIRECTIONS, Engine, Settings, Target

if TYPE_CHECKING:
    from agent.config import Config
    from agent.progress import Progress

__all__ = ["DIRECTIONS", "Engine", "Settings", "Target", "combine", "engine_for", "measure", "targets_for"]


def engine_for(name: str) -> Engine:
    """The engine called ``name`` (http, iperf3, speedtest)."""
    if name == "http":
        from probes.bandwidth.http_engine import HttpEngine

        return HttpEngine()
    if name == "iperf3":
        from probes.bandwidth.iperf3_engine import Iperf3Engine

        return Iperf3Engine()
    if name == "speedtest":
        from probes.bandwidth.speedtest_engine import SpeedtestEngine

        return SpeedtestEngine()
    raise ValueError(f"unknown bandwidth engine {name!r} (known: http, iperf3, speedtest)")


DEFAULT_ROLE: dict[str, BandwidthRole] = {"speedtest": "internet", "http": "district", "iperf3": "district"}
DISTRICT_NETWORK = "district network (second opinion: the path to the district, not the Internet)"


def targets_for(config: Config, engine: str) -> list[Target]:
    """The configured servers of one engine; http falls back to the district's ``/speed`` endpoints and
    speedtest to the ``bandwidth.speedtest_servers`` nearest speedtest.net servers.

    Every target carries its role: speedtest.net is the Internet measurement; the district's own server (and any
    http/iperf3 server not marked ``role = "internet"``) is a second opinion.
    """
    out = []
    ca = str(config.district.ca_file) if config.district.ca_file else None
    for s in config.bandwidth.servers:
        if s.engine != engine:
            continue
        role: BandwidthRole = s.role or DEFAULT_ROLE[engine]
        network = s.network or (s.name if role == "internet" else "") or (DISTRICT_NETWORK if role == "district"
                                                                          else "")
        if engine == "http":
            out.append(Target(server=s.url, name=s.name, ca_file=ca, role=role, network=network))
        elif engine == "iperf3":
            out.append(Target(server=s.host, port=s.port, name=s.name, role=role, network=network))
        else:
            out.append(Target(server=s.server_id, name=s.name, role=role, network=s.network,
                              count=1 if s.server_id else config.bandwidth.speedtest_servers))
    if not out and engine == "http" and config.district.url:
        out.append(Target(server=config.district.url.rstrip("/") + "/speed", name="district", ca_file=ca,
                          role="district", network=DISTRICT_NETWORK))
    if not out and engine == "speedtest":
        out.append(Target(server="", role="internet", count=config.bandwidth.speedtest_servers))
    return out


def _dest_host(engine: str, target: Target, result: BandwidthResult | None = None) -> str:
    if engine == "http":
        return urlsplit(target.server if "://" in target.server else f"http://{target.server}").hostname or ""
    if engine == "iperf3":
        from probes.bandwidth.iperf3_engine import parse_hostport

        try:
            return parse_hostport(target.server)[0]
        except ValueError:
            return ""
    if result is not None:
        from probes.bandwidth.speedtest_engine import host_of

        return host_of(result.server)
    return "www.speedtest.net"  # before the server is chosen: the route towards speedtest.net


def combine(runs: Sequence[BandwidthResult]) -> BandwidthResult:
    """Several runs of one engine/server/direction as one result: the median of the runs' medians, every sample
    kept (``t_s`` continues across runs), the spread folded into the confidence."""
    good = [r for r in runs if r.mbps is not None]
    if len(runs) == 1:
        return runs[0]
    if not good:
        return runs[-1]
    medians = [r.mbps for r in good if r.mbps is not None]
    mid = stats.median(medians)
    spread = (max(medians) - min(medians)) / mid if mid else None
    samples: list[Sample] = []
    offset = 0.0
    for r in runs:
        samples += [Sample(round(s.t_s + offset, 3), s.mbps) for s in r.samples]
        offset += r.samples[-1].t_s if r.samples else 0.0
    warnings = [w for r in runs for w in r.warnings]
    warnings.append(f"runs: {len(runs)} runs, medians " + ", ".join(f"{m:.1f}" for m in medians) + " Mbit/s")
    steady = [s.mbps for r in good for s in r.samples]
    analysis = stats.Analysis(mid, None, None, max(stats.cv([s.mbps for s in r.samples[-4:]]) for r in good),
                              len(steady), 0, 0.0, mid)
    faults = any(r.confidence == "low" for r in good) or len(good) < len(runs)
    conf = stats.confidence(analysis, faults=faults, limited=any(r.limited_by for r in good), runs=len(good),
                            run_spread=spread)
    first = good[0]
    return dataclasses.replace(
        first,
        mbps=round(mid, 2),
        p10_mbps=min((r.p10_mbps for r in good if r.p10_mbps is not None), default=None),
        p90_mbps=max((r.p90_mbps for r in good if r.p90_mbps is not None), default=None),
        duration_s=round(sum(r.duration_s for r in good), 3),
        bytes=sum(r.bytes for r in runs),
        samples=tuple(samples),
        warnings=tuple(dict.fromkeys(warnings)),
        confidence=conf,
        limited_by=next((r.limited_by for r in good if r.limited_by), None),
    )


def measure(
    config: Config,
    host: Host | None = None,
    progress: Progress | None = None,
    *,
    directions: Sequence[Direction] = DIRECTIONS,
    target_mbps: float = limits.DEFAULT_TARGET_MBPS,
    engines: Sequence[str] | None = None,
    targets: dict[str, list[Target]] | None = None,
) -> list[BandwidthResult]:
    """Run the configured engines in order; every error becomes a result with ``error`` set."""
    bw = config.bandwidth
    settings = Settings(duration_s=bw.duration_s, streams=bw.streams, directions=tuple(directions))
    results: list[BandwidthResult] = []
    for name in engines or bw.engines:
        try:
            engine = engine_for(name)
            reason = engine.unavailable()
            chosen = (targets or {}).get(name) or targets_for(config, name)
            if reason or not chosen:
                why = reason or (f"no server configured for engine {name} "
                                 "([[bandwidth.servers]] or --server)")
                failed = engine.failed(Target(role=DEFAULT_ROLE.get(name, "")), settings, why)
                results += [dataclasses.replace(r, engine=name) for r in failed]
                continue
            for target in chosen:
                results += _measure_target(engine, name, target, settings, bw.runs, host, progress, target_mbps)
        except Exception as exc:  # the contract: never an exception out of measure()
            results += [BandwidthResult(engine=name, server="", direction=d, mbps=None,
                                        error=f"internal error: {type(exc).__name__}: {exc}") for d in directions]
    return results


def _measure_target(engine: Engine, name: str, target: Target, settings: Settings, runs: int, host: Host | None,
                    progress: Progress | None, target_mbps: float) -> list[BandwidthResult]:
    dest = _dest_host(name, target)
    link = limits.local_link(dest, host=host) if dest else limits.LocalLink()
    pre = limits.precheck(link, target_mbps)
    if progress:
        for warning in pre:
            progress.line(f"{name}: {warning}")
    state: dict[str, str] = {}

    def on_sample(direction: Direction, mbps: float) -> None:
        if progress is None:
            return
        if state.get("direction") != direction:
            if state:
                progress.done(state["last"])
            progress.start(f"{name} {direction} {target.server or 'speedtest.net'}")
            state["direction"] = direction
        state["last"] = f"{mbps:9.1f} Mbit/s"
        progress.update(state["last"])

    per_server: dict[tuple[str, Direction], list[BandwidthResult]] = {}  # several speedtest.net servers: apart
    for _ in range(runs):
        for r in engine.measure(target, settings, on_sample):
            per_server.setdefault((r.server, r.direction), []).append(r)
    if progress and state:
        progress.done(state["last"])
    out = []
    keys = sorted(per_server, key=lambda k: list(settings.directions).index(k[1]))  # stable: servers in order
    for key in keys:
        combined = combine(per_server[key])
        combined = dataclasses.replace(combined, role=combined.role or target.role,
                                       network=combined.network or target.network)
        if name == "speedtest" and combined.server:
            dest2 = _dest_host(name, target, combined)
            link = limits.local_link(dest2, host=host) if dest2 else link
            pre = limits.precheck(link, target_mbps)
        combined = dataclasses.replace(combined, warnings=tuple(dict.fromkeys([*pre, *combined.warnings])))
        out.append(limits.apply(combined, link, target_mbps))
    return out
