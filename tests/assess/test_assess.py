"""Assessment on constructed domain objects: the lab's school and the unknown/fail paths."""

from __future__ import annotations

from dataclasses import replace

import pytest

import assessment
from agent import criteria
from agent.model import AirAccessPoint, Declaration, Device, Finding, Radio, Role, Status
from assessment.catalog import ApFacts, ModelFacts
from tests.assess import core as assess
from tests.assess.school import (
    AIR_NANOHD,
    AIR_NEIGHBOUR,
    EAP115,
    NANOHD,
    ROUTER,
    SWITCH,
    download,
    lab_inputs,
)

HCMC = criteria.load("hcmc-956-2024")


class OneModel:
    """A catalog that knows one router/switch model (whatever its name) and no AP."""

    def __init__(self, facts: ModelFacts) -> None:
        self.facts = facts

    def access_point(self, model: str, vendor: str | None) -> ApFacts | None:
        return None

    def device_model(self, model: str, vendor: str | None) -> ModelFacts | None:
        return self.facts
MOET = criteria.load("moet-4725-2022")


def by(findings: list[Finding], criterion: str, subject: str = "school") -> Finding:
    matches = [f for f in findings if f.criterion_id == criterion and f.subject == subject]
    assert len(matches) == 1, (criterion, subject, findings)
    return matches[0]


@pytest.fixture(scope="module")
def lab() -> list[Finding]:
    return assess.assess(lab_inputs(), HCMC)


def test_lab_router_and_switch_pass_with_their_basis(lab: list[Finding]) -> None:
    router = by(lab, "1.2-router", ROUTER.ip)
    assert router.status == Status.PASS
    # the negotiated 10G (measured) outranks the catalog's port capability (same value)
    assert "10\u00a0000" in (router.measured or "") and router.provenance == "measured"
    assert any(b.key == "port_capability" and b.value == "10000" for b in router.basis)
    assert by(lab, "1.2-switch", SWITCH.ip).status == Status.PASS
    assert by(lab, "1.2-router").status == Status.PASS and by(lab, "1.2-switch").status == Status.PASS


def test_lab_nanohd_passes_and_eap115_fails_with_a_remedy(lab: list[Finding]) -> None:
    nano = by(lab, "1.2-wifi-standard", NANOHD.ip)
    assert nano.status == Status.PASS and nano.measured == "802.11ac Wave 2"
    assert any(b.source == "beacon" for b in nano.basis)  # the air scan matched the SNMP device by BSSID
    eap = by(lab, "1.2-wifi-standard", EAP115.ip)
    assert eap.status == Status.FAIL and eap.measured == "802.11n"
    assert eap.remedy is not None
    assert "EAP115" in eap.remedy.en and "802.11ac Wave 2 AP or newer" in eap.remedy.en
    assert "thay bằng AP 802.11ac Wave 2" in eap.remedy.vi
    assert by(lab, "1.2-wifi-bands", EAP115.ip).status == Status.FAIL
    assert by(lab, "1.2-wifi-bands", NANOHD.ip).status == Status.PASS
    rate = by(lab, "1.2-wifi-rate", NANOHD.ip)
    assert rate.status == Status.PASS and "2\u00a0033" in (rate.measured or "")
    assert by(lab, "1.2-wifi-rate", EAP115.ip).status == Status.FAIL
    school = by(lab, "1.2-wifi-standard")
    assert school.status == Status.FAIL and school.remedy is not None and "EAP115" in school.remedy.en


def test_a_neighbours_ap_is_listed_but_not_counted(lab: list[Finding]) -> None:
    neighbour = by(lab, "1.2-wifi-standard", f"wifi:{AIR_NEIGHBOUR.name}")
    assert neighbour.status == Status.NOT_APPLICABLE
    assert "10.66.0.12" in (by(lab, "1.2-wifi-standard").measured or "")
    assert AIR_NEIGHBOUR.name not in (by(lab, "1.2-wifi-standard").reason or assess.T("", "")).en


