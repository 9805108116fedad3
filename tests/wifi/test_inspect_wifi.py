"""`schoolnet inspect --json` prints a `wifi` object for APs and for each AP a controller lists.

Real parts: snmpsim over UDP on 127.0.0.1 serving the MIB-derived files in tests/data/snmp, and the CLI as a
subprocess (so the inspection's own GETs/walks of the vendor model OIDs and radio tables are exercised).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.snmpsim import SnmpSim
from tests.discovery.conftest import free_udp_port

DATA = Path(__file__).resolve().parents[1] / "data" / "snmp"


@pytest.fixture(scope="module")
def sim() -> Iterator[tuple[str, int]]:
    port = free_udp_port()
    log = Path(tempfile.mkdtemp(prefix="schoolnet-i13-")) / "snmpsim.log"
    server = SnmpSim(DATA, (("127.0.0.1", port),), log_path=log)
    server.start(ready_community="fortiap_231f")
    try:
        yield "127.0.0.1", port
    finally:
        server.stop()


def inspect(sim: tuple[str, int], community: str) -> dict:  # type: ignore[type-arg]
    env = {**os.environ, "SCHOOLNET_CONFIG": "/nonexistent/schoolnet-test.toml"}
    proc = subprocess.run([sys.executable, "-m", "agent.cli", "inspect", sim[0], "--port", str(sim[1]),
                           "--community", community, "--json"], capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)  # type: ignore[no-any-return]


def test_fortiap_wifi_object_from_the_vendor_mib(sim: tuple[str, int]) -> None:
    device = inspect(sim, "fortiap_231f")
    assert (device["role"], device["model"]) == ("access_point", "FAP-231F")
    wifi = device["wifi"]
    assert {"standard", "wave2", "bands_ghz", "max_rate_mbps", "provenance", "basis"} <= set(wifi)
    assert (wifi["standard"], wifi["provenance"], wifi["bands_ghz"]) == ("ax", "measured", ["2.4", "5"])
    assert sorted((r["band_ghz"], r["standard"], r["provenance"]) for r in device["radios"]) == [
        ("2.4", "ax", "measured"), ("5", "ax", "measured")]


def test_omada_model_scalar_read_by_the_inspection(sim: tuple[str, int]) -> None:
    device = inspect(sim, "omada_eap245")
    assert device["model"] == "EAP245"
    assert (device["wifi"]["standard"], device["wifi"]["provenance"]) == ("ac", "catalog")


def test_controller_lists_each_ap_with_its_wifi(sim: tuple[str, int]) -> None:
    device = inspect(sim, "cisco_wlc_aps")
    assert device["role"] == "wireless_controller"
    aps = {ap["mac"]: ap for ap in device["aps"]}
    assert sorted(aps) == ["00:11:22:33:44:01", "00:11:22:33:44:02"]
    assert all(ap["parent"] == sim[0] and ap["role"] == "access_point" for ap in aps.values())
    wave2 = aps["00:11:22:33:44:01"]
    assert (wave2["model"], wave2["ip"]) == ("AIR-AP2802I-E-K9", "10.10.20.11")
    assert (wave2["wifi"]["standard"], wave2["wifi"]["wave2"], wave2["wifi"]["provenance"]) == ("ac", True, "measured")
    assert wave2["wifi"]["max_rate_mbps"] == {"2.4": 144.0, "5": 867.0, "aggregate": 1011.0}
    ax = aps["00:11:22:33:44:02"]
    assert (ax["model"], ax["wifi"]["standard"], ax["wifi"]["provenance"]) == ("C9120AXI-E", "ax", "catalog")


def test_human_summary_names_the_wifi(sim: tuple[str, int]) -> None:
    env = {**os.environ, "SCHOOLNET_CONFIG": "/nonexistent/schoolnet-test.toml"}
    proc = subprocess.run([sys.executable, "-m", "agent.cli", "--lang", "en", "inspect", sim[0], "--port",
                           str(sim[1]), "--community", "fortiap_231f"], capture_output=True, text=True, timeout=120,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    assert "802.11ax, 2.4/5 GHz (measured)" in proc.stdout


@pytest.mark.parametrize(("community", "model", "standard"), [
    ("grandstream_gwn7660", "GWN7660", "ax"),   # sysName "grandstream": the LLDP local description names it
    ("aruba_instant_315", "315", "ac"),
    ("huawei_airengine", "AirEngine5760-10", "ax"),
])
def test_model_found_over_the_wire(sim: tuple[str, int], community: str, model: str, standard: str) -> None:
    device = inspect(sim, community)
    assert device["model"] is not None and device["model"].endswith(model)
    assert device["wifi"]["standard"] == standard
