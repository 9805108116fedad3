"""The iperf3 engine against a real ``iperf3 -s`` on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

from probes.bandwidth.interface import Settings, Target
from probes.bandwidth.iperf3_engine import Iperf3Engine, parse_hostport

needs_iperf3 = pytest.mark.skipif(shutil.which("iperf3") is None, reason="iperf3 is not installed")


def test_parse_hostport() -> None:
    assert parse_hostport("10.0.0.1") == ("10.0.0.1", 5201)
    assert parse_hostport("iperf.example.vn:5202") == ("iperf.example.vn", 5202)
    assert parse_hostport("[2001:db8::1]:5300") == ("2001:db8::1", 5300)
    assert parse_hostport("2001:db8::1") == ("2001:db8::1", 5201)
    assert parse_hostport("h", 6000) == ("h", 6000)
    for bad in ("", "h:x"):
        with pytest.raises(ValueError):
            parse_hostport(bad)


def test_missing_binary_is_an_error_result() -> None:
    engine = Iperf3Engine(binary="")
    engine.binary = None
    results = engine.measure(Target("127.0.0.1"), Settings(duration_s=1))
    assert [r.direction for r in results] == ["download", "upload"]
    assert all(r.error and "not installed" in r.error for r in results)


@pytest.fixture()
def iperf3_server() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(["iperf3", "-s", "-B", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # listening? (a probe connection would be taken for a test by iperf3)
        out = subprocess.run(["ss", "-Hltn", f"sport = :{port}"], capture_output=True, text=True, check=False)
        if out.stdout.strip():
            break
        time.sleep(0.05)
    yield port
    proc.terminate()
    proc.wait(timeout=5)


@needs_iperf3
def test_measures_against_iperf3_server(iperf3_server: int) -> None:
    settings = Settings(duration_s=1, streams=2, directions=("download",), max_grace_s={"download": 1.0})
    (r,) = Iperf3Engine().measure(Target(f"127.0.0.1:{iperf3_server}"), settings)
    assert r.error is None and r.mbps is not None and r.mbps > 0
    assert r.engine == "iperf3" and r.streams == 2 and 0.7 <= r.duration_s <= 2.1  # iperf3 3.12 runs whole seconds
    assert len(r.samples) >= 6 and r.p10_mbps is not None and r.p10_mbps <= r.mbps


@needs_iperf3
def test_refused_connection_is_an_error_result() -> None:
    results = Iperf3Engine().measure(Target("127.0.0.1:1"), Settings(duration_s=1, directions=("upload",)))
    assert results[0].mbps is None and results[0].error and "iperf3" in results[0].error
