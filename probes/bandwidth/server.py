"""A LibreSpeed-compatible speed-test server (and a speedtest.net stand-in for the lab), fast enough for 10 Gbit/s.

Endpoints, at ``/`` and under ``/backend/`` (see docs/bandwidth.md for the exact semantics):

- ``GET garbage.php?ckSize=N`` - N MiB (1..1024, default 4) of incompressible data, ``Content-Length`` set.
- ``GET|POST empty.php`` - 200 with an empty body; a POST body is read and dropped (any size, Content-Length or
  chunked); the answer carries ``X-Received-Bytes`` (the server-side count of the body).
- ``GET getIP.php`` - JSON ``{"processedString": "<client ip>", "rawIspInfo": ""}``.

With ``speedtest_standin`` it also answers the legacy speedtest.net HTTP endpoints speedtest-cli uses
(``speedtest-config.php``, ``speedtest-servers-static.php``, ``speedtest/latency.txt``,
``speedtest/random{N}x{N}.jpg`` with the real object sizes, ``speedtest/upload.php``): lab use only.

Run: ``python -m probes.bandwidth.server --bind ADDR:PORT`` or ``schoolnet speed serve --bind ADDR:PORT``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import socketserver
import ssl
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

MIB = 1 << 20
MAX_CHUNKS = 1024
DEFAULT_CHUNKS = 4
_DATA = os.urandom(4 * MIB)  # incompressible, generated once, sent as 1 MiB memoryviews
_VIEW = memoryview(_DATA)

# speedtest.net legacy objects: random{N}x{N}.jpg sizes in bytes (40 GETs of these = 409,373,932 B).
SPEEDTEST_JPG_SIZES = {
    350: 245388,
    500: 505544,
    750: 1118012,
    1000: 1986284,
    1500: 4468241,
    2000: 7907740,
    2500: 12407926,
    3000: 17816816,
    3500: 24262167,
    4000: 31625365,
}
_JPG = re.compile(r"^/speedtest/random(\d+)x\1\.jpg$")


@dataclass
class StandIn:
    """Settings of the speedtest.net stand-in (lab only)."""

    server_url: str = ""  # e.g. http://speed.snbw.test:8080/speedtest/upload.php ('' = this server)
    server_id: int = 46000
    threadsperurl: int = 4
    servers: int = 1  # list this many servers (ids server_id, server_id + 1, ...), all at ``server_url``
    lat: float = 10.8231  # Ho Chi Minh City
    lon: float = 106.6297


@dataclass
class ServerStats:
    """Server-side counters (bytes sent by garbage.php, bytes received by empty.php/upload.php)."""

    sent: int = 0
    received: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sent: int = 0, received: int = 0) -> None:
        with self.lock:
            self.sent += sent
            self.received += received


def parse_chunks(query: str) -> int:
    """The ckSize parameter as LibreSpeed reads it: an integer clamped to 1..1024, default 4."""
    values = parse_qs(query).get("ckSize") or parse_qs(query).get("cksize")
    try:
        n = int(float(values[0])) if values else DEFAULT_CHUNKS
    except ValueError:
        return DEFAULT_CHUNKS
    return max(1, min(MAX_CHUNKS, n))


class SpeedHandler(BaseHTTPRequestHandler):
    """LibreSpeed endpoints with keep-alive; large bodies are written and read in 1 MiB pieces."""

    protocol_version = "HTTP/1.1"
    server_version = "schoolnet-speed/1"
    server: SpeedServer

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: object) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError, ssl.SSLError, OSError):
            self.close_connection = True

    # -------------------------------------------------------------- routing
    def _route(self) -> tuple[str, str]:
        parts = urlsplit(self.path)
        path = parts.path
        if path.startswith("/backend/"):
            path = path[len("/backend") :]
        return path, parts.query

    def do_GET(self) -> None:
        path, query = self._route()
        if path == "/garbage.php":
            self.send_data(parse_chunks(query) * MIB, "application/octet-stream")
        elif path == "/empty.php":
            self.send_empty()
        elif path == "/getIP.php":
            self.send_small(
                json.dumps({"processedString": self.client_address[0], "rawIspInfo": ""}).encode(),
                "application/json; charset=utf-8",
            )
        elif path in ("/", "/index.html"):
            self.send_small(b"schoolnet speed server: /garbage.php?ckSize=N /empty.php /getIP.php\n", "text/plain")
        elif self.server.standin is not None and self._standin_get(path):
            return
        else:
            self.send_small(b"not found\n", "text/plain", status=404)

    def do_POST(self) -> None:
        path, _ = self._route()
        received = self.drain_body()
        if received < 0:
            return
        if path == "/empty.php":
            self.send_empty(received)
        elif self.server.standin is not None and path == "/speedtest/upload.php":
            self.send_small(f"size={received}".encode(), "text/plain")
        else:
            self.send_small(b"not found\n", "text/plain", status=404)

    def do_OPTIONS(self) -> None:
        self.send_response(200)
        self._common_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        self.send_header("Access-Control-Allow-Headers", "Content-Encoding, Content-Type")
        self.send_header("Content-Length", "0")
        self.end_headers()

    # -------------------------------------------------------------- responses
    def _common_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
        self.send_header("Pragma", "no-cache")

    def send_small(self, body: bytes, ctype: str, status: int = 200) -> None:
        self.send_response(status)
        self._common_headers()
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_empty(self, received: int | None = None) -> None:
        self.send_response(200)
        self._common_headers()
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "keep-alive")
        if received is not None:
            self.send_header("X-Received-Bytes", str(received))
        self.end_headers()

    def send_data(self, nbytes: int, ctype: str) -> None:
        """Headers for ``nbytes`` of data, then the data (override :meth:`write_body` to misbehave in tests)."""
        self.send_response(200)
        self._common_headers()
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(nbytes))
        self.end_headers()
        self.write_body(nbytes)

    def write_body(self, nbytes: int) -> None:
        sock = self.connection
        remaining = nbytes
        offset = 0
        while remaining > 0:
            n = min(MIB, remaining)
            sock.sendall(_VIEW[offset : offset + n])
            self.server.stats.add(sent=n)
            remaining -= n
            offset = (offset + MIB) % len(_DATA)

    def drain_body(self) -> int:
        """Read and drop a request body; returns its size (-1 after answering an error)."""
        buf = self.server.buffer()
        view = memoryview(buf)
        total = 0
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";")[0].strip() or b"x", 16)
                except ValueError:
                    self.send_small(b"bad chunked body\n", "text/plain", status=400)
                    self.close_connection = True
                    return -1
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                total += self._read_exact(view, size)
                self.rfile.readline(8)
            self.server.stats.add(received=total)
            return total
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            self.send_small(b"bad Content-Length\n", "text/plain", status=400)
            self.close_connection = True
            return -1
        total = self._read_exact(view, length)
        self.server.stats.add(received=total)
        return total

    def _read_exact(self, view: memoryview, length: int) -> int:
        got = 0
        while got < length:
            n = self.rfile.readinto(view[: min(len(view), length - got)])
            if not n:
                self.close_connection = True
                break
            got += n
        return got

    # -------------------------------------------------------------- speedtest.net stand-in (lab)
    def _standin_get(self, path: str) -> bool:
        standin = self.server.standin
        assert standin is not None
        if path == "/speedtest-config.php":
            self.send_small(self._standin_config(standin).encode(), "text/xml")
        elif path in ("/speedtest-servers-static.php", "/speedtest-servers.php"):
            self.send_small(self._standin_servers(standin).encode(), "text/xml")
        elif path == "/speedtest/latency.txt":
            self.send_small(b"test=test\n", "text/plain")
        elif m := _JPG.match(path):
            size = SPEEDTEST_JPG_SIZES.get(int(m.group(1)))
            if size is None:
                return False
            self.send_data(size, "image/jpeg")
        else:
            return False
        return True

    def _standin_config(self, s: StandIn) -> str:
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n'
            f'<client ip="{self.client_address[0]}" lat="{s.lat}" lon="{s.lon}" isp="schoolnet lab" '
            'isprating="3.7" rating="0" ispdlavg="0" ispulavg="0" loggedin="0" country="VN"/>\n'
            '<server-config threadcount="4" ignoreids="" notonmap="" forcepingid="" preferredserverid=""/>\n'
            f'<download testlength="10" initialtest="250K" mintestsize="250K" threadsperurl="{s.threadsperurl}"/>\n'
            '<upload testlength="10" ratio="5" initialtest="0" mintestsize="32K" threads="2" '
            'maxchunksize="512K" maxchunkcount="50" threadsperurl="4"/>\n'
            '<latency testlength="10" waittime="50" timeout="20"/>\n</settings>\n'
        )

    def _standin_servers(self, s: StandIn) -> str:
        url = s.server_url or f"http://{self.headers.get('Host', '')}/speedtest/upload.php"
        host = urlsplit(url).netloc
        rows = "".join(
            f'<server url="{url}" lat="{s.lat + i * 0.01:.4f}" lon="{s.lon}" name="Lab" country="Vietnam" cc="VN" '
            f'sponsor="schoolnet lab stand-in{f" {i + 1}" if i else ""}" id="{s.server_id + i}" host="{host}"/>\n'
            for i in range(max(1, s.servers))
        )
        return f'<?xml version="1.0" encoding="UTF-8"?>\n<settings>\n<servers>\n{rows}</servers>\n</settings>\n'


class SpeedServer(ThreadingHTTPServer):
    """A threaded HTTP/1.1 server (one thread per connection) with optional TLS."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: tuple[str, int],
        *,
        tls: ssl.SSLContext | None = None,
        standin: StandIn | None = None,
        verbose: bool = False,
        handler: type[SpeedHandler] = SpeedHandler,
    ) -> None:
        self.tls = tls
        self.standin = standin
        self.verbose = verbose
        self.stats = ServerStats()
        self._local = threading.local()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the FQDN (slow without DNS); the name is not needed.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)
        if self.tls is not None:
            self.socket = self.tls.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def get_request(self) -> tuple[socket.socket, object]:
        sock, addr = self.socket.accept()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock, addr

    def handle_error(self, request: object, client_address: object) -> None:
        if self.verbose:
            super().handle_error(request, client_address)  # type: ignore[arg-type]

    def buffer(self) -> bytearray:
        """A 1 MiB receive buffer reused by each handler thread."""
        buf: bytearray | None = getattr(self._local, "buf", None)
        if buf is None:
            buf = self._local.buf = bytearray(MIB)
        return buf


