"""`schoolnet inspect --json` on controllers whose APs need joined tables, over a real snmpsim on 127.0.0.1.

The inspection must walk the joined tables itself (FortiGate WTP profile radios, Huawei AP-type radios): the
files in tests/data/snmp are written by hand from the MIB definitions (see tests/data/README.md), not recorded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lab.snmpsim import SnmpSim
from tests.discovery.conftest import free_udp_port

DATA = Path(__file__).resolve().parents[1] / "data" / "snmp"


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[str, int]]:
    port = free_udp_port()
    log = Path(tempfile.mkdtemp(prefix="schoolnet-ctrl-")) / "snmpsim.log"
    server = SnmpSim(DATA, (("127.0.0.1", port),), log_path=log)
    server.start(ready_community="fortigate_wtp")
    try:
        yield "127.0.0.1", port
    finally:
        server.stop()


def inspect(sim: tuple[str, int], community: str) -> dict[str, Any]:
    env = {**os.environ, "SCHOOLNET_CONFIG": "/nonexistent/schoolnet-test.toml"}
    proc = subprocess.run([sys.executable, "-m", "agent.cli", "inspect", sim[0], "--port", str(sim[1]),
                           "--community", community, "--json"], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def bands(ap: dict[str, Any]) -> list[tuple[str, str, int | None, str]]:
    return sorted((r["band_ghz"], r["standard"], r["channel_width_mhz"], r["provenance"]) for r in ap["radios"])


def test_fortigate_profile_radios_over_the_wire(sim: tuple[str, int]) -> None:
    device = inspect(sim, "fortigate_wtp")
    aps = {ap["mac"]: ap for ap in device["aps"]}
    assert len(aps) == 3 and all(ap["parent"] == sim[0] for ap in aps.values())
    ax = aps["70:4c:a5:11:22:01"]
    assert (ax["model"], ax["ip"]) == ("FAP-231F", "10.10.30.11")
    assert bands(ax) == [("2.4", "ax", 20, "measured"), ("5", "ax", 80, "measured")]
    assert (ax["wifi"]["standard"], ax["wifi"]["provenance"]) == ("ax", "measured")
    assert aps["70:4c:a5:11:22:02"]["wifi"]["standard"] == "n"  # profile set to 802.11n only


def test_huawei_ap_type_radios_over_the_wire(sim: tuple[str, int]) -> None:
    device = inspect(sim, "huawei_ac_aps")
    aps = {ap["mac"]: ap for ap in device["aps"]}
    assert all(ap["parent"] == sim[0] for ap in aps.values())
    assert bands(aps["00:e0:fc:11:22:02"]) == [("2.4", "n", None, "measured"), ("5", "ac", None, "measured")]
    assert aps["00:e0:fc:11:22:02"]["wifi"]["wave2"] is True
    assert bands(aps["00:e0:fc:11:22:01"]) == [("2.4", "ax", 20, "measured"), ("5", "ax", 80, "measured")]
