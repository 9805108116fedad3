"""The district's own verdicts on a bundle, computed at ingest (and again by ``recheck``).

The school's findings are its claim; the district runs the assessment core on the bundle's inputs with its
pinned profile and its own catalog, keeps both, and lists every criterion where they disagree. The matrix's
criteria, order and titles come from the district's profile, never from a bundle.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import assessment
from agent.model import EvidenceBundle, Finding, Status, from_jsonable
from assessment import provenance
from assessment.catalog import Catalog
from assessment.metrics.internet import median
from assessment.profile import Profile

MAX_FAILING = 50  # per-subject verdicts kept for the school page


@dataclass(frozen=True)
class Assessor:
    """The district's pinned profile and catalog."""

    profile: Profile
    catalog: Catalog

    @property
    def name(self) -> str:
        p = self.profile
        return f"{p.id}@{p.version}" if p.version else p.id


@lru_cache(maxsize=8)
def assessor(profile: str = "hcmc-956-2024") -> Assessor:
    """The assessor for a profile name or file (loaded once per process)."""
    from agent.catalogs import shipped

    return Assessor(assessment.load(profile), shipped())


def _reason(f: Finding | None) -> dict[str, str]:
    if f is None or f.reason is None:
        return {"vi": "", "en": ""}
    return {"vi": f.reason.vi[:400], "en": f.reason.en[:400]}


def summarise(doc: dict[str, Any], judge: Assessor | None = None) -> dict[str, Any]:
    """Per-criterion verdicts (the district's, with provenance), the school's claim, disagreements, speeds."""
    judge = judge or assessor()
    bundle = from_jsonable(EvidenceBundle, doc)
    inputs = assessment.Inputs.of(bundle)
    result = assessment.assess(inputs, judge.profile, judge.catalog)
    mine = {f.criterion_id: f for f in assessment.school_findings(result.findings)}
    claimed = {f.criterion_id: f.status.value for f in assessment.school_findings(bundle.findings)}
    rules = judge.profile.rules
    order = [r.id for r in rules]
    criteria = {cid: mine[cid].status.value for cid in order if cid in mine}
    disagreements = []
    for rule in rules:
        f = mine.get(rule.id)
        school_status = claimed.get(rule.id, "not_assessed")
        if f is not None and school_status not in (f.status.value, "not_assessed"):
            disagreements.append({"criterion_id": rule.id, "school_status": school_status,
                                  "district_status": f.status.value, "reason": _reason(f)})
    failing = [{"criterion_id": f.criterion_id, "subject": f.subject[:200], "status": f.status.value,
                "provenance": provenance.key(f.provenance, f.verified), "reason": _reason(f)}
               for f in result.findings if f.subject != assessment.SCHOOL and f.status in (Status.FAIL, Status.UNKNOWN)]
    speeds = {d: median(inputs, d)[0] for d in ("download", "upload")}
    roles = Counter(d.role.value for d in bundle.devices)
    return {
        "criteria": criteria,
        "provenance": {cid: provenance.key(f.provenance, f.verified) for cid, f in mine.items()},
        "school_criteria": {cid: claimed.get(cid, "not_assessed") for cid in order},
        "disagreements": disagreements,
        "order": order,
        "titles": {r.id: {"vi": r.title.vi, "en": r.title.en} for r in rules},
        "short": {r.id: {"vi": r.short.vi, "en": r.short.en} for r in rules if r.short},
        "indicator": {r.id: r.indicator for r in rules if r.indicator},
        "informational": [r.id for r in rules if r.informational],
        "overall": result.overall.value,
        "school_overall": assessment.overall(bundle.findings, bundle.criteria).value,
        "passes_by_provenance": result.passes_by_provenance,
        "failing": failing[:MAX_FAILING],
        "download_mbps": speeds["download"],
        "upload_mbps": speeds["upload"],
        "devices": sum(roles.values()),
        "roles": dict(roles),
        "profile": judge.name,
        "school_profile": bundle.criteria_profile,
        "finished_at": bundle.finished_at,
    }

