"""The assessment: inputs + a criteria profile + a catalog -> findings with provenance, and one overall verdict.

For every rule the registered evaluator judges each subject; a subject verdict whose evidence is of a provenance
the rule does not accept becomes ``unknown`` with the reason and what would give acceptable evidence (a
school's own negative declaration stays a fail); the subjects then add up to the school-level finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from agent.model import Finding, Status, Text
from assessment import metrics as _metrics  # noqa: F401  (registers the evaluators)
from assessment import provenance
from assessment.aggregate import SCHOOL, failed, overall, passes_by_provenance, summarise
from assessment.catalog import Catalog, NoCatalog
from assessment.inputs import Inputs
from assessment.metrics.common import NONE_FOUND
from assessment.metrics.rooms import NO_ROOMS
from assessment.profile import Profile, Rule
from assessment.registry import METRICS, Context, Metric
from assessment.text import T

_WHAT = {
    "router": T("router", "routers"),
    "switch": T("switch", "switches"),
    "access_point": T("AP", "access points"),
    "room": T("phòng", "rooms"),
}


@dataclass(frozen=True)
class Assessment:
    """All findings of one assessment, the overall verdict and what it rests on."""

    findings: tuple[Finding, ...]
    overall: Status
    failed: tuple[str, ...] = ()
    passes_by_provenance: dict[str, int] = field(default_factory=dict)
    profile: str = ""


def _accepted_words(rule: Rule) -> Text:
    keys = rule.accepts
    return T(", ".join(provenance.WORDS[k].vi for k in keys), ", ".join(provenance.WORDS[k].en for k in keys))


def gate(rule: Rule, metric: Metric, finding: Finding) -> Finding:
    """Turn a verdict resting on evidence the rule does not accept into ``unknown`` (with reason and remedy)."""
    if finding.status not in (Status.PASS, Status.FAIL):
        return finding
    if provenance.accepted(rule.accepts, finding.provenance, finding.verified):
        return finding
    if finding.status == Status.FAIL and finding.provenance == "declared":
        return finding  # the school itself says it lacks it
    was = provenance.WORDS.get(provenance.key(finding.provenance, finding.verified), T("?", "?"))
    verb = T("đạt", "pass") if finding.status == Status.PASS else T("không đạt", "fail")
    ok = _accepted_words(rule)
    before = finding.reason or T("", "")
    reason = T(f"{before.vi} Kết luận \"{verb.vi}\" chỉ dựa trên căn cứ {was.vi}; tiêu chí này chỉ chấp nhận: "
               f"{ok.vi}.".strip(),
               f"{before.en} The \"{verb.en}\" rests only on {was.en} evidence; this criterion accepts: "
               f"{ok.en}.".strip())
    remedy = metric.upgrade(rule, finding) if metric.upgrade else finding.remedy
    return replace(finding, status=Status.UNKNOWN, reason=reason, remedy=remedy)


def assess_rule(rule: Rule, ctx: Context) -> list[Finding]:
    """The findings of one rule: per subject, then the school-level verdict (subject ``"school"``)."""
    metric = METRICS[rule.metric]
    subjects = [gate(rule, metric, f) for f in metric.subjects(rule, ctx)]
    if metric.school_level:
        return subjects
    if metric.summary is not None:
        return [*subjects, metric.summary(rule, subjects, ctx)]
    none_found = NO_ROOMS if rule.applies_to == "room" else NONE_FOUND
    return [*subjects, summarise(rule, subjects, _WHAT.get(rule.applies_to, T("đối tượng", "subjects")), none_found)]


def assess(inputs: Inputs, profile: Profile, catalog: Catalog | None = None) -> Assessment:
    """Judge ``inputs`` against every rule of ``profile`` with ``catalog`` (the assessor's own)."""
    ctx = Context(inputs, catalog or NoCatalog())
    findings: list[Finding] = []
    for rule in profile.rules:
        findings.extend(assess_rule(rule, ctx))
    name = f"{profile.id}@{profile.version}" if profile.version else profile.id
    return Assessment(tuple(findings), overall(findings, profile.rules), tuple(failed(findings, profile.rules)),
                      passes_by_provenance(findings, profile.rules), name)


__all__ = ["SCHOOL", "Assessment", "assess", "assess_rule", "gate"]
