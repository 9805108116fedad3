"""``security_solution``: a firewall/UTM recognised on the network (measured), or one the school declares.

A declaration that says there is none ("không", "chưa có", "no", "n/a", ...) fails; a declaration naming a
solution is a declared pass (with or without attachments), never a measured one.
"""

from __future__ import annotations

from agent.model import Basis, Finding, Role, Status, Text
from assessment.declared import is_negative
from assessment.inputs import declared
from assessment.metrics.internet import declared_basis
from assessment.profile import Rule
from assessment.registry import Context, Metric, register
from assessment.text import T, label

SCHOOL = "school"
THRESHOLD = "firewall/UTM"


def subjects(rule: Rule, ctx: Context) -> list[Finding]:
    firewalls = [d for d in ctx.inputs.devices if d.role == Role.FIREWALL]
    if firewalls:
        d = firewalls[0]
        basis = (Basis(source="rule", key="role", value="firewall", note=label(d)), *d.basis[:4])
        return [Finding(rule.id, SCHOOL, Status.PASS, f"firewall {label(d)}", THRESHOLD, basis, provenance="measured",
                        reason=T(f"Nhận diện tường lửa trên mạng: {label(d)}.",
                                 f"Firewall found on the network: {label(d)}."))]
    decl = declared(ctx.inputs, rule.declared_key or "security_solution")
    if decl is None:
        return [Finding(rule.id, SCHOOL, Status.UNKNOWN, None, THRESHOLD, (),
                        reason=T("Không nhận diện được tường lửa/UTM trên mạng và nhà trường chưa khai báo.",
                                 "No firewall/UTM was recognised on the network and none was declared."),
                        remedy=T("Khai báo giải pháp: `schoolnet evidence add security_solution \"FortiGate 60F\" "
                                 "--attach hoa-don.pdf` (hoặc [evidence] security_solution trong cấu hình).",
                                 "Declare it: `schoolnet evidence add security_solution \"FortiGate 60F\" --attach "
                                 "invoice.pdf` (or [evidence] security_solution in the config)."))]
    basis = (declared_basis(decl),)
    if is_negative(decl.value):
        return [Finding(rule.id, SCHOOL, Status.FAIL, f"{decl.value} (declared)", THRESHOLD, basis,
                        provenance="declared", declared=True,
                        reason=T(f"Nhà trường khai báo chưa có giải pháp an toàn mạng ({decl.value}).",
                                 f"The school declares no network-security solution ({decl.value})."),
                        remedy=T("Trang bị tường lửa/UTM rồi khai báo lại kèm minh chứng.",
                                 "Install a firewall/UTM, then declare it again with evidence."))]
    return [Finding(rule.id, SCHOOL, Status.PASS, f"{decl.value} (declared)", THRESHOLD, basis, provenance="declared",
                    declared=True,
                    reason=T(f"Theo khai báo (không phải đo): {decl.value}.",
                             f"As declared (not measured): {decl.value}."),
                    remedy=None if decl.attachments else T(
                        "Đính kèm minh chứng (hoá đơn, ảnh thiết bị): `schoolnet evidence add security_solution "
                        f"\"{decl.value}\" --attach TỆP`.",
                        "Attach evidence (invoice, photo of the device): `schoolnet evidence add security_solution "
                        f"\"{decl.value}\" --attach FILE`."))]


def upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Bật SNMP trên tường lửa/UTM để nó được nhận diện trên mạng.",
             "Enable SNMP on the firewall/UTM so it is recognised on the network.")


register(Metric("security_solution", subjects, school_level=True, upgrade=upgrade))
