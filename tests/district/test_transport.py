"""The agent's transport: HTTPS verified against a custom CA (district.ca_file), and an HTTP proxy."""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from agent import upload
from agent.progress import NullProgress
from lab.tls import make_ca
from tests.district.bundles import make_bundle
from tests.district.conftest import Server, agent_config, start_server


def make_ca_and_cert(directory: Path) -> tuple[Path, Path, Path]:
    """A private CA and a certificate for 127.0.0.1 signed by it (what a district with its own CA has)."""
    return make_ca(directory, ["127.0.0.1"])


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("tls")
    ca, cert, key = make_ca_and_cert(tmp)
    srv = start_server(f"sqlite:///{tmp}/district.db", "--tls-cert", str(cert), "--tls-key", str(key), ca=str(ca))
    yield srv
    srv.stop()


def test_tls_with_the_district_ca(tls_server: Server, tmp_path: Path) -> None:
    token, key = tls_server.enroll("TLS-1")
    bundle = make_bundle("TLS-1", key=key)
    untrusted = agent_config(tmp_path / "a", tls_server.url, token, "TLS-1", max_attempts=1)
    upload.spool_bundle(untrusted, bundle)
    result = upload.flush(untrusted, NullProgress())
    assert result.sent == [] and result.waiting and result.waiting[0][1].startswith("TLS:")
    assert upload.status(untrusted)[0].last_error.startswith("TLS:")  # type: ignore[union-attr]

    assert tls_server.ca is not None
    trusted = agent_config(tmp_path / "a", tls_server.url, token, "TLS-1", ca_file=tls_server.ca)
    sent = upload.flush(trusted, NullProgress())
    assert sent.sent == [bundle["bundle_id"]], sent
    assert upload.status(trusted) == []


class ForwardProxy(ThreadingHTTPServer):
    """A real (tiny) HTTP forward proxy that counts what it relays."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.relayed: list[str] = []


class _ProxyHandler(BaseHTTPRequestHandler):
    server: ForwardProxy
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        target = urlsplit(self.path)  # a proxy gets the absolute URI
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        conn = http.client.HTTPConnection(target.hostname or "", target.port or 80, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
        conn.request("POST", target.path, body=body, headers=headers)
        answer = conn.getresponse()
        data = answer.read()
        conn.close()
        self.server.relayed.append(self.path)
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def test_upload_through_a_proxy(sqlite_server: Server, tmp_path: Path) -> None:
    token, key = sqlite_server.enroll("PX-1")
    proxy = ForwardProxy()
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        config = agent_config(tmp_path, sqlite_server.url, token, "PX-1", proxy=url)
        bundle = make_bundle("PX-1", key=key)
        upload.spool_bundle(config, bundle)
        assert upload.flush(config, NullProgress()).sent == [bundle["bundle_id"]]
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert proxy.relayed == [sqlite_server.url + "/api/v1/bundles"]


def test_session_cookie_is_secure_when_serving_tls(tls_server: Server) -> None:
    import httpx

    answer = httpx.get(tls_server.url + "/login", verify=tls_server.verify())
    cookie = answer.headers.get("set-cookie", "")
    assert answer.status_code == 200 and "schoolnet_district=" in cookie
    assert "secure" in cookie.lower().split("; ")
