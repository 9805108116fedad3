"""Faults on the upload path: 500s, slow answers, dropped connections, the server killed mid-upload.

Across 500 bundles nothing is lost (every one ends up stored) and nothing is stored twice.
"""

from __future__ import annotations

import contextlib
import http.client
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from agent import upload
from agent.progress import NullProgress
from tests.district.bundles import make_bundle
from tests.district.conftest import Server, agent_config, free_port, start_server


class FlakyProxy(ThreadingHTTPServer):
    """A real HTTP server in front of the district that misbehaves on purpose (seeded, so repeatable).

    Per request: 500 without forwarding; forward then answer 500 (stored, but the agent hears a failure);
    forward then cut the connection; answer only after the agent's timeout; or forward faithfully.
    """

    daemon_threads = True

    def __init__(self, upstream: int, seed: int = 7, slow_s: float = 0.4) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.upstream = upstream
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.slow_s = slow_s
        self.modes: Counter[str] = Counter()

    def pick(self) -> str:
        with self.lock:
            r = self.rng.random()
            mode = (
                "500"
                if r < 0.2
                else "forward-500"
                if r < 0.3
                else "forward-cut"
                if r < 0.38
                else "slow"
                if r < 0.41
                else "forward"
            )
            self.modes[mode] += 1
            return mode


class _Handler(BaseHTTPRequestHandler):
    server: FlakyProxy
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, *args: Any) -> None:
        pass

    def _forward(self, body: bytes) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.server.upstream, timeout=30)
        try:
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("authorization", "content-type")}
            conn.request("POST", self.path, body=body, headers=headers)
            answer = conn.getresponse()
            return answer.status, answer.read()
        finally:
            conn.close()

    def _answer(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        mode = self.server.pick()
        if mode == "500":
            self._answer(500, b'{"detail": "internal error"}')
        elif mode == "forward-500":
            self._forward(body)
            self._answer(500, b'{"detail": "gateway broke after the write"}')
        elif mode == "forward-cut":
            self._forward(body)
            self.close_connection = True
            self.connection.shutdown(2)
        elif mode == "slow":
            time.sleep(self.server.slow_s)
            status, answer = self._forward(body)
            with contextlib.suppress(OSError):
                self._answer(status, answer)
        else:
            status, answer = self._forward(body)
            self._answer(status, answer)


def stored(db: str) -> Counter[str]:
    with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
        return Counter(row[0] for row in conn.execute("SELECT bundle_id FROM bundles"))


@pytest.fixture
def district(tmp_path: Path) -> Iterator[Server]:
    srv = start_server(f"sqlite:///{tmp_path}/district.db")
    yield srv
    srv.stop()


def test_500_bundles_through_a_flaky_link(district: Server, tmp_path: Path) -> None:
    token, key = district.enroll("F-1")
    proxy = FlakyProxy(district.port)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{proxy.server_address[1]}"
        config = agent_config(tmp_path, url, token, "F-1", timeout_s=0.25, max_attempts=4)
        ids = []
        for i in range(500):
            bundle = make_bundle("F-1", key=key, devices=1, finished_at=f"2026-11-20T08:30:{i % 60:02d}Z")
            upload.spool_bundle(config, bundle)
            ids.append(bundle["bundle_id"])
        rounds = 0
        while upload.status(config) and rounds < 100:
            upload.flush(config, NullProgress(), base_delay=0.005, max_delay=0.05)
            rounds += 1
    finally:
        proxy.shutdown()
        proxy.server_close()
    assert upload.status(config) == []
    counts = stored(district.db)
    assert set(counts) == set(ids)  # nothing lost
    assert max(counts.values()) == 1  # nothing stored twice
    assert proxy.modes["500"] > 50 and proxy.modes["forward-500"] > 20 and proxy.modes["forward-cut"] > 10
    assert proxy.modes["slow"] > 3


def test_server_killed_mid_upload(district: Server, tmp_path: Path) -> None:
    token, key = district.enroll("K-1")
    config = agent_config(tmp_path, district.url, token, "K-1", timeout_s=5, max_attempts=2)
    ids = []
    for _ in range(150):
        bundle = make_bundle("K-1", key=key, devices=4)
        upload.spool_bundle(config, bundle)
        ids.append(bundle["bundle_id"])
    results: list[upload.FlushResult] = []
    flusher = threading.Thread(
        target=lambda: results.append(upload.flush(config, NullProgress(), base_delay=0.01, max_delay=0.05))
    )
    flusher.start()
    deadline = time.monotonic() + 60
    while sum(stored(district.db).values()) < 40 and time.monotonic() < deadline:
        time.sleep(0.01)
    district.kill()  # SIGKILL while uploads are in flight
    flusher.join(60)
    assert results and results[0].waiting, "the flush should have been cut short"
    assert "cannot connect" in results[0].waiting[0][1] or "Connection" in results[0].waiting[0][1]
    first = stored(district.db)
    assert 40 <= sum(first.values()) < 150
    assert len(upload.status(config)) == 150 - len(results[0].sent)

    district.port = free_port()
    district.start()  # same database, new process
    config = agent_config(tmp_path, district.url, token, "K-1", timeout_s=5)
    final = upload.flush(config, NullProgress(), base_delay=0.01)
    assert final.ok and upload.status(config) == []
    counts = stored(district.db)
    assert set(counts) == set(ids) and max(counts.values()) == 1
