"""``declared``: a fact only a person can state (read strictly: negative words fail)."""

from __future__ import annotations

from agent.model import Finding, Status, Text
from assessment.declared import is_negative
from assessment.inputs import declared
from assessment.metrics.internet import declared_basis
from assessment.profile import Rule
from assessment.registry import Context, Metric, register
from assessment.text import T

SCHOOL = "school"


def subjects(rule: Rule, ctx: Context) -> list[Finding]:
    key = rule.declared_key
    decl = declared(ctx.inputs, key)
    if decl is None:
        return [Finding(rule.id, SCHOOL, Status.UNKNOWN, None, "declared", (),
                        reason=T(f"Chưa có khai báo '{key}' (không đo tự động được).",
                                 f"Nothing declared for '{key}' (cannot be measured automatically)."),
                        remedy=T(f"Khai báo: `schoolnet evidence add {key} \"mô tả\" --attach ảnh.jpg`.",
                                 f"Declare it: `schoolnet evidence add {key} \"description\" --attach photo.jpg`."))]
    ok = not is_negative(decl.value)
    return [Finding(rule.id, SCHOOL, Status.PASS if ok else Status.FAIL, f"{decl.value} (declared)", "declared",
                    (declared_basis(decl),), provenance="declared", declared=True,
                    reason=T(f"Theo khai báo (không phải đo): {decl.value}.",
                             f"As declared (not measured): {decl.value}."),
                    remedy=None if ok else T(f"Bổ sung và khai báo lại '{key}'.",
                                             f"Provide it and declare '{key}' again."))]


def upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Tiêu chí này chỉ có thể khai báo.", "This criterion can only be declared.")


register(Metric("declared", subjects, school_level=True, upgrade=upgrade))
