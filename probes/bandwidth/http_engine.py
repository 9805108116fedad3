"""The project's own multi-stream HTTP engine against LibreSpeed-compatible endpoints.

Download: N keep-alive connections loop ``GET {base}/garbage.php?ckSize=100`` and ``recv_into`` a reused 1 MiB
buffer. Upload: N keep-alive connections loop ``POST {base}/empty.php`` with 32 MiB bodies sent from a reused
buffer of random (incompressible) bytes, counted by what the far end acknowledged (``TCP_INFO``
``tcpi_bytes_acked``, read on the sampler's timer). A sampler records the rate every 250 ms; the ramp-up is
discarded (it ends when three intervals agree within 5 %, at most 2 s down / 3 s up); the result is the median
(and p10/p90) of the steady intervals, never total bytes / elapsed time. Stalls, link flaps and HTTP protocol
faults (a body shorter or longer than its Content-Length) become warnings.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import random
import resource
import socket
import ssl
import struct
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from agent.model import BandwidthResult, Direction, Sample
from probes.bandwidth import limits, stats
from probes.bandwidth.interface import Engine, SampleCallback, Settings, Target

MIB = 1 << 20
DOWNLOAD_CHUNKS = 100  # ckSize: MiB per GET (LibreSpeed's client default)
UPLOAD_BODY = 32 * MIB  # bytes per POST (LibreSpeed sends ~20 MB)
MIN_UPLOAD_BODY = MIB
HEAD_MAX = 64 * 1024
PINGS = 10
USER_AGENT = "schoolnet-audit speed (LibreSpeed-compatible)"
TCP_INFO_BYTES_ACKED = 120  # offset of tcpi_bytes_acked (u64) in struct tcp_info (Linux >= 4.1)
TCP_INFO_LEN = 136

_upload_data: memoryview | None = None


def upload_data() -> memoryview:
    """4 MiB of random bytes, generated once and reused for every upload body."""
    global _upload_data
    if _upload_data is None:
        _upload_data = memoryview(os.urandom(4 * MIB))
    return _upload_data


def bytes_acked(sock: socket.socket) -> int | None:
    """Bytes of this connection the peer has acknowledged (Linux TCP_INFO), or None when unavailable."""
    if not hasattr(socket, "TCP_INFO"):
        return None
    raw = socket.socket.getsockopt(sock, socket.IPPROTO_TCP, socket.TCP_INFO, TCP_INFO_LEN)
    if len(raw) < TCP_INFO_BYTES_ACKED + 8:
        return None
    return int(struct.unpack_from("=Q", raw, TCP_INFO_BYTES_ACKED)[0])


class ProtocolError(Exception):
    """The server broke HTTP (``kind`` names how; the message says it for people)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class BaseUrl:
    scheme: str
    host: str
    port: int
    path: str  # without a trailing slash

    @classmethod
    def parse(cls, url: str) -> BaseUrl:
        parts = urlsplit(url if "://" in url else f"http://{url}")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{url!r} is not an http(s) URL of LibreSpeed endpoints (e.g. http://host:8080)")
        path = parts.path.rstrip("/")
        for leaf in ("/garbage.php", "/empty.php", "/getIP.php"):
            path = path.removesuffix(leaf)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return cls(parts.scheme, parts.hostname, port, path)

    @property
    def hostport(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.hostport}{self.path}"


class _Chunked:
    """Incremental parser of a chunked body: finds where it ends."""

    def __init__(self) -> None:
        self.state = "size"
        self.line = bytearray()
        self.remaining = 0
        self.done = False

    def feed(self, data: memoryview) -> int:
        i, n = 0, len(data)
        while i < n and not self.done:
            if self.state == "data":
                take = min(self.remaining, n - i)
                i += take
                self.remaining -= take
                if self.remaining == 0:
                    self.state = "crlf"
                continue
            seg = bytes(data[i : min(n, i + 512)])
            k = seg.find(b"\n")
            if k < 0:
                self.line += seg
                i += len(seg)
                if len(self.line) > 4096:
                    raise ProtocolError("head", "a chunked body has an over-long chunk-size line")
                continue
            self.line += seg[: k + 1]
            i += k + 1
            line, self.line = bytes(self.line).strip(), bytearray()
            if self.state == "size":
                try:
                    size = int(line.split(b";")[0], 16)
                except ValueError:
                    raise ProtocolError("extra", "a chunked body has an invalid chunk size") from None
                self.state, self.remaining = ("trailer", 0) if size == 0 else ("data", size)
            elif self.state == "crlf":
                if line:
                    raise ProtocolError("extra", "a chunk is longer than its declared size")
                self.state = "size"
            elif not line:  # trailer section ends with an empty line
                self.done = True
        return i


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    leftover: memoryview


class _Conn:
    """One HTTP/1.1 keep-alive connection on a raw (or TLS) socket."""

    def __init__(self, url: BaseUrl, tls: ssl.SSLContext | None, timeout: float) -> None:
        self.url, self.tls, self.timeout = url, tls, timeout
        self.sock: socket.socket | None = None
        self.head = bytearray(HEAD_MAX)

    def open(self) -> socket.socket:
        raw = socket.create_connection((self.url.host, self.url.port), timeout=self.timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.url.host) if self.tls else raw
        return self.sock

    def close(self) -> None:
        sock, self.sock = self.sock, None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.close()

    def request(self, method: str, target: str, body_len: int | None = None) -> None:
        assert self.sock is not None
        lines = [
            f"{method} {target} HTTP/1.1",
            f"Host: {self.url.hostport}",
            f"User-Agent: {USER_AGENT}",
            "Accept: */*",
            "Accept-Encoding: identity",
            "Connection: keep-alive",
            "Cache-Control: no-cache",
        ]
        if body_len is not None:
            lines += ["Content-Type: application/octet-stream", f"Content-Length: {body_len}"]
        self.sock.settimeout(self.timeout)
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("ascii"))

    def response(self) -> _Response:
        """Read a response head; the bytes after it (the body's start) come back as ``leftover``."""
        assert self.sock is not None
        self.sock.settimeout(self.timeout)
        view = memoryview(self.head)
        got = 0
        while True:
            n = self.sock.recv_into(view[got:])
            if n == 0:
                raise ProtocolError("eof", "the server closed the connection before answering")
            got += n
            end = self.head.find(b"\r\n\r\n", 0, got)
            if end >= 0:
                break
            if got >= HEAD_MAX:
                raise ProtocolError(
                    "extra",
                    "no HTTP response head where one was due (the previous body was longer than its Content-Length?)",
                )
        lines = bytes(self.head[:end]).decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise ProtocolError(
                "extra", "no HTTP status line where one was due (the previous body was longer than its Content-Length?)"
            )
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        return _Response(int(parts[1]), headers, view[end + 4 : got])

    def discard_body(self, resp: _Response, buf: memoryview, on_bytes: Callable[[int], None] | None = None) -> bool:
        """Read (and count) a response body; returns whether the connection can be reused."""
        assert self.sock is not None
        self.sock.settimeout(None)  # blocking; a stop() shuts the socket down to end a read
        te = resp.headers.get("transfer-encoding", "").lower()
        if "chunked" in te:
            parser = _Chunked()
            if on_bytes and len(resp.leftover):
                on_bytes(len(resp.leftover))
            used = parser.feed(resp.leftover)
            if parser.done and used < len(resp.leftover):
                raise ProtocolError("extra", "the server sent more data after the end of a chunked body")
            while not parser.done:
                n = self.sock.recv_into(buf)
                if n == 0:
                    raise ProtocolError("short", "the server closed the connection inside a chunked body")
                if on_bytes:
                    on_bytes(n)
                used = parser.feed(buf[:n])
                if parser.done and used < n:
                    raise ProtocolError("extra", "the server sent more data after the end of a chunked body")
            return resp.headers.get("connection", "").lower() != "close"
        length_text = resp.headers.get("content-length")
        if length_text is None:
            if on_bytes and len(resp.leftover):
                on_bytes(len(resp.leftover))
            while (n := self.sock.recv_into(buf)) > 0:  # body delimited by the connection's end
                if on_bytes:
                    on_bytes(n)
            return False
        try:
            length = int(length_text)
        except ValueError:
            raise ProtocolError("head", f"invalid Content-Length {length_text!r}") from None
        if len(resp.leftover) > length:
            raise ProtocolError("extra", f"the server sent more than the {length} bytes its Content-Length declared")
        if on_bytes and len(resp.leftover):
            on_bytes(len(resp.leftover))
        remaining = length - len(resp.leftover)
        while remaining > 0:
            n = self.sock.recv_into(buf, min(remaining, len(buf)))
            if n == 0:
                raise ProtocolError(
                    "short",
                    f"the server closed the connection after {length - remaining} of the {length} bytes its "
                    "Content-Length declared",
                )
            remaining -= n
            if on_bytes:
                on_bytes(n)
        return resp.headers.get("connection", "").lower() != "close"