def test_air_only_aps_are_judged_only_when_tied_to_the_school() -> None:
    # no AP over SNMP: a neighbour's 802.11n AP must not make the school fail
    untied = assess.assess(lab_inputs(devices=(ROUTER, SWITCH), air=(AIR_NANOHD, AIR_NEIGHBOUR)), HCMC)
    assert by(untied, "1.2-wifi-standard", f"wifi:{AIR_NEIGHBOUR.name}").status == Status.NOT_APPLICABLE
    assert by(untied, "1.2-wifi-standard", f"wifi:{AIR_NANOHD.name}").status == Status.NOT_APPLICABLE
    assert by(untied, "1.2-wifi-standard").status == Status.UNKNOWN
    assert "2 not judged" in (by(untied, "1.2-wifi-standard").reason or assess.T("", "")).en
    # the config lists both SSIDs as the school's: both are judged
    inputs = lab_inputs(devices=(ROUTER, SWITCH), air=(AIR_NANOHD, AIR_NEIGHBOUR),
                        school_ssids=("NguyenDu-GV", "Cafe-Sua-Da"))
    findings = assess.assess(inputs, HCMC)
    assert by(findings, "1.2-wifi-standard", f"wifi:{AIR_NANOHD.name}").status == Status.PASS
    assert by(findings, "1.2-wifi-standard", f"wifi:{AIR_NANOHD.name}").provenance == "measured"
    assert by(findings, "1.2-wifi-standard", f"wifi:{AIR_NEIGHBOUR.name}").status == Status.FAIL
    # only 2.4 GHz heard: the 5 GHz radio may be out of range, so the band rule cannot fail on air data alone
    bands = by(findings, "1.2-wifi-bands", f"wifi:{AIR_NEIGHBOUR.name}")
    assert bands.status == Status.UNKNOWN and bands.remedy is not None


def test_wave2_unknown_and_per_band_reading() -> None:
    radios = (Radio(band_ghz="5", standard="802.11ac", max_rate_mbps=867.0),
              Radio(band_ghz="2.4", standard="802.11n", max_rate_mbps=400.0))
    ac = replace(NANOHD, model="AC-NOT-IN-CATALOG", radios=radios)
    findings = assess.assess(lab_inputs(devices=(ac,), air=()), HCMC)
    std = by(findings, "1.2-wifi-standard", ac.ip)
    assert std.status == Status.UNKNOWN and "Wave 2" in (std.reason.en if std.reason else "")
    assert std.remedy is not None and "schoolnet wifi" in std.remedy.en
    assert by(findings, "1.2-wifi-rate", ac.ip).status == Status.PASS  # 1267 = AC1300 aggregate
    computed = replace(ac, radios=(Radio(band_ghz="5", standard="ac", max_rate_mbps=866.7),
                                   Radio(band_ghz="2.4", standard="n", max_rate_mbps=400.0)))
    found = assess.assess(lab_inputs(devices=(computed,), air=()), HCMC)
    assert by(found, "1.2-wifi-rate", ac.ip).status == Status.PASS  # the PHY-table 866.7 is the class's 867
    per_band = HCMC.model_copy(update={"rules": [r.model_copy(update={"reading": "per_band"})
                                                 for r in HCMC.rules if r.id == "1.2-wifi-rate"]})
    f = by(assess.assess(lab_inputs(), per_band), "1.2-wifi-rate", NANOHD.ip)
    assert f.status == Status.FAIL and "per-band" in (f.reason.en if f.reason else "")
    assert any(b.key == "aggregate" for b in f.basis) and any(b.key == "per_band" for b in f.basis)


def test_no_snmp_answer_is_unknown_with_how_to_fix() -> None:
    silent = Device(ip="10.0.0.5", role=Role.ROUTER, snmp_status="no_response")
    f = by(assess.assess(lab_inputs(devices=(silent,)), HCMC), "1.2-router", "10.0.0.5")
    assert f.status == Status.UNKNOWN and f.remedy is not None
    assert "Enable SNMP v2c/v3 (read-only) on 10.0.0.5" in f.remedy.en
    assert "Bật SNMP v2c/v3 (chỉ đọc) trên 10.0.0.5" in f.remedy.vi
    rejected = replace(silent, snmp_status="auth_error")
    f = by(assess.assess(lab_inputs(devices=(rejected,)), HCMC), "1.2-router", "10.0.0.5")
    assert f.status == Status.UNKNOWN and "community" in (f.remedy.en if f.remedy else "")


def test_capacity_fail_and_negotiated_only() -> None:
    small = replace(ROUTER, model="hEX RB750Gr3", max_port_speed_mbps=1000, max_port_capability_mbps=1000)
    f = by(assess.assess(lab_inputs(devices=(small,)), HCMC), "1.2-router", small.ip)
    assert f.status == Status.FAIL and f.remedy is not None and "10\u00a0Gbps" in f.remedy.en
    # a throughput the bundle claims is not evidence: only the assessor's own catalog says what a model does
    claimed = replace(small, throughput_mbps=12000)
    f = by(assess.assess(lab_inputs(devices=(claimed,)), HCMC), "1.2-router", small.ip)
    assert f.status == Status.FAIL
    catalog = OneModel(ModelFacts("hex-test", throughput_mbps=12000, verified=False))
    found = assessment.assess(lab_inputs(devices=(small,)), HCMC, catalog).findings
    f = by(list(found), "1.2-router", small.ip)
    assert f.status == Status.PASS and "catalog throughput" in (f.measured or "")
    assert (f.provenance, f.verified) == ("catalog", False)
    negotiated = replace(ROUTER, model="RB-NOT-IN-CATALOG", max_port_speed_mbps=1000, max_port_capability_mbps=None)
    f = by(assess.assess(lab_inputs(devices=(negotiated,)), HCMC), "1.2-router", ROUTER.ip)
    assert f.status == Status.UNKNOWN and "catalog" in (f.remedy.en if f.remedy else "")
    none = by(assess.assess(lab_inputs(devices=()), HCMC), "1.2-router")
    assert none.status == Status.UNKNOWN and none.remedy is not None


