"""`schoolnet discover` end to end in a lab instance we bring up (namespaces, ARP, snmpsim, snmpd, LLDP)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PREFIX, BASE = "sndt", "10.72"


@pytest.mark.lab
def test_discover_the_simulated_school():
    from lab import control
    from lab.topology import Topology

    lab = control.up(Topology(prefix=PREFIX, base=BASE), start_services=False)
    try:
        proc = subprocess.run(
            ["ip", "netns", "exec", f"{PREFIX}-agent", sys.executable, "-m", "agent.cli", "--config",
             str(lab.config_path), "--lang", "en", "discover", "--json"],
            capture_output=True, text=True, timeout=180,
        )
        # only the switch swept: the management addresses its LLDP neighbours advertise are followed
        code = ("import asyncio, json, sys\nfrom agent.config import load\nfrom pathlib import Path\n"
                "from probes.discovery import discover\n"
                f"cfg = load(Path({str(lab.config_path)!r}))\n"
                f"r = asyncio.run(discover(cfg, addresses=['{BASE}.0.2']))\n"
                "print(json.dumps(sorted(d.ip for d in r.devices if d.snmp_status == 'ok')))")
        followed = subprocess.run(["ip", "netns", "exec", f"{PREFIX}-agent", sys.executable, "-c", code],
                                  capture_output=True, text=True, timeout=180)
        # SNMPv3 only: snmpd knows 'auditor' (SHA-256/AES-128), snmpsim knows 'simulator' (MD5/DES); each
        # refuses the other's user with a report, and the sweep moves on to the next credential
        import tomllib

        import tomli_w

        cfg = tomllib.loads(lab.config_path.read_text())
        cfg["snmp"]["credentials"] = [c for c in cfg["snmp"]["credentials"] if c["version"] == "3"]
        cfg["scan"]["arp"] = False
        v3_path = lab.config_path.with_name("v3-only.toml")
        v3_path.write_text(tomli_w.dumps(cfg))
        v3_path.chmod(0o600)
        v3 = subprocess.run(["ip", "netns", "exec", f"{PREFIX}-agent", sys.executable, "-m", "agent.cli", "--config",
                             str(v3_path), "discover", "--json"], capture_output=True, text=True, timeout=180)
    finally:
        control.down(PREFIX)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    devices = {d["ip"]: d for d in out["devices"]}
    net = f"{BASE}.0"
    roles = {ip: devices[ip]["role"] for ip in (f"{net}.1", f"{net}.2", f"{net}.11", f"{net}.12", f"{net}.20")}
    assert roles == {f"{net}.1": "router", f"{net}.2": "switch", f"{net}.11": "access_point",
                     f"{net}.12": "access_point", f"{net}.20": "printer"}
    assert devices[f"{net}.30"]["snmp_status"] == "ok"  # net-snmp snmpd, reached with a community
    assert out["arp_available"] is True
    for host in (50, 51, 52, 53):  # answer ARP, not SNMP
        d = devices[f"{net}.{host}"]
        assert d["found_by"] == ["arp"] and d["snmp_status"] == "no_response" and d["mac"], d
    assert devices[f"{net}.1"]["mac"] and devices[f"{net}.1"]["mac_vendor"], devices[f"{net}.1"]
    # topology: the APs hang on switch ports, the switch on the router
    for ap in (f"{net}.11", f"{net}.12"):
        uplink = devices[ap]["uplink"]
        assert uplink and uplink["device_ip"] == f"{net}.2" and uplink["port"] and uplink["speed_mbps"], uplink
    assert devices[f"{net}.2"]["uplink"]["device_ip"] == f"{net}.1"
    assert devices[f"{net}.1"]["max_port_speed_mbps"] == 10000
    assert "school-ro" not in proc.stdout + proc.stderr
    assert followed.returncode == 0, followed.stderr[-2000:]
    assert {f"{net}.1", f"{net}.2", f"{net}.11", f"{net}.12"} <= set(json.loads(followed.stdout))
    assert v3.returncode == 0, v3.stderr[-2000:]
    by_ip = {d["ip"]: d for d in json.loads(v3.stdout)["devices"]}
    for host in (1, 2, 11, 12, 20, 30):
        d = by_ip[f"{net}.{host}"]
        assert d["snmp_status"] == "ok" and d["snmp_version"] == "v3", d
    assert by_ip[f"{net}.30"]["role"] == devices[f"{net}.30"]["role"]
    for secret in ("audit-auth-key", "audit-priv-key", "auctoritas", "privatus"):
        assert secret not in v3.stdout + v3.stderr
