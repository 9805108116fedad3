"""End to end over UDP: inspect every real recording through snmpsim and compare with the labels.

Two checks per recording:
* parity: what the classifiers conclude from the wire equals what they conclude from the whole
  recording file (so the inspection reads everything they need, via GETBULK over real UDP);
* accuracy: role, vendor, model and port speeds against ``labels.json``; the score is printed
  (the classifier's own offline accuracy test lives with the classifier).
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from agent.config import SnmpCredential
from agent.model import Device, Role
from probes.discovery import device_from_snmp
from probes.snmp import snmprec
from probes.snmp.client import SnmpClient
from probes.snmp.inspect import inspect_session
from tests.labels import records as label_records

ROLE_LABEL = {
    Role.ACCESS_POINT: "ap",
    Role.WIRELESS_CONTROLLER: "controller",
    Role.ROUTER: "router",
    Role.FIREWALL: "router",
    Role.SWITCH: "switch",
    Role.PRINTER: "other",
    Role.OTHER: "other",
    Role.UNKNOWN: "unknown",
}


def _norm(text: str | None) -> str:
    return re.sub(r"[^A-Z0-9]", "", (text or "").upper())


def vendor_matches(ours: str | None, label: str | None) -> bool:
    if not label or not ours:
        return not label
    a, b = _norm(ours.split()[0]), _norm(label)
    return bool(a) and (a in b or _norm(label.split()[0]) in _norm(ours))


def model_matches(ours: str | None, label: str | None) -> bool:
    if not label:
        return True
    if not ours:
        return False
    a, b = _norm(ours), _norm(label)
    return a in b or _norm(label.split()[0]) in a


def inspect_all(host: str, port: int, names: list[str], v3: bool = False) -> dict[str, Device]:
    async def go() -> dict[str, Device]:
        gate = asyncio.Semaphore(8)
        out: dict[str, Device] = {}
        async with SnmpClient(timeout_s=1.0, retries=0) as client:

            async def one(name: str) -> None:
                if v3:
                    cred = SnmpCredential(version="3", user="simulator", auth_protocol="MD5", auth_key="auctoritas",
                                          priv_protocol="DES", priv_key="privatus", context=name)
                else:
                    cred = SnmpCredential(version="2c", community=name)
                async with gate:
                    session = await client.session(host, port, cred)
                    got = await inspect_session(client, session, budget_s=60)
                device, _ = device_from_snmp(name, got.data, errors=got.errors)
                out[name] = device

            await asyncio.gather(*(one(n) for n in names))
        return out

    return asyncio.run(go())


def _facts(d: Device) -> tuple:
    return (d.role, d.vendor, d.model, d.max_port_speed_mbps, d.max_port_capability_mbps, len(d.radios),
            len(d.lldp_neighbors))


def test_every_recording_over_udp_matches_its_file_and_the_labels(snmpsim, recordings_dir: Path):
    host, port = snmpsim
    labels = {r["community"]: r for r in label_records(recordings_dir)}
    names = sorted(labels)
    wire = inspect_all(host, port, names)

    mismatched = []
    score = {"role": 0, "vendor": 0, "model": 0, "observed": 0, "capability": 0}
    lines = []
    for name in names:
        offline, _ = device_from_snmp(name, snmprec.load(recordings_dir / f"{name}.snmprec"))
        got = wire[name]
        if _facts(got) != _facts(offline):
            mismatched.append((name, _facts(got), _facts(offline), got.errors))
        label = labels[name]
        ok = {
            "role": ROLE_LABEL[got.role] == label["role"],
            "vendor": vendor_matches(got.vendor, label["vendor"]),
            "model": model_matches(got.model, label["model"]),
            "observed": got.max_port_speed_mbps == label["observed_max_phys_eth_up_mbps"],
            "capability": got.max_port_capability_mbps == label["max_port_capability_mbps"],
        }
        for key, good in ok.items():
            score[key] += good
        if not all(ok.values()):
            lines.append(f"  {name:36} {','.join(k for k, v in ok.items() if not v)}: role {got.role} "
                         f"vendor {got.vendor} model {got.model} up {got.max_port_speed_mbps} "
                         f"cap {got.max_port_capability_mbps}")
    n = len(names)
    print(f"\nover UDP, {n} recordings: " + ", ".join(f"{k} {v}/{n} ({100 * v / n:.0f} %)" for k, v in score.items()))
    print("\n".join(lines))
    # the inspection must read everything the classifiers use: wire and file agree
    # (windows_svr_2019_1809 holds a malformed OID that makes snmpsim drop part of the walk)
    assert [m for m in mismatched if m[0] != "windows_svr_2019_1809"] == []
    assert score["role"] >= 0.8 * n


def test_snmpv3_auth_priv_inspection_equals_v2c(snmpsim):
    host, port = snmpsim
    names = ["routeros_wifi", "ciscosb", "procurve"]
    v2 = inspect_all(host, port, names)
    v3 = inspect_all(host, port, names, v3=True)
    for name in names:
        assert _facts(v3[name]) == _facts(v2[name]), name
        assert v3[name].sys_object_id and v3[name].sys_object_id == v2[name].sys_object_id
