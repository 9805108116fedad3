"""``internet_goodput_mbps``: the measured median goodput against the line's TCP ceiling.

Pass line = tolerance × nominal × (MTU − 52) / (MTU + 38) (913 Mbit/s for 1 Gbit/s at MTU 1500). A clean
measurement decides; a measurement limited by this machine (NIC, Wi-Fi, CPU) still proves "at least" its
value, so it passes when that is above the line and is unknown otherwise. A declared ISP contract never
overrides a measurement: it is shown beside it, and decides only when nothing usable was measured and the rule
accepts ``declared`` — then the verdict is a declared pass or fail, never a plain one.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from agent.model import BandwidthResult, Basis, Declaration, Finding, Status, Text
from assessment.declared import mbit_per_s
from assessment.inputs import Inputs, declared
from assessment.profile import Rule
from assessment.registry import Context, Metric, register
from assessment.text import T, mbps, speed_class

SCHOOL = "school"


def goodput_required(rule: Rule) -> tuple[float, float]:
    """(goodput ceiling, pass line) for the rule's nominal line rate: 941.5 and 913.3 for 1 Gbit/s at MTU 1500."""
    ceiling = rule.number * (rule.mtu - 52) / (rule.mtu + 38)
    return ceiling, rule.tolerance * ceiling


def usable(results: Iterable[BandwidthResult], direction: str) -> list[BandwidthResult]:
    """The results that judge the Internet: public servers (``role`` internet, or unlabelled from older agents);
    the district's endpoint only when nothing else was measured (a second opinion, and the reason says so)."""
    found = [r for r in results if r.direction == direction and r.mbps is not None and r.error is None]
    internet = [r for r in found if r.role != "district"]
    return internet or found


def second_opinion_only(used: Iterable[BandwidthResult]) -> bool:
    used = list(used)
    return bool(used) and all(r.role == "district" for r in used)


def measurement_basis(r: BandwidthResult) -> Basis:
    extra = f"limited by: {r.limited_by}" if r.limited_by else f"confidence {r.confidence}"
    if r.role == "district":
        extra += "; the district's server (second opinion)"
    if r.network:
        extra += f"; network {r.network}"
    return Basis(source="measurement", key=f"{r.engine} {r.direction} {r.server}",
                 value=mbps(r.mbps) if r.mbps is not None else (r.error or "no result"),
                 note=f"{r.streams} streams, {r.duration_s:.0f} s, {extra}")


def declared_basis(decl: Declaration) -> Basis:
    note = decl.note
    if decl.attachments:
        note = (note + "; " if note else "") + "attachments: " + ", ".join(decl.attachments)
    return Basis(source="declared", key=decl.key, value=decl.value, note=note)


def median(inputs: Inputs, direction: str) -> tuple[float | None, list[BandwidthResult], bool]:
    """(median goodput, results used, whether all of them are limited) for one direction."""
    found = usable(inputs.measurements, direction)
    clean = [r for r in found if not r.limited_by]
    used = clean or found
    if not used:
        return None, [], False
    return statistics.median(r.mbps for r in used if r.mbps is not None), used, not clean


def _declared_verdict(rule: Rule, decl: Declaration, why: Text, basis: tuple[Basis, ...]) -> Finding | None:
    try:
        value = mbit_per_s(decl.value)
    except ValueError as exc:
        return Finding(rule.id, SCHOOL, Status.UNKNOWN, f"{decl.value} (declared)", None, basis,
                       reason=T(f"{why.vi} Giá trị khai báo không đọc được: {exc}.", f"{why.en} The declared value "
                                f"cannot be read: {exc}."),
                       remedy=T("Khai báo lại, ví dụ: `schoolnet evidence add isp_contract_mbps \"1 Gbps\"`.",
                                "Declare it again, e.g. `schoolnet evidence add isp_contract_mbps \"1 Gbps\"`."))
    ok = value >= rule.number
    return Finding(rule.id, SCHOOL, Status.PASS if ok else Status.FAIL, f"{mbps(value)} (declared)",
                   f"≥ {mbps(rule.number)} (contract)", basis, provenance="declared", declared=True,
                   reason=T(f"Theo khai báo (không phải đo): hợp đồng ISP {mbps(value)}. {why.vi}",
                            f"As declared (not measured): ISP contract {mbps(value)}. {why.en}"),
                   remedy=None if ok else T(f"Hợp đồng khai báo {mbps(value)} < {mbps(rule.number)}: nâng gói cước.",
                                            f"The declared contract {mbps(value)} < {mbps(rule.number)}: upgrade "
                                            "the Internet plan."))