def parse_bind(text: str) -> tuple[str, int]:
    """``ADDR:PORT`` (or ``[v6]:PORT``) -> (addr, port); ValueError with a clear message."""
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) < 65536:
        raise ValueError(f"{text!r} is not ADDR:PORT (e.g. 0.0.0.0:8080)")
    return host.strip("[]") or "0.0.0.0", int(port)


def tls_context(cert: str, key: str | None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


class Running:
    """Servers started in background threads; ``stop()`` shuts them down."""

    def __init__(self, servers: list[SpeedServer]) -> None:
        self.servers = servers
        self.threads = [
            threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True) for s in servers
        ]
        for t in self.threads:
            t.start()

    @property
    def addresses(self) -> list[tuple[str, int]]:
        return [(s.server_name, s.server_port) for s in self.servers]

    def stop(self) -> None:
        for s in self.servers:
            s.shutdown()
            s.server_close()


def start(
    binds: Sequence[str],
    *,
    tls_binds: Sequence[str] = (),
    cert: str | None = None,
    key: str | None = None,
    standin: StandIn | None = None,
    verbose: bool = False,
    handler: type[SpeedHandler] = SpeedHandler,
) -> Running:
    """Start one server per bind address (plain HTTP) and per TLS bind address; returns at once."""
    if tls_binds and not cert:
        raise ValueError("TLS bind addresses need a certificate (--cert)")
    ctx = tls_context(cert, key) if tls_binds and cert else None
    servers = [SpeedServer(parse_bind(b), standin=standin, verbose=verbose, handler=handler) for b in binds]
    servers += [
        SpeedServer(parse_bind(b), tls=ctx, standin=standin, verbose=verbose, handler=handler) for b in tls_binds
    ]
    return Running(servers)


