"""Verdicts the district can trust: provenance x status, accept lists, strict declarations, one overall verdict,
the trust anchor of `verify`/`report`, and `schoolnet assess` re-judging a bundle with another profile."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

import assessment
from agent import bundle_io, signing
from agent.catalogs import shipped
from agent.model import Basis, Declaration, Device, Finding, Interface, Role, Status, to_jsonable
from assessment import provenance
from assessment.core import gate
from assessment.declared import is_negative, mbit_per_s
from assessment.registry import METRICS
from district.summary import summarise
from reports.html import context
from tests.assess import core
from tests.assess.bundles import lab_bundle
from tests.assess.school import download, lab_inputs
from tests.district.bundles import resign

HCMC = assessment.load("hcmc-956-2024")
RULE = next(r for r in HCMC.rules if r.id == "1.2-wifi-standard")  # accepts measured + catalog


def by(findings: list[Finding] | tuple[Finding, ...], criterion: str, subject: str = "school") -> Finding:
    found = [f for f in findings if f.criterion_id == criterion and f.subject == subject]
    assert len(found) == 1, (criterion, subject)
    return found[0]


@pytest.mark.parametrize("prov,verified", [("measured", None), ("catalog", True), ("catalog", False),
                                           ("inferred", None), ("declared", None)])
@pytest.mark.parametrize("status", [Status.PASS, Status.FAIL, Status.UNKNOWN])
def test_each_provenance_and_status_through_the_accept_gate(prov: str, verified: bool | None,
                                                            status: Status) -> None:
    finding = Finding(RULE.id, "10.0.0.9", status, provenance=prov, verified=verified)  # type: ignore[arg-type]
    gated = gate(RULE, METRICS[RULE.metric], finding)
    if status == Status.UNKNOWN:
        assert gated.status == Status.UNKNOWN
    elif prov in ("measured", "catalog"):
        assert gated.status == status and gated.provenance == prov  # accepted as it is
    elif prov == "declared" and status == Status.FAIL:
        assert gated.status == Status.FAIL  # a school's own "we have none" stands
    else:
        assert gated.status == Status.UNKNOWN and gated.remedy is not None
        assert "accepts" in (gated.reason.en if gated.reason else "")
    strict = RULE.model_copy(update={"accept": ["measured", "catalog_verified"]})
    if prov == "catalog" and status != Status.UNKNOWN:
        expected = status if verified else Status.UNKNOWN
        assert gate(strict, METRICS[RULE.metric], finding).status == expected


def test_provenance_words_in_both_languages() -> None:
    assert provenance.word("measured", None, "vi") == "đo được"
    assert provenance.word("catalog", False, "vi") == "danh mục chưa kiểm chứng"
    assert provenance.word("catalog", True, "en") == "catalog, verified"
    assert provenance.word("declared", None, "vi") == "khai báo"
    assert provenance.word("inferred", None, "en") == "inferred"


@pytest.mark.parametrize("value", ["không", "Không có", "khong", "chưa", "Chưa có", "chua co", "chưa trang bị",
                                   "CHUA TRANG BI", "no", "None", "n/a", "N/A"])
def test_negative_declarations_fail_security(value: str) -> None:
    assert is_negative(value)
    inputs = lab_inputs(declarations=(Declaration("security_solution", value),))
    f = by(core.assess(inputs, HCMC), "1.2-security")
    assert f.status == Status.FAIL and f.provenance == "declared"


def test_a_named_solution_is_a_declared_pass_never_measured() -> None:
    f = by(core.assess(lab_inputs(declarations=(Declaration("security_solution", "FortiGate 60F"),)), HCMC),
           "1.2-security")
    assert f.status == Status.PASS and f.provenance == "declared" and f.declared


@pytest.mark.parametrize("text,mbps", [("1 Gbps", 1000.0), ("1.000 Mbit/s", 1000.0), ("1000 Mbps", 1000.0),
                                       ("1,000", 1000.0), ("300", 300.0), ("2.5 Gbps", 2500.0), ("1,5 Gbps", 1500.0)])
def test_declared_speeds_with_units(text: str, mbps: float) -> None:
    assert mbit_per_s(text) == pytest.approx(mbps)


@pytest.mark.parametrize("text", ["fast", "không", "1 Tbps", "", "-5"])
def test_unreadable_speeds_are_errors(text: str) -> None:
    with pytest.raises(ValueError):
        mbit_per_s(text)


def test_a_limited_measurement_plus_a_contract_is_never_a_plain_pass() -> None:
    nic = download(94.0, limited_by="agent NIC 100 Mbit/s")
    inputs = lab_inputs(measurements=(nic,), declarations=(Declaration("isp_contract_mbps", "1000"),))
    assert by(core.assess(inputs, HCMC), "1.2-internet").status == Status.UNKNOWN
    lenient = HCMC.model_copy(update={"rules": [r.model_copy(update={"accept": ["measured", "declared"]})
                                                if r.id == "1.2-internet" else r for r in HCMC.rules]})
    f = by(core.assess(inputs, lenient), "1.2-internet")
    assert f.status == Status.PASS and f.provenance == "declared"
    # a clean measurement stands against any declaration
    clean = lab_inputs(measurements=(download(500.0),), declarations=(Declaration("isp_contract_mbps", "1 Gbps"),))
    f = by(core.assess(clean, lenient), "1.2-internet")
    assert f.status == Status.FAIL and f.provenance == "measured" and "1 Gbps" in (f.reason.en if f.reason else "")


def test_target_comes_from_the_profile_for_limited_results() -> None:
    """Under a 100 Mbit/s rule a limited 480 Mbit/s result proves the line (it is at least 480)."""
    small = HCMC.model_copy(update={"rules": [r.model_copy(update={"threshold": 100})
                                              if r.id == "1.2-internet" else r for r in HCMC.rules]})
    inputs = lab_inputs(measurements=(download(480.0, limited_by="wifi"),))
    f = by(core.assess(inputs, small), "1.2-internet")
    assert f.status == Status.PASS and f.provenance == "measured" and "at least" in (f.reason.en if f.reason else "")
    per = by(core.assess(lab_inputs(measurements=(download(480.0, limited_by="wifi"),)), HCMC),
             "info-bandwidth-per-student")
    assert per.status == Status.UNKNOWN and (per.measured or "").startswith("≥")  # 480/850 < 1: "at least", no fail


def test_unverified_catalog_passes_say_so() -> None:
    found = core.assess(lab_inputs(air=()), HCMC)
    nano = by(found, "1.2-wifi-standard", "10.66.0.11")
    assert nano.status == Status.PASS
    assert nano.provenance in ("catalog", "measured")
    if nano.provenance == "catalog":
        assert nano.verified is not None


def test_the_same_bundle_gives_one_overall_verdict_everywhere(tmp_path: Path) -> None:
    bundle = lab_bundle(tmp_path / "key")
    path = bundle_io.write_bundle(tmp_path / "evidence.json", bundle)
    doc = json.loads(path.read_text(encoding="utf-8"))
    agent_side = assessment.overall(bundle.findings, bundle.criteria).value
    html_side = context(bundle, "vi")["overall"]
    district_side = summarise(doc)["overall"]
    cli = run("--json", "assess", str(path))
    cli_side = json.loads(cli.stdout)["overall"]
    assert agent_side == html_side == district_side == cli_side, (agent_side, html_side, district_side, cli_side)
    assert cli.returncode == (1 if cli_side == "fail" else 0)


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "agent.cli", "--lang", "en", "--config", "/nonexistent/agent.toml", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=cwd)


def _pem_public(key: Ed25519PrivateKey, path: Path) -> Path:
    path.write_bytes(key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    return path


def test_verify_needs_a_trust_anchor_to_say_who_signed(tmp_path: Path) -> None:
    bundle = lab_bundle(tmp_path / "school.key")
    path = bundle_io.write_bundle(tmp_path / "evidence.json", bundle)
    loose = run("verify", str(path))
    assert loose.returncode == 0 and "not an enrolled key" in loose.stdout + loose.stderr
    strict = run("verify", "--strict", str(path))
    assert strict.returncode == 2 and strict.stderr.count("\n") == 1 and "--key" in strict.stderr
    school = signing.load_key(tmp_path / "school.key")
    pinned = run("verify", "--strict", "--key", str(_pem_public(school, tmp_path / "school.pub")), str(path))
    assert pinned.returncode == 0, pinned.stderr
    # a forger re-signs a changed bundle with its own key: it "verifies" only against the key inside it
    forger = Ed25519PrivateKey.generate()
    doc = to_jsonable(bundle)
    doc["findings"] = [dict(f, status="pass") for f in doc["findings"]]
    doc["signature"] = dict(doc["signature"], public_key=signing.public_b64(forger.public_key()),
                            key_id=signing.key_id(forger.public_key()))
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(resign(doc, forger)), encoding="utf-8")
    assert run("verify", str(forged)).returncode == 0
    caught = run("verify", "--key", str(tmp_path / "school.pub"), str(forged))
    assert caught.returncode == 2 and "different key" in caught.stderr
    report = run("report", "--key", str(tmp_path / "school.pub"), str(forged), "-o", str(tmp_path / "r.html"))
    assert report.returncode == 2 and not (tmp_path / "r.html").exists()
    shown = run("report", "--key", str(tmp_path / "school.pub"), str(path), "-o", str(tmp_path / "r.html"))
    assert shown.returncode == 0 and "--key" in shown.stderr  # it says which key it checked


def test_assess_rejudges_a_lenient_bundle_and_reports_a_bad_signature(tmp_path: Path) -> None:
    # the school ran under a copied profile whose router threshold is 1 Gbit/s: its bundle says pass
    lenient = HCMC.model_copy(update={"rules": [r.model_copy(update={"threshold": 1000})
                                                if r.id == "1.2-router" else r for r in HCMC.rules]})
    inputs = lab_inputs(devices=tuple(replace(d, model="RB-NOT-IN-CATALOG", max_port_speed_mbps=1000,
                                              max_port_capability_mbps=1000,
                                              basis=(Basis("snmp", "IF-MIB fastest physical port (ether1)", "1000"),))
                                      if d.role.value == "router" else d for d in lab_inputs().devices))
    claimed = assessment.assess(inputs, lenient, shipped())
    assert by(claimed.findings, "1.2-router").status == Status.PASS
    bundle = lab_bundle(tmp_path / "k")
    bundle = replace(bundle, devices=inputs.devices, findings=claimed.findings, signature=None)
    bundle = signing.sign(bundle, signing.load_key(tmp_path / "k"))
    path = bundle_io.write_bundle(tmp_path / "evidence.json", bundle)
    out = run("--json", "assess", "--profile", "hcmc-956-2024", str(path))
    data = json.loads(out.stdout)
    router = by([Finding(f["criterion_id"], f["subject"], Status(f["status"])) for f in data["findings"]],
                "1.2-router")
    assert router.status == Status.FAIL and out.returncode == 1
    assert {"criterion_id": "1.2-router", "school_status": "pass", "assessed_status": "fail"} in \
        data["differs_from_bundle"]
    # tampered after signing: reported, and the inputs are still assessed
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["school"]["name"] = "Trường khác"
    path.write_text(json.dumps(doc), encoding="utf-8")
    tampered = run("assess", str(path))
    assert tampered.returncode == 1 and "NOT valid" in tampered.stderr and "FAIL" in tampered.stderr
    missing = run("assess", "--profile", "no-such-profile", str(path))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1


def _switch(access: int, uplink: int, count: int = 24) -> Device:
    ports = tuple(Interface(index=n, name=f"Fa0/{n}", type=6, oper_up=True, speed_mbps=access, physical=True)
                  for n in range(1, count + 1))
    ports += tuple(Interface(index=100 + n, name=f"Gi0/{n}", type=6, oper_up=True, speed_mbps=uplink, physical=True)
                   for n in (1, 2))
    return Device(ip="10.0.0.20", model="SW-NOT-IN-CATALOG", role=Role.SWITCH, snmp_status="ok", interfaces=ports,
                  max_port_speed_mbps=uplink, max_port_capability_mbps=uplink,
                  basis=(Basis("snmp", "IF-MIB fastest physical port (Gi0/1)", str(uplink)),))


def test_a_fast_ethernet_switch_with_gigabit_uplinks_fails() -> None:
    f = by(core.assess(lab_inputs(devices=(_switch(100, 1000),)), HCMC), "1.2-switch", "10.0.0.20")
    assert f.status == Status.FAIL and f.provenance == "measured"
    assert "24/24" in (f.reason.en if f.reason else "") and "Gi0/1" in (f.reason.en if f.reason else "")
    assert any(b.key == "uplinks" for b in f.basis) and any("access ports" in b.key for b in f.basis)
    ok = by(core.assess(lab_inputs(devices=(_switch(1000, 10000),)), HCMC), "1.2-switch", "10.0.0.20")
    assert ok.status == Status.PASS
    # the fastest-port reading (profiles that do not ask for access ports) still sees the uplink
    fastest = HCMC.model_copy(update={"rules": [r.model_copy(update={"bases": ["port_capability", "port_speed"]})
                                                if r.id == "1.2-switch" else r for r in HCMC.rules]})
    assert by(core.assess(lab_inputs(devices=(_switch(100, 1000),)), fastest), "1.2-switch", "10.0.0.20").status \
        == Status.PASS


def test_the_core_imports_no_probe_cli_or_lab() -> None:
    code = ("import sys, assessment; from assessment import core; "
            "top = ('probes', 'lab', 'click', 'reports', 'district'); "
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in top"
            " or m in ('agent.cli', 'agent.run', 'agent.config')); print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_the_internet_is_judged_on_public_servers_the_district_is_a_second_opinion() -> None:
    public = replace(download(930.0), role="internet", network="VNPT")
    district = replace(download(300.0), role="district", server="district")
    f = by(core.assess(lab_inputs(measurements=(public, district, district)), HCMC), "1.2-internet")
    assert f.status == Status.PASS and "930" in (f.measured or "")  # the district's 300 is not in the median
    assert any("second opinion" in b.note for b in f.basis)
    only = by(core.assess(lab_inputs(measurements=(replace(district, mbps=950.0),)), HCMC), "1.2-internet")
    assert only.status == Status.PASS and "second opinion" in (only.reason.en if only.reason else "")


def test_the_nearest_device_owns_an_air_record_not_the_first() -> None:
    from agent import macaddr

    candidates = {"far": ["78:8a:20:00:00:10"], "near": ["78:8a:20:00:00:40"]}
    assert macaddr.nearest(["78:8a:20:00:00:41"], candidates) == "near"
    assert macaddr.nearest(["xx:xx:xx:xx:00:41"], candidates) is None  # anonymised: near nothing
    assert macaddr.distance("78:8a:20:00:00:12", "7a:8a:20:00:00:13") == 1  # locally-administered variant


def test_revision_rows_that_disagree_give_only_what_they_share() -> None:
    facts = shipped().access_point("EAP225", "TP-Link")  # v1/v2 Wave 1 and v3+ Wave 2 rows, revision unknown
    assert facts is not None and facts.standard == "ac" and facts.wave2 is None
    assert set(facts.bands) == {"2.4", "5"} and facts.provenance == "catalog"


def test_the_limits_check_takes_its_target_from_the_profile() -> None:
    from agent.run import internet_target

    assert internet_target(HCMC) == 1000.0
    small = HCMC.model_copy(update={"rules": [r.model_copy(update={"threshold": 100})
                                              if r.id == "1.2-internet" else r for r in HCMC.rules]})
    assert internet_target(small) == 100.0


def test_several_neighbours_behind_one_access_port_warn_of_an_unmanaged_switch() -> None:
    from agent.model import LldpNeighbor

    hidden = tuple(LldpNeighbor(local_port="Fa0/3", remote_chassis_id=f"00:11:22:33:44:{n:02x}") for n in (1, 2))
    sw = replace(_switch(1000, 10000), lldp_neighbors=hidden)
    f = by(core.assess(lab_inputs(devices=(sw,)), HCMC), "1.2-switch", "10.0.0.20")
    assert f.status == Status.PASS and "unmanaged switch may sit there" in (f.reason.en if f.reason else "")
