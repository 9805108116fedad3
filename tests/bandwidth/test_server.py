"""The LibreSpeed-compatible server on 127.0.0.1: endpoint semantics other servers (the district) must match."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator

import pytest

from probes.bandwidth import server as srv


@pytest.fixture(scope="module")
def running() -> Iterator[srv.Running]:
    r = srv.start(["127.0.0.1:0"], standin=srv.StandIn(threadsperurl=1))
    yield r
    r.stop()


@pytest.fixture()
def conn(running: srv.Running) -> Iterator[http.client.HTTPConnection]:
    host, port = running.addresses[0]
    c = http.client.HTTPConnection(host, port, timeout=10)
    yield c
    c.close()


@pytest.mark.parametrize(("query", "mib"), [("ckSize=3", 3), ("ckSize=0", 1), ("ckSize=5000", 1024),
                                            ("ckSize=abc", 4), ("", 4), ("ckSize=2.7", 2)])
def test_garbage_size(conn: http.client.HTTPConnection, query: str, mib: int) -> None:
    conn.request("GET", f"/garbage.php?{query}")
    resp = conn.getresponse()
    assert resp.status == 200
    assert int(resp.headers["Content-Length"]) == mib * srv.MIB
    assert resp.headers["Content-Type"] == "application/octet-stream"
    assert "no-store" in resp.headers["Cache-Control"]
    if mib <= 4:
        body = resp.read()
        assert len(body) == mib * srv.MIB
        assert len(set(body[:4096])) > 200  # random, not a repeated byte


def test_backend_prefix_and_keep_alive(conn: http.client.HTTPConnection) -> None:
    for path in ("/backend/garbage.php?ckSize=1", "/garbage.php?ckSize=1", "/backend/empty.php"):
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200
    assert conn.sock is not None  # the same connection served all three


def test_empty_post_counts_body(conn: http.client.HTTPConnection) -> None:
    conn.request("POST", "/empty.php", body=b"x" * 300_000, headers={"Content-Type": "application/octet-stream"})
    resp = conn.getresponse()
    assert resp.status == 200 and resp.read() == b""
    assert resp.headers["X-Received-Bytes"] == "300000"
    conn.request("POST", "/backend/empty.php", body=iter([b"a" * 1000, b"b" * 2345]),
                 headers={"Transfer-Encoding": "chunked"}, encode_chunked=True)
    resp = conn.getresponse()
    resp.read()
    assert resp.headers["X-Received-Bytes"] == "3345"


def test_get_ip_and_cors(conn: http.client.HTTPConnection) -> None:
    conn.request("GET", "/getIP.php")
    resp = conn.getresponse()
    assert json.loads(resp.read()) == {"processedString": "127.0.0.1", "rawIspInfo": ""}
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    conn.request("OPTIONS", "/empty.php")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 200 and "POST" in resp.headers["Access-Control-Allow-Methods"]


def test_unknown_path_is_404(conn: http.client.HTTPConnection) -> None:
    conn.request("GET", "/nothing")
    resp = conn.getresponse()
    resp.read()
    assert resp.status == 404


def test_speedtest_standin_endpoints(conn: http.client.HTTPConnection) -> None:
    conn.request("GET", "/speedtest-config.php")
    text = conn.getresponse().read().decode()
    assert 'threadsperurl="1"' in text and "<client ip=\"127.0.0.1\"" in text
    conn.request("GET", "/speedtest-servers-static.php?threads=8")
    text = conn.getresponse().read().decode()
    assert 'id="46000"' in text and "/speedtest/upload.php" in text
    conn.request("GET", "/speedtest/random350x350.jpg")
    assert len(conn.getresponse().read()) == 245388
    conn.request("GET", "/speedtest/latency.txt")
    assert conn.getresponse().read().startswith(b"test=test")
    conn.request("POST", "/speedtest/upload.php", body=b"content1=" + b"0" * 1000)
    assert conn.getresponse().read() == b"size=1009"


def test_standin_is_off_by_default() -> None:
    r = srv.start(["127.0.0.1:0"])
    try:
        c = http.client.HTTPConnection(*r.addresses[0], timeout=5)
        c.request("GET", "/speedtest-config.php")
        assert c.getresponse().status == 404
        c.close()
    finally:
        r.stop()


def test_parse_bind_and_chunks() -> None:
    assert srv.parse_bind("0.0.0.0:8080") == ("0.0.0.0", 8080)
    assert srv.parse_bind("[::1]:81") == ("::1", 81)
    for bad in ("8080", "host:", "host:99999", "host:x"):
        with pytest.raises(ValueError):
            srv.parse_bind(bad)
    assert srv.parse_chunks("ckSize=100") == 100