class _Run:
    """State shared by the sampler and the stream threads of one phase."""

    def __init__(self) -> None:
        self.stop = False
        self.upload_body = UPLOAD_BODY


@dataclass
class _Stream:
    """One transfer loop (a thread) and its counters."""

    index: int
    conn: _Conn
    received: int = 0  # download: body bytes received
    sent: int = 0  # upload: body bytes handed to the socket
    acked_base: int = 0  # upload: bytes acknowledged on earlier connections of this stream
    acked_now: int = 0  # upload: bytes acknowledged on the current connection
    responses: int = 0  # complete, well-formed responses
    events: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None
    run: _Run | None = None

    def add_received(self, n: int) -> None:
        self.received += n
        if self.run is not None and self.run.stop:  # a late thread must not keep transferring after the phase
            raise ProtocolError("stopped", "the phase is over")

    def acked(self) -> int | None:
        with self.lock:
            sock = self.conn.sock
            if sock is not None:
                try:
                    value = bytes_acked(sock)
                except OSError:
                    value = self.acked_now
                if value is None:
                    return None
                self.acked_now = max(self.acked_now, value)
            return self.acked_base + self.acked_now

    def reconnect(self) -> None:
        with self.lock:
            sock = self.conn.sock
            if sock is not None:
                try:
                    value = bytes_acked(sock)
                    if value is not None:
                        self.acked_now = max(self.acked_now, value)
                except OSError:
                    pass
            self.acked_base += self.acked_now
            self.acked_now = 0
            self.conn.close()
        self.conn.open()  # outside the lock: a slow connect must not hold up the sampler


