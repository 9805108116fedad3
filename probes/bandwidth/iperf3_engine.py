"""iperf3 as an engine (when the binary is present): JSON output, -P streams, -O omit, -R for download."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
import time

from agent.model import BandwidthResult, Direction, Sample
from probes.bandwidth import stats
from probes.bandwidth.interface import Engine, SampleCallback, Settings, Target

DEFAULT_PORT = 5201
INTERVAL_S = 0.25


def parse_hostport(text: str, port: int | None = None) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT`` or ``[V6]:PORT`` -> (host, port); ValueError when malformed."""
    text = text.strip()
    if not text:
        raise ValueError("no iperf3 server given (HOST[:PORT])")
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        p = rest.lstrip(":")
    elif text.count(":") == 1:
        host, _, p = text.partition(":")
    else:
        host, p = text, ""
    if p and not p.isdigit():
        raise ValueError(f"{text!r}: port must be a number")
    return host, int(p) if p else (port or DEFAULT_PORT)


class Iperf3Engine(Engine):
    """Memory-to-memory TCP with iperf3 against a configured ``iperf3 -s``."""

    name = "iperf3"

    def __init__(self, binary: str | None = None) -> None:
        self.binary = binary or shutil.which("iperf3")

    def unavailable(self) -> str | None:
        return None if self.binary else "iperf3 is not installed (apt-get install iperf3)"

    def measure(
        self, target: Target, settings: Settings, on_sample: SampleCallback | None = None
    ) -> list[BandwidthResult]:
        reason = self.unavailable()
        if reason:
            return self.failed(target, settings, reason)
        try:
            host, port = parse_hostport(target.server, target.port)
        except ValueError as exc:
            return self.failed(target, settings, str(exc))
        return [self._run(host, port, d, settings, on_sample) for d in settings.directions]

    def _run(self, host: str, port: int, direction: Direction, settings: Settings,
             on_sample: SampleCallback | None) -> BandwidthResult:
        server = f"{host}:{port}"
        omit = max(1, math.ceil(min(settings.max_grace_s.get(direction, 2.0), 2.0)))
        assert self.binary is not None
        seconds = math.ceil(settings.duration_s + INTERVAL_S)
        argv = [self.binary, "-c", host, "-p", str(port), "-J", "-t", str(seconds), "-O", str(omit),
                "-P", str(settings.streams), "-i", f"{INTERVAL_S:g}"]
        # download: -R, the client receives and its intervals count received bytes; upload: the server's own
        # (receiver-side) intervals via --get-server-output, not bytes the client handed to its socket
        argv.append("-R" if direction == "download" else "--get-server-output")
        # -t (whole seconds in iperf3 3.12) covers one interval more than asked: the interval straddling the -O
        # boundary is left out below
        started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        data: dict = {}
        for attempt in range(2):
            try:
                proc = subprocess.run(argv, capture_output=True, text=True,
                                      timeout=settings.duration_s + omit + settings.timeout_s + 5, check=False)
            except subprocess.TimeoutExpired:
                return self._fail(server, direction, settings, "iperf3 did not finish in time (server stalled?)")
            except OSError as exc:
                return self._fail(server, direction, settings, f"cannot run iperf3: {exc}")
            try:
                data = json.loads(proc.stdout or "{}")
            except json.JSONDecodeError:
                text = (proc.stderr or proc.stdout).strip().splitlines()
                return self._fail(server, direction, settings, f"iperf3 failed: {text[-1] if text else 'no output'}")
            err = str(data.get("error", ""))
            if err and "busy" in err and attempt == 0:
                time.sleep(1.0)
                continue
            if err and not data.get("intervals"):
                return self._fail(server, direction, settings, f"iperf3: {err}")
            break
        samples: list[Sample] = []
        t = 0.0
        steady_from = 0.0
        boundary = False
        intervals = data.get("intervals", [])
        server_json = data.get("server_output_json")
        if direction == "upload" and isinstance(server_json, dict) and server_json.get("intervals"):
            intervals = server_json["intervals"]
        for iv in intervals:
            s = iv.get("sum", {})
            t += float(s.get("seconds", 0.0))
            if s.get("omitted"):
                steady_from, boundary = t, True
            elif boundary:  # the first interval after -O straddles iperf3's counter reset: leave it out
                steady_from, boundary = t, False
            samples.append(Sample(round(t, 3), round(float(s.get("bits_per_second", 0.0)) / 1e6, 3)))
        if on_sample and samples:
            on_sample(direction, samples[-1].mbps)
        analysis = stats.analyse(samples, steady_from, INTERVAL_S)
        end = data.get("end", {})
        received = end.get("sum_received", {})
        sent = end.get("sum_sent", {})
        warnings: list[str] = []
        if data.get("error"):
            warnings.append(f"iperf3: {data['error']}")
        if analysis.stalled:
            warnings.append(f"stall: no data moved for {analysis.stalled_s:.2f} s of the measurement "
                            "(server or path stalled); those intervals are left out of the rate")
        recv_mbps = float(received.get("bits_per_second", 0.0)) / 1e6
        if analysis.median and recv_mbps and abs(recv_mbps - analysis.median) > 0.03 * analysis.median:
            warnings.append(f"iperf3-mismatch: the receiver counted {recv_mbps:.1f} Mbit/s over the whole test, "
                            f"the interval median is {analysis.median:.1f} Mbit/s")
        if sent.get("retransmits"):
            warnings.append(f"retransmits: {sent['retransmits']} TCP retransmissions")
        rtts = [st.get("sender", {}).get("mean_rtt") for st in end.get("streams", [])]
        rtt_values = [float(r) / 1000 for r in rtts if r]
        faults = bool(analysis.stalled or data.get("error"))
        return BandwidthResult(
            engine=self.name,
            server=server,
            direction=direction,
            mbps=None if analysis.median is None else round(analysis.median, 2),
            p10_mbps=None if analysis.p10 is None else round(analysis.p10, 2),
            p90_mbps=None if analysis.p90 is None else round(analysis.p90, 2),
            latency_ms=round(stats.median(rtt_values), 3) if rtt_values else None,
            streams=settings.streams,
            duration_s=round(t - steady_from, 3),
            bytes=int(received.get("bytes", 0)),
            samples=tuple(samples),
            warnings=tuple(warnings),
            confidence=stats.confidence(analysis, faults=faults, limited=False),
            started_at=started_at,
            error=None if analysis.median is not None else "iperf3 measured no steady data",
        )

    def _fail(self, server: str, direction: Direction, settings: Settings, error: str) -> BandwidthResult:
        return BandwidthResult(engine=self.name, server=server, direction=direction, mbps=None,
                               streams=settings.streams, error=error)