def _direction(rule: Rule, ctx: Context, direction: str, decl: Declaration | None) -> Finding:
    inputs = ctx.inputs
    ceiling, need = goodput_required(rule)
    thr = f"≥ {mbps(round(need))} goodput (= {rule.tolerance:g} × {mbps(round(ceiling))}, {mbps(rule.number)} line)"
    value, used, limited = median(inputs, direction)
    basis = tuple(measurement_basis(r) for r in inputs.measurements if r.direction == direction)
    if decl:
        basis += (declared_basis(decl),)
    beside = T(f" Hợp đồng khai báo: {decl.value}.", f" Declared contract: {decl.value}.") if decl else T("", "")
    if second_opinion_only(used):
        beside = T(f" Chỉ đo tới máy chủ của Phòng (ý kiến thứ hai, không phải Internet công cộng).{beside.vi}",
                   f" Measured against the district's server only (a second opinion, not the public Internet)."
                   f"{beside.en}")
    if value is not None and value >= need:
        at_least = T(" (ít nhất: phép đo bị giới hạn bởi máy đo)", " (at least: the measurement was limited by "
                     "this machine)") if limited else T("", "")
        return Finding(rule.id, SCHOOL, Status.PASS, f"{mbps(value)} ({direction}, median)", thr, basis,
                       provenance="measured",
                       reason=T(f"Goodput {direction} trung vị {mbps(value)} ≥ {mbps(round(need))}{at_least.vi}."
                                f"{beside.vi}",
                                f"Median {direction} goodput {mbps(value)} ≥ {mbps(round(need))}{at_least.en}."
                                f"{beside.en}"))
    if value is not None and not limited:
        return Finding(rule.id, SCHOOL, Status.FAIL, f"{mbps(value)} ({direction}, median)", thr, basis,
                       provenance="measured",
                       reason=T(f"Goodput {direction} trung vị {mbps(value)} < {mbps(round(need))}.{beside.vi}",
                                f"Median {direction} goodput {mbps(value)} < {mbps(round(need))}.{beside.en}"),
                       remedy=T(f"Nâng gói Internet lên ≥ {speed_class(rule.number)} và kiểm tra cổng WAN của router; "
                                "đo lại ngoài giờ cao điểm.",
                                f"Upgrade the Internet plan to ≥ {speed_class(rule.number)} and check the router's WAN "
                                "port; measure again outside busy hours."))
    line = speed_class(rule.number)
    if value is None:
        errors = [r.error for r in inputs.measurements if r.direction == direction and r.error]
        skipped = inputs.skipped.get("bandwidth")
        why = (T(f"đã bỏ qua đo tốc độ ({skipped})", f"the speed test was skipped ({skipped})") if skipped else
               T("đo tốc độ thất bại: " + "; ".join(errors[:2]), "the speed test failed: " + "; ".join(errors[:2]))
               if errors else T("không có kết quả đo tốc độ", "no speed test result"))
        reason = T(f"Chưa đo được Internet ({direction}): {why.vi}.", f"Internet ({direction}) not measured: {why.en}.")
        remedy = T("Chạy `schoolnet speed` (hoặc `schoolnet audit` không có --skip-bandwidth) từ máy nối dây; cấu "
                   "hình máy chủ đo trong [[bandwidth.servers]].",
                   "Run `schoolnet speed` (or `schoolnet audit` without --skip-bandwidth) from a wired machine; "
                   "configure test servers under [[bandwidth.servers]].")
        shown = None
    else:
        limits = "; ".join(dict.fromkeys(r.limited_by or "" for r in used))
        reason = T(f"Phép đo bị giới hạn ({limits}): đo được ít nhất {mbps(value)}, chưa chứng minh được {line}.",
                   f"The measurement was limited ({limits}): at least {mbps(value)}, which cannot show {line}.")
        remedy = T(f"Chạy đo tốc độ từ một cổng có dây ≥ {line} nối thẳng switch lõi/router, không qua Wi-Fi.",
                   f"Run the speed test from a wired port of at least {line} on the core switch/router, not over "
                   "Wi-Fi.")
        shown = f"≥ {mbps(value)} ({direction}, median, limited)"
    if decl is not None and "declared" in rule.accepts:
        found = _declared_verdict(rule, decl, reason, basis)
        if found is not None:
            return found
    if decl is not None:
        reason = T(reason.vi + beside.vi + " Bộ tiêu chí không chấp nhận khai báo cho tiêu chí này.",
                   reason.en + beside.en + " This profile does not accept a declaration for this criterion.")
    return Finding(rule.id, SCHOOL, Status.UNKNOWN, shown, thr, basis, reason=reason, remedy=remedy)


def subjects(rule: Rule, ctx: Context) -> list[Finding]:
    decl = declared(ctx.inputs, rule.declared_key) if rule.declared_key else None
    parts = [_direction(rule, ctx, d, decl) for d in rule.directions]
    order = (Status.FAIL, Status.UNKNOWN, Status.PASS)
    return [min(parts, key=lambda f: order.index(f.status))]


def upgrade(rule: Rule, finding: Finding) -> Text:
    line = speed_class(rule.number)
    return T(f"Đo tốc độ (`schoolnet speed`) từ cổng có dây ≥ {line}: kết quả đo mới là căn cứ.",
             f"Measure (`schoolnet speed`) from a wired port of at least {line}: only a measurement decides.")


register(Metric("internet_goodput_mbps", subjects, school_level=True, upgrade=upgrade))
