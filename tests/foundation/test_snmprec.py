"""The .snmprec reader turns every tag into the value SNMP would deliver."""

from __future__ import annotations

from probes.snmp.data import oid
from probes.snmp.snmprec import parse


def test_every_tag_is_decoded() -> None:
    data = parse(
        "1.3.6.1.2.1.1.1.0|4|RouterOS CCR2004\n"
        ".1.3.6.1.2.1.1.2.0|6|.1.3.6.1.4.1.14988.1\n"
        "1.3.6.1.2.1.2.2.1.6.1|4x|48a98a000001\n"
        "1.3.6.1.2.1.2.2.1.2.2|4x|65746831\n"
        "1.3.6.1.2.1.4.21.1.7.0.0.0.0|64x|ac17af01\n"
        "1.3.6.1.2.1.4.20.1.1.10.0.0.1|64|10.0.0.1\n"
        "1.3.6.1.2.1.31.1.1.1.15.1|66|10000\n"
        "1.3.6.1.2.1.1.3.0|67|12345\n"
        "1.3.6.1.2.1.1.9.0|5|\n"
        "not a line\n"
    )
    assert data.get("1.3.6.1.2.1.1.1.0") == "RouterOS CCR2004"
    assert data.get("1.3.6.1.2.1.1.2.0") == "1.3.6.1.4.1.14988.1"
    assert data.get("1.3.6.1.2.1.2.2.1.6.1") == bytes.fromhex("48a98a000001")  # a MAC stays bytes
    assert data.get("1.3.6.1.2.1.2.2.1.2.2") == "eth1"  # hex that is clean text becomes text
    assert data.get("1.3.6.1.2.1.4.21.1.7.0.0.0.0") == "172.23.175.1"
    assert data.get("1.3.6.1.2.1.4.20.1.1.10.0.0.1") == "10.0.0.1"
    assert data.integer("1.3.6.1.2.1.31.1.1.1.15.1") == 10000
    assert data.get("1.3.6.1.2.1.1.3.0") == 12345
    assert oid("1.3.6.1.2.1.1.9.0") in data.values and data.get("1.3.6.1.2.1.1.9.0") is None
    assert len(data) == 9
    assert data.column("1.3.6.1.2.1.31.1.1.1.15") == {(1,): 10000}
