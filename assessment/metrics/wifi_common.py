"""What the Wi-Fi evaluators share: judging only the school's own APs, and why a fact is missing."""

from __future__ import annotations

from collections.abc import Callable

from agent.model import Finding, Status, Text
from assessment.metrics.common import snmp_unknown
from assessment.profile import Rule
from assessment.registry import Context, Metric
from assessment.text import T
from assessment.wifi import WifiSubject


def missing(s: WifiSubject, what: Text, ctx: Context) -> tuple[Text, Text]:
    """(why ``what`` is unknown for this AP, what would resolve it)."""
    if s.device is not None and s.device.snmp_status != "ok" and not s.air:
        return snmp_unknown(s.device, what)
    skipped = ctx.inputs.skipped.get("wifi")
    extra_vi = f" Quét sóng đã bỏ qua ({skipped})." if skipped else ""
    extra_en = f" The air scan was skipped ({skipped})." if skipped else ""
    return (
        T(f"Không có dữ liệu {what.vi} của {s.name} (SNMP, catalog hoặc quét sóng).{extra_vi}",
          f"No {what.en} data for {s.name} (SNMP, catalog or air scan).{extra_en}"),
        T("Chạy `schoolnet wifi` trên máy có card Wi-Fi gần AP, hoặc thêm mẫu AP vào config/catalog/.",
          "Run `schoolnet wifi` on a machine with a Wi-Fi adapter near the AP, or add the AP model to "
          "config/catalog/."),
    )


def wifi_subject_findings(rule: Rule, ctx: Context,
                          judge: Callable[[Rule, WifiSubject, Context], Finding]) -> list[Finding]:
    """One finding per AP; networks not tied to the school are listed as not judged."""
    out: list[Finding] = []
    for s in ctx.wifi_subjects:
        if s.judged:
            f = judge(rule, s, ctx)
            if s.note is not None and f.reason is not None:  # say why an air-only AP counts as the school's
                f = Finding(f.criterion_id, f.subject, f.status, f.measured, f.threshold, f.basis,
                            T(f"{f.reason.vi} {s.note.vi}", f"{f.reason.en} {s.note.en}"), f.remedy, f.declared,
                            f.provenance, f.verified)
            out.append(f)
        else:
            out.append(Finding(rule.id, s.subject, Status.NOT_APPLICABLE, None, None, (), reason=s.note))
    return out


def wifi_metric(name: str, judge: Callable[[Rule, WifiSubject, Context], Finding],
                upgrade: Callable[[Rule, Finding], Text]) -> Metric:
    """A Wi-Fi metric: ``judge`` for each of the school's APs, the others listed as not judged."""
    return Metric(name, lambda rule, ctx: wifi_subject_findings(rule, ctx, judge), upgrade=upgrade)
