"""The lab's authored recordings: reproducible from the generator, and carrying what the probes need."""

from __future__ import annotations

import ipaddress

import pytest

from lab.make_recordings import RECORDINGS_DIR, default_files, main, render, render_all
from lab.topology import Topology
from probes.snmp.snmprec import parse

LLDP_REM_SYSNAME = "1.0.8802.1.1.2.1.4.1.1.9"
LLDP_REM_MAN = "1.0.8802.1.1.2.1.4.2.1.3"


def recording(name: str):
    return parse((RECORDINGS_DIR / f"{name}.snmprec").read_text())


def test_committed_recordings_match_the_generator(tmp_path):
    files = default_files()
    assert set(files) == {"router", "switch", "ap-nanohd", "ap-eap115", "printer"}
    for name, text in files.items():
        assert (RECORDINGS_DIR / f"{name}.snmprec").read_text() == text, f"{name}: run python -m lab.make_recordings"
    assert main(["--check"]) == 0
    (tmp_path / "router.snmprec").write_text("1.3.6.1.2.1.1.1.0|4|stale\n")
    assert main(["--check", "--out", str(tmp_path)]) == 1


@pytest.mark.parametrize("name", ["router", "switch", "ap-nanohd", "ap-eap115", "printer"])
def test_recordings_are_sorted_snmprec(name):
    lines = (RECORDINGS_DIR / f"{name}.snmprec").read_text().splitlines()
    assert lines, name
    oids = [tuple(int(p) for p in line.split("|", 2)[0].split(".")) for line in lines]
    assert oids == sorted(oids) and len(set(oids)) == len(oids)
    assert all(line.count("|") >= 2 for line in lines)


def test_system_group_and_vendor_trees():
    expected = {
        "router": "1.3.6.1.4.1.14988.1",
        "switch": "1.3.6.1.4.1.11863.",
        "ap-nanohd": "1.3.6.1.4.1.8072.3.2.10",
        "ap-eap115": "1.3.6.1.4.1.11863.",
        "printer": "1.3.6.1.4.1.11.2.3.9.1",
    }
    for name, prefix in expected.items():
        data = recording(name)
        assert str(data.text("1.3.6.1.2.1.1.2.0")).startswith(prefix), name
        for col in (1, 5, 6):
            assert data.get(f"1.3.6.1.2.1.1.{col}.0") is not None, (name, col)
        models = {str(v) for _, v in data.walk("1.3.6.1.2.1.47.1.1.1.1.13") if v}
        assert models, f"{name}: no entPhysicalModelName"
        assert data.text("1.3.6.1.2.1.47.1.1.1.1.11.1"), f"{name}: no serial"


def test_router_has_a_10g_port_up_forwarding_and_a_default_route():
    data = recording("router")
    names = {k[0]: str(v) for k, v in data.column("1.3.6.1.2.1.31.1.1.1.1").items()}
    high = {k[0]: v for k, v in data.column("1.3.6.1.2.1.31.1.1.1.15").items()}
    oper = {k[0]: v for k, v in data.column("1.3.6.1.2.1.2.2.1.8").items()}
    sfp = next(i for i, n in names.items() if n == "sfp-sfpplus1")
    assert high[sfp] == 10000 and oper[sfp] == 1
    assert data.get(f"1.3.6.1.2.1.2.2.1.5.{sfp}") == 4294967295  # ifSpeed saturates above 4.29 Gbit/s
    assert sum(1 for n in names.values() if n.startswith("ether")) == 16
    assert data.integer("1.3.6.1.2.1.4.1.0") == 1
    assert data.text("1.3.6.1.2.1.4.21.1.7.0.0.0.0") == "10.66.1.2"  # ipRouteNextHop of 0.0.0.0
    assert data.text("1.3.6.1.4.1.14988.1.1.4.4.0")  # RouterOS version (MIKROTIK-MIB)


