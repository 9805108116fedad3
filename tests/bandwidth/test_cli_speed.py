"""`schoolnet speed` and `schoolnet speed serve` as a user runs them (subprocesses, 127.0.0.1 only)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from agent.config import Config
from probes.bandwidth import measure
from probes.bandwidth import server as srv

ENV = {**os.environ, "SCHOOLNET_CONFIG": "/nonexistent/agent.toml"}


def schoolnet(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "agent.cli", "--lang", "en", *args], capture_output=True,
                          text=True, timeout=timeout, env=ENV, check=False)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    r = srv.start(["127.0.0.1:0"])
    yield "http://{}:{}".format(*r.addresses[0])
    r.stop()


def test_speed_json_lists_results(url: str) -> None:
    proc = schoolnet("speed", "--server", url, "--duration", "1", "--streams", "2", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [r["direction"] for r in data] == ["download", "upload"]
    for r in data:
        assert r["engine"] == "http" and r["server"] == url and r["streams"] == 2
        assert r["mbps"] > 0 and r["samples"] and r["confidence"] in ("high", "medium", "low")
        for key in ("p10_mbps", "p90_mbps", "line_rate_mbps", "latency_ms", "jitter_ms", "duration_s", "bytes",
                    "warnings", "limited_by", "local_link_mbps"):
            assert key in r
    assert "http download" in proc.stderr  # the progress line goes to stderr, never stdout


def test_speed_human_output(url: str) -> None:
    proc = schoolnet("speed", "--server", url, "--duration", "1", "--direction", "download")
    assert proc.returncode == 0, proc.stderr
    assert "Mbit/s" in proc.stderr and proc.stdout == ""


@pytest.mark.parametrize("args", [
    ["speed", "--engine", "http", "--server", "ftp://x"],
    ["speed", "--engine", "speedtest", "--server", "vnpt"],
    ["speed", "--engine", "iperf3", "--server", "host:port"],
    ["speed", "--duration", "0"],
    ["speed", "serve", "--bind", "nope"],
    ["speed", "serve", "--bind", "127.0.0.1:0", "--tls-bind", "127.0.0.1:0"],
])
def test_bad_input_is_one_line_exit_2(args: list[str]) -> None:
    proc = schoolnet(*args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr


def test_unreachable_server_exits_3_with_json() -> None:
    proc = schoolnet("--json", "speed", "--server", "http://127.0.0.1:1", "--duration", "1")
    assert proc.returncode == 3
    data = json.loads(proc.stdout)
    assert [r["direction"] for r in data] == ["download", "upload"]
    assert all(r["error"] and "cannot reach" in r["error"] for r in data)
    assert proc.stderr.strip().splitlines()[-1].startswith("schoolnet: error: no measurement succeeded")


def test_measure_never_raises() -> None:
    config = Config.model_validate({"bandwidth": {"engines": ["http", "iperf3"], "duration_s": 1}})
    results = measure(config, None, None)
    assert len(results) == 4
    assert all(r.mbps is None and r.error for r in results)
    assert "no server configured for engine http" in results[0].error  # type: ignore[operator]


def test_measure_uses_configured_servers(url: str) -> None:
    config = Config.model_validate({"bandwidth": {"engines": ["http"], "duration_s": 1, "streams": 1, "runs": 2,
                                                  "servers": [{"engine": "http", "url": url}]}})
    (down,) = measure(config, None, None, directions=("download",))
    assert down.error is None and down.mbps and down.mbps > 0
    assert any(w.startswith("runs: 2 runs") for w in down.warnings)
