"""``wifi_max_rate_mbps``: the AP's maximum PHY rate, read as the profile says.

``reading = "aggregate"``: the sum over bands against ``threshold`` (the AC-class reading, e.g. AC1300 = 400 +
867); ``reading = "per_band"``: each band against ``per_band``. Measured rates (beacons, vendor-MIB radios)
come first; the catalog row fills the bands nothing measured, and then the verdict rests on the catalog.
"""

from __future__ import annotations

from agent.model import Basis, Finding, Provenance, Status, Text
from assessment import provenance as prov
from assessment.metrics.wifi_common import missing, wifi_metric
from assessment.profile import Rule
from assessment.registry import Context, register
from assessment.text import T, ghz, mbps
from assessment.wifi import WifiSubject


def rates(s: WifiSubject) -> tuple[dict[str, float], Provenance | None, bool | None]:
    """Best maximum PHY rate per band, and the weakest provenance among the facts used."""
    out: dict[str, float] = {}
    used: list[tuple[Provenance | None, bool | None]] = []
    for f in s.facts:
        if f.provenance != "measured":
            continue
        for band, rate in f.rates.items():
            if rate > out.get(band, 0.0):
                out[band] = rate
        if f.rates:
            used.append((f.provenance, f.verified))
    row = next((f for f in s.facts if f.provenance != "measured" and f.rates), None)
    if row is not None:
        filled = [b for b in row.rates if b not in out]
        for band in filled:
            out[band] = row.rates[band]
        if filled:
            used.append((row.provenance, row.verified))
    p, v = prov.weakest(used)
    return out, p, v


def _per_band(values: dict[str, float]) -> str:
    return ", ".join(f"{b} GHz {mbps(v)}" for b, v in sorted(values.items(), key=lambda kv: float(kv[0])))


def judge(rule: Rule, s: WifiSubject, ctx: Context) -> Finding:
    values, p, verified = rates(s)
    total = sum(values.values())
    per_band = _per_band(values)
    basis: tuple[Basis, ...] = (Basis(source="rule", key="per_band", value=per_band or "-"),
                                Basis(source="rule", key="aggregate", value=mbps(total) if values else "-",
                                      note=f"reading used: {rule.reading}"),
                                *(b for f in s.facts for b in f.basis if f.rates))
    if rule.reading == "aggregate":
        need = rule.number
        thr = f"≥ {mbps(need)} (aggregate)"
        if not values:
            why, fix = missing(s, T("tốc độ tối đa", "maximum rate"), ctx)
            return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, basis, why, fix)
        shown = f"{mbps(total)} ({per_band})"
        # classes are quoted in whole Mbit/s (AC1300 = 400 + 867): 400 + 866.7 computed must still meet 1267
        if round(total) >= need:
            return Finding(rule.id, s.subject, Status.PASS, shown, thr, basis, provenance=p, verified=verified,
                           reason=T(f"{s.name}: tổng {mbps(total)} ≥ {mbps(need)}.",
                                    f"{s.name}: aggregate {mbps(total)} ≥ {mbps(need)}."))
        return Finding(rule.id, s.subject, Status.FAIL, shown, thr, basis, provenance=p, verified=verified,
                       reason=T(f"{s.name}: tổng {mbps(total)} < {mbps(need)}.",
                                f"{s.name}: aggregate {mbps(total)} < {mbps(need)}."),
                       remedy=T(f"Thay {s.name} bằng AP có tổng tốc độ tối đa ≥ {mbps(need)}.",
                                f"Replace {s.name} with an AP whose aggregate maximum rate is ≥ {mbps(need)}."))
    thr = _per_band(rule.per_band).replace(" GHz ", " GHz ≥ ")
    if not values:
        why, fix = missing(s, T("tốc độ tối đa", "maximum rate"), ctx)
        return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, basis, why, fix)
    short = [b for b, v in rule.per_band.items() if values.get(b, 0.0) < v]
    if not short:
        return Finding(rule.id, s.subject, Status.PASS, per_band, thr, basis, provenance=p, verified=verified,
                       reason=T(f"{s.name} đạt mọi băng.", f"{s.name} meets every band."))
    unknown = [b for b in short if b not in values]
    if unknown:
        return Finding(rule.id, s.subject, Status.UNKNOWN, per_band, thr, basis,
                       reason=T(f"Chưa biết tốc độ băng {ghz(unknown)} của {s.name}.",
                                f"The {ghz(unknown)} rate of {s.name} is unknown."),
                       remedy=T("Bật SNMP trên AP hoặc quét sóng gần AP.", "Enable SNMP on the AP or scan near it."))
    return Finding(rule.id, s.subject, Status.FAIL, per_band, thr, basis, provenance=p, verified=verified,
                   reason=T(f"{s.name} không đạt ở băng {ghz(short)} (đọc theo từng băng).",
                            f"{s.name} falls short on {ghz(short)} (per-band reading)."),
                   remedy=T(f"Thay {s.name} bằng AP có tốc độ tối đa đạt {thr}.",
                            f"Replace {s.name} with an AP whose maximum rates reach {thr}."))


def upgrade(rule: Rule, finding: Finding) -> Text:
    return T("Chạy `schoolnet wifi` gần AP để tính tốc độ tối đa từ beacon (đo được).",
             "Run `schoolnet wifi` near the AP to compute its maximum rates from beacons (measured).")


register(wifi_metric("wifi_max_rate_mbps", judge, upgrade))
