"""End to end in the lab: a school audits under a lenient copy of the profile; the lab district, pinned to
hcmc-956-2024, recomputes, shows its own verdict and lists the disagreement."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

from agent import bundle_io
from assessment.profile import CRITERIA_DIR
from tests.lab_fixture import lab_instance, lab_skip_reason

pytestmark = pytest.mark.lab


def _lenient_profile(path: Path) -> Path:
    """hcmc-956-2024 with the Wi-Fi standard lowered to 802.11n (the EAP115 then "passes" at the school)."""
    data = tomllib.loads((CRITERIA_DIR / "hcmc-956-2024.toml").read_text(encoding="utf-8"))
    data["id"] = "hcmc-lenient"
    for rule in data["rules"]:
        if rule["id"] == "1.2-wifi-standard":
            rule["threshold"] = "802.11n"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_district_recomputes_a_lenient_schools_bundle(tmp_path: Path) -> None:
    reason = lab_skip_reason()
    if reason:
        pytest.skip(reason)
    with lab_instance() as lab:
        from lab.demo import enroll_in_lab

        enrolled = enroll_in_lab(lab)
        assert enrolled["state"] == "enrolled", enrolled
        profile = _lenient_profile(lab.config_path.parent / "lenient.toml")
        config = tomllib.loads(lab.config_path.read_text(encoding="utf-8"))
        config.setdefault("agent", {})["criteria_profile"] = str(profile)
        lab.config_path.write_text(tomli_w.dumps(config), encoding="utf-8")
        os.chmod(lab.config_path, 0o600)
        out = tmp_path / "out"
        proc = lab.exec_in("agent", [sys.executable, "-m", "agent.cli", "--config", str(lab.config_path), "audit",
                                     "--skip-bandwidth", "--skip-wifi", "--out", str(out), "--format", "html"],
                           timeout=400)
        assert proc.returncode in (0, 1), proc.stderr[-3000:]
        bundle = bundle_io.read_bundle(next(out.iterdir()) / "evidence.json")
        eap = lab.addresses["ap2"]
        claimed = {(f.criterion_id, f.subject): f.status.value for f in bundle.findings}
        device = next((d for d in bundle.devices if d.ip == eap), None)
        assert device is not None and device.model, "discovery must have identified the EAP115"
        assert claimed[("1.2-wifi-standard", eap)] == "pass"  # the school's lenient claim
        assert claimed[("1.2-wifi-standard", "school")] == "pass"

        argv = lab.services["district"]["argv"]
        db = argv[argv.index("--db") + 1]
        from district import store
        from district.db import make_engine, sessions

        session = sessions(make_engine(db))()
        try:
            row = next(r for r in store.list_schools(session) if r.id == bundle.school.id)
            data = row.jsonable()
        finally:
            session.close()
        assert row.latest_bundle_id == bundle.bundle_id
        verdicts = {v["criterion_id"]: v for v in data["verdicts"]}
        assert verdicts["1.2-wifi-standard"]["status"] == "fail"
        assert verdicts["1.2-wifi-standard"]["school_status"] == "pass"
        assert data["overall"] == "fail" and data["profile"].startswith("hcmc-956-2024")
        disagreement = next(d for d in data["disagreements"] if d["criterion_id"] == "1.2-wifi-standard")
        assert disagreement["school_status"] == "pass" and disagreement["district_status"] == "fail"
        assert eap in disagreement["reason"]  # why: which AP fails