def _token() -> str:
    return f"{random.random():.12f}"[2:]


def _event(stream: _Stream, exc: BaseException) -> None:
    if isinstance(exc, ProtocolError):
        stream.events.append((exc.kind, str(exc)))
    elif isinstance(exc, ConnectionRefusedError):
        stream.events.append(("connect", f"connection refused: {exc}"))
    elif isinstance(exc, TimeoutError | socket.timeout):
        stream.events.append(("timeout", "the server did not answer in time"))
    elif isinstance(exc, ssl.SSLError):
        stream.events.append(("tls", f"TLS error: {exc}"))
    else:
        stream.events.append(("reset", f"connection lost: {exc}"))


def _connected(run: _Run, stream: _Stream, fresh: bool) -> bool:
    """Reconnect when the last exchange left the connection unusable; False when the run stopped meanwhile."""
    if fresh:
        stream.reconnect()
        if run.stop:
            stream.conn.close()
            return False
    return True


def _download_loop(run: _Run, stream: _Stream, url: BaseUrl) -> None:
    buf = memoryview(bytearray(MIB))
    target = f"{url.path}/garbage.php?ckSize={DOWNLOAD_CHUNKS}"
    fresh = stream.conn.sock is None
    while not run.stop:
        try:
            if not _connected(run, stream, fresh):
                return
            fresh = True
            stream.conn.request("GET", f"{target}&r={_token()}")
            resp = stream.conn.response()
            if resp.status != 200:
                raise ProtocolError("status", f"garbage.php answered HTTP {resp.status}")
            fresh = not stream.conn.discard_body(resp, buf, stream.add_received)
            stream.responses += 1
        except (OSError, ProtocolError) as exc:
            if run.stop:
                return
            _event(stream, exc)
            time.sleep(0.05)


