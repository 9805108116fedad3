"""``mbps_per_student``: the measured Internet median shared by the students.

A limited measurement proves only "at least": above the line it passes, below it stays unknown (never a fail).
A declared contract decides only when nothing was measured and the rule accepts ``declared``.
"""

from __future__ import annotations

from agent.model import Basis, Finding, Status, Text
from assessment.declared import mbit_per_s
from assessment.inputs import Inputs, declared
from assessment.metrics.internet import declared_basis, measurement_basis, median
from assessment.profile import Rule
from assessment.registry import Context, Metric, register
from assessment.text import T, mbps

SCHOOL = "school"


def students(inputs: Inputs) -> int | None:
    if inputs.school and inputs.school.students:
        return inputs.school.students
    total = sum(r.students or 0 for r in inputs.rooms)
    return total or None


def subjects(rule: Rule, ctx: Context) -> list[Finding]:
    inputs = ctx.inputs
    n = students(inputs)
    thr = f"≥ {rule.number:g} Mbit/s per student"
    if not n:
        return [Finding(rule.id, SCHOOL, Status.UNKNOWN, None, thr, (),
                        reason=T("Chưa biết số học sinh.", "The number of students is unknown."),
                        remedy=T("Điền [school] students trong cấu hình.", "Set [school] students in the config."))]
    direction = rule.directions[0]
    value, used, limited = median(inputs, direction)
    basis: tuple[Basis, ...] = (Basis(source="config", key="school.students", value=str(n)),
                                *(measurement_basis(r) for r in used))
    need_total = mbps(rule.number * n)
    if value is None:
        decl = declared(inputs, "isp_contract_mbps")
        if decl is not None and "declared" in rule.accepts:
            try:
                contract = mbit_per_s(decl.value)
            except ValueError:
                contract = None
            if contract is not None:
                per = contract / n
                return [Finding(rule.id, SCHOOL, Status.PASS if per >= rule.number else Status.FAIL,
                                f"{per:.2f} Mbit/s per student (declared {mbps(contract)} / {n})", thr,
                                (*basis, declared_basis(decl)), provenance="declared", declared=True,
                                reason=T(f"Theo hợp đồng khai báo: {per:.2f} Mbit/s mỗi học sinh.",
                                         f"From the declared contract: {per:.2f} Mbit/s per student."))]
        return [Finding(rule.id, SCHOOL, Status.UNKNOWN, None, thr, basis,
                        reason=T("Chưa đo được Internet.", "The Internet was not measured."),
                        remedy=T("Chạy `schoolnet speed`.", "Run `schoolnet speed`."))]
    per = value / n
    shown = f"{'≥ ' if limited else ''}{per:.2f} Mbit/s per student ({mbps(value)} / {n})"
    if per >= rule.number:
        return [Finding(rule.id, SCHOOL, Status.PASS, shown, thr, basis, provenance="measured",
                        reason=T(f"{mbps(value)} cho {n} học sinh = {'ít nhất ' if limited else ''}{per:.2f} Mbit/s "
                                 "mỗi học sinh.",
                                 f"{mbps(value)} for {n} students = {'at least ' if limited else ''}{per:.2f} Mbit/s "
                                 "per student."))]
    if limited:
        return [Finding(rule.id, SCHOOL, Status.UNKNOWN, shown, thr, basis,
                        reason=T(f"Phép đo bị giới hạn: ít nhất {per:.2f} Mbit/s mỗi học sinh, giá trị thực có thể cao "
                                 "hơn.",
                                 f"The measurement was limited: at least {per:.2f} Mbit/s per student; the true value "
                                 "may be higher."),
                        remedy=T("Đo lại từ cổng có dây nhanh hơn.", "Measure again from a faster wired port."))]
    return [Finding(rule.id, SCHOOL, Status.FAIL, shown, thr, basis, provenance="measured",
                    reason=T(f"{mbps(value)} cho {n} học sinh = {per:.2f} Mbit/s mỗi học sinh.",
                             f"{mbps(value)} for {n} students = {per:.2f} Mbit/s per student."),
                    remedy=T(f"Cần khoảng {need_total} để đạt {rule.number:g} Mbit/s mỗi học sinh.",
                             f"About {need_total} is needed for {rule.number:g} Mbit/s per student."))]


def upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Đo tốc độ Internet (`schoolnet speed`).", "Measure the Internet (`schoolnet speed`).")


register(Metric("mbps_per_student", subjects, school_level=True, upgrade=upgrade))
