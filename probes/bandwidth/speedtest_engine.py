"""speedtest.net through speedtest-cli's library (HTTPS; nearest or a configured server id).

speedtest-cli moves a fixed volume (409 MB down, 152 MB up) over one connection per object and reports
total bytes / wall time, ramp included. So the result is flagged: ``method`` when it is >= 500 Mbit/s (it
under-reports there), ``burst`` when the phase was too short to be a rate (< 2 s) or its figure is well above
the steady rate of its own transfer, ``cpu`` when its single Python process saturated a core. The samples are
the bytes speedtest-cli itself read (download) or handed to the socket (upload), every 100 ms.
"""

from __future__ import annotations

import dataclasses
import resource
import threading
import time
from typing import Any

from agent.model import BandwidthResult, Direction, Sample
from probes.bandwidth import limits, stats
from probes.bandwidth.interface import Engine, SampleCallback, Settings, Target

INTERVAL_S = 0.1
METHOD_LIMITED_MBPS = 500.0
BURST_PHASE_S = 2.0
SHORT_PHASE_S = 5.0
RETRY_PAUSE_S = 5.0
UNREACHABLE_MS = 60_000.0  # speedtest-cli gives a server it could not reach 3600 s per ping


class _CountingResponse:
    def __init__(self, inner: Any, owner: _CountingOpener) -> None:
        self._inner, self._owner = inner, owner

    def read(self, *args: Any) -> bytes:
        data: bytes = self._inner.read(*args)
        with self._owner.lock:
            self._owner.down += len(data)
        return data

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class _CountingOpener:
    """Wraps speedtest-cli's urllib opener to count bytes as they move (for samples over time)."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self.lock = threading.Lock()
        self.down = 0
        self.uploads: list[Any] = []

    def open(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        data = getattr(request, "data", None)
        if data is not None and hasattr(data, "total"):
            self.uploads.append(data)
        return _CountingResponse(self._inner.open(request, *args, **kwargs), self)

    def up(self) -> int:
        return sum(sum(d.total) for d in list(self.uploads))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


class SpeedtestEngine(Engine):
    """speedtest-cli (``Speedtest(secure=True)``), every error wrapped into the result."""

    name = "speedtest"

    def unavailable(self) -> str | None:
        try:
            import speedtest  # noqa: F401
        except ImportError:
            return "speedtest-cli is not installed (pip install 'speedtest-cli>=2.1.3,<2.2')"
        return None

    def measure(
        self, target: Target, settings: Settings, on_sample: SampleCallback | None = None
    ) -> list[BandwidthResult]:
        reason = self.unavailable()
        if reason:
            return self.failed(target, settings, reason)
        import speedtest

        label = f"speedtest.net:{target.server}" if target.server else "speedtest.net (nearest)"
        failed = Target(label, role=target.role, network=target.network)
        try:
            st = self._connect(speedtest, target, settings)
            chosen = [st.get_best_server()] if target.server else self._nearest(st, max(1, target.count))
        except ValueError:
            return self.failed(failed, settings, f"speedtest.net server id {target.server!r} is not a number")
        except speedtest.NoMatchedServers:
            return self.failed(failed, settings, f"speedtest.net has no server with id {target.server}")
        except Exception as exc:  # speedtest-cli raises many kinds (HTTP 403/429, TLS, XML): all become data
            return self.failed(failed, settings, f"speedtest.net unreachable: {_describe(exc)}")
        if not chosen:
            return self.failed(failed, settings, "none of the nearest speedtest.net servers answered a latency test")
        note = []
        if not target.server and len(chosen) < target.count:
            note = [f"servers: only {len(chosen)} of the {target.count} nearest speedtest.net servers asked for "
                    "answered; the Internet figure rests on fewer servers"]
        opener = _CountingOpener(st._opener)
        st._opener = opener
        results = []
        for best in chosen:
            if len(chosen) > 1:
                best = st.get_best_server([best])  # makes it speedtest-cli's current server (pings it again)
            server = f"speedtest.net:{best.get('id')} {best.get('host')} ({best.get('sponsor')}, {best.get('name')})"
            network = str(best.get("sponsor") or "")
            latency = float(best.get("latency") or 0) or None
            for d in settings.directions:
                r = self._phase(st, opener, d, server, latency, settings, on_sample)
                results.append(dataclasses.replace(r, role=target.role or "internet", network=network,
                                                   warnings=(*r.warnings, *note)))
        return results

    @staticmethod
    def _nearest(st: Any, count: int) -> list[dict[str, Any]]:
        """The ``count`` lowest-latency servers among the nearest max(5, count) (speedtest-cli pings 5 by
        default); a server whose latency test failed (speedtest-cli scores it 1 800 000 ms) is left out."""
        candidates = list(st.get_closest_servers(limit=max(5, count)))
        pinged = []
        for server in candidates:
            try:
                best = dict(st.get_best_server([server]))
            except Exception:  # one silent server must not stop the others
                continue
            if float(best.get("latency") or UNREACHABLE_MS) < UNREACHABLE_MS:
                pinged.append(best)
        pinged.sort(key=lambda b: float(b.get("latency") or 0))
        return pinged[:count]

    @staticmethod
    def _connect(speedtest: Any, target: Target, settings: Settings) -> Any:
        """Config and server list over HTTPS; one retry after a pause when speedtest.net rate-limits (429)."""
        for attempt in range(2):
            try:
                st = speedtest.Speedtest(secure=True, timeout=settings.timeout_s)
                if target.server:
                    st.get_servers([int(target.server)])
                else:
                    st.get_servers()
                return st
            except speedtest.SpeedtestException as exc:
                if attempt or "429" not in str(exc):
                    raise
                time.sleep(RETRY_PAUSE_S)
        raise AssertionError("unreachable")

    def _phase(self, st: Any, opener: _CountingOpener, direction: Direction, server: str, latency: float | None,
               settings: Settings, on_sample: SampleCallback | None) -> BandwidthResult:
        counter = (lambda: opener.down) if direction == "download" else opener.up
        samples: list[Sample] = []
        done = threading.Event()
        t0 = time.monotonic()

        def sample() -> None:
            prev_t, prev = t0, counter()
            while not done.wait(INTERVAL_S):
                now, value = time.monotonic(), counter()
                mbps = (value - prev) * 8 / (now - prev_t) / 1e6
                samples.append(Sample(round(now - t0, 3), round(mbps, 3)))
                if on_sample:
                    on_sample(direction, mbps)
                prev_t, prev = now, value

        sampler = threading.Thread(target=sample, daemon=True)
        started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        cpu0 = _cpu()
        sampler.start()
        try:
            if direction == "download":
                bps = st.download()
                nbytes = int(st.results.bytes_received)
            else:
                bps = st.upload(pre_allocate=True)
                nbytes = int(st.results.bytes_sent)
        except Exception as exc:
            return BandwidthResult(engine=self.name, server=server, direction=direction, mbps=None,
                                   streams=0, error=f"speedtest-cli failed: {_describe(exc)}", started_at=started_at)
        finally:
            done.set()
            sampler.join(timeout=1)
        wall = time.monotonic() - t0
        cpu = _cpu() - cpu0
        mbps = float(bps) / 1e6
        threads = int(st.config.get("threads", {}).get(direction, 0) or 0)
        ramp = stats.RampDetector(1.0)
        prev = 0.0
        for s in samples:
            ramp.feed(prev, s.t_s, s.mbps)
            prev = s.t_s
        analysis = stats.analyse(samples, ramp.steady_from or 0.0, INTERVAL_S)
        warnings: list[str] = [f"speedtest-cli: its own figure is total bytes / wall time of a fixed volume "
                               f"({nbytes} bytes in {wall:.2f} s, ramp-up included)"]
        limited_by = None
        if mbps <= 0 or nbytes == 0:
            return BandwidthResult(engine=self.name, server=server, direction=direction, mbps=None, streams=threads,
                                   samples=tuple(samples), error="speedtest-cli moved no data",
                                   started_at=started_at)
        if wall < BURST_PHASE_S or (analysis.median is not None and mbps > 1.10 * analysis.median):
            limited_by = "burst"
            steady = f"{analysis.median:.0f}" if analysis.median is not None else "unknown"
            warnings.append(f"burst: the whole phase took {wall:.2f} s (steady rate of the transfer: {steady} Mbit/s): "
                            "too short to be a sustained rate")
        elif wall < SHORT_PHASE_S or mbps >= METHOD_LIMITED_MBPS:
            limited_by = "method"
            warnings.append(f"method: speedtest-cli measured {mbps:.0f} Mbit/s in {wall:.2f} s; it under-reports at "
                            f">= {METHOD_LIMITED_MBPS:.0f} Mbit/s (fixed volume, a new connection per object)")
        if limits.cpu_bound(cpu, None, wall, 1):
            limited_by = limited_by or "cpu"
            warnings.append(f"cpu: speedtest-cli used {cpu / wall * 100:.0f} % of a core: its result may be this "
                            "machine's CPU limit")
        conf = stats.confidence(analysis, faults=bool(analysis.stalled), limited=limited_by is not None)
        if conf == "none":  # too short for steady samples, yet speedtest-cli gave a figure
            conf = "low"
        return BandwidthResult(
            engine=self.name,
            server=server,
            direction=direction,
            mbps=round(mbps, 2),
            p10_mbps=None if analysis.p10 is None else round(analysis.p10, 2),
            p90_mbps=None if analysis.p90 is None else round(analysis.p90, 2),
            latency_ms=latency,
            streams=threads,
            duration_s=round(wall, 3),
            bytes=nbytes,
            samples=tuple(samples),
            warnings=tuple(warnings),
            confidence=conf,
            limited_by=limited_by,
            started_at=started_at,
        )


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    if "403" in text:
        text += " (refused although this engine uses HTTPS: a proxy or filter in the way?)"
    if "429" in text:
        text += " (rate-limited by speedtest.net: try again later)"
    if "CERTIFICATE_VERIFY_FAILED" in text:
        text += " (TLS certificate not trusted: check the system CA store, or a proxy intercepting HTTPS)"
    return f"{type(exc).__name__}: {text}"


def host_of(server: str) -> str:
    """The host part of a ``speedtest.net:ID HOST:PORT (...)`` server string (for the limits check)."""
    parts = server.split()
    if len(parts) >= 2:
        return parts[1].rsplit(":", 1)[0]
    return ""


__all__ = ["SpeedtestEngine", "host_of"]
