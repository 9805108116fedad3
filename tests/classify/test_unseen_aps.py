# ruff: noqa: E501  (one device per line: long sysDescr values are the test data)
"""Access points of models and lines NOT in the 64 recordings: model, role and Wi-Fi generation from SNMP alone.

Each case is a sysObjectID + sysDescr (+ the vendor model scalar or LLDP/ENTITY text where that vendor puts the
model, shared/reference/ap-mibs.md) written by the project from the vendors' documented conventions, not
recordings. The generation must come from the catalog row or the vendor's naming family (provenance catalog or
inferred, never "measured": no radio table answered), or stay unknown; a wrong generation is a failure.
"""

from __future__ import annotations

from typing import Any

import pytest

from probes.classify import classify
from probes.wifi.snmp_radios import radios_from_snmp
from tests.classify.synth import device, ethernet

ENT = "1.3.6.1.2.1.47.1.1.1.1"
LLDP_LOC_SYS_DESC = "1.0.8802.1.1.2.1.3.4.0"
AP_PORTS = [*ethernet("eth", 1), ("wifi0", 71, 0, True), ("wifi1", 71, 0, True)]


def chassis(model: str) -> dict[str, Any]:
    return {f"{ENT}.2.1": model, f"{ENT}.5.1": 3, f"{ENT}.7.1": model, f"{ENT}.13.1": model}


# (sysObjectID, sysDescr, extra OIDs, vendor first word, model, generation)
CASES: list[tuple[str, str, dict[str, Any], str, str, str]] = [
    ("1.3.6.1.4.1.8072.3.2.10", "Linux EAP670 4.4.60", {"1.3.6.1.4.1.11863.10.1.10.3.0": "EAP670(EU) v1.0"}, "TP-Link", "EAP670", "ax"),
    ("1.3.6.1.4.1.11863.1.1.1", "EAP225-Outdoor(EU) 5.0", {}, "TP-Link", "EAP225-Outdoor", "ac"),
    ("1.3.6.1.4.1.11863.1", "Omada EAP650", {}, "TP-Link", "EAP650", "ax"),
    ("1.3.6.1.4.1.4881.1.3.1.81", "Ruijie Networks Co., Ltd. RG-RAP2260(G) AP_RGOS 11.9(6)W3B2", {}, "Ruijie", "RG-RAP2260", "ax"),
    ("1.3.6.1.4.1.4881.1.3", "Ruijie RG-RAP6260(G) Reyee", {}, "Ruijie", "RG-RAP6260", "ax"),
    ("1.3.6.1.4.1.8072.3.2.10", "UAP-AC-Pro-Gen2 6.5.28.14491", {"1.3.6.1.4.1.41112.1.6.3.3.0": "UAP-AC-Pro"}, "Ubiquiti", "UAP-AC-Pro", "ac"),
    ("1.3.6.1.4.1.8072.3.2.10", "U6-Mesh 6.6.55", {}, "Ubiquiti", "U6-Mesh", "ax"),
    ("1.3.6.1.4.1.8072.3.2.10", "U7-Pro-Max 7.0.66", {}, "Ubiquiti", "U7-Pro-Max", "be"),
    ("1.3.6.1.4.1.14823.1.2.110", "ArubaOS (MODEL: 505), Version 8.10.0.4", {}, "HPE", "AP-505", "ax"),
    ("1.3.6.1.4.1.14823.1.2", "ArubaOS (MODEL: 345), Version 8.6.0.0", {}, "HPE", "AP-345", "ac"),
    ("1.3.6.1.4.1.11.2.3.7.11", "Aruba Instant On AP22 Access Point", {}, "HPE", "AP22", "ax"),
    ("1.3.6.1.4.1.8072.3.2.10", "Linux grandstream 4.4", {LLDP_LOC_SYS_DESC: "GWN7664 1.0.25.30"}, "Grandstream", "GWN7664", "ax"),
    ("1.3.6.1.4.1.42397.1", "GWN7630 1.0.11.4", {}, "Grandstream", "GWN7630", "ac"),
    ("1.3.6.1.4.1.9.6.1.32.240", "Cisco Business Wireless CBW240AC Access Point", {}, "Cisco", "CBW240AC", "ac"),
    ("1.3.6.1.4.1.9.1.2530", "Cisco AP Software, ap1g7 Software, Version 17.9", chassis("C9120AXI-E"), "Cisco", "C9120AXI-E", "ax"),
    ("1.3.6.1.4.1.9.1.2669", "Cisco AP Software, Version 17.12", chassis("C9130AXI-E"), "Cisco", "C9130AXI-E", "ax"),
    ("1.3.6.1.4.1.29671.2.126", "Meraki MR46 Cloud Managed AP", {}, "Cisco", "MR46", "ax"),
    ("1.3.6.1.4.1.29671.2.108", "Meraki MR33 Cloud Managed AP", {}, "Cisco", "MR33", "ac"),
    ("1.3.6.1.4.1.14988.1", "RouterOS cAPGi-5HaxD2HaxD", {"1.3.6.1.4.1.14988.1.1.7.8.0": "cAPGi-5HaxD2HaxD"}, "MikroTik", "cAPGi-5HaxD2HaxD", "ax"),
    ("1.3.6.1.4.1.14988.1", "RouterOS RBwAPG-5HacD2HnD", {}, "MikroTik", "RBwAPG-5HacD2HnD", "ac"),
    ("1.3.6.1.4.1.2011.2.240.14", "Huawei AirEngine5761-11 Huawei Versatile Routing Platform Software VRP (R) software, Version 5.170", {}, "Huawei", "AirEngine5761-11", "ax"),
    ("1.3.6.1.4.1.2011.2.240.4", "Huawei AP4050DN-E Huawei Versatile Routing Platform Software", {}, "Huawei", "AP4050DN-E", "ac"),
    ("1.3.6.1.4.1.12356.120.10.1", "FortiAP-231G", {"1.3.6.1.4.1.12356.120.1.1.0": "FP231G-v7.4-build0640"}, "Fortinet", "FAP-231G", "ax"),
    ("1.3.6.1.4.1.12356.120", "FortiAP", {"1.3.6.1.4.1.12356.120.1.1.0": "FP221E-v6.4-build0472"}, "Fortinet", "FAP-221E", "ac"),
    ("1.3.6.1.4.1.17713.22", "cnPilot XV2-2T 4.2", {"1.3.6.1.4.1.17713.22.1.1.1.10.0": "XV2-2T"}, "Cambium", "XV2-2T", "ax"),
    ("1.3.6.1.4.1.17713.22", "cnPilot E410 4.1", {"1.3.6.1.4.1.17713.22.1.1.1.10.0": "E410"}, "Cambium", "E410", "ac"),
    ("1.3.6.1.4.1.25053.3.1.4.57", "Ruckus Wireless R550 Multimedia Hotzone Wireless AP", {}, "Ruckus", "R550", "ax"),
    ("1.3.6.1.4.1.25053.3.1.4.50", "Ruckus R320 Multimedia Hotzone Wireless AP", {}, "Ruckus", "R320", "ac"),
    ("1.3.6.1.4.1.26928.1.1.1.2.9", "AP250, HiveOS 10.0r8", {}, "Aerohive", "AP250", "ac"),
    ("1.3.6.1.4.1.26928.1.1.1.2.9", "AP305C, HiveOS 10.6r1", {}, "Aerohive", "AP305C", "ax"),
    ("1.3.6.1.4.1.171.10.37.37", "D-Link DAP-2610 Wireless AC1300 Wave 2 Access Point", {}, "D-Link", "DAP-2610", "ac"),
    ("1.3.6.1.4.1.171.10.37", "DAP-X2850", {}, "D-Link", "DAP-X2850", "ax"),
    ("1.3.6.1.4.1.4526.100.11.36", "WAX615 NETGEAR", {}, "NETGEAR", "WAX615", "ax"),
    ("1.3.6.1.4.1.4526.100.11", "NETGEAR WAC510 Insight Managed AP", {}, "NETGEAR", "WAC510", "ac"),
    ("1.3.6.1.4.1.3955.6.1", "Linksys LAPAC1300C", {}, "Linksys", "LAPAC1300C", "ac"),
    ("1.3.6.1.4.1.3955.6.1", "LAPAX1800 Linksys Cloud Managed AP", {}, "Linksys", "LAPAX1800", "ax"),
    ("1.3.6.1.4.1.890.1.15", "NWA90AX", {}, "Zyxel", "NWA90AX", "ax"),
    ("1.3.6.1.4.1.890.1.15", "WAC500H", {}, "Zyxel", "WAC500H", "ac"),
    ("1.3.6.1.4.1.2356.11.1.82", "LANCOM L-822acn dual Wireless 9.10.0260RU4 / 12.05.2015 4AC81C000000042", {}, "LANCOM", "L-822acn", "ac"),
    ("1.3.6.1.4.1.2356.11.1.126", "LANCOM LX-6400 10.52.0111 / 01.01.2022 4003123456789", {}, "LANCOM", "LX-6400", "ax"),
    ("1.3.6.1.4.1.2356.11.1.90", "LANCOM L-320agn Wireless 8.84.0227 / 15.04.2015 0123456789", {}, "LANCOM", "L-320agn", "n"),
    ("1.3.6.1.4.1.8744.1.47", "MSM460-WW - Hardware revision 67 - Serial number CN12345678 - Firmware version 6.6.1.1-23345", {}, "HP", "MSM460", "n"),
]


