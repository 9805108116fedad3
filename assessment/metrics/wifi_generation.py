"""``wifi_generation``: every AP at least the rule's generation (802.11ac Wave 2 = MU-MIMO, or newer).

The strongest source that names a generation decides (beacons, then vendor-MIB radios, then the catalog row,
then a family rule); when it says 802.11ac without Wave 2, the next source that knows Wave 2 for an 802.11ac
AP completes it, and the verdict takes the weaker provenance of the two.
"""

from __future__ import annotations

from agent.model import Basis, Finding, Status, Text
from assessment import provenance as prov
from assessment.metrics.wifi_common import missing, wifi_metric
from assessment.profile import Rule
from assessment.registry import Context, register
from assessment.text import T
from assessment.wifi import Facts, WifiSubject, gen_rank


def _shown(gen: str, wave2: bool | None) -> str:
    if gen == "802.11ac":
        return "802.11ac Wave 2" if wave2 else ("802.11ac Wave 1" if wave2 is False else "802.11ac (Wave ?)")
    return gen


def decide(s: WifiSubject) -> tuple[str | None, bool | None, list[Facts]]:
    """(generation, wave2, the sources used)."""
    first = next((f for f in s.facts if f.generation), None)
    if first is None:
        return None, None, []
    gen, wave2, used = first.generation, first.wave2, [first]
    if gen == "802.11ac" and wave2 is None:
        more = next((f for f in s.facts if f is not first and f.generation == "802.11ac" and f.wave2 is not None), None)
        if more is not None:
            wave2, used = more.wave2, [first, more]
    return gen, wave2, used


def judge(rule: Rule, s: WifiSubject, ctx: Context) -> Finding:
    need = str(rule.threshold)
    thr = f"≥ {need.replace('-wave2', ' Wave 2')}"
    gen, wave2, used = decide(s)
    if gen is None:
        why, fix = missing(s, T("chuẩn Wi-Fi", "Wi-Fi standard"), ctx)
        return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, (), why, fix)
    level = "802.11ac-wave2" if gen == "802.11ac" and wave2 else gen
    shown = _shown(gen, wave2)
    where = " + ".join(f.source.en for f in used)
    where_vi = " + ".join(f.source.vi for f in used)
    p, verified = prov.weakest((f.provenance, f.verified) for f in used)
    basis = (Basis(source="rule", key="generation", value=shown, note=f"from {where}"),
             *(b for f in used for b in f.basis))
    if gen_rank(level) >= gen_rank(need):
        return Finding(rule.id, s.subject, Status.PASS, shown, thr, basis, provenance=p, verified=verified,
                       reason=T(f"{s.name} là {shown} (theo {where_vi}).", f"{s.name} is {shown} (from {where})."))
    if gen == "802.11ac" and wave2 is None and need == "802.11ac-wave2":
        return Finding(rule.id, s.subject, Status.UNKNOWN, shown, thr, basis,
                       reason=T(f"{s.name} là 802.11ac nhưng chưa xác định được Wave 2 (MU-MIMO).",
                                f"{s.name} is 802.11ac but Wave 2 (MU-MIMO) could not be determined."),
                       remedy=T("Chạy `schoolnet wifi` gần AP để đọc bit MU Beamformer trong beacon 5 GHz, hoặc "
                                "thêm mẫu AP (kèm phiên bản phần cứng) vào config/catalog/.",
                                "Run `schoolnet wifi` near the AP to read the MU Beamformer bit of its 5 GHz "
                                "beacon, or add the AP model (with its hardware revision) to config/catalog/."))
    target = _shown("802.11ac", True) if need.startswith("802.11ac") else need
    return Finding(rule.id, s.subject, Status.FAIL, shown, thr, basis, provenance=p, verified=verified,
                   reason=T(f"{s.name} là {shown} (theo {where_vi}), thấp hơn {thr}.",
                            f"{s.name} is {shown} (from {where}), below {thr}."),
                   remedy=T(f"{s.name} là {shown}: thay bằng AP {target} trở lên.",
                            f"{s.name} is {shown}: replace it with an {target} AP or newer."))


def upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Chạy `schoolnet wifi` gần AP (máy có card Wi-Fi) để đọc beacon: chuẩn và Wave 2 khi đó là đo được.",
             "Run `schoolnet wifi` near the AP (on a machine with a Wi-Fi adapter) to read its beacons: the standard "
             "and Wave 2 are then measured.")


register(wifi_metric("wifi_generation", judge, upgrade))
