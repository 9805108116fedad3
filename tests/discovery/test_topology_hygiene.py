"""Topology from neighbour tables, and the hygiene probes (TCP connect, v3 engine discovery, 'public')."""

from __future__ import annotations

import asyncio
import socket

from agent.config import SnmpCredential
from agent.model import Device, Interface, LldpNeighbor, Role
from probes import hygiene, topology
from probes.snmp.client import SnmpClient

from .badagent import BadAgent, addresses
from .conftest import free_udp_port


def iface(name, speed):
    return Interface(index=1, name=name, type=6, oper_up=True, speed_mbps=speed, physical=True)


def test_uplinks_follow_the_graph_from_the_router():
    router = Device(ip="10.72.0.1", role=Role.ROUTER, sys_name="gw", interfaces=(iface("ether2", 1000),),
                    lldp_neighbors=(LldpNeighbor(local_port="ether2", remote_system_name="sw-core",
                                                 remote_mgmt_address="10.72.0.2"),))
    switch = Device(
        ip="10.72.0.2", role=Role.SWITCH, sys_name="sw-core",
        interfaces=(iface("gi1/0/9", 1000), iface("gi1/0/10", 100), iface("gi1/0/24", 1000)),
        lldp_neighbors=(
            LldpNeighbor(local_port="gi1/0/24", remote_chassis_id="aa:bb:cc:00:00:01", remote_system_name="gw"),
            LldpNeighbor(local_port="gi1/0/9", remote_chassis_id="00:27:22:00:00:11", remote_system_name="ap-1"),
            LldpNeighbor(local_port="gi1/0/10", remote_system_name="ap-no-snmp", remote_mgmt_address="10.72.0.12",
                         enabled_capabilities=("wlan-access-point",)),
        ),
    )
    ap1 = Device(ip="10.72.0.11", role=Role.ACCESS_POINT, sys_name="ap-1.school.local", mac="00:27:22:00:00:11")
    printer = Device(ip="10.72.0.20", role=Role.PRINTER)
    out = {d.ip: d for d in topology.attach([router, switch, ap1, printer])}
    assert out["10.72.0.1"].uplink is None
    assert out["10.72.0.2"].uplink.device_ip == "10.72.0.1" and out["10.72.0.2"].uplink.port == "ether2"
    assert out["10.72.0.2"].uplink.speed_mbps == 1000
    ap = out["10.72.0.11"].uplink  # matched by chassis MAC
    assert (ap.device_ip, ap.port, ap.speed_mbps) == ("10.72.0.2", "gi1/0/9", 1000)
    seen_only = out["10.72.0.12"]  # an AP that only the switch's neighbour table knows
    assert seen_only.found_by == ("lldp",) and seen_only.role == Role.ACCESS_POINT
    assert (seen_only.uplink.device_ip, seen_only.uplink.port, seen_only.uplink.speed_mbps) == ("10.72.0.2",
                                                                                                "gi1/0/10", 100)
    assert out["10.72.0.20"].uplink is None


def test_tcp_connect_tells_telnet_and_http_from_ssh_and_https():
    listeners = []
    ports = {}
    for name in ("telnet", "http"):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        listeners.append(sock)
        ports[name] = sock.getsockname()[1]
    for name in ("ssh", "https"):  # closed ports: bind without listening keeps them ours and refusing
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        listeners.append(sock)
        ports[name] = sock.getsockname()[1]
    try:
        async def go():
            async with SnmpClient() as client:
                session = await client.session("127.0.0.1", 161, SnmpCredential(version="2c", community="x"))
                device = Device(ip="127.0.0.1")
                return await hygiene.check(client, [device], {"127.0.0.1": session}, ports=ports,
                                           v3_capable={"127.0.0.1"})

        texts = asyncio.run(go())["127.0.0.1"]
    finally:
        for sock in listeners:
            sock.close()
    english = " ".join(t.en for t in texts)
    assert "Telnet" in english and "HTTP only" in english
    assert all(t.vi for t in texts)


def test_v3_engine_discovery_and_default_community(snmpsim):
    """snmpsim speaks SNMPv3 (its engine answers discovery); the bad agent speaks v2c only and answers 'public'."""
    host, port = snmpsim
    bad_port = free_udp_port()
    modes = addresses(["ok"], first=40)
    (bad,) = modes

    async def go():
        async with SnmpClient(timeout_s=0.5, retries=0) as client:
            sim_v3 = await hygiene.speaks_v3(client, host, port)
            bad_v3 = await hygiene.speaks_v3(client, bad, bad_port)
            public = await hygiene.answers_default_community(client, bad, bad_port)
            sim_public = await hygiene.answers_default_community(client, host, port)
            session = await client.session(bad, bad_port, SnmpCredential(version="2c", community="school"))
            texts = await hygiene.check(client, [Device(ip=bad)], {bad: session}, test_default_community=True,
                                        port=bad_port, ports={})
            return sim_v3, bad_v3, public, sim_public, texts

    with BadAgent(modes, bad_port):
        sim_v3, bad_v3, public, sim_public, texts = asyncio.run(go())
    assert sim_v3 is True and bad_v3 is False
    assert public == "v2c" and sim_public is None  # snmpsim has no 'public' recording: no answer
    english = " ".join(t.en for t in texts[bad])
    assert "default community 'public'" in english and "no SNMPv3" in english