def test_internet_goodput_against_the_ceiling() -> None:
    def internet(**kw: object) -> Finding:
        return by(assess.assess(lab_inputs(**kw), HCMC), "1.2-internet")

    ok = internet(measurements=(download(914.0), download(930.0), download(100.0, limited_by="wifi")))
    assert ok.status == Status.PASS and not ok.declared and "922" in (ok.measured or "")  # median of the clean two
    low = internet(measurements=(download(900.0),))
    assert low.status == Status.FAIL and "913" in (low.reason.en if low.reason else "")
    assert "1000" in (low.reason.en if low.reason else "")  # the declared contract is mentioned, not used
    limited = internet(measurements=(download(94.0, limited_by="agent NIC 100 Mbit/s"),), declarations=())
    assert limited.status == Status.UNKNOWN and "agent NIC 100 Mbit/s" in (limited.reason.en if limited.reason else "")
    assert "wired port of at least 1\u00a0Gbps" in (limited.remedy.en if limited.remedy else "")
    # the profile accepts only measurements for the Internet: a declared contract is shown, never decides
    declared = internet(measurements=(), skipped={"bandwidth": "--skip-bandwidth"})
    assert declared.status == Status.UNKNOWN and declared.provenance is None
    assert "does not accept a declaration" in (declared.reason.en if declared.reason else "")
    lenient = HCMC.model_copy(update={"rules": [r.model_copy(update={"accept": ["measured", "declared"]})
                                                for r in HCMC.rules]})
    found = assess.assess(lab_inputs(measurements=(), skipped={"bandwidth": "--skip-bandwidth"}), lenient)
    declared = by(found, "1.2-internet")
    assert declared.status == Status.PASS and declared.provenance == "declared" and declared.declared
    # a limited measurement plus a contract: still unknown under the strict profile
    nic = download(94.0, limited_by="agent NIC 100 Mbit/s")
    assert internet(measurements=(nic,)).status == Status.UNKNOWN
    assert "declared" in (declared.measured or "") and "not measured" in (declared.reason.en if declared.reason else "")
    nothing = internet(measurements=(), declarations=(), skipped={"bandwidth": "--skip-bandwidth"})
    assert nothing.status == Status.UNKNOWN and "--skip-bandwidth" in (nothing.reason.en if nothing.reason else "")
    failed = internet(measurements=(replace(download(0), mbps=None, error="connection refused"),), declarations=())
    assert failed.status == Status.UNKNOWN and "connection refused" in (failed.reason.en if failed.reason else "")


def test_security_measured_declared_or_unknown() -> None:
    fw = Device(ip="10.66.0.254", model="FortiGate 60F", role=Role.FIREWALL, snmp_status="ok")
    f = by(assess.assess(lab_inputs(devices=(ROUTER, fw)), HCMC), "1.2-security")
    assert f.status == Status.PASS and not f.declared and "FortiGate" in (f.measured or "")
    f = by(assess.assess(lab_inputs(), HCMC), "1.2-security")
    assert f.status == Status.PASS and f.declared
    f = by(assess.assess(lab_inputs(declarations=()), HCMC), "1.2-security")
    assert f.status == Status.UNKNOWN
    assert "schoolnet evidence add security_solution" in (f.remedy.en if f.remedy else "")


def test_informational_rules_never_fail_the_audit(lab: list[Finding]) -> None:
    per_student = by(lab, "info-bandwidth-per-student")
    assert per_student.status == Status.PASS and "850" in (per_student.measured or "")
    coverage = by(lab, "info-classroom-coverage")
    assert coverage.status == Status.FAIL  # Phòng 103 has nothing
    assert by(lab, "info-classroom-coverage", "room:Phòng 101").status == Status.PASS  # by sysLocation
    assert set(assess.failed(lab, HCMC.rules)) == {"1.2-wifi-standard", "1.2-wifi-bands", "1.2-wifi-rate"}
    crowded = replace(lab_inputs().school, students=2000)  # type: ignore[type-var]
    f = by(assess.assess(lab_inputs(school=crowded), HCMC), "info-bandwidth-per-student")
    assert f.status == Status.FAIL and "2\u00a0000" in (f.remedy.en if f.remedy else "")


