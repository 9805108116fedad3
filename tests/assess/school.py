"""A constructed school: the lab's devices as domain objects (CCR2004, TL-SG3428, UAP-nanoHD, EAP115, ...)."""

from __future__ import annotations

from agent.model import (
    AirAccessPoint,
    BandwidthResult,
    Basis,
    Declaration,
    Device,
    Gateway,
    Host,
    Interface,
    LldpNeighbor,
    Nic,
    Radio,
    Role,
    Room,
    Sample,
    School,
    Text,
)
from assessment.inputs import Inputs

SCHOOL = School(id="79000701", name="Trường THCS Nguyễn Du", district="Quận 1", ward="Phường Bến Nghé", students=850)

ROUTER = Device(
    ip="10.66.0.1", mac="48:8f:5a:00:00:01", vendor="MikroTik", model="CCR2004-16G-2S+", firmware="RouterOS 7.14",
    sys_name="gw-nguyendu", sys_location="Phòng máy chủ", role=Role.ROUTER, role_confidence=0.95,
    basis=(Basis("snmp", "sysObjectID 1.3.6.1.2.1.1.2.0", "1.3.6.1.4.1.14988.1"),
           Basis("catalog", "mikrotik-ccr2004-16g-2s+", "2x SFP+ 10G")),
    interfaces=(Interface(1, "sfp-sfpplus1", 6, True, True, 10000, True),
                Interface(3, "ether1", 6, True, True, 1000, True)),
    max_port_speed_mbps=10000, max_port_capability_mbps=10000, snmp_status="ok", snmp_version="2c",
    lldp_neighbors=(LldpNeighbor(local_port="ether1", remote_system_name="sw-core", remote_port="Gi1/0/1",
                                 remote_mgmt_address="10.66.0.2", enabled_capabilities=("bridge",)),),
    found_by=("arp", "snmp"),
)
SWITCH = Device(
    ip="10.66.0.2", mac="50:c7:bf:00:00:02", vendor="TP-Link", model="TL-SG3428", firmware="1.0.2",
    sys_name="sw-core", sys_location="Phòng máy chủ", role=Role.SWITCH, role_confidence=0.9,
    max_port_speed_mbps=1000, max_port_capability_mbps=1000, snmp_status="ok", snmp_version="2c",
    lldp_neighbors=(
        LldpNeighbor(local_port="Gi1/0/1", remote_system_name="gw-nguyendu", remote_mgmt_address="10.66.0.1"),
        LldpNeighbor(local_port="Gi1/0/11", remote_system_name="ap-101", remote_mgmt_address="10.66.0.11"),
        LldpNeighbor(local_port="Gi1/0/12", remote_system_name="ap-102", remote_mgmt_address="10.66.0.12"),
    ),
    found_by=("arp", "snmp"),
)
NANOHD = Device(
    ip="10.66.0.11", mac="78:8a:20:00:00:11", vendor="Ubiquiti", model="UAP-nanoHD", sys_name="ap-101",
    sys_location="Phòng 101", role=Role.ACCESS_POINT, snmp_status="ok", snmp_version="2c",
    radios=(Radio(band_ghz="2.4", standard="n", streams=2, max_rate_mbps=300.0, ssid="NguyenDu-GV"),
            Radio(band_ghz="5", standard="ac", wave2=True, streams=4, max_rate_mbps=1733.3, ssid="NguyenDu-GV",
                  basis=(Basis("snmp", "UBNT-UniFi-MIB unifiRadioName", "na"),))),
    max_port_speed_mbps=1000,
)
EAP115 = Device(
    ip="10.66.0.12", mac="50:c7:bf:00:00:12", vendor="TP-Link", model="EAP115", sys_name="ap-102",
    sys_location="Phòng 102", role=Role.ACCESS_POINT, snmp_status="ok", snmp_version="2c",
    radios=(Radio(band_ghz="2.4", standard="n", streams=2, max_rate_mbps=300.0, ssid="NguyenDu-GV",
                  basis=(Basis("catalog", "tp-link-eap115", "802.11n 2.4 GHz"),)),),
    max_port_speed_mbps=100,
)
PRINTER = Device(ip="10.66.0.20", vendor="HP", model="LaserJet Pro M404dn", role=Role.PRINTER, snmp_status="ok")
SILENT = Device(ip="10.66.0.50", mac="02:00:00:00:00:50", role=Role.UNKNOWN, snmp_status="no_response",
                found_by=("arp",))

AIR_NANOHD = AirAccessPoint(
    name="78:8a:20:00:00:12", standard="ac", wave2=True, bands_ghz=("2.4", "5"),
    max_rate_mbps_by_band={"2.4": 300.0, "5": 1733.3},
    bssids=(Radio(band_ghz="5", standard="ac", wave2=True, bssid="7a:8a:20:00:00:13", ssid="NguyenDu-GV",
                  max_rate_mbps=1733.3),
            Radio(band_ghz="2.4", standard="n", bssid="78:8a:20:00:00:12", ssid="NguyenDu-GV", max_rate_mbps=300)),
    basis=(Basis("beacon", "VHT Capabilities bit 19 (MU Beamformer)", "1"),),
)
AIR_NEIGHBOUR = AirAccessPoint(
    name="c0:25:e9:aa:bb:cc", standard="n", bands_ghz=("2.4",), max_rate_mbps_by_band={"2.4": 150.0},
    bssids=(Radio(band_ghz="2.4", standard="n", bssid="c0:25:e9:aa:bb:cc", ssid="Cafe-Sua-Da"),),
)


def download(mbps: float, limited_by: str | None = None, engine: str = "http") -> BandwidthResult:
    return BandwidthResult(
        engine=engine, server="http://10.66.1.2:8080", direction="download", mbps=mbps, p10_mbps=mbps * 0.97,
        p90_mbps=mbps * 1.01, latency_ms=1.2, streams=4, duration_s=10, bytes=int(mbps * 1.25e6),
        samples=tuple(Sample(t / 2, mbps) for t in range(1, 5)), confidence="high", limited_by=limited_by,
    )


def upload(mbps: float) -> BandwidthResult:
    return BandwidthResult(engine="http", server="http://10.66.1.2:8080", direction="upload", mbps=mbps,
                           p10_mbps=mbps * 0.95, p90_mbps=mbps * 1.02, streams=4, duration_s=10, confidence="medium")


HOST = Host(hostname="pc-thu-vien", os="Linux 6.1",
            nics=(Nic("eth0", "wired", True, 1000, "full", 1500),),
            gateways=(Gateway("10.66.0.1", "eth0"),),
            bottlenecks=(Text("Máy đo nối qua cổng 1 Gbit/s.", "The agent is wired at 1 Gbit/s."),))


def lab_inputs(**changes: object) -> Inputs:
    base: dict[str, object] = dict(
        devices=(ROUTER, SWITCH, NANOHD, EAP115, PRINTER, SILENT),
        air=(AIR_NANOHD, AIR_NEIGHBOUR),
        measurements=(download(952.0), upload(948.0)),
        declarations=(Declaration("isp_contract_mbps", "1000", note="VNPT FiberVNN"),
                      Declaration("security_solution", "FortiGate 60F UTM", attachments=("ab" * 32,))),
        host=HOST,
        school=SCHOOL,
        rooms=(Room("Phòng 101", 40, True, None, ()), Room("Phòng 102", 42, True, True, ()),
               Room("Phòng 103", 38, False, None, ())),
    )
    base.update(changes)
    return Inputs(**base)  # type: ignore[arg-type]
