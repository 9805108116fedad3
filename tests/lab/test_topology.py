"""The lab's topology as data and its safety checks (no root needed)."""

from __future__ import annotations

import ipaddress

import pytest

from agent.errors import UsageError
from lab import control
from lab.netns import check_address, check_name
from lab.safety import assert_lab_address
from lab.topology import Topology, parse_base


def test_default_instance_matches_the_device_table():
    t = Topology()
    ips = {n.role: n.ips for n in t.nodes}
    assert ips["agent"] == ["10.66.0.100"] and ips["router"] == ["10.66.0.1"] and ips["switch"] == ["10.66.0.2"]
    assert ips["ap1"] == ["10.66.0.11"] and ips["ap2"] == ["10.66.0.12"] and ips["printer"] == ["10.66.0.20"]
    assert ips["server"] == ["10.66.0.30"] and ips["silent"] == [f"10.66.0.{h}" for h in range(50, 54)]
    assert t.isp_ip == "10.66.1.2" and t.router_wan_ip == "10.66.1.1"
    assert {n.role: n.ns for n in t.nodes}["agent"] == "sn-agent"
    assert {n.role for n in t.snmp_nodes} == {"router", "switch", "ap1", "ap2", "printer", "server"}
    assert t.node("server").agent == "snmpd"


def test_every_namespace_and_address_passes_the_netns_checks():
    t = Topology(prefix="snt", base="10.67", extra_agents=20)
    for name in t.namespaces:
        check_name(name)
        assert t.owns_namespace(name)
    for n in [*t.nodes, t.isp]:
        for cidr in n.addresses:
            check_address(cidr)
            assert ipaddress.ip_interface(cidr).ip in t.supernet
    assert [n.ip for n in t.nodes if n.role.startswith("x")] == [f"10.67.0.{h}" for h in range(101, 121)]
    assert len({n.mac for n in t.nodes if n.mac}) == len([n for n in t.nodes if n.mac])


def test_instances_do_not_claim_each_others_namespaces():
    sn, snt = Topology(), Topology(prefix="snt", base="10.67")
    assert not sn.owns_namespace("snt-agent") and not snt.owns_namespace("sn-agent")
    assert sn.owns_namespace("sn-x101") and not sn.owns_namespace("snt-x101") and not sn.owns_namespace("sn-xyz")
    assert not sn.owns_namespace("snbwc18040")


@pytest.mark.parametrize("base", ["10.63", "10.128", "192.168", "10.66.1", "ten", "10.200"])
def test_bad_bases_are_refused(base):
    with pytest.raises(UsageError):
        parse_base(base)


@pytest.mark.parametrize("prefix", ["", "lab", "SN", "sn-x", "snabcdef", "eth0"])
def test_bad_prefixes_are_refused(prefix):
    with pytest.raises(UsageError):
        Topology(prefix=prefix)


@pytest.mark.parametrize("kwargs", [{"extra_agents": -1}, {"extra_agents": 101}, {"uplink_mbit": 0}])
def test_bad_sizes_are_refused(kwargs):
    with pytest.raises(UsageError):
        Topology(**kwargs)


def test_netns_refuses_foreign_names_and_addresses():
    for name in ("eth0", "default", "docker0", "sn bad", "sn-this-name-is-too-long"):
        with pytest.raises(UsageError):
            check_name(name)
    for cidr in ("192.168.1.10/24", "127.0.0.1/8", "10.0.0.1/24", "10.128.0.1/24"):
        with pytest.raises(UsageError):
            check_address(cidr)


def test_safety_refuses_addresses_of_no_running_lab():
    for ip in ("8.8.8.8", "192.0.2.2", "10.127.255.1", "not-an-ip"):
        with pytest.raises(UsageError):
            assert_lab_address(ip)


def test_preflight_refuses_a_range_the_host_already_uses(monkeypatch, tmp_path):
    monkeypatch.setattr(control, "state_path", lambda prefix: tmp_path / prefix / "state.json")
    monkeypatch.setattr(control, "existing_namespaces", lambda: [])
    monkeypatch.setattr(control, "all_states", lambda: [])
    topo = Topology(prefix="snt", base="10.67")
    monkeypatch.setattr(control, "_host_networks", lambda: [ipaddress.IPv4Network("10.67.0.0/16")])
    with pytest.raises(UsageError, match="overlaps"):
        control.preflight(topo)
    monkeypatch.setattr(control, "_host_networks", lambda: [ipaddress.IPv4Network("10.67.1.128/25")])
    with pytest.raises(UsageError, match="overlaps"):
        control.preflight(topo)
    monkeypatch.setattr(
        control, "_host_networks", lambda: [ipaddress.IPv4Network("0.0.0.0/0"), ipaddress.IPv4Network("10.66.0.0/24")]
    )
    control.preflight(topo)  # a default route or a neighbouring lab range is fine


def test_lab_config_is_valid_for_the_agent(tmp_path):
    from agent.config import parse

    topo = Topology(prefix="snt", base="10.67")
    cfg = parse(control.lab_config(topo, tmp_path))
    assert cfg.scan.subnets == ["10.67.0.0/24"]
    assert cfg.bandwidth.servers[0].url == "http://10.67.1.2:8080"
    assert cfg.district.url == "http://10.67.1.2:8000"
    assert [c.version for c in cfg.snmp.credentials] == ["2c", "3", "3"]
    assert cfg.bandwidth.engines == ["speedtest", "http"]  # the Internet first (the stand-in), the district second


def test_the_speed_service_serves_the_standin_over_tls(tmp_path):
    from lab.services import services, tls_paths

    topo = Topology(prefix="snt", base="10.67")
    speed = next(s for s in services(topo, tmp_path) if s.name == "speed")
    _, cert, key = tls_paths(tmp_path)
    argv = " ".join(speed.argv)
    assert f"--tls-bind 10.67.1.2:443 --cert {cert} --key {key} --speedtest-standin" in argv
    assert "--speedtest-server-url http://10.67.1.2:8080/speedtest/upload.php" in argv
    assert speed.also_ready == (443,)
