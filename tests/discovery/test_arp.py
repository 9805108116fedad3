"""ARP sweep inside namespaces we create (scapy runs in a process of the namespace), MAC vendors, no CAP_NET_RAW."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from probes import oui

SNIFF = """
import json, sys, time
from scapy.layers.l2 import ARP
from scapy.sendrecv import AsyncSniffer
sniffer = AsyncSniffer(iface=sys.argv[1], lfilter=lambda p: ARP in p and p[ARP].op == 1, store=True,
                       started_callback=lambda: print("READY", flush=True))
sniffer.start()
time.sleep(float(sys.argv[2]))
pkts = sniffer.stop()
print(json.dumps([[float(p.time), p[ARP].pdst] for p in pkts]))
"""


@pytest.mark.lab
def test_arp_sweep_finds_the_hosts_at_a_bounded_rate():
    from lab.netns import Namespace, veth

    agent, lan = Namespace("snd-a1"), Namespace("snd-a2")
    for ns in (agent, lan):
        ns.delete()
        ns.create()
    try:
        veth(agent, "snd-ae", lan, "snd-al")
        agent.add_address("snd-ae", "10.72.30.100/24")
        for host in (10, 11, 12):
            lan.add_address("snd-al", f"10.72.30.{host}/24")
        sniffer = subprocess.Popen(["ip", "netns", "exec", lan.name, sys.executable, "-c", SNIFF, "snd-al", "6"],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert sniffer.stdout is not None
        assert sniffer.stdout.readline().strip() == b"READY"
        targets = [f"10.72.30.{i}" for i in range(1, 31)]
        proc = agent.exec([sys.executable, "-m", "probes.arp", "snd-ae", "50", *targets], timeout=60)
        result = json.loads(proc.stdout)
        seen = json.loads(sniffer.communicate(timeout=30)[0].decode().strip().splitlines()[-1])
        # the way discovery runs it: a child process fed JSON on stdin, from asyncio
        code = ("import asyncio, dataclasses, json\nfrom probes.arp import arp_sweep_async\n"
                "r = asyncio.run(arp_sweep_async({'snd-ae': ['10.72.30.11', '10.72.30.99']}, rate_pps=20))\n"
                "print(json.dumps(dataclasses.asdict(r)))")
        via_async = json.loads(agent.exec([sys.executable, "-c", code], timeout=60).stdout)
        lan_mac = lan.ip("-j", "link", "show", "snd-al").stdout
    finally:
        agent.delete()
        lan.delete()
    mac = json.loads(lan_mac)[0]["address"]
    assert via_async["hosts"] == {"10.72.30.11": mac} and via_async["sent"] == 2
    assert result["available"] is True and result["sent"] == 30
    assert result["hosts"] == {f"10.72.30.{h}": mac for h in (10, 11, 12)}
    # every address was asked once, never faster than 50 packets per second (lower bound on the spacing)
    assert sorted(dst for _t, dst in seen) == sorted(targets)
    times = sorted(t for t, _dst in seen)
    assert times[-1] - times[0] >= 0.8 * (len(times) - 1) / 50


def test_without_cap_net_raw_the_sweep_says_so():
    code = "import json, dataclasses\nfrom probes.arp import arp_sweep\n" \
           "print(json.dumps(dataclasses.asdict(arp_sweep({'lo': ['127.0.0.1']}))))"
    proc = subprocess.run(["setpriv", "--bounding-set=-net_raw", "--inh-caps=-net_raw", sys.executable, "-c", code],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["available"] is False and result["hosts"] == {}
    assert "CAP_NET_RAW" in result["note"]["en"] and "CAP_NET_RAW" in result["note"]["vi"]


def test_oui_vendors_come_from_the_ieee_registry():
    if not oui.available():
        pytest.skip("ieee-data is not installed")
    assert oui.vendor("00:1B:21:12:34:56") == "Intel Corporate"
    assert oui.vendor("001b.2112.3456") == oui.vendor(b"\x00\x1b\x21\x12\x34\x56")
    assert oui.vendor("02:11:22:33:44:55") is None  # locally administered
    assert oui.vendor("not a mac") is None
