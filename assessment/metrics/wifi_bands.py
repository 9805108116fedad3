"""``wifi_bands``: every AP serves the rule's bands (2.4 + 5 GHz).

Measured bands (the AP's radios over SNMP, beacons heard) decide first; the catalog row of the model fills in
what was not measured, and then the verdict rests on the catalog. Bands heard only over the air may be out of
range where we listened, so a band not heard is unknown, never a fail, unless the AP's radio list or a catalog
row says it lacks it.
"""

from __future__ import annotations

from agent.model import Basis, Finding, Status, Text
from assessment.metrics.wifi_common import missing, wifi_metric
from assessment.profile import Rule
from assessment.registry import Context, register
from assessment.text import T, ghz
from assessment.wifi import WifiSubject


def judge(rule: Rule, s: WifiSubject, ctx: Context) -> Finding:
    need = set(rule.threshold) if isinstance(rule.threshold, list) else set()
    thr = ghz(need)
    radios = next((f for f in s.facts if f.provenance == "measured" and f.source.en == "SNMP radios"), None)
    air = next((f for f in s.facts if f.source.en == "beacons"), None)
    row = next((f for f in s.facts if f.provenance in ("catalog", "inferred")), None)
    measured = set(radios.bands if radios else ()) | set(air.bands if air else ())
    basis: tuple[Basis, ...] = (Basis(source="snmp", key="radios.band_ghz", value=ghz(radios.bands if radios else ())),
                                Basis(source="beacon", key="bands heard", value=ghz(air.bands if air else ())))
    if row is not None:
        basis += row.basis
    if need <= measured:
        return Finding(rule.id, s.subject, Status.PASS, ghz(measured), thr, basis, provenance="measured",
                       reason=T(f"{s.name} phát {ghz(measured)} (đo được).",
                                f"{s.name} serves {ghz(measured)} (measured)."))
    if row is not None and row.bands:
        have = measured | set(row.bands)
        lack = need - have
        status = Status.PASS if not lack else Status.FAIL
        reason = (T(f"{s.name} phát {ghz(have)} (theo {row.source.vi}).",
                    f"{s.name} serves {ghz(have)} (from {row.source.en}).")
                  if not lack else
                  T(f"{s.name} chỉ có {ghz(have)}, thiếu {ghz(lack)} (theo {row.source.vi}).",
                    f"{s.name} has only {ghz(have)}, missing {ghz(lack)} (from {row.source.en})."))
        remedy = None if not lack else T(f"{s.name} không có băng {ghz(lack)}: thay bằng AP phát {thr}.",
                                         f"{s.name} lacks {ghz(lack)}: replace it with an AP serving {thr}.")
        return Finding(rule.id, s.subject, status, ghz(have), thr, basis, reason=reason, remedy=remedy,
                       provenance=row.provenance, verified=row.verified)
    if not measured:
        why, fix = missing(s, T("băng tần", "bands"), ctx)
        return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, basis, why, fix)
    lack = need - measured
    if radios is not None and radios.bands:  # the AP listed its radios: a band it does not list, it lacks
        return Finding(rule.id, s.subject, Status.FAIL, ghz(measured), thr, basis, provenance="measured",
                       reason=T(f"{s.name} chỉ có radio {ghz(measured)}, thiếu {ghz(lack)}.",
                                f"{s.name} has radios on {ghz(measured)} only, missing {ghz(lack)}."),
                       remedy=T(f"{s.name} không có băng {ghz(lack)}: thay bằng AP phát {thr}.",
                                f"{s.name} lacks {ghz(lack)}: replace it with an AP serving {thr}."))
    return Finding(rule.id, s.subject, Status.UNKNOWN, ghz(measured), thr, basis,
                   reason=T(f"Chỉ nghe thấy {ghz(measured)} từ {s.name}; băng {ghz(lack)} có thể ngoài tầm.",
                            f"Only {ghz(measured)} heard from {s.name}; {ghz(lack)} may be out of range."),
                   remedy=T("Quét lại gần AP (`schoolnet wifi`) hoặc bật SNMP trên AP để đọc danh sách radio.",
                            "Scan again near the AP (`schoolnet wifi`) or enable SNMP on the AP to read its radios."))


def upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Bật SNMP trên AP hoặc quét sóng gần AP để các băng tần được đo trực tiếp.",
             "Enable SNMP on the AP or scan near it so its bands are measured directly.")


register(wifi_metric("wifi_bands", judge, upgrade))


