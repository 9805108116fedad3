"""The domain model round-trips through JSON and matches the shipped JSON Schema both ways."""

from __future__ import annotations

import json

import jsonschema
import pytest
from pydantic import ValidationError

from agent import schema
from agent.model import (
    Address,
    AirAccessPoint,
    Attachment,
    BandwidthResult,
    Basis,
    Declaration,
    Device,
    EvidenceBundle,
    Finding,
    Gateway,
    Host,
    Interface,
    LldpNeighbor,
    Nic,
    Radio,
    Role,
    Sample,
    School,
    Signature,
    Status,
    Text,
    from_jsonable,
    to_jsonable,
)


def full_bundle() -> EvidenceBundle:
    basis = (Basis("snmp", "1.3.6.1.2.1.1.2.0 (sysObjectID)", "1.3.6.1.4.1.14988.1"),)
    radio = Radio(band_ghz="5", standard="ac", wave2=True, channel_width_mhz=80, streams=4, max_rate_mbps=1733.3,
                  channel=36, freq_mhz=5180, bssid="f0:9f:c2:00:00:01", ssid="Trường", basis=basis)
    device = Device(
        ip="10.66.0.11", mac="f0:9f:c2:00:00:00", vendor="Ubiquiti", model="UAP-nanoHD", role=Role.ACCESS_POINT,
        role_confidence=0.95, basis=basis,
        interfaces=(Interface(index=1, name="eth0", type=6, oper_up=True, speed_mbps=1000, physical=True),),
        max_port_speed_mbps=1000, radios=(radio,),
        lldp_neighbors=(LldpNeighbor(local_port="eth0", remote_system_name="sw", capabilities=("bridge",)),),
        snmp_status="ok", snmp_version="2c", found_by=("arp", "snmp"), hygiene=(Text("v2c không có v3", "v2c only"),),
    )
    host = Host(
        hostname="pc", cpu_count=2,
        nics=(Nic(name="eth0", kind="wired", is_up=True, speed_mbps=1000, duplex="full", mtu=1500,
                  addresses=(Address("ipv4", "10.66.0.100", 24),)),),
        gateways=(Gateway("10.66.0.1", "eth0"),), bottlenecks=(Text("chậm", "slow"),),
    )
    return EvidenceBundle(
        bundle_id="0b9e7f0e-6a55-4d0c-9a55-1f0c2f1d2e3f",
        school=School(id="79000101", name="Trường THCS Nguyễn Du", district="Quận 1", students=850),
        agent_version="0.1.0", started_at="2026-11-24T01:00:00Z", finished_at="2026-11-24T01:05:00Z",
        host=host, devices=(device,),
        air=(AirAccessPoint(name="ap", bssids=(radio,), standard="ac", wave2=True, bands_ghz=("2.4", "5"),
                            max_rate_mbps_by_band={"5": 1733.3}),),
        measurements=(BandwidthResult(engine="http", server="http://10.66.1.2:8080", direction="download",
                                      mbps=941.2, samples=(Sample(0.5, 940.0),), confidence="high"),),
        findings=(Finding(criterion_id="wifi.standard", subject="device:10.66.0.11", status=Status.PASS,
                          measured="ac wave2", threshold="ac wave2", basis=basis,
                          reason=Text("đạt", "meets")),),
        declarations=(Declaration(key="isp_contract_mbps", value="1000", attachments=("ab" * 32,)),),
        attachments=(Attachment(name="hop-dong.pdf", sha256="ab" * 32, size=10),),
        criteria_profile="hcmc-956-2024",
        signature=Signature(algorithm="ed25519", key_id="k1", public_key="cHVi", value="c2ln"),
    )


def test_bundle_round_trips_through_json() -> None:
    bundle = full_bundle()
    text = json.dumps(to_jsonable(bundle), ensure_ascii=False)
    back = from_jsonable(EvidenceBundle, json.loads(text))
    assert back == bundle
    assert back.devices[0].role is Role.ACCESS_POINT
    assert back.findings[0].status is Status.PASS
    assert isinstance(back.devices[0].radios, tuple)


def test_model_instance_validates_against_shipped_schema() -> None:
    assert schema.validate(to_jsonable(full_bundle())) == []
    minimal = EvidenceBundle(bundle_id="x", school=School("1", "A"), agent_version="0", started_at="", finished_at="")
    assert schema.validate(to_jsonable(minimal)) == []


def test_shipped_schema_is_the_models_schema() -> None:
    """config/evidence.schema.json must be regenerated when the model changes."""
    assert schema.shipped() == schema.generate(), "run: python -m agent.schema --write"


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("devices", 0, "role"), "toaster"),
        (("findings", 0, "status"), "maybe"),
        (("devices", 0, "max_port_speed_mbps"), "fast"),
        (("school", "smuggled"), "x"),
    ],
)
def test_schema_and_model_reject_the_same_bad_documents(path: tuple[object, ...], value: object) -> None:
    doc = to_jsonable(full_bundle())
    node = doc
    for key in path[:-1]:
        node = node[key]  # type: ignore[index]
    node[path[-1]] = value  # type: ignore[index]
    assert schema.validate(doc), "schema accepted a bad document"
    with pytest.raises((ValidationError, jsonschema.ValidationError)):
        from_jsonable(EvidenceBundle, doc)
        # pydantic ignores unknown keys on dataclasses; the schema is the strict gate for those
        jsonschema.validate(doc, schema.shipped())