def serve(binds: Sequence[str], **kwargs: object) -> None:
    """Run until SIGTERM/SIGINT (the ``schoolnet speed serve`` entry point)."""
    running = start(binds, **kwargs)  # type: ignore[arg-type]
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    for host, port in running.addresses:
        print(f"serving LibreSpeed endpoints on {host}:{port} (/ and /backend/)", file=sys.stderr, flush=True)
    done.wait()
    running.stop()


def main(argv: Sequence[str] | None = None, handler: type[SpeedHandler] = SpeedHandler) -> int:
    p = argparse.ArgumentParser(prog="python -m probes.bandwidth.server", description=__doc__.split("\n")[0])
    p.add_argument("--bind", action="append", default=[], help="ADDR:PORT for plain HTTP (repeatable)")
    p.add_argument("--tls-bind", action="append", default=[], help="ADDR:PORT for HTTPS (repeatable)")
    p.add_argument("--cert", help="PEM certificate chain for --tls-bind")
    p.add_argument("--key", help="PEM private key for --tls-bind")
    p.add_argument("--speedtest-standin", action="store_true", help="also serve the legacy speedtest.net endpoints")
    p.add_argument("--speedtest-server-url", default="", help="upload.php URL the stand-in's server list names")
    p.add_argument("--speedtest-threadsperurl", type=int, default=4)
    p.add_argument("--speedtest-servers", type=int, default=1, help="servers the stand-in's list names (ids 46000+)")
    p.add_argument("-v", "--verbose", action="store_true")
    args = p.parse_args(argv)
    if not args.bind and not args.tls_bind:
        p.error("give at least one --bind ADDR:PORT")
    standin = (
        StandIn(server_url=args.speedtest_server_url, threadsperurl=args.speedtest_threadsperurl,
                servers=args.speedtest_servers)
        if args.speedtest_standin
        else None
    )
    try:
        serve(
            args.bind,
            tls_binds=args.tls_bind,
            cert=args.cert,
            key=args.key,
            standin=standin,
            verbose=args.verbose,
            handler=handler,
        )
    except (OSError, ValueError, ssl.SSLError) as exc:
        print(f"speed server: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
