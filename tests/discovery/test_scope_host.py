"""Scope rules and the host probe: pure rules on Host data, then the real probe inside a namespace."""

from __future__ import annotations

import ipaddress
import json
import sys

import pytest

from agent.config import ScanConfig
from agent.errors import UsageError
from agent.model import Address, Gateway, Host, Nic
from probes.host import bottlenecks
from probes.scope import build_scope


def nic(name, kind="wired", cidr=None, up=True, speed=1000):
    addrs = ()
    if cidr:
        i = ipaddress.IPv4Interface(cidr)
        addrs = (Address("ipv4", str(i.ip), i.network.prefixlen),)
    return Nic(name=name, kind=kind, is_up=up, speed_mbps=speed, duplex="full", addresses=addrs)


def host(*nics, gw=None, gw_if="eth0"):
    gws = (Gateway(gw, gw_if),) if gw else ()
    return Host(hostname="t", nics=tuple(nics), gateways=gws)


def test_attached_subnets_of_up_physical_nics_capped_gateway_added_own_address_left_out():
    h = host(
        nic("eth0", cidr="10.72.5.20/20"),  # wider than /22: capped around this machine
        nic("wlan0", "wireless", cidr="10.72.100.7/24"),
        nic("docker0", "virtual", cidr="172.17.0.1/16"),
        nic("eth1", cidr="10.72.200.1/24", up=False),
        nic("lo", "loopback", cidr="127.0.0.1/8"),
        gw="10.72.0.1",
    )
    scope = build_scope(ScanConfig(), h)
    nets = {str(n.network): n.source for n in scope.networks}
    assert nets == {"10.72.4.0/22": "attached", "10.72.100.0/24": "attached", "10.72.0.1/32": "gateway"}
    assert "10.72.5.20" not in scope.addresses and "10.72.100.7" not in scope.addresses
    assert len(scope.addresses) == (1022 - 1) + (254 - 1) + 1
    assert scope.notes and "10.72.0.0/20" in scope.notes[0].en and "10.72.0.0/20" in scope.notes[0].vi
    assert scope.interface_for("10.72.6.1") == "eth0" and scope.interface_for("10.72.100.9") == "wlan0"
    assert scope.contains("10.72.0.1") and not scope.contains("172.17.0.2")


def test_max_prefix_widens_and_exclude_wins():
    h = host(nic("eth0", cidr="10.72.5.20/20"), gw="10.72.0.1")
    scope = build_scope(ScanConfig(max_prefix=20, exclude=["10.72.8.0/21", "10.72.0.1/32"]), h)
    assert [str(n.network) for n in scope.networks] == ["10.72.0.0/20"]
    assert "10.72.0.1" not in scope.addresses and "10.72.9.1" not in scope.addresses
    assert "10.72.7.254" in scope.addresses and not scope.notes


def test_configured_subnets_replace_attached_and_too_wide_is_refused():
    h = host(nic("eth0", cidr="10.72.5.20/24"), gw="10.72.5.1")
    scope = build_scope(ScanConfig(subnets=["10.72.5.0/28", "10.72.9.0/30"]), h)
    assert {str(n.network): n.interface for n in scope.networks} == {"10.72.5.0/28": "eth0", "10.72.9.0/30": None}
    assert scope.addresses[:3] == ("10.72.5.1", "10.72.5.2", "10.72.5.3")
    assert scope.on_link()["eth0"][0] == "10.72.5.1" and "10.72.9.1" not in scope.on_link()["eth0"]
    with pytest.raises(UsageError, match="wider than /16"):
        build_scope(ScanConfig(subnets=["10.0.0.0/8"]), h)


def test_virtual_interface_with_the_default_route_is_scanned():
    h = host(nic("veth0", "virtual", cidr="10.72.3.10/24"), gw="10.72.3.1", gw_if="veth0")
    scope = build_scope(ScanConfig(), h)
    assert [str(n.network) for n in scope.networks] == ["10.72.3.0/24"]


def test_bottlenecks_say_when_this_machine_cannot_verify_a_gigabit_line():
    gw = (Gateway("10.72.0.1", "eth0"),)
    assert bottlenecks([nic("eth0", speed=1000)], gw) == []
    slow = bottlenecks([nic("eth0", speed=100)], gw)
    assert len(slow) == 1 and "100 Mbit/s" in slow[0].en and "100 Mbit/s" in slow[0].vi
    wifi = bottlenecks([nic("eth0", "wireless", speed=None)], gw)
    assert any("Wi-Fi" in t.en for t in wifi) and any("Wi-Fi" in t.vi for t in wifi)
    # no default route: said; the first up wired NIC with IPv4 is still judged
    nogw = bottlenecks([nic("eth0", cidr="10.72.0.5/24", speed=100)], ())
    assert "default route" in nogw[0].en and "100 Mbit/s" in nogw[1].en
    half = bottlenecks([Nic("eth0", "wired", True, 1000, "half")], gw)
    assert any("half duplex" in t.en for t in half)


@pytest.mark.lab
def test_probe_host_and_scope_inside_a_namespace():
    """The real probe (psutil + netifaces) in a namespace we build: veth with a /20, a dummy, a default route."""
    from lab.netns import Namespace, veth

    a, b = Namespace("snd-h1"), Namespace("snd-h2")
    for ns in (a, b):
        ns.delete()
        ns.create()
    try:
        veth(a, "snd-e0", b, "snd-e1")
        a.add_address("snd-e0", "10.72.21.10/20")
        b.add_address("snd-e1", "10.72.16.1/20")
        veth(a, "snd-d0", b, "snd-d1")  # a second link, virtual and without the default route: not scanned
        a.add_address("snd-d0", "10.72.64.1/24")
        a.ip("route", "add", "default", "via", "10.72.16.1")
        code = (
            "import json\nfrom agent.config import ScanConfig\nfrom probes.host import probe_host\n"
            "from probes.scope import build_scope\nfrom agent.model import to_jsonable\n"
            "h = probe_host()\ns = build_scope(ScanConfig(), h)\n"
            "print(json.dumps({'host': to_jsonable(h), 'nets': [str(n.network) for n in s.networks], "
            "'n': len(s.addresses)}))\n"
        )
        proc = a.exec([sys.executable, "-c", code])
        out = json.loads(proc.stdout)
    finally:
        a.delete()
        b.delete()
    nics = {n["name"]: n for n in out["host"]["nics"]}
    assert nics["snd-e0"]["kind"] == "virtual" and nics["snd-e0"]["is_up"]
    assert {"family": "ipv4", "address": "10.72.21.10", "prefixlen": 20} in nics["snd-e0"]["addresses"]
    assert nics["lo"]["kind"] == "loopback" and nics["snd-d0"]["kind"] == "virtual"
    assert nics["snd-e0"]["mtu"] == 1500
    gateway = {"address": "10.72.16.1", "interface": "snd-e0", "family": "ipv4", "default": True}
    assert gateway in out["host"]["gateways"]
    # the default-route veth is scanned (capped to /22); the dummy is not; the gateway is added
    assert out["nets"] == ["10.72.20.0/22", "10.72.16.1/32"]
    assert out["n"] == 1022 - 1 + 1
