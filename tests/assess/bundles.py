"""A signed evidence bundle of the constructed lab school, for signing and report tests."""

from __future__ import annotations

from pathlib import Path

from agent import criteria, signing
from agent.model import Attachment, EvidenceBundle
from tests.assess import core as assess
from tests.assess.school import HOST, SCHOOL, lab_inputs


def lab_bundle(key_path: Path, profile: str = "hcmc-956-2024", **changes: object) -> EvidenceBundle:
    p = criteria.load(profile)
    inputs = lab_inputs(**changes)
    bundle = EvidenceBundle(
        bundle_id="0b7c6d7e-1111-4c2e-9a55-3e1f0e2f9a10", school=SCHOOL, agent_version="0.1.0",
        started_at="2026-11-24T08:40:00+00:00", finished_at="2026-11-24T08:43:10+00:00", host=HOST,
        devices=inputs.devices, air=inputs.air, measurements=inputs.measurements,
        findings=tuple(assess.assess(inputs, p)), declarations=inputs.declarations,
        attachments=(Attachment("hoa-don-fortigate.pdf", "ab" * 32, 18211, "application/pdf"),),
        criteria_profile=f"{p.id}@{p.version}", criteria=p.criteria(),
        warnings=("probes.wifi.scan_air: no Wi-Fi adapter",),
    )
    return signing.sign(bundle, signing.load_or_create_key(key_path))