def _upload_loop(run: _Run, stream: _Stream, url: BaseUrl) -> None:
    data = upload_data()
    buf = memoryview(bytearray(64 * 1024))
    target = f"{url.path}/empty.php"
    fresh = stream.conn.sock is None
    while not run.stop:
        try:
            if not _connected(run, stream, fresh):
                return
            fresh = True
            size = run.upload_body
            early: _Response | None = None
            stream.conn.request("POST", f"{target}?r={_token()}", size)
            sock = stream.conn.sock
            assert sock is not None
            sock.settimeout(None)
            offset, remaining = 0, size
            try:
                while remaining > 0 and not run.stop:
                    n = min(MIB, remaining, len(data) - offset)
                    sock.sendall(data[offset : offset + n])
                    stream.sent += n
                    remaining -= n
                    offset = (offset + n) % len(data)
            except OSError:
                if run.stop:
                    return
                try:  # a server may answer (e.g. 413) and close before reading the whole body
                    early = stream.conn.response()
                except (OSError, ProtocolError):
                    early = None
                if early is None or early.status != 413:
                    raise
            if run.stop:
                return
            resp = early if early is not None else stream.conn.response()
            if resp.status == 413 and run.upload_body > MIN_UPLOAD_BODY:
                run.upload_body = max(MIN_UPLOAD_BODY, run.upload_body // 4)
                stream.events.append(
                    ("body-size", f"the server refused {size}-byte bodies (HTTP 413); using {run.upload_body} bytes")
                )
            elif resp.status != 200:
                raise ProtocolError("status", f"empty.php answered HTTP {resp.status} to a POST")
            fresh = not stream.conn.discard_body(resp, buf)
            stream.responses += 1
        except (OSError, ProtocolError) as exc:
            if run.stop:
                return
            _event(stream, exc)
            time.sleep(0.05)


BROKEN_HTTP = frozenset({"short", "extra", "head", "eof"})
BROKEN_SHARE = 0.10  # this share of broken responses (or more) voids the result

_WARN = {
    "short": "responses ended before their Content-Length: the server's HTTP is faulty (only bytes received count)",
    "extra": "responses were longer than their Content-Length: the server's HTTP is faulty (extra bytes not counted)",
    "status": "the server answered with HTTP errors",
    "eof": "the server closed connections before answering",
    "reset": "connections were lost and reopened",
    "timeout": "the server did not answer in time",
    "connect": "connections were refused",
    "tls": "TLS failed",
    "head": "the server sent malformed HTTP",
    "body-size": "the server refused large upload bodies",
    "late": "a connection attempt outlived the phase",
}


class HttpEngine(Engine):
    """Multi-stream HTTP against LibreSpeed-compatible endpoints (``schoolnet speed serve``, the district)."""

    name = "http"

    def __init__(self, *, watch_nic: str | None = None) -> None:
        self.watch_nic = watch_nic

    def measure(
        self, target: Target, settings: Settings, on_sample: SampleCallback | None = None
    ) -> list[BandwidthResult]:
        try:
            url = BaseUrl.parse(target.server)
        except ValueError as exc:
            return self.failed(target, settings, str(exc))
        tls: ssl.SSLContext | None = None
        if url.scheme == "https":
            tls = ssl.create_default_context(cafile=target.ca_file) if target.ca_file else ssl.create_default_context()
        server = str(url)
        try:
            latency, jitter = self._ping(url, tls, settings.timeout_s)
        except (OSError, ProtocolError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return self.failed(
                Target(server=server), settings, f"cannot reach the LibreSpeed endpoints at {server}: {reason}"
            )
        nic = self.watch_nic or limits.local_link(url.host, url.port).nic
        results = []
        for direction in settings.directions:
            result = self._phase(url, tls, direction, settings, on_sample, nic)
            results.append(_with(result, server=server, latency_ms=latency, jitter_ms=jitter))
        return results

    # ------------------------------------------------------------------ latency
    def _ping(self, url: BaseUrl, tls: ssl.SSLContext | None, timeout: float) -> tuple[float | None, float | None]:
        """Median RTT and jitter of small GETs of empty.php on one keep-alive connection (the first discarded)."""
        conn = _Conn(url, tls, timeout)
        buf = memoryview(bytearray(64 * 1024))
        rtts = []
        try:
            conn.open()
            for i in range(PINGS + 1):
                t = time.perf_counter()
                conn.request("GET", f"{url.path}/empty.php?r={_token()}")
                resp = conn.response()
                rtt = (time.perf_counter() - t) * 1000
                if resp.status != 200:
                    raise ProtocolError(
                        "status", f"empty.php answered HTTP {resp.status} (not a LibreSpeed-compatible server?)"
                    )
                if not conn.discard_body(resp, buf):
                    conn.close()
                    conn.open()
                if i:
                    rtts.append(rtt)
        finally:
            conn.close()
        if not rtts:
            return None, None
        jitter = sum(abs(a - b) for a, b in itertools.pairwise(rtts)) / max(1, len(rtts) - 1)
        return round(stats.median(rtts), 3), round(jitter, 3)

    # ------------------------------------------------------------------ one direction
    def _phase(
        self,
        url: BaseUrl,
        tls: ssl.SSLContext | None,
        direction: Direction,
        settings: Settings,
        on_sample: SampleCallback | None,
        nic: str | None,
    ) -> BandwidthResult:
        run = _Run()
        streams = [_Stream(i, _Conn(url, tls, settings.timeout_s), run=run) for i in range(settings.streams)]
        loop = _download_loop if direction == "download" else _upload_loop
        open_errors: list[BaseException] = []
        for s in streams:
            try:
                s.conn.open()
            except OSError as exc:
                open_errors.append(exc)
        if len(open_errors) == len(streams):
            first_error = open_errors[0]
            return BandwidthResult(
                engine=self.name,
                server=str(url),
                direction=direction,
                mbps=None,
                streams=settings.streams,
                error=f"cannot connect to {url.hostport}: {first_error}",
            )
        acked_ok = direction == "download" or hasattr(socket, "TCP_INFO")
        for s in streams:
            s.thread = threading.Thread(target=loop, args=(run, s, url), name=f"bw-{direction}-{s.index}", daemon=True)
        started_at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        t0 = time.monotonic()
        for s in streams:
            assert s.thread is not None
            s.thread.start()

        def total() -> int:
            nonlocal acked_ok
            if direction == "download":
                return sum(s.received for s in streams)
            if acked_ok:
                values = [s.acked() for s in streams]
                if all(v is not None for v in values):
                    return sum(v for v in values if v is not None)
                acked_ok = False
            return sum(s.sent for s in streams)

        import psutil

        ramp = stats.RampDetector(settings.max_grace_s.get(direction, 2.0))
        samples: list[Sample] = []
        interval = settings.interval_s
        prev_t, prev_total = t0, 0
        needed = max(stats.MIN_ACTIVE_INTERVALS, round(settings.duration_s / interval))
        deadline = t0 + settings.max_grace_s.get(direction, 2.0) + (needed + 4) * interval
        steady_cpu: tuple[float, float, object] | None = None
        link_down = 0
        was_up = True
        next_tick = t0 + interval
        while True:
            time.sleep(max(0.0, next_tick - time.monotonic()))
            now = time.monotonic()
            count = total()
            mbps = (count - prev_total) * 8 / (now - prev_t) / 1e6
            t_rel = round(now - t0, 3)  # the same rounded clock for samples and the ramp detector
            sample = Sample(t_rel, round(mbps, 3))
            samples.append(sample)
            if on_sample:
                on_sample(direction, mbps)
            if nic:
                up = limits.carrier(nic)
                if up is False and was_up:
                    link_down += 1
                was_up = up is not False
            had_steady = ramp.steady_from is not None
            steady_from = ramp.feed(round(prev_t - t0, 3), t_rel, mbps)
            if steady_from is not None and not had_steady:
                steady_cpu = (now, _cpu_seconds(), psutil.cpu_times())
            prev_t, prev_total = now, count
            if steady_from is not None and sum(1 for x in samples if x.t_s > steady_from + 1e-9) >= needed:
                break
            if now >= deadline:
                break
            next_tick += interval
            if next_tick < now:
                next_tick = now + interval
        end_cpu = (time.monotonic(), _cpu_seconds(), psutil.cpu_times())
        run.stop = True
        for s in streams:
            sock = s.conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)
        for s in streams:
            if s.thread is not None:
                s.thread.join(timeout=3)
            s.conn.close()
        for s in streams:  # a thread that was connecting at the stop closes its own connection when it returns
            if s.thread is not None and s.thread.is_alive():
                s.events.append(("late", "a stream was still connecting when the phase ended"))

        steady_from = ramp.steady_from if ramp.steady_from is not None else 0.0
        analysis = stats.analyse(samples, steady_from, interval)
        warnings: list[str] = []
        faults = False
        counts: Counter[str] = Counter()
        detail: dict[str, str] = {}
        for s in streams:
            for kind, text in s.events:
                counts[kind] += 1
                detail.setdefault(kind, text)
        for kind, n in counts.items():
            warnings.append(f"{kind}: {_WARN.get(kind, kind)} ({n}x; e.g. {detail[kind]})")
            faults = faults or kind != "body-size"
        if link_down:
            faults = True
            warnings.append(
                f"link-down: the local link {nic} went down during the test ({link_down}x): "
                "the result only uses the intervals when data flowed"
            )
        if analysis.stalled:
            faults = True
            warnings.append(
                f"stall: no data moved for {analysis.stalled_s:.2f} s of the {settings.duration_s:.1f} s "
                "measurement (server or path stalled); those intervals are left out of the rate"
            )
        if not ramp.stable:
            warnings.append(f"unsteady: the rate never settled within {ramp.max_grace_s:.1f} s of ramp-up")
        if direction == "upload" and not acked_ok:
            warnings.append(
                "upload-sent: TCP_INFO is unavailable: upload counted as bytes handed to the socket "
                "(overstates by up to the socket buffer)"
            )
        limited_by = None
        if steady_cpu is not None:
            wall = end_cpu[0] - steady_cpu[0]
            proc = end_cpu[1] - steady_cpu[1]
            busy = _busy(steady_cpu[2], end_cpu[2])
            if limits.cpu_bound(proc, busy, wall, os.cpu_count()):
                limited_by = "cpu"
                warnings.append(
                    f"cpu: the client's CPU was saturated (process {proc / wall * 100:.0f} % of a core, "
                    f"machine {busy * 100 if busy is not None else 0:.0f} % busy): the rate may be "
                    "this machine's limit"
                )
        error = None
        if analysis.median is None:
            first = next((t for s in streams for _, t in s.events), "")
            error = (
                ("no steady data: " + (first or "the server sent (almost) nothing"))
                if not analysis.stalled
                else "the transfer stalled: too little steady data to give a rate"
            )
        broken = sum(n for kind, n in counts.items() if kind in BROKEN_HTTP)
        answered = broken + sum(s.responses for s in streams)
        if broken and broken >= BROKEN_SHARE * answered:
            error = (f"the server's HTTP is faulty ({broken} of {answered} responses did not match their headers): "
                     "its byte counts cannot be trusted, so no rate is given")
            analysis = stats.Analysis(None, None, None, analysis.cv, analysis.active, analysis.stalled,
                                      analysis.stalled_s, analysis.reference)
        conf = stats.confidence(analysis, faults=faults, limited=limited_by is not None)
        last = samples[-1].t_s if samples else 0.0
        return BandwidthResult(
            engine=self.name,
            server=str(url),
            direction=direction,
            mbps=_r(analysis.median),
            p10_mbps=_r(analysis.p10),
            p90_mbps=_r(analysis.p90),
            streams=settings.streams,
            duration_s=round(max(0.0, last - steady_from), 3),
            bytes=total() if direction == "upload" else sum(s.received for s in streams),
            samples=tuple(samples),
            warnings=tuple(warnings),
            confidence=conf,
            limited_by=limited_by,
            started_at=started_at,
            error=error,
        )


def _cpu_seconds() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _busy(before: object, after: object) -> float | None:
    try:
        b, a = before._asdict(), after._asdict()  # type: ignore[attr-defined]
    except AttributeError:
        return None
    total = sum(a.values()) - sum(b.values())
    idle = (a.get("idle", 0) + a.get("iowait", 0)) - (b.get("idle", 0) + b.get("iowait", 0))
    return None if total <= 0 else 1 - idle / total


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _with(result: BandwidthResult, **changes: object) -> BandwidthResult:
    import dataclasses

    return dataclasses.replace(result, **changes)  # type: ignore[arg-type]