def test_switch_bridge_and_lldp_neighbours_with_management_addresses():
    data = recording("switch")
    assert data.integer("1.3.6.1.2.1.17.1.2.0") == 28
    assert data.integer("1.3.6.1.2.1.4.1.0") == 2
    cap = data.get("1.0.8802.1.1.2.1.3.6.0")  # lldpLocSysCapEnabled: bridge (the reader may decode it as text)
    assert (cap.encode() if isinstance(cap, str) else cap) == b"\x20"
    names = {k: str(v) for k, v in data.column(LLDP_REM_SYSNAME).items()}
    by_port = {k[1]: v for k, v in names.items()}
    assert by_port == {24: "gw-truong", 9: "ap-thu-vien", 10: "ap-phong-101"}
    man = {k[:3]: ".".join(str(p) for p in k[5:]) for k in data.column(LLDP_REM_MAN)}
    assert {k[1]: ip for k, ip in man.items()} == {24: "10.66.0.1", 9: "10.66.0.11", 10: "10.66.0.12"}
    # the ports the neighbours sit on are up, at their real speeds (the EAP115 has a 10/100 port)
    base_port_if = {k[0]: v for k, v in data.column("1.3.6.1.2.1.17.1.4.1.2").items()}
    high = {k[0]: v for k, v in data.column("1.3.6.1.2.1.31.1.1.1.15").items()}
    oper = {k[0]: v for k, v in data.column("1.3.6.1.2.1.2.2.1.8").items()}
    assert [oper[base_port_if[p]] for p in (24, 9, 10)] == [1, 1, 1]
    assert [high[base_port_if[p]] for p in (24, 9, 10)] == [1000, 1000, 100]


def test_access_points_expose_their_radios():
    nano = recording("ap-nanohd")
    assert nano.text("1.3.6.1.4.1.41112.1.6.3.3.0") == "UAP-nanoHD"
    radios = sorted(str(v) for _, v in nano.walk("1.3.6.1.4.1.41112.1.6.1.1.1.3"))
    assert radios == ["na", "ng"]
    eap = recording("ap-eap115")
    assert "EAP115" in {str(v) for _, v in eap.walk("1.3.6.1.2.1.47.1.1.1.1.13")}
    phy = [v for _, v in eap.walk("1.2.840.10036.4.1.1.1")]
    assert phy == [7]  # dot11PHYType ht(7): 802.11n, one radio


def test_printer_mib():
    data = recording("printer")
    assert data.text("1.3.6.1.2.1.43.5.1.1.16.1") == "HP LaserJet Pro M404-M405"
    assert str(data.get("1.3.6.1.2.1.25.3.2.1.2.1")).lstrip(".") == "1.3.6.1.2.1.25.3.1.5"  # hrDevicePrinter
    assert data.text("1.3.6.1.2.1.43.11.1.1.6.1.1")  # a supply (toner) description


def test_other_instances_render_their_own_addresses():
    topo = Topology(prefix="snt", base="10.67", extra_agents=5)
    texts = render_all(topo)
    assert set(texts) == {"router", "switch", "ap1", "ap2", "printer", "x101", "x102", "x103", "x104", "x105"}
    switch = parse(texts["switch"])
    man_ips = {".".join(str(p) for p in k[5:]) for k in switch.column(LLDP_REM_MAN)}
    assert man_ips == {"10.67.0.1", "10.67.0.11", "10.67.0.12"}
    assert "10.66." not in texts["router"]
    # extra agents are distinct devices (own name, serial and MAC), without the school's LLDP neighbours
    serials = {parse(texts[f"x10{i}"]).text("1.3.6.1.2.1.47.1.1.1.1.11.1") for i in range(1, 6)}
    assert len(serials) == 5
    assert not parse(texts["x101"]).has("1.0.8802.1.1.2.1.4.1.1")
    for role in ("x101", "x102"):
        node = topo.node(role)
        addrs = {str(k) for k, _ in parse(texts[role]).walk("1.3.6.1.2.1.4.20.1.1")}
        assert any(node.ip.split(".")[-1] in a for a in addrs)
        assert ipaddress.ip_address(node.ip) in topo.lan


def test_render_is_deterministic():
    topo = Topology()
    node = topo.node("switch")
    assert render(topo, node) == render(topo, node)
