"""The HTTP engine's protocol handling on 127.0.0.1: chunked bodies, 413, refused connections, URL parsing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agent.model import BandwidthResult, Sample
from probes.bandwidth import combine
from probes.bandwidth import server as srv
from probes.bandwidth.http_engine import BaseUrl, HttpEngine, ProtocolError, _Chunked
from probes.bandwidth.interface import Settings, Target


class ChunkedHandler(srv.SpeedHandler):
    """garbage.php the way LibreSpeed's PHP backend sends it: chunked, no Content-Length."""

    def send_data(self, nbytes: int, ctype: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        view = srv._VIEW
        sent = 0
        while sent < nbytes:
            n = min(256 * 1024 + 7, nbytes - sent)  # odd sizes so chunk boundaries fall mid-read
            self.wfile.write(b"%x\r\n" % n)
            self.wfile.write(view[:n])
            self.wfile.write(b"\r\n")
            sent += n
        self.wfile.write(b"0\r\n\r\n")


class SmallBodyHandler(srv.SpeedHandler):
    """A server with a 4 MiB request-body limit (like nginx's client_max_body_size)."""

    def do_POST(self) -> None:
        if int(self.headers.get("Content-Length", "0")) > 4 * srv.MIB:
            self.send_small(b"too large\n", "text/plain", status=413)
            self.drain_body()  # a lingering close, as nginx does, so the client reads the 413
            self.close_connection = True
            return
        super().do_POST()


@pytest.fixture()
def chunked() -> Iterator[str]:
    r = srv.start(["127.0.0.1:0"], handler=ChunkedHandler)
    yield "http://{}:{}".format(*r.addresses[0])
    r.stop()


def test_chunked_parser_byte_by_byte() -> None:
    body = b"5;ext=1\r\nhello\r\n3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n"
    p = _Chunked()
    for i in range(len(body)):
        assert not p.done
        assert p.feed(memoryview(body[i : i + 1])) == 1
    assert p.done
    p = _Chunked()
    assert p.feed(memoryview(body + b"EXTRA")) == len(body) and p.done
    with pytest.raises(ProtocolError):
        _Chunked().feed(memoryview(b"zz\r\n"))
    with pytest.raises(ProtocolError):
        _Chunked().feed(memoryview(b"2\r\nabcd\r\n"))


def test_base_url() -> None:
    u = BaseUrl.parse("https://cds.example.vn/speed/")
    assert (u.scheme, u.host, u.port, u.path) == ("https", "cds.example.vn", 443, "/speed")
    assert str(BaseUrl.parse("http://10.0.0.1:8080/backend/garbage.php")) == "http://10.0.0.1:8080/backend"
    assert BaseUrl.parse("10.0.0.1:8080").port == 8080
    for bad in ("ftp://x", "http://"):
        with pytest.raises(ValueError):
            BaseUrl.parse(bad)


def test_engine_reads_chunked_garbage(chunked: str) -> None:
    (r,) = HttpEngine().measure(Target(chunked), Settings(duration_s=1, streams=2, directions=("download",)))
    assert r.error is None and r.mbps is not None and r.mbps > 0
    assert r.bytes > 10 * srv.MIB
    assert not [w for w in r.warnings if w.split(":")[0] in ("short", "extra", "head", "eof")], r.warnings
    assert r.latency_ms is not None and r.jitter_ms is not None


def test_engine_shrinks_upload_bodies_on_413() -> None:
    running = srv.start(["127.0.0.1:0"], handler=SmallBodyHandler)
    try:
        url = "http://{}:{}".format(*running.addresses[0])
        (r,) = HttpEngine().measure(Target(url), Settings(duration_s=1, streams=1, directions=("upload",)))
    finally:
        running.stop()
    assert r.error is None and r.mbps is not None and r.mbps > 0
    assert any(w.startswith("body-size:") for w in r.warnings)
    assert running.servers[0].stats.received > 0


def test_engine_unreachable_server_is_an_error_result() -> None:
    results = HttpEngine().measure(Target("http://127.0.0.1:1"), Settings(duration_s=1, streams=1))
    assert [r.direction for r in results] == ["download", "upload"]
    assert all(r.mbps is None and r.error and "cannot reach" in r.error for r in results)


def test_engine_rejects_non_librespeed_server() -> None:
    class NoEmpty(srv.SpeedHandler):
        def send_empty(self, received: int | None = None) -> None:
            self.send_small(b"no\n", "text/plain", status=404)

    running = srv.start(["127.0.0.1:0"], handler=NoEmpty)
    try:
        url = "http://{}:{}".format(*running.addresses[0])
        results = HttpEngine().measure(Target(url), Settings(duration_s=1, streams=1))
    finally:
        running.stop()
    assert [r.direction for r in results] == ["download", "upload"]
    assert all(r.error and "404" in r.error for r in results)


def test_combine_runs() -> None:
    def run(m: float) -> BandwidthResult:
        return BandwidthResult(engine="http", server="s", direction="download", mbps=m, p10_mbps=m - 1,
                               p90_mbps=m + 1, duration_s=3, bytes=100,
                               samples=tuple(Sample(0.25 * (i + 1), m) for i in range(12)), confidence="medium")

    c = combine([run(950), run(940), run(955)])
    assert c.mbps == 950 and c.bytes == 300 and len(c.samples) == 36
    assert c.samples[12].t_s == pytest.approx(3.25)
    assert c.confidence == "high"
    assert any(w.startswith("runs: 3 runs") for w in c.warnings)
    wide = combine([run(500), run(950), run(955)])
    assert wide.confidence == "low"