def test_every_unknown_and_fail_says_what_to_do(lab: list[Finding]) -> None:
    checked = 0
    for inputs in (lab_inputs(), lab_inputs(devices=(), air=(), measurements=(), declarations=(), rooms=())):
        for profile in (HCMC, MOET):
            for f in assess.assess(inputs, profile):
                if f.status in (Status.FAIL, Status.UNKNOWN):
                    checked += 1
                    assert f.reason is not None and f.reason.vi and f.reason.en, f
                    assert f.remedy is not None and f.remedy.vi and f.remedy.en, f
    assert checked, "the empty school must have unknown verdicts to check"


def test_moet_classrooms_and_declared_items() -> None:
    findings = assess.assess(lab_inputs(), MOET)
    assert by(findings, "1.7.1-classrooms", "room:Phòng 101").status == Status.PASS  # projector + AP in the room
    assert by(findings, "1.7.1-classrooms", "room:Phòng 103").status == Status.FAIL  # no projector
    summary = by(findings, "1.7.1-classrooms")
    assert summary.status == Status.FAIL and summary.measured == "2/3 = 67%" and summary.declared
    lab = by(findings, "1.7.2-informatics")
    assert lab.status == Status.UNKNOWN and "informatics_lab" in (lab.remedy.en if lab.remedy else "")
    with_lab = lab_inputs(declarations=(Declaration("informatics_lab", "Phòng máy 2: 40 máy"),))
    f = by(assess.assess(with_lab, MOET), "1.7.2-informatics")
    assert f.status == Status.PASS and f.declared
    assert by(findings, "infra-internet").status == Status.PASS


@pytest.mark.parametrize(("text", "gen"), [
    ("802.11ac", "802.11ac"), ("ac", "802.11ac"), ("VHT", "802.11ac"), ("Wi-Fi 6", "802.11ax"), ("ax", "802.11ax"),
    ("802.11b/g/n", "802.11n"), ("be", "802.11be"), ("Wi-Fi 6E", "802.11ax"), ("802.11a/n/ac", "802.11ac"),
    ("", None), ("foo", None),
])
def test_generation_names(text: str, gen: str | None) -> None:
    assert assess.generation(text) == gen


def test_he_ap_is_newer_than_wave2() -> None:
    ax = AirAccessPoint(name="u6", standard="ax", bands_ghz=("2.4", "5"),
                        max_rate_mbps_by_band={"2.4": 573.5, "5": 4804.0})
    findings = assess.assess(lab_inputs(devices=(), air=(ax,), school_ssids=("S",)), HCMC)
    assert by(findings, "1.2-wifi-standard", "wifi:u6").status == Status.NOT_APPLICABLE  # no SSID, no wired MAC
    ax = replace(ax, bssids=(Radio(band_ghz="5", standard="ax", bssid="74:ac:b9:00:00:01", ssid="S"),))
    findings = assess.assess(lab_inputs(devices=(), air=(ax,), school_ssids=("S",)), HCMC)
    assert by(findings, "1.2-wifi-standard", "wifi:u6").status == Status.PASS
    assert by(findings, "1.2-wifi-rate", "wifi:u6").status == Status.PASS


def test_air_only_band_verdict_uses_the_catalog_match() -> None:
    eap = AirAccessPoint(name="50:c7:bf:00:00:99", standard="n", bands_ghz=("2.4",), model="EAP115",
                         max_rate_mbps_by_band={"2.4": 300.0},
                         bssids=(Radio(band_ghz="2.4", standard="n", bssid="50:c7:bf:00:00:99", ssid="S"),))
    f = by(assess.assess(lab_inputs(devices=(), air=(eap,), school_ssids=("S",)), HCMC), "1.2-wifi-bands",
           f"wifi:{eap.name}")
    assert f.status == Status.FAIL and f.remedy is not None and "EAP115" in f.remedy.en
    assert f.provenance == "catalog"  # the catalog row says the EAP115 has no 5 GHz radio


def test_catalog_fills_what_snmp_did_not_report() -> None:
    # as discovery reports the lab's nanoHD: one radio from the catalog, no band, no rate
    bare = replace(NANOHD, radios=(Radio(standard="ac", wave2=True, name="wifi0"),))
    findings = assess.assess(lab_inputs(devices=(bare,), air=()), HCMC)
    bands = by(findings, "1.2-wifi-bands", bare.ip)
    assert bands.status == Status.PASS and any(b.key == "catalog:ubnt-uap-nanohd" for b in bands.basis)
    rate = by(findings, "1.2-wifi-rate", bare.ip)
    assert rate.status == Status.PASS and "2\u00a0033" in (rate.measured or "")
    unknown_model = replace(bare, model="Nonexistent AP 9000")
    assert by(assess.assess(lab_inputs(devices=(unknown_model,), air=()), HCMC), "1.2-wifi-bands",
              bare.ip).status == Status.UNKNOWN
