"""What the dashboard needs from a bundle, extracted once at ingest (so 2,000 schools render fast)."""

from __future__ import annotations

from collections import Counter
from typing import Any

# worst first: one failing subject fails the criterion; an unknown one leaves it unknown
_ORDER = {"fail": 0, "unknown": 1, "pass": 2, "not_applicable": 3}


def criterion_status(statuses: list[str]) -> str:
    return min(statuses, key=lambda s: _ORDER.get(s, 1)) if statuses else "unknown"


def summarise(doc: dict[str, Any]) -> dict[str, Any]:
    """Per-criterion verdicts, titles, the best measured Internet speeds and the device count."""
    by_criterion: dict[str, list[str]] = {}
    for finding in doc.get("findings") or ():
        by_criterion.setdefault(str(finding.get("criterion_id")), []).append(str(finding.get("status")))
    titles: dict[str, dict[str, str]] = {}
    informational: list[str] = []
    order: list[str] = []
    for crit in doc.get("criteria") or ():
        cid = str(crit.get("id"))
        order.append(cid)
        title = crit.get("title") or {}
        titles[cid] = {"vi": str(title.get("vi", cid)), "en": str(title.get("en", cid))}
        if crit.get("informational"):
            informational.append(cid)
    for cid in by_criterion:
        if cid not in order:
            order.append(cid)
    criteria = {cid: criterion_status(by_criterion.get(cid, [])) for cid in order if cid in by_criterion}
    judged = [s for cid, s in criteria.items() if cid not in informational]
    if not judged:
        overall = "unknown"
    elif "fail" in judged:
        overall = "fail"
    elif "unknown" in judged:
        overall = "unknown"
    else:
        overall = "pass"
    speeds: dict[str, float] = {}
    for m in doc.get("measurements") or ():
        mbps, direction = m.get("mbps"), m.get("direction")
        if isinstance(mbps, (int, float)) and direction in ("download", "upload"):
            speeds[direction] = max(speeds.get(direction, 0.0), float(mbps))
    roles = Counter(str(d.get("role", "unknown")) for d in doc.get("devices") or ())
    return {
        "criteria": criteria,
        "order": order,
        "titles": titles,
        "informational": informational,
        "overall": overall,
        "download_mbps": speeds.get("download"),
        "upload_mbps": speeds.get("upload"),
        "devices": sum(roles.values()),
        "roles": dict(roles),
        "profile": doc.get("criteria_profile", ""),
        "finished_at": doc.get("finished_at", ""),
    }