@pytest.mark.parametrize(("soid", "descr", "extra", "vendor", "model", "generation"), CASES,
                         ids=[c[4] for c in CASES])
def test_unseen_access_point(soid: str, descr: str, extra: dict[str, Any], vendor: str, model: str,
                             generation: str) -> None:
    data = device(soid, descr, ports=AP_PORTS, extra=extra)
    c = classify("192.0.2.1", data)
    assert c.role.value == "access_point", (c.role, c.scores)
    assert c.vendor is not None and c.vendor.split()[0].startswith(vendor.split()[0]), c.vendor
    assert c.model == model
    facts = radios_from_snmp(data, c.vendor, c.model).wifi
    assert facts is not None and facts.standard == generation, facts
    assert facts.provenance in ("catalog", "inferred")  # no radio table answered: never "measured"
    if generation != "ac":
        assert facts.wave2 is (False if generation == "n" else None)


def test_unseen_ap_figures() -> None:
    """The share of the cases above that get all three right (printed with -s; the parametrised test pins each)."""
    right = 0
    for soid, descr, extra, _vendor, model, generation in CASES:
        data = device(soid, descr, ports=AP_PORTS, extra=extra)
        c = classify("192.0.2.1", data)
        facts = radios_from_snmp(data, c.vendor, c.model).wifi
        right += c.model == model and c.role.value == "access_point" and facts is not None and facts.standard == generation
    print(f"\nunseen APs (project-written from vendor conventions): {right} of {len(CASES)} model + role + generation")
    assert right == len(CASES)
