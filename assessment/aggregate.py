"""How subject verdicts add up: per rule (``every`` / ``any``) and the one overall verdict of an audit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Protocol

from agent.model import Basis, Finding, Status, Text
from assessment import provenance
from assessment.profile import GENERATIONS, Rule
from assessment.text import T, ghz, mbps

SCHOOL = "school"


class Judged(Protocol):
    """A rule or a bundle's copy of it: all :func:`overall` needs."""

    @property
    def id(self) -> str: ...

    @property
    def informational(self) -> bool: ...


def _short_subject(subject: str) -> str:
    return subject.split(":", 1)[-1]


def rule_threshold(rule: Rule) -> str:
    """The rule's threshold as people read it (for a verdict with no subject to take it from)."""
    t = rule.threshold
    if rule.metric == "wifi_generation":
        return f"≥\u00a0{str(t).replace('-wave2', ' Wave 2')}"
    if isinstance(t, list):
        return ghz(t)
    if rule.metric == "wifi_max_rate_mbps" and rule.reading == "per_band":
        return ", ".join(f"{b} GHz ≥\u00a0{mbps(v)}" for b, v in rule.per_band.items())
    if rule.metric in ("capacity_mbps", "wifi_max_rate_mbps") and isinstance(t, (int, float)):
        return f"≥\u00a0{mbps(t)}"
    return str(t) if t is not None else rule.aggregate


def _values(findings: Sequence[Finding], limit: int = 4) -> str:
    if len(findings) > limit:
        return f"{sum(1 for f in findings if f.status == Status.PASS)}/{len(findings)} pass"
    return "; ".join(f"{_short_subject(f.subject)}: {f.measured or '?'}" for f in findings)


def summarise(rule: Rule, findings: Sequence[Finding], what: Text, none_found: Text | None = None) -> Finding:
    """The school-level verdict from per-subject findings (``every`` or ``any`` must pass), with provenance.

    Subjects that are not judged (``not_applicable``: a neighbour's network) are counted in the basis only.
    """
    judged = [f for f in findings if f.status != Status.NOT_APPLICABLE]
    skipped = len(findings) - len(judged)
    counts = Counter(f.status for f in judged)
    n = len(judged)
    basis = tuple(Basis(source="rule", key=f.subject, value=f.status.value,
                        note=provenance.key(f.provenance, f.verified)) for f in findings)
    thr = next((f.threshold for f in judged if f.threshold), None) or rule_threshold(rule)
    not_judged = T(f" ({skipped} không được đánh giá)", f" ({skipped} not judged)") if skipped else T("", "")
    if n == 0:
        reason = T(f"Không tìm thấy {what.vi} nào để đánh giá{not_judged.vi}.",
                   f"Found no {what.en} to judge{not_judged.en}.")
        return Finding(rule.id, SCHOOL, Status.UNKNOWN, None, thr, basis, reason=reason, remedy=none_found)
    every = rule.aggregate == "every"
    failing = [f for f in judged if f.status == Status.FAIL]
    unknown = [f for f in judged if f.status == Status.UNKNOWN]
    passing = [f for f in judged if f.status == Status.PASS]
    if every:
        status = Status.FAIL if failing else Status.UNKNOWN if unknown else Status.PASS
    else:
        status = Status.PASS if passing else Status.UNKNOWN if unknown else Status.FAIL
    measured = _values(judged)
    if status == Status.PASS:
        # every: the weakest pass decides; any: the strongest pass is enough
        items = [(f.provenance, f.verified) for f in passing]
        prov, verified = provenance.weakest(items) if every else min(items, key=lambda i: provenance.rank(*i))
        k = counts[Status.PASS]
        only = _short_subject(judged[0].subject)
        reason = (T(f"{only} đạt.", f"{only} passes.") if n == 1 else
                  T(f"Tất cả {n} {what.vi} đã thấy đều đạt.", f"All {n} {what.en} seen pass.") if every else
                  T(f"{k}/{n} {what.vi} đạt (chỉ cần một).", f"{k}/{n} {what.en} pass (one is enough)."))
        reason = T(reason.vi + not_judged.vi, reason.en + not_judged.en)
        return Finding(rule.id, SCHOOL, status, measured, thr, basis, reason=reason, provenance=prov,
                       verified=verified, declared=prov == "declared")
    culprits = failing if status == Status.FAIL else unknown
    names = ", ".join(_short_subject(f.subject) for f in culprits[:5]) + (" …" if len(culprits) > 5 else "")
    if status == Status.FAIL:
        reason = T(f"{len(failing)}/{n} {what.vi} không đạt: {names}.", f"{len(failing)}/{n} {what.en} fail: {names}.")
        prov, verified = provenance.weakest((f.provenance, f.verified) for f in failing)
    else:
        reason = T(f"{len(unknown)}/{n} {what.vi} chưa xác định được: {names}.",
                   f"{len(unknown)}/{n} {what.en} could not be determined: {names}.")
        prov, verified = None, None
    remedies = [f.remedy for f in culprits if f.remedy]
    remedy = None
    if remedies:
        remedy = T(" ".join(list(dict.fromkeys(r.vi for r in remedies))[:3]),
                   " ".join(list(dict.fromkeys(r.en for r in remedies))[:3]))
    return Finding(rule.id, SCHOOL, status, measured, thr, basis, reason=reason, remedy=remedy, provenance=prov,
                   verified=verified, declared=prov == "declared")


def school_findings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.subject == SCHOOL]


def overall(findings: Iterable[Finding], rules: Iterable[Judged]) -> Status:
    """The one overall verdict: fail if a judged criterion fails, unknown if one is unknown or missing, else pass.

    Informational rules never count. Used by the agent, the reports, the CLI and the district alike.
    """
    school = {f.criterion_id: f.status for f in school_findings(findings)}
    judged = [school.get(r.id, Status.UNKNOWN) for r in rules if not r.informational]
    judged = [s for s in judged if s != Status.NOT_APPLICABLE]
    if not judged:
        return Status.UNKNOWN
    if Status.FAIL in judged:
        return Status.FAIL
    if Status.UNKNOWN in judged:
        return Status.UNKNOWN
    return Status.PASS


def failed(findings: Iterable[Finding], rules: Iterable[Judged]) -> list[str]:
    """Ids of the judged (non-informational) criteria whose school-level verdict is ``fail``."""
    informational = {r.id for r in rules if r.informational}
    return [f.criterion_id for f in school_findings(findings)
            if f.status == Status.FAIL and f.criterion_id not in informational]


def passes_by_provenance(findings: Iterable[Finding], rules: Iterable[Judged]) -> dict[str, int]:
    """How many judged criteria pass on each kind of evidence ("measured": 3, "catalog": 1, ...)."""
    informational = {r.id for r in rules if r.informational}
    out: Counter[str] = Counter()
    for f in school_findings(findings):
        if f.status == Status.PASS and f.criterion_id not in informational:
            out[provenance.key(f.provenance, f.verified) or "unknown"] += 1
    return dict(out)


__all__ = ["GENERATIONS", "SCHOOL", "failed", "overall", "passes_by_provenance", "school_findings", "summarise"]
