"""The lab CA: a real TLS handshake (over a socket pair, no network) verifies for the stand-in's names only."""

from __future__ import annotations

import socket
import ssl
import stat
import threading

import pytest

from lab.tls import SPEEDTEST_HOSTS, ca_env, make_ca


def handshake(ca, cert, key, server_name: str) -> None:
    """A TLS handshake between a server with ``cert`` and a client that trusts only ``ca``; raises on failure."""
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    client_ctx = ssl.create_default_context(cafile=str(ca))
    a, b = socket.socketpair()
    errors: list[BaseException] = []

    def serve() -> None:
        try:
            with server_ctx.wrap_socket(a, server_side=True) as tls:
                tls.recv(1)
        except (ssl.SSLError, OSError) as exc:
            errors.append(exc)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        with client_ctx.wrap_socket(b, server_hostname=server_name) as tls:
            tls.sendall(b"x")
    finally:
        b.close()
        thread.join(timeout=5)
        a.close()


def test_certificate_verifies_for_the_speedtest_names(tmp_path):
    ca, cert, key = make_ca(tmp_path / "tls", SPEEDTEST_HOSTS)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert "PRIVATE KEY" not in ca.read_text() + cert.read_text()  # the CA's key is never written
    for name in SPEEDTEST_HOSTS:
        handshake(ca, cert, key, name)
    with pytest.raises(ssl.SSLCertVerificationError, match="match"):
        handshake(ca, cert, key, "www.example.org")


def test_another_ca_is_not_trusted(tmp_path):
    _, cert, key = make_ca(tmp_path / "a", SPEEDTEST_HOSTS)
    other, _, _ = make_ca(tmp_path / "b", SPEEDTEST_HOSTS)
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(other, cert, key, SPEEDTEST_HOSTS[0])


def test_ca_env_names_the_bundle_for_ssl_and_requests(tmp_path):
    assert ca_env(tmp_path / "ca.pem") == {
        "SSL_CERT_FILE": str(tmp_path / "ca.pem"),
        "REQUESTS_CA_BUNDLE": str(tmp_path / "ca.pem"),
    }
