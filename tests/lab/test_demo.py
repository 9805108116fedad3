"""`schoolnet lab demo` runs end to end, reports honestly and always removes the lab (also on Ctrl-C)."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from lab.demo import summarise
from lab.netns import NETNS_ETC, existing_namespaces
from lab.state import load
from probes.bandwidth.goodput import tbf_goodput, within
from tests.lab.test_lab_running import assert_engine_flag
from tests.lab.test_lifecycle import REPO, SCHOOLNET, free_topology  # noqa: F401 - fixture


def test_summarise_shapes():
    audit = {
        "bundle_id": "b1",
        "uploaded": "spooled",
        "warnings": ["discovery failed"],
        "findings": [{"criterion_id": "1.2-router", "subject": "school", "status": "pass", "measured": "10G"}],
    }
    lines = summarise(audit, "")
    assert "bundle_id: b1" in lines and "! discovery failed" in lines
    assert any("1.2-router" in line and "pass" in line for line in lines)
    devices = [{"ip": "10.66.0.2", "role": "switch", "vendor": "TP-Link", "model": "TL-SG3428"}]
    assert "TL-SG3428" in summarise(devices, "")[0]
    speed = [{"engine": "http", "direction": "download", "mbps": 955.4}]
    assert "955 Mbit/s" in summarise(speed, "")[0]
    burst = [{"engine": "speedtest", "direction": "upload", "mbps": 951.4, "limited_by": "burst"}]
    assert "951 Mbit/s  [burst]" in summarise(burst, "")[0]
    assert summarise(None, "plain text\nsecond") == ["plain text", "second"]


@pytest.mark.lab
def test_demo_runs_and_cleans_up(free_topology, tmp_path):  # noqa: F811
    t = free_topology
    proc = subprocess.run(
        [SCHOOLNET, "--json", "lab", "demo", "--prefix", t.prefix, "--base", t.base, "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout)
    assert result["lab"]["lan"] == str(t.lan)
    assert result["runs"] and result["runs"][0]["verb"] == "audit"
    for run in result["runs"]:
        assert run["state"] in ("ran", "not available", "timed out", "failed to start")
        if run["state"] == "not available":
            assert run["result"] is None  # never pretends
    assert sorted(result["down"]["namespaces_removed"]) == sorted(t.namespaces)
    assert [n for n in existing_namespaces() if t.owns_namespace(n)] == []
    assert result["down"]["etc_removed"] == [f"/etc/netns/{t.agent_ns}"]
    assert list(NETNS_ETC.glob(f"{t.prefix}-*")) == []
    audit = result["runs"][0]
    assert audit["state"] == "ran" and audit["result"], audit
    assert result["outputs"] and (tmp_path / result["outputs"].rsplit("/", 1)[1]).is_dir()
    (evidence,) = (tmp_path / result["outputs"].rsplit("/", 1)[1]).rglob("evidence.json")
    measurements = json.loads(evidence.read_text())["measurements"]
    expected = tbf_goodput(t.uplink_mbit)  # what iperf3 measures through the lab's tbf uplink (tests/bandwidth)
    got = {(m["engine"], m["direction"]): m for m in measurements}
    for engine in ("http", "speedtest"):
        for direction in ("download", "upload"):
            m = got.get((engine, direction))
            assert m is not None and m["error"] is None, (engine, direction, m, sorted(got))
            if engine == "speedtest" and m["limited_by"]:
                # speedtest-cli (one thread, bytes / wall time) flagged its own figure as limited (burst, cpu):
                # the verdict ignores it; it must still never exceed what the link can carry
                assert m["mbps"] <= expected * 1.05, (engine, direction, m["mbps"], expected)
                continue
            if engine == "speedtest":
                # the reference is the http engine measured in the same run on the same link; speedtest-cli's own
                # method (single thread, wall time) is looser under load (docs/bandwidth.md), hence 10 %
                reference = got[("http", direction)]["mbps"]
                assert within(m["mbps"], reference, 0.10), (engine, direction, m["mbps"], reference)
                continue
            assert within(m["mbps"], expected, 0.05), (engine, direction, m["mbps"], expected, m["limited_by"])
    for direction in ("download", "upload"):
        assert_engine_flag(got[("speedtest", direction)])
    shown = {(m["engine"], m["direction"]): m["mbps"] for m in result["measurements"]}  # what the demo prints
    assert shown == {key: m["mbps"] for key, m in got.items()}


@pytest.mark.lab
def test_demo_interrupted_still_cleans_up(free_topology, tmp_path):  # noqa: F811
    t = free_topology
    proc = subprocess.Popen(
        [SCHOOLNET, "lab", "demo", "--prefix", t.prefix, "--base", t.base, "--out", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            state = load(t.prefix)
            if state is not None and state.phase == "up":
                break
            time.sleep(0.1)
        else:
            pytest.fail("the demo's lab never came up")
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 130, err[-1000:]
    assert [n for n in existing_namespaces() if t.owns_namespace(n)] == []
    assert load(t.prefix) is None
