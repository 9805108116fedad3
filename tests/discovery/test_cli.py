"""`schoolnet inspect` and `schoolnet discover` as a user runs them (subprocess, real snmpsim over UDP)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .badagent import BadAgent, addresses
from .conftest import free_udp_port

SCHOOLNET = [sys.executable, "-m", "agent.cli"]
DEVICE_FIELDS = {"ip", "role", "role_confidence", "vendor", "model", "sys_descr", "sys_object_id", "interfaces",
                 "max_port_speed_mbps", "max_port_capability_mbps", "radios", "lldp_neighbors", "basis", "errors"}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCHOOLNET_CONFIG": "/nonexistent/schoolnet-test.toml"}
    return subprocess.run([*SCHOOLNET, *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_inspect_json_prints_one_device(snmpsim):
    host, port = snmpsim
    proc = run("inspect", host, "--port", str(port), "--community", "jetstream_t1600g-28ts", "--json")
    assert proc.returncode == 0, proc.stderr
    device = json.loads(proc.stdout)
    assert set(device) >= DEVICE_FIELDS
    assert device["ip"] == host and device["role"] == "switch" and device["snmp_status"] == "ok"
    assert device["max_port_speed_mbps"] == 1000
    up = [i for i in device["interfaces"] if i["oper_up"] and i["physical"]]
    assert up and {"name", "type", "oper_up", "speed_mbps"} <= set(up[0])
    assert "jetstream_t1600g-28ts" not in proc.stdout + proc.stderr  # the community never appears


def test_inspect_snmpv3_options(snmpsim):
    host, port = snmpsim
    proc = run("inspect", host, "--port", str(port), "--v3-user", "simulator", "--v3-auth-proto", "MD5",
               "--v3-auth-key", "auctoritas", "--v3-priv-proto", "DES", "--v3-priv-key", "privatus",
               "--v3-context", "routeros_rb760igs", "--json")
    assert proc.returncode == 0, proc.stderr
    device = json.loads(proc.stdout)
    assert device["snmp_version"] == "v3" and device["role"] == "router"
    assert "auctoritas" not in proc.stdout + proc.stderr and "privatus" not in proc.stdout + proc.stderr


def test_inspect_human_summary(snmpsim):
    host, port = snmpsim
    proc = run("--lang", "en", "inspect", host, "--port", str(port), "--community", "ciscosb")
    assert proc.returncode == 0, proc.stderr
    assert "access_point" in proc.stdout and "Cisco" in proc.stdout


def test_inspect_bad_input_and_silent_device_exit_codes(snmpsim):
    host, port = snmpsim
    bad = run("inspect", "not a host!", "--community", "x")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    short = run("inspect", host, "--v3-user", "u", "--v3-auth-key", "short")
    assert short.returncode == 2 and "8 characters" in short.stderr
    both = run("inspect", host, "--community", "a", "--v3-user", "u")
    assert both.returncode == 2
    silent = run("inspect", host, "--port", str(port), "--community", "no-such-device", "--timeout", "0.3",
                 "--retries", "0", "--json")
    assert silent.returncode == 3
    assert json.loads(silent.stdout)["snmp_status"] == "timeout"


def host_gateways() -> list[str]:
    """This machine's default gateways: the tests exclude them so discovery never touches the real network."""
    from probes.host import probe_host

    return [g.address for g in probe_host().gateways if g.family == "ipv4"]


def test_discover_json_over_loopback_agents():
    port = free_udp_port()
    exclude = ", ".join(f'"{gw}/32"' for gw in host_gateways())
    modes = addresses(["ok", "silent", "garbage"], first=20)
    config = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"schoolnet-disc-{port}.toml")
    with open(config, "w", encoding="utf-8") as fh:
        fh.write(
            f'[scan]\nsubnets = ["127.0.0.16/28"]\nexclude = [{exclude}]\nsnmp_port = {port}\n'
            'snmp_timeout_s = 0.3\nsnmp_retries = 0\n'
            'arp = false\ndevice_budget_s = 3\n[[snmp.credentials]]\nversion = "2c"\ncommunity = "school-ro"\n'
        )
    os.chmod(config, 0o600)
    try:
        with BadAgent(modes, port):
            proc = subprocess.run([*SCHOOLNET, "--config", config, "discover", "--json"], capture_output=True,
                                  text=True, timeout=120)
    finally:
        os.unlink(config)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    ips = {d["ip"]: d for d in out["devices"]}
    assert ips["127.0.0.20"]["snmp_status"] == "ok"
    assert ips["127.0.0.21"]["snmp_status"] == "partial"
    assert "127.0.0.22" not in ips
    assert out["addresses"] == 14
    assert "school-ro" not in proc.stdout + proc.stderr
