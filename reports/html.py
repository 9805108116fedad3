"""The HTML report: one self-contained, printable A4 document (Vietnamese by default) from an EvidenceBundle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

import assessment
from agent.model import Device, EvidenceBundle, Finding, Status, to_jsonable
from agent.signing import digest as bundle_digest
from assessment import provenance
from assessment.profile import GENERATIONS
from assessment.wifi import generation
from reports import svg
from reports.i18n import DECLARATION_KEYS, ROLE, STATUS, SYMBOL, label, pick

TEMPLATES = Path(__file__).resolve().parent / "templates"
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"], default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["css_string"] = css_string
    return env


def css_string(value: str) -> Markup:
    """A CSS string literal (for ``content:``): quotes, backslashes and '<' escaped; newlines become \\A."""
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\A ")
        elif ch == "<" or ord(ch) < 32:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def local_time(iso: str, lang: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if moment.tzinfo is not None:
        moment = moment.astimezone(TZ)
    return moment.strftime("%d/%m/%Y %H:%M") if lang == "vi" else moment.strftime("%Y-%m-%d %H:%M") + " (UTC+7)"


def mbit(value: float | int | None) -> str:
    if value is None:
        return "–"
    if value >= 1000 and value % 1000 == 0:
        return f"{value / 1000:g}\u00a0Gbit/s"
    return f"{value:,.0f}\u00a0Mbit/s".replace(",", "\u00a0")


@dataclass
class Row:
    """One criterion in the summary table."""

    id: str
    title: str
    description: str
    source: str
    verified: bool
    informational: bool
    finding: Finding | None

    @property
    def status(self) -> str:
        return self.finding.status.value if self.finding else "unknown"


def _subject_name(bundle: EvidenceBundle, lang: str) -> Callable[[str], str]:
    devices = {d.ip: d for d in bundle.devices}

    def name(subject: str) -> str:
        if subject == "school":
            return label("whole_school", lang)
        if subject.startswith("room:"):
            return subject[5:]
        if subject.startswith("wifi:"):
            return subject[5:] + (" (qua sóng)" if lang == "vi" else " (over the air)")
        d = devices.get(subject)
        if d is None:
            return subject
        model = d.model or d.sys_name
        return f"{model} ({d.ip})" if model else d.ip

    return name


def _rows(bundle: EvidenceBundle, lang: str) -> list[Row]:
    school = {f.criterion_id: f for f in bundle.findings if f.subject == "school"}
    rows = [Row(c.id, c.title.get(lang), c.description.get(lang) if c.description else "", c.source, c.verified,
                c.informational, school.get(c.id)) for c in bundle.criteria]
    known = {c.id for c in bundle.criteria}
    rows += [Row(cid, cid, "", "", False, False, f) for cid, f in school.items() if cid not in known]
    return rows


def _actions(bundle: EvidenceBundle, lang: str) -> list[dict[str, str]]:
    """Concrete remedies: per subject where there is one, else the school-level one; failures first."""
    with_subjects = {f.criterion_id for f in bundle.findings if f.subject != "school"}
    titles = {c.id: c.title.get(lang) for c in bundle.criteria}
    name = _subject_name(bundle, lang)
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    for status in (Status.FAIL, Status.UNKNOWN):
        for f in bundle.findings:
            if f.status != status or f.remedy is None:
                continue
            if f.subject == "school" and f.criterion_id in with_subjects:
                continue
            text = f.remedy.get(lang)
            if text in seen:
                continue
            seen.add(text)
            out.append({"status": status.value, "criterion": titles.get(f.criterion_id, f.criterion_id),
                        "subject": name(f.subject), "text": text})
    return out


def _wifi_summary(d: Device) -> str:
    if not d.radios:
        return ""
    bands = sorted({r.band_ghz for r in d.radios if r.band_ghz}, key=float)
    stds = sorted({r.standard for r in d.radios if r.standard},
                  key=lambda x: -GENERATIONS.index(generation(x) or "802.11b"))
    wave2 = any(r.wave2 for r in d.radios)
    std = "/".join(stds) + (" Wave 2" if wave2 else "")
    return f"{std} · {' + '.join(bands)} GHz" if bands else std


def _device_rows(bundle: EvidenceBundle, lang: str) -> list[dict[str, Any]]:
    by_subject: dict[str, list[Finding]] = {}
    for f in bundle.findings:
        by_subject.setdefault(f.subject, []).append(f)
    rows = []
    order = {"router": 0, "firewall": 1, "switch": 2, "access_point": 3, "wireless_controller": 4}
    for d in sorted(bundle.devices, key=lambda d: (order.get(d.role.value, 9), tuple(
            int(p) if p.isdigit() else 0 for p in d.ip.split(".")))):
        port = d.max_port_capability_mbps or d.max_port_speed_mbps
        rows.append({
            "ip": d.ip,
            "name": d.model or d.sys_name or "–",
            "vendor": d.vendor or d.mac_vendor or "",
            "firmware": d.firmware or "",
            "role": pick(ROLE.get(d.role.value, ROLE["unknown"]), lang),
            "port": mbit(port) if port else "–",
            "throughput": mbit(d.throughput_mbps) if d.throughput_mbps else "",
            "wifi": _wifi_summary(d),
            "snmp": d.snmp_status + (f" v{d.snmp_version}" if d.snmp_version else ""),
            "location": d.sys_location or "",
            "verdicts": [(f.status.value, f.criterion_id) for f in by_subject.get(d.ip, [])],
        })
    return rows


def context(bundle: EvidenceBundle, lang: str, digest: str | None = None) -> dict[str, Any]:
    """Everything the template needs."""
    digest = digest or bundle_digest(to_jsonable(bundle))
    rows = _rows(bundle, lang)
    judged = [r for r in rows if not r.informational]
    overall = assessment.overall(bundle.findings, bundle.criteria).value
    counts = {s: sum(1 for r in judged if r.status == s) for s in ("pass", "fail", "unknown")}
    by_provenance = assessment.passes_by_provenance(bundle.findings, bundle.criteria)
    topology, unlinked = svg.topology(bundle, lang)
    decls = [{"key": pick(DECLARATION_KEYS[d.key], lang) if d.key in DECLARATION_KEYS else d.key, "value": d.value,
              "note": d.note, "by": d.declared_by, "at": local_time(d.declared_at, lang) if d.declared_at else "",
              "attachments": [a for a in bundle.attachments if a.sha256 in d.attachments]}
             for d in bundle.declarations]
    by_criterion: dict[str, list[Finding]] = {}
    for f in bundle.findings:
        by_criterion.setdefault(f.criterion_id, []).append(f)
    return {
        "lang": lang,
        "t": lambda key: label(key, lang),
        "status_word": lambda s: pick(STATUS[s], lang),
        "prov": lambda f: provenance.word(f.provenance, f.verified, lang) if f is not None else "",
        "prov_word": lambda k: provenance.WORDS[k].get(lang) if k in provenance.WORDS else k,
        "by_provenance": by_provenance,
        "symbol": SYMBOL,
        "text": lambda text: text.get(lang) if text else "",
        "subject": _subject_name(bundle, lang),
        "mbit": mbit,
        "bundle": bundle,
        "footer_left": f"{bundle.school.name or bundle.school.id or '–'} · {local_time(bundle.started_at, lang)} · "
                       f"schoolnet-audit {bundle.agent_version}\n{label('sha256', lang)}: {digest}",
        "page_word": label("page", lang),
        "school": bundle.school,
        "when": local_time(bundle.started_at, lang),
        "digest": digest,
        "key_id": bundle.signature.key_id if bundle.signature else None,
        "rows": rows,
        "overall": overall,
        "counts": counts,
        "actions": _actions(bundle, lang),
        "devices": _device_rows(bundle, lang),
        "air": bundle.air,
        "topology": topology,
        "unlinked": unlinked,
        "measurements": bundle.measurements,
        "chart": svg.bandwidth_chart(bundle, lang),
        "declarations": decls,
        "host": bundle.host,
        "warnings": bundle.warnings,
        "appendix": [(r, by_criterion.get(r.id, [])) for r in rows],
    }


def render_html(bundle: EvidenceBundle, lang: str = "vi", digest: str | None = None) -> str:
    """The report as one HTML document (styles and pictures inline; no external resources)."""
    return environment().get_template("report.html.j2").render(**context(bundle, lang, digest))


def write_html(bundle: EvidenceBundle, target: Path, lang: str = "vi", digest: str | None = None) -> Path:
    target.write_text(render_html(bundle, lang, digest), encoding="utf-8")
    return target
