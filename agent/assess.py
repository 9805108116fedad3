"""Assessment: judge what the probes found against a criteria profile.

``assess(inputs, profile)`` returns findings per subject (a device, an access point heard over the air, a room)
and one school-level finding per criterion (subject ``"school"``). Every finding carries its basis; every
``unknown`` says why and what would resolve it; every ``fail`` says what to change. Declared evidence (what a
person states) is marked ``declared`` and never presented as measured.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from agent.criteria import GENERATIONS, Profile, Rule
from agent.model import (
    AirAccessPoint,
    BandwidthResult,
    Basis,
    Declaration,
    Device,
    Finding,
    Host,
    Radio,
    Role,
    School,
    Status,
    Text,
)

SCHOOL = "school"
FALSY = {"", "0", "no", "false", "không", "khong", "chưa", "chua", "none"}


@dataclass(frozen=True)
class Room:
    """A room listed in the config (what a person declared about it)."""

    name: str
    students: int | None = None
    projector: bool | None = None
    internet: bool | None = None
    devices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Inputs:
    """Everything one run found, as the assessment needs it."""

    devices: tuple[Device, ...] = ()
    air: tuple[AirAccessPoint, ...] = ()
    measurements: tuple[BandwidthResult, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    host: Host | None = None
    school: School | None = None
    rooms: tuple[Room, ...] = ()
    skipped: dict[str, str] = field(default_factory=dict)  # probe -> why (e.g. "wifi": "--skip-wifi")


def T(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


def mbps(value: float | None) -> str:
    if value is None:
        return "?"
    if value >= 100 or float(value).is_integer():
        return f"{value:,.0f}".replace(",", "\u00a0") + "\u00a0Mbit/s"
    return f"{value:.1f}\u00a0Mbit/s"


def label(device: Device) -> str:
    """A short name for people: model and address."""
    name = device.model or device.sys_name or ""
    return f"{name} ({device.ip})" if name else device.ip


def declared(inputs: Inputs, key: str) -> Declaration | None:
    """The latest declaration for ``key`` (later entries win)."""
    found = None
    for decl in inputs.declarations:
        if decl.key == key and decl.value.strip():
            found = decl
    return found


def _declared_basis(decl: Declaration) -> Basis:
    note = decl.note
    if decl.attachments:
        note = (note + "; " if note else "") + "attachments: " + ", ".join(decl.attachments)
    return Basis(source="declared", key=decl.key, value=decl.value, note=note)


# --------------------------------------------------------------------------- aggregation


def aggregate(rule: Rule, findings: Sequence[Finding], what: Text) -> Finding:
    """The school-level verdict from per-subject findings (``every`` or ``any`` must pass)."""
    judged = [f for f in findings if f.status != Status.NOT_APPLICABLE]
    counts = {s: sum(1 for f in judged if f.status == s) for s in Status}
    n = len(judged)
    measured = _subject_values(judged) if n else None
    basis = tuple(Basis(source="rule", key=f.subject, value=f.status.value) for f in findings)
    every = rule.aggregate == "every"
    thr = next((f.threshold for f in judged if f.threshold), None) or _rule_threshold(rule)
    if n == 0:
        return Finding(
            rule.id, SCHOOL, Status.UNKNOWN, measured, thr, basis,
            reason=T("Cấu hình chưa liệt kê phòng học nào.", "The config lists no rooms.") if rule.applies_to == "room"
            else T(f"Không tìm thấy {what.vi} nào trên mạng.", f"Found no {what.en} on the network."),
            remedy=_none_found_remedy(rule),
        )
    failing = [f for f in judged if f.status == Status.FAIL]
    unknown = [f for f in judged if f.status == Status.UNKNOWN]
    if rule.aggregate == "every":
        status = Status.FAIL if failing else Status.UNKNOWN if unknown else Status.PASS
    else:
        status = Status.PASS if counts[Status.PASS] else Status.UNKNOWN if unknown else Status.FAIL
    if status == Status.PASS:
        k = counts[Status.PASS]
        only = judged[0].subject.split(":", 1)[-1]
        reason = (T(f"{only} đạt.", f"{only} passes.") if n == 1 else
                  T(f"Tất cả {n} {what.vi} đều đạt.", f"All {n} {what.en} pass.") if every and k == n else
                  T(f"{k}/{n} {what.vi} đạt (chỉ cần một).", f"{k}/{n} {what.en} pass (one is enough)."))
        return Finding(rule.id, SCHOOL, status, measured, thr, basis, reason=reason)
    culprits = failing if status == Status.FAIL else unknown
    names = ", ".join(f.subject.split(":", 1)[-1] for f in culprits[:5]) + (" …" if len(culprits) > 5 else "")
    if status == Status.FAIL:
        reason = T(f"{len(failing)}/{n} {what.vi} không đạt: {names}.", f"{len(failing)}/{n} {what.en} fail: {names}.")
    else:
        reason = T(f"{len(unknown)}/{n} {what.vi} chưa xác định được: {names}.",
                   f"{len(unknown)}/{n} {what.en} could not be determined: {names}.")
    remedies = [f.remedy for f in culprits if f.remedy]
    remedy = None
    if remedies:
        uniq_vi = list(dict.fromkeys(r.vi for r in remedies))[:3]
        uniq_en = list(dict.fromkeys(r.en for r in remedies))[:3]
        remedy = T(" ".join(uniq_vi), " ".join(uniq_en))
    return Finding(rule.id, SCHOOL, status, measured, thr, basis, reason=reason, remedy=remedy)


def _rule_threshold(rule: Rule) -> str:
    """The rule's threshold as people read it (for a verdict with no subject to take it from)."""
    t = rule.threshold
    if rule.metric == "wifi_generation":
        return f"≥\u00a0{str(t).replace('-wave2', ' Wave 2')}"
    if isinstance(t, list):
        return _ghz(t)
    if rule.metric == "wifi_max_rate_mbps" and rule.reading == "per_band":
        return ", ".join(f"{b} GHz ≥\u00a0{mbps(v)}" for b, v in rule.per_band.items())
    if rule.metric in ("capacity_mbps", "wifi_max_rate_mbps") and isinstance(t, (int, float)):
        return f"≥\u00a0{mbps(t)}"
    return str(t) if t is not None else rule.aggregate


def _subject_values(findings: Sequence[Finding], limit: int = 4) -> str:
    """"10.66.0.11: 802.11ac Wave 2; 10.66.0.12: 802.11n" (or "3/12 pass" when there are many)."""
    if len(findings) > limit:
        return f"{sum(1 for f in findings if f.status == Status.PASS)}/{len(findings)} pass"
    return "; ".join(f"{f.subject.split(':', 1)[-1]}: {f.measured or '?'}" for f in findings)


def _none_found_remedy(rule: Rule) -> Text:
    if rule.applies_to == "room":
        return T("Liệt kê các phòng học trong mục [[rooms]] của tệp cấu hình.",
                 "List the classrooms under [[rooms]] in the config file.")
    return T(
        "Kiểm tra dải mạng quét ([scan] subnets) và thông tin SNMP ([[snmp.credentials]]); bật SNMP v2c/v3 "
        "chỉ đọc trên thiết bị rồi chạy lại `schoolnet audit`.",
        "Check the scanned subnets ([scan] subnets) and the SNMP credentials ([[snmp.credentials]]); enable "
        "read-only SNMP v2c/v3 on the device and run `schoolnet audit` again.",
    )


def _snmp_unknown(device: Device, missing: Text) -> tuple[Text, Text]:
    """Why a device's data is missing and what would resolve it, from its SNMP status."""
    ip = device.ip
    status = device.snmp_status
    if status == "timeout":
        return (
            T(f"Hỏi SNMP {label(device)} bị quá thời gian nên không đọc được {missing.vi}.",
              f"SNMP requests to {label(device)} timed out, so its {missing.en} could not be read."),
            T(f"Tăng [scan] snmp_timeout_s / device_budget_s rồi chạy lại, hoặc kiểm tra {ip} có quá tải không.",
              f"Raise [scan] snmp_timeout_s / device_budget_s and run again, or check whether {ip} is overloaded."),
        )
    if status in ("not_tried", "no_response"):
        return (
            T(f"{label(device)} không trả lời SNMP nên không đọc được {missing.vi}.",
              f"{label(device)} did not answer SNMP, so its {missing.en} could not be read."),
            T(f"Bật SNMP v2c/v3 (chỉ đọc) trên {ip} và thêm thông tin đăng nhập vào [[snmp.credentials]].",
              f"Enable SNMP v2c/v3 (read-only) on {ip} and add the credential to [[snmp.credentials]]."),
        )
    if status == "auth_error":
        return (
            T(f"{label(device)} từ chối thông tin SNMP đã cấu hình.",
              f"{label(device)} rejected the configured SNMP credentials."),
            T(f"Kiểm tra community / người dùng SNMPv3 cho {ip} trong [[snmp.credentials]].",
              f"Check the community / SNMPv3 user for {ip} in [[snmp.credentials]]."),
        )
    model = device.model or device.sys_object_id or "?"
    return (
        T(f"{label(device)} trả lời SNMP nhưng không cho biết {missing.vi}, và mẫu {model} chưa có trong "
          "catalog.",
          f"{label(device)} answers SNMP but did not report its {missing.en}, and model {model} is not in the "
          "catalog."),
        T(f"Thêm mẫu {model} (kèm nguồn) vào config/catalog/, hoặc cấp quyền SNMP đọc IF-MIB/ENTITY-MIB cho "
          f"{ip}.",
          f"Add model {model} (with a source) to config/catalog/, or give SNMP read access to IF-MIB/ENTITY-MIB "
          f"on {ip}."),
    )


# --------------------------------------------------------------------------- capacity (router, switch)

_BASIS_FIELDS = {
    "port_capability": ("max_port_capability_mbps", T("khả năng cổng", "port capability")),
    "port_speed": ("max_port_speed_mbps", T("tốc độ cổng đang chạy", "negotiated port speed")),
    "throughput": ("throughput_mbps", T("thông lượng theo catalog", "catalog throughput")),
}
_ROLE_SUBJECTS = {"router": (Role.ROUTER, Role.FIREWALL), "switch": (Role.SWITCH,)}
_WHAT = {
    "router": T("router", "routers"),
    "switch": T("switch", "switches"),
    "access_point": T("AP", "access points"),
    "room": T("phòng", "rooms"),
}


def _capacity(rule: Rule, device: Device) -> Finding:
    need = rule.number
    thr = f"≥ {mbps(need)}"
    known: list[tuple[str, int, Text]] = []
    name: str
    for name in rule.bases:
        attr, what = _BASIS_FIELDS[name]
        value = getattr(device, attr)
        if value is not None:
            known.append((name, int(value), what))
    basis = tuple(Basis(source="catalog" if n == "throughput" else "snmp", key=n, value=str(v)) for n, v, _ in known)
    basis += tuple(b for b in device.basis if b.source in ("snmp", "catalog"))[:6]
    passing = [k for k in known if k[1] >= need]
    if passing:
        name, value, what = max(passing, key=lambda k: k[1])
        return Finding(rule.id, device.ip, Status.PASS, f"{mbps(value)} ({what.en})", thr, basis,
                       reason=T(f"{label(device)}: {what.vi} {mbps(value)} ≥ {mbps(need)}.",
                                f"{label(device)}: {what.en} {mbps(value)} ≥ {mbps(need)}."))
    strong = [k for k in known if k[0] != "port_speed"]
    if not strong and "port_speed" in rule.bases and rule.bases != ["port_speed"] and known:
        # only a negotiated speed is known: the port may be faster than what it negotiated
        value = known[0][1]
        why = T(f"{label(device)} đang chạy ở {mbps(value)} nhưng chưa biết khả năng tối đa của cổng.",
                f"{label(device)} runs at {mbps(value)} but the ports' maximum capability is unknown.")
        fix = T(f"Thêm mẫu {device.model or device.sys_object_id or device.ip} vào config/catalog/ (kèm nguồn) "
                f"để biết cổng/thông lượng tối đa.",
                f"Add model {device.model or device.sys_object_id or device.ip} to config/catalog/ (with a source) "
                f"so its maximum port speed/throughput is known.")
        return Finding(rule.id, device.ip, Status.UNKNOWN, f"{mbps(value)} (negotiated)", thr, basis, why, fix)
    if not known:
        why, fix = _snmp_unknown(device, T("tốc độ cổng", "port speeds"))
        return Finding(rule.id, device.ip, Status.UNKNOWN, None, thr, basis, why, fix)
    name, value, what = max(known, key=lambda k: k[1])
    model = device.model or device.ip
    if rule.applies_to == "router":
        fix = T(f"{model} chỉ đạt {mbps(value)}: thay bằng router có cổng 10 Gbps (SFP+) hoặc thông lượng "
                f"≥ {mbps(need)}.",
                f"{model} tops out at {mbps(value)}: replace it with a router with a 10 Gbps (SFP+) port or "
                f"a throughput of at least {mbps(need)}.")
    else:
        fix = T(f"{model} chỉ đạt {mbps(value)}: thay bằng switch Gigabit (cổng ≥ {mbps(need)}).",
                f"{model} tops out at {mbps(value)}: replace it with a Gigabit switch (ports ≥ {mbps(need)}).")
    return Finding(rule.id, device.ip, Status.FAIL, f"{mbps(value)} ({what.en})", thr, basis,
                   reason=T(f"{label(device)}: {what.vi} tối đa {mbps(value)} < {mbps(need)}.",
                            f"{label(device)}: best {what.en} {mbps(value)} < {mbps(need)}."),
                   remedy=fix)


# --------------------------------------------------------------------------- Wi-Fi subjects


@dataclass(frozen=True)
class WifiSubject:
    """One access point as far as we know it: an SNMP device, what the air said about it, or both."""

    subject: str
    name: str
    device: Device | None = None
    air: tuple[AirAccessPoint, ...] = ()
    counted: bool = True
    note: Text | None = None

    @property
    def radios(self) -> tuple[Radio, ...]:
        return self.device.radios if self.device else ()


def _mac_int(mac: str | None) -> int | None:
    if not mac:
        return None
    digits = re.sub(r"[^0-9a-fA-F]", "", mac)
    if len(digits) != 12:
        return None
    return int(digits, 16) & ~(0x02 << 40)  # ignore the locally-administered bit (virtual BSSIDs)


def _near(a: Iterable[int], b: Iterable[int], span: int = 64) -> bool:
    bs = list(b)
    return any(abs(x - y) <= span for x in a for y in bs)


def wifi_subjects(inputs: Inputs) -> list[WifiSubject]:
    """Access points from SNMP joined with the air scan by MAC/BSSID proximity.

    Over-the-air APs that match no SNMP device are counted when no AP was found over SNMP, or when they
    broadcast one of the school's SSIDs; the rest (likely neighbours) are listed but not counted.
    """
    aps = [d for d in inputs.devices if d.role == Role.ACCESS_POINT]
    dev_macs = {}
    for d in aps:
        macs = [d.mac, *(i.mac for i in d.interfaces), *(r.bssid for r in d.radios)]
        dev_macs[d.ip] = [m for m in (_mac_int(x) for x in macs) if m is not None]
    matched: dict[str, list[AirAccessPoint]] = {d.ip: [] for d in aps}
    unmatched: list[AirAccessPoint] = []
    for ap in inputs.air:
        air_macs = [m for m in (_mac_int(r.bssid) for r in ap.bssids) if m is not None]
        owner = next((d for d in aps if dev_macs[d.ip] and _near(air_macs, dev_macs[d.ip])), None)
        if owner:
            matched[owner.ip].append(ap)
        else:
            unmatched.append(ap)
    subjects = [WifiSubject(d.ip, label(d), d, tuple(matched[d.ip])) for d in aps]
    school_ssids = {r.ssid for s in subjects for r in s.radios if r.ssid}
    school_ssids |= {r.ssid for s in subjects for ap in s.air for r in ap.bssids if r.ssid}
    for ap in unmatched:
        ssids = {r.ssid for r in ap.bssids if r.ssid}
        counted = not aps or bool(ssids & school_ssids)
        note = None if counted else T(
            "Nghe thấy qua sóng nhưng không khớp thiết bị nào của trường (có thể là AP lân cận): không tính.",
            "Heard over the air but matches no school device (possibly a neighbour's AP): not counted.")
        name = f"{ap.model} ({ap.name})" if ap.model else ap.name
        subjects.append(WifiSubject(f"wifi:{ap.name}", name, None, (ap,), counted, note))
    return subjects


_GEN_TOKENS = {
    "be": "802.11be", "eht": "802.11be", "wifi7": "802.11be",
    "ax": "802.11ax", "he": "802.11ax", "wifi6": "802.11ax", "wifi6e": "802.11ax",
    "ac": "802.11ac", "vht": "802.11ac", "wifi5": "802.11ac",
    "n": "802.11n", "ht": "802.11n", "wifi4": "802.11n",
    "a": "802.11a", "g": "802.11g", "b": "802.11b",
}


def generation(standard: str | None) -> str | None:
    """Normalise a standard name ("802.11ac", "ac", "VHT", "Wi-Fi 6", "802.11b/g/n") to its newest generation."""
    if not standard:
        return None
    text = re.sub(r"wi-?fi\s*(\d+e?)", r" wifi\1 ", standard.lower()).replace("802.11", " ")
    found: list[str] = []
    for token in re.findall(r"[a-z0-9]+", text):
        if token in _GEN_TOKENS:
            found.append(_GEN_TOKENS[token])
        elif re.fullmatch(r"[abgn]+", token):  # "bgn"
            found.extend(_GEN_TOKENS[c] for c in token)
    return max(found, key=_rank) if found else None


def _rank(gen: str) -> int:
    return GENERATIONS.index(gen)


def _best_generation(subject: WifiSubject) -> tuple[str | None, bool | None, str, tuple[Basis, ...]]:
    """(generation, wave2, source, basis): beacons first (the per-unit truth), then SNMP/catalog radios."""
    for source, entries in (("beacon", [(ap.standard, ap.wave2, ap.basis) for ap in subject.air]),
                            ("snmp/catalog", [(r.standard, r.wave2, r.basis) for r in subject.radios])):
        best: tuple[str | None, bool | None, tuple[Basis, ...]] = (None, None, ())
        for std, wave2, basis in entries:
            gen = generation(std)
            if gen is None:
                continue
            if best[0] is None or _rank(gen) > _rank(best[0]) or (gen == best[0] and wave2 and not best[1]):
                best = (gen, wave2, basis)
        if best[0] is not None:
            gen, wave2, basis = best
            if gen == "802.11ac" and wave2 is None:
                # any radio of the AP (or the air record) may know Wave 2
                extra = [w for _, w, _ in entries if w is not None]
                wave2 = any(extra) if extra else None
            return gen, wave2, source, basis
    return None, None, "", ()


def _gen_text(gen: str, wave2: bool | None) -> str:
    if gen == "802.11ac":
        return "802.11ac Wave 2" if wave2 else ("802.11ac Wave 1" if wave2 is False else "802.11ac (Wave ?)")
    return gen


def _wifi_missing(subject: WifiSubject, what: Text) -> tuple[Text, Text]:
    if subject.device is not None and subject.device.snmp_status != "ok":
        return _snmp_unknown(subject.device, what)
    return (
        T(f"Không có dữ liệu {what.vi} của {subject.name} (SNMP/catalog hoặc quét sóng).",
          f"No {what.en} data for {subject.name} (SNMP/catalog or air scan)."),
        T("Chạy `schoolnet wifi` trên máy có card Wi-Fi gần AP, hoặc thêm mẫu AP vào config/catalog/.",
          "Run `schoolnet wifi` on a machine with a Wi-Fi adapter near the AP, or add the AP model to "
          "config/catalog/."),
    )


def _wifi_generation(rule: Rule, s: WifiSubject, inputs: Inputs) -> Finding:
    need = str(rule.threshold)
    thr = f"≥ {need.replace('-wave2', ' Wave 2')}"
    gen, wave2, source, basis = _best_generation(s)
    if gen is None:
        why, fix = _wifi_missing(s, T("chuẩn Wi-Fi", "Wi-Fi standard"))
        if "wifi" in inputs.skipped:
            why = T(why.vi + f" Quét sóng đã bỏ qua ({inputs.skipped['wifi']}).",
                    why.en + f" The air scan was skipped ({inputs.skipped['wifi']}).")
        return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, basis, why, fix)
    level = "802.11ac-wave2" if gen == "802.11ac" and wave2 else gen
    shown = _gen_text(gen, wave2)
    basis = (Basis(source="rule", key="generation", value=shown, note=f"from {source}"), *basis)
    if _rank(level) >= _rank(need):
        return Finding(rule.id, s.subject, Status.PASS, shown, thr, basis,
                       reason=T(f"{s.name} là {shown} (theo {source}).", f"{s.name} is {shown} (from {source})."))
    if gen == "802.11ac" and wave2 is None and need == "802.11ac-wave2":
        return Finding(rule.id, s.subject, Status.UNKNOWN, shown, thr, basis,
                       reason=T(f"{s.name} là 802.11ac nhưng chưa xác định được Wave 2 (MU-MIMO).",
                                f"{s.name} is 802.11ac but Wave 2 (MU-MIMO) could not be determined."),
                       remedy=T("Chạy `schoolnet wifi` gần AP để đọc bit MU Beamformer trong beacon 5 GHz, hoặc "
                                "thêm mẫu AP (kèm phiên bản phần cứng) vào config/catalog/.",
                                "Run `schoolnet wifi` near the AP to read the MU Beamformer bit of its 5 GHz "
                                "beacon, or add the AP model (with its hardware revision) to config/catalog/."))
    target = "802.11ac Wave 2" if need in ("802.11ac-wave2", "802.11ac") else need
    return Finding(rule.id, s.subject, Status.FAIL, shown, thr, basis,
                   reason=T(f"{s.name} là {shown}, thấp hơn yêu cầu.", f"{s.name} is {shown}, below the requirement."),
                   remedy=T(f"{s.name} là {shown}: thay bằng AP {target} hoặc 802.11ax.",
                            f"{s.name} is {shown}: replace it with an {target} or 802.11ax AP."))


@dataclass(frozen=True)
class CatalogAp:
    """What the AP catalog (config/catalog/access_points.toml) says about a model."""

    id: str
    bands: tuple[str, ...]
    rates: dict[str, float]
    basis: Basis


def catalog_ap(device: Device | None) -> CatalogAp | None:
    """The catalog row of an SNMP-identified AP model (one row only; None when unknown or ambiguous)."""
    if device is None or not device.model:
        return None
    try:
        from probes.wifi.catalog import lookup
    except ImportError:
        return None
    try:
        match = lookup(device.model, vendor=device.vendor)
    except (OSError, ValueError):
        return None
    row = match.row if match else None
    if row is None:
        return None
    note = f"{row.source}; confidence {row.confidence}" + ("" if row.verified else "; unverified row")
    basis = Basis(source="catalog", key=f"catalog:{row.id}",
                  value=f"{row.standard}; {' + '.join(row.bands)} GHz; "
                        + ", ".join(f"{b} GHz {v:g} Mbit/s" for b, v in row.rates.items()), note=note)
    return CatalogAp(row.id, tuple(row.bands), dict(row.rates), basis)


def _bands(s: WifiSubject) -> tuple[set[str], set[str]]:
    """(bands known from SNMP or, when SNMP gave none, the model's catalog row; bands heard over the air)."""
    snmp = {r.band_ghz for r in s.radios if r.band_ghz}
    if not snmp and (row := catalog_ap(s.device)):
        snmp = set(row.bands)
    air = {b for ap in s.air for b in ap.bands_ghz} | {r.band_ghz for ap in s.air for r in ap.bssids if r.band_ghz}
    return snmp, air


def _ghz(bands: Iterable[str]) -> str:
    return " + ".join(sorted(bands, key=float)) + " GHz" if bands else "-"


def _wifi_bands(rule: Rule, s: WifiSubject, inputs: Inputs) -> Finding:
    need = set(rule.threshold) if isinstance(rule.threshold, list) else set()
    thr = _ghz(need)
    snmp, air = _bands(s)
    have = snmp | air
    basis: tuple[Basis, ...] = (Basis(source="snmp", key="radios.band_ghz",
                                      value=_ghz({r.band_ghz for r in s.radios if r.band_ghz})),
                                Basis(source="beacon", key="bands heard", value=_ghz(air)))
    if not any(r.band_ghz for r in s.radios) and (row := catalog_ap(s.device)):
        basis += (row.basis,)
    if not have:
        why, fix = _wifi_missing(s, T("băng tần", "bands"))
        return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, basis, why, fix)
    missing = need - have
    if not missing:
        return Finding(rule.id, s.subject, Status.PASS, _ghz(have), thr, basis,
                       reason=T(f"{s.name} phát {_ghz(have)}.", f"{s.name} serves {_ghz(have)}."))
    catalogued = any(ap.model for ap in s.air)  # the air scan matched a catalog row: its bands are known
    if not snmp and not catalogued:  # only what was heard: a band may simply be out of range where we listened
        return Finding(rule.id, s.subject, Status.UNKNOWN, _ghz(have), thr, basis,
                       reason=T(f"Chỉ nghe thấy {_ghz(have)} từ {s.name}; băng {_ghz(missing)} có thể ngoài tầm.",
                                f"Only {_ghz(have)} heard from {s.name}; {_ghz(missing)} may be out of range."),
                       remedy=T("Quét lại gần AP (`schoolnet wifi`) hoặc bật SNMP trên AP để đọc danh sách radio.",
                                "Scan again near the AP (`schoolnet wifi`) or enable SNMP on the AP to read its "
                                "radios."))
    return Finding(rule.id, s.subject, Status.FAIL, _ghz(have), thr, basis,
                   reason=T(f"{s.name} chỉ có {_ghz(have)}, thiếu {_ghz(missing)}.",
                            f"{s.name} has only {_ghz(have)}, missing {_ghz(missing)}."),
                   remedy=T(f"{s.name} không có băng {_ghz(missing)}: thay bằng AP hai băng tần 2,4 + 5 GHz.",
                            f"{s.name} lacks {_ghz(missing)}: replace it with a dual-band 2.4 + 5 GHz AP."))


def _rates(s: WifiSubject) -> dict[str, float]:
    """Best maximum PHY rate per band, from beacons and radios."""
    rates: dict[str, float] = {}
    for ap in s.air:
        for band, rate in ap.max_rate_mbps_by_band.items():
            rates[band] = max(rates.get(band, 0.0), rate)
    for r in (*s.radios, *(b for ap in s.air for b in ap.bssids)):
        if r.band_ghz and r.max_rate_mbps:
            rates[r.band_ghz] = max(rates.get(r.band_ghz, 0.0), r.max_rate_mbps)
    if (row := catalog_ap(s.device)) is not None:  # fill bands no radio reported a rate for
        for band, rate in row.rates.items():
            rates.setdefault(band, rate)
    return rates


def _wifi_rate(rule: Rule, s: WifiSubject, inputs: Inputs) -> Finding:
    rates = _rates(s)
    total = sum(rates.values())
    per_band = ", ".join(f"{b} GHz {mbps(v)}" for b, v in sorted(rates.items(), key=lambda kv: float(kv[0])))
    basis: tuple[Basis, ...] = (Basis(source="rule", key="per_band", value=per_band or "-"),
                                Basis(source="rule", key="aggregate", value=mbps(total) if rates else "-",
                                      note=f"reading used: {rule.reading}"))
    if (row := catalog_ap(s.device)) is not None:
        basis += (row.basis,)
    if rule.reading == "aggregate":
        need = rule.number
        thr = f"≥ {mbps(need)} (aggregate)"
        if not rates:
            why, fix = _wifi_missing(s, T("tốc độ tối đa", "maximum rate"))
            return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, basis, why, fix)
        shown = f"{mbps(total)} ({per_band})"
        # classes are quoted in whole Mbit/s (AC1300 = 400 + 867): 400 + 866.7 computed must still meet 1267
        if round(total) >= need:
            return Finding(rule.id, s.subject, Status.PASS, shown, thr, basis,
                           reason=T(f"{s.name}: tổng {mbps(total)} ≥ {mbps(need)}.",
                                    f"{s.name}: aggregate {mbps(total)} ≥ {mbps(need)}."))
        return Finding(rule.id, s.subject, Status.FAIL, shown, thr, basis,
                       reason=T(f"{s.name}: tổng {mbps(total)} < {mbps(need)}.",
                                f"{s.name}: aggregate {mbps(total)} < {mbps(need)}."),
                       remedy=T(f"Thay {s.name} bằng AP loại AC1300 trở lên (tổng ≥ {mbps(need)}).",
                                f"Replace {s.name} with an AC1300-class AP or better (aggregate ≥ {mbps(need)})."))
    thr = ", ".join(f"{b} GHz ≥ {mbps(v)}" for b, v in sorted(rule.per_band.items(), key=lambda kv: float(kv[0])))
    if not rates:
        why, fix = _wifi_missing(s, T("tốc độ tối đa", "maximum rate"))
        return Finding(rule.id, s.subject, Status.UNKNOWN, None, thr, basis, why, fix)
    short = [b for b, v in rule.per_band.items() if rates.get(b, 0.0) < v]
    if not short:
        return Finding(rule.id, s.subject, Status.PASS, per_band, thr, basis,
                       reason=T(f"{s.name} đạt mọi băng.", f"{s.name} meets every band."))
    unknown = [b for b in short if b not in rates and not s.radios]
    if unknown:
        return Finding(rule.id, s.subject, Status.UNKNOWN, per_band, thr, basis,
                       reason=T(f"Chưa biết tốc độ băng {_ghz(unknown)} của {s.name}.",
                                f"The {_ghz(unknown)} rate of {s.name} is unknown."),
                       remedy=T("Bật SNMP trên AP hoặc quét sóng gần AP.", "Enable SNMP on the AP or scan near it."))
    return Finding(rule.id, s.subject, Status.FAIL, per_band, thr, basis,
                   reason=T(f"{s.name} không đạt ở băng {_ghz(short)} (đọc theo từng băng).",
                            f"{s.name} falls short on {_ghz(short)} (per-band reading)."),
                   remedy=T(f"Thay {s.name} bằng AP có tốc độ tối đa đạt {thr}.",
                            f"Replace {s.name} with an AP whose maximum rates reach {thr}."))


# --------------------------------------------------------------------------- Internet


def goodput_required(rule: Rule) -> tuple[float, float]:
    """(goodput ceiling, pass line) for the rule's nominal line rate: 941.5 and 913.3 for 1 Gbit/s at MTU 1500."""
    ceiling = rule.number * (rule.mtu - 52) / (rule.mtu + 38)
    return ceiling, rule.tolerance * ceiling


def _usable(results: Iterable[BandwidthResult], direction: str) -> list[BandwidthResult]:
    return [r for r in results if r.direction == direction and r.mbps is not None and r.error is None]


def _mbasis(r: BandwidthResult) -> Basis:
    extra = f"limited by: {r.limited_by}" if r.limited_by else f"confidence {r.confidence}"
    return Basis(source="measurement", key=f"{r.engine} {r.direction} {r.server}",
                 value=mbps(r.mbps) if r.mbps is not None else (r.error or "no result"),
                 note=f"{r.streams} streams, {r.duration_s:.0f} s, {extra}")


def internet_median(inputs: Inputs, direction: str) -> tuple[float | None, list[BandwidthResult], bool]:
    """(median goodput, results used, whether all of them are limited) for one direction."""
    usable = _usable(inputs.measurements, direction)
    clean = [r for r in usable if not r.limited_by]
    used = clean or usable
    if not used:
        return None, [], False
    return statistics.median(r.mbps for r in used if r.mbps is not None), used, not clean


def _internet(rule: Rule, inputs: Inputs) -> Finding:
    ceiling, need = goodput_required(rule)
    thr = f"≥ {mbps(round(need))} goodput (= {rule.tolerance:g} × {mbps(round(ceiling))}, {mbps(rule.number)} line)"
    decl = declared(inputs, rule.declared_key) if rule.declared_key else None
    parts: list[Finding] = []
    for direction in rule.directions:
        median, used, limited = internet_median(inputs, direction)
        basis = tuple(_mbasis(r) for r in inputs.measurements if r.direction == direction)
        if decl:
            basis += (_declared_basis(decl),)
        if median is None or limited:
            parts.append(_internet_unknown(rule, inputs, direction, median, used, basis))
        elif median >= need:
            parts.append(Finding(rule.id, SCHOOL, Status.PASS, f"{mbps(median)} ({direction}, median)", thr, basis,
                                 reason=T(f"Goodput {direction} trung vị {mbps(median)} ≥ {mbps(round(need))}.",
                                          f"Median {direction} goodput {mbps(median)} ≥ {mbps(round(need))}.")))
        else:
            note_vi = f" Hợp đồng khai báo: {decl.value} Mbit/s." if decl else ""
            note_en = f" Declared contract: {decl.value} Mbit/s." if decl else ""
            parts.append(Finding(
                rule.id, SCHOOL, Status.FAIL, f"{mbps(median)} ({direction}, median)", thr, basis,
                reason=T(f"Goodput {direction} trung vị {mbps(median)} < {mbps(round(need))}.{note_vi}",
                         f"Median {direction} goodput {mbps(median)} < {mbps(round(need))}.{note_en}"),
                remedy=T(f"Nâng gói Internet lên ≥ {mbps(rule.number)} và kiểm tra cổng WAN của router; đo lại "
                         "ngoài giờ cao điểm.",
                         f"Upgrade the Internet plan to ≥ {mbps(rule.number)} and check the router's WAN port; "
                         "measure again outside busy hours.")))
    order = (Status.FAIL, Status.UNKNOWN, Status.PASS)
    worst = min(parts, key=lambda f: order.index(f.status))
    if worst.status == Status.UNKNOWN and decl is not None:
        return _declared_internet(rule, decl, worst, thr)
    return worst


def _internet_unknown(rule: Rule, inputs: Inputs, direction: str, median: float | None,
                      used: list[BandwidthResult], basis: tuple[Basis, ...]) -> Finding:
    thr_line = mbps(rule.number)
    if median is None:
        errors = [r.error for r in inputs.measurements if r.direction == direction and r.error]
        skipped = inputs.skipped.get("bandwidth")
        why_en = ("the speed test was skipped (" + skipped + ")") if skipped else (
            "the speed test failed: " + "; ".join(errors[:2]) if errors else "no speed test result")
        why_vi = ("đã bỏ qua đo tốc độ (" + skipped + ")") if skipped else (
            "đo tốc độ thất bại: " + "; ".join(errors[:2]) if errors else "không có kết quả đo tốc độ")
        return Finding(rule.id, SCHOOL, Status.UNKNOWN, None, f"≥ {thr_line}", basis,
                       reason=T(f"Chưa đo được Internet ({direction}): {why_vi}.",
                                f"Internet ({direction}) not measured: {why_en}."),
                       remedy=T("Chạy `schoolnet speed` (hoặc `schoolnet audit` không có --skip-bandwidth) từ máy "
                                "nối dây; cấu hình máy chủ đo trong [[bandwidth.servers]].",
                                "Run `schoolnet speed` (or `schoolnet audit` without --skip-bandwidth) from a wired "
                                "machine; configure test servers under [[bandwidth.servers]]."))
    limits = "; ".join(dict.fromkeys(r.limited_by or "" for r in used))
    return Finding(rule.id, SCHOOL, Status.UNKNOWN, f"{mbps(median)} ({direction}, median, limited)", f"≥ {thr_line}",
                   basis,
                   reason=T(f"Phép đo bị giới hạn ({limits}) nên không chứng minh được {thr_line}.",
                            f"The measurement was limited ({limits}), so it cannot show {thr_line}."),
                   remedy=T(f"Chạy đo tốc độ từ một cổng có dây ≥ {thr_line} (ví dụ cổng 1 Gbit/s nối thẳng switch "
                            "lõi/router), không qua Wi-Fi.",
                            f"Run the speed test from a wired port of at least {thr_line} (e.g. a 1 Gbit/s port on "
                            "the core switch/router), not over Wi-Fi."))


def _declared_internet(rule: Rule, decl: Declaration, unknown: Finding, thr: str) -> Finding:
    try:
        value = float(decl.value)
    except ValueError:
        return unknown
    status = Status.PASS if value >= rule.number else Status.FAIL
    remedy = unknown.remedy
    if status == Status.FAIL:
        remedy = T(f"Hợp đồng khai báo {mbps(value)} < {mbps(rule.number)}: nâng gói cước Internet.",
                   f"The declared contract {mbps(value)} < {mbps(rule.number)}: upgrade the Internet plan.")
    reason = unknown.reason or T("", "")
    return Finding(rule.id, SCHOOL, status, f"{mbps(value)} (declared)", f"≥ {mbps(rule.number)} (contract)",
                   unknown.basis, declared=True, remedy=remedy,
                   reason=T(f"Theo khai báo (không phải đo): hợp đồng ISP {mbps(value)}. {reason.vi}",
                            f"As declared (not measured): ISP contract {mbps(value)}. {reason.en}"))


# --------------------------------------------------------------------------- security, declarations, school


def _as_declared(decl: Declaration) -> Text:
    return T(f"Theo khai báo (không phải đo): {decl.value}.", f"As declared (not measured): {decl.value}.")


def _security(rule: Rule, inputs: Inputs) -> Finding:
    firewalls = [d for d in inputs.devices if d.role == Role.FIREWALL]
    if firewalls:
        d = firewalls[0]
        basis = (Basis(source="rule", key="role", value="firewall", note=label(d)), *d.basis[:4])
        return Finding(rule.id, SCHOOL, Status.PASS, f"firewall {label(d)}", "firewall/UTM", basis,
                       reason=T(f"Nhận diện tường lửa trên mạng: {label(d)}.",
                                f"Firewall found on the network: {label(d)}."))
    decl = declared(inputs, rule.declared_key or "security_solution")
    if decl:
        return Finding(rule.id, SCHOOL, Status.PASS, f"{decl.value} (declared)", "firewall/UTM",
                       (_declared_basis(decl),), declared=True,
                       reason=_as_declared(decl),
                       remedy=None if decl.attachments else T(
                           "Đính kèm minh chứng (hoá đơn, ảnh thiết bị): `schoolnet evidence add security_solution "
                           f"\"{decl.value}\" --attach TỆP`.",
                           "Attach evidence (invoice, photo of the device): `schoolnet evidence add security_solution "
                           f"\"{decl.value}\" --attach FILE`."))
    return Finding(rule.id, SCHOOL, Status.UNKNOWN, None, "firewall/UTM", (),
                   reason=T("Không nhận diện được tường lửa/UTM trên mạng và nhà trường chưa khai báo.",
                            "No firewall/UTM was recognised on the network and none was declared."),
                   remedy=T("Khai báo giải pháp: `schoolnet evidence add security_solution \"FortiGate 60F\" "
                            "--attach hoa-don.pdf` (hoặc [evidence] security_solution trong cấu hình).",
                            "Declare it: `schoolnet evidence add security_solution \"FortiGate 60F\" --attach "
                            "invoice.pdf` (or [evidence] security_solution in the config)."))


def _declared_rule(rule: Rule, inputs: Inputs) -> Finding:
    key = rule.declared_key
    decl = declared(inputs, key)
    if decl is None:
        return Finding(rule.id, SCHOOL, Status.UNKNOWN, None, "declared", (),
                       reason=T(f"Chưa có khai báo '{key}' (không đo tự động được).",
                                f"Nothing declared for '{key}' (cannot be measured automatically)."),
                       remedy=T(f"Khai báo: `schoolnet evidence add {key} \"mô tả\" --attach ảnh.jpg`.",
                                f"Declare it: `schoolnet evidence add {key} \"description\" --attach photo.jpg`."))
    ok = decl.value.strip().lower() not in FALSY
    return Finding(rule.id, SCHOOL, Status.PASS if ok else Status.FAIL, f"{decl.value} (declared)", "declared",
                   (_declared_basis(decl),), declared=True,
                   reason=_as_declared(decl),
                   remedy=None if ok else T(f"Bổ sung và khai báo lại '{key}'.",
                                            f"Provide it and declare '{key}' again."))


def _students(inputs: Inputs) -> int | None:
    if inputs.school and inputs.school.students:
        return inputs.school.students
    total = sum(r.students or 0 for r in inputs.rooms)
    return total or None


def _per_student(rule: Rule, inputs: Inputs) -> Finding:
    students = _students(inputs)
    thr = f"≥ {rule.number:g} Mbit/s per student"
    if not students:
        return Finding(rule.id, SCHOOL, Status.UNKNOWN, None, thr, (),
                       reason=T("Chưa biết số học sinh.", "The number of students is unknown."),
                       remedy=T("Điền [school] students trong cấu hình.", "Set [school] students in the config."))
    direction = rule.directions[0]
    median, used, limited = internet_median(inputs, direction)
    basis = (Basis(source="config", key="school.students", value=str(students)), *(_mbasis(r) for r in used))
    if median is None:
        decl = declared(inputs, "isp_contract_mbps")
        try:
            value = float(decl.value) if decl else None
        except ValueError:
            value = None
        if value is None or decl is None:
            return Finding(rule.id, SCHOOL, Status.UNKNOWN, None, thr, basis,
                           reason=T("Chưa đo được Internet.", "The Internet was not measured."),
                           remedy=T("Chạy `schoolnet speed`.", "Run `schoolnet speed`."))
        per = value / students
        return Finding(rule.id, SCHOOL, Status.PASS if per >= rule.number else Status.FAIL,
                       f"{per:.2f} Mbit/s per student (declared {mbps(value)} / {students})", thr,
                       (*basis, _declared_basis(decl)), declared=True,
                       reason=T(f"Theo hợp đồng khai báo: {per:.2f} Mbit/s mỗi học sinh.",
                                f"From the declared contract: {per:.2f} Mbit/s per student."))
    per = median / students
    status = Status.PASS if per >= rule.number else Status.FAIL
    note = T(" (phép đo bị giới hạn: giá trị thực có thể cao hơn)",
             " (measurement limited: the true value may be higher)")
    return Finding(rule.id, SCHOOL, status, f"{per:.2f} Mbit/s per student ({mbps(median)} / {students})", thr, basis,
                   reason=T(f"{mbps(median)} cho {students} học sinh = {per:.2f} Mbit/s mỗi học sinh"
                            f"{note.vi if limited else ''}.",
                            f"{mbps(median)} for {students} students = {per:.2f} Mbit/s per student"
                            f"{note.en if limited else ''}."),
                   remedy=None if status == Status.PASS else T(
                       f"Cần khoảng {mbps(rule.number * students)} để đạt {rule.number:g} Mbit/s mỗi học sinh.",
                       f"About {mbps(rule.number * students)} is needed for {rule.number:g} Mbit/s per student."))


# --------------------------------------------------------------------------- rooms


def room_devices(room: Room, devices: Sequence[Device]) -> tuple[list[Device], list[str]]:
    """(devices located in the room, listed entries that matched no device)."""
    wanted = [w.strip().casefold() for w in room.devices if w.strip()]
    name = room.name.strip().casefold()
    found: list[Device] = []
    for d in devices:
        loc = (d.sys_location or "").strip().casefold()
        if d.ip.casefold() in wanted or (loc and loc in wanted) or (name and loc and re.search(
                r"(^|[^\w])" + re.escape(name) + r"($|[^\w])", loc)):
            found.append(d)
    missing = [w for w in wanted if not any(w in (d.ip.casefold(), (d.sys_location or "").casefold()) for d in found)]
    return found, missing


def _room_coverage(rule: Rule, room: Room, inputs: Inputs) -> Finding:
    found, missing = room_devices(room, inputs.devices)
    net = [d for d in found if d.role in (Role.ACCESS_POINT, Role.SWITCH, Role.ROUTER)]
    basis = tuple(Basis(source="snmp", key="sysLocation" if d.sys_location else "ip", value=d.sys_location or d.ip,
                        note=label(d)) for d in found)
    subject = f"room:{room.name}"
    if net:
        names = ", ".join(label(d) for d in net)
        return Finding(rule.id, subject, Status.PASS, names, "AP/switch", basis,
                       reason=T(f"{room.name}: có {names}.", f"{room.name}: has {names}."))
    if missing:
        return Finding(rule.id, subject, Status.UNKNOWN, None, "AP/switch", basis,
                       reason=T(f"{room.name}: thiết bị {', '.join(missing)} không tìm thấy trên mạng.",
                                f"{room.name}: listed device(s) {', '.join(missing)} not found on the network."),
                       remedy=T("Kiểm tra thiết bị đã bật và trả lời SNMP.",
                                "Check the device is on and answers SNMP."))
    return Finding(rule.id, subject, Status.FAIL, None, "AP/switch", basis,
                   reason=T(f"{room.name}: không có AP hay switch nào được xác định trong phòng.",
                            f"{room.name}: no AP or switch is located in this room."),
                   remedy=T(f"Lắp AP/cổng mạng cho {room.name}, hoặc đặt sysLocation của thiết bị là '{room.name}' / "
                            "liệt kê địa chỉ trong [[rooms]] devices.",
                            f"Provide an AP/network port for {room.name}, or set the device's sysLocation to "
                            f"'{room.name}' / list its address under [[rooms]] devices."))


def _classroom(rule: Rule, room: Room, inputs: Inputs) -> Finding:
    subject = f"room:{room.name}"
    coverage = _room_coverage(rule, room, inputs)
    internet = room.internet if room.internet is not None else (True if coverage.status == Status.PASS else None)
    basis = (Basis(source="declared", key="projector", value=str(room.projector)),
             Basis(source="declared" if room.internet is not None else "snmp", key="internet", value=str(internet)),
             *coverage.basis)
    shown = f"projector={room.projector}, internet={internet}"
    if room.projector and internet:
        return Finding(rule.id, subject, Status.PASS, shown, "projector + Internet", basis, declared=True,
                       reason=T(f"{room.name}: có thiết bị trình chiếu và Internet.",
                                f"{room.name}: has projection equipment and Internet."))
    if room.projector is False or internet is False:
        lack = T("thiết bị trình chiếu" if room.projector is False else "Internet",
                 "projection equipment" if room.projector is False else "Internet")
        return Finding(rule.id, subject, Status.FAIL, shown, "projector + Internet", basis, declared=True,
                       reason=T(f"{room.name}: thiếu {lack.vi}.", f"{room.name}: lacks {lack.en}."),
                       remedy=T(f"Trang bị {lack.vi} cho {room.name}.", f"Equip {room.name} with {lack.en}."))
    return Finding(rule.id, subject, Status.UNKNOWN, shown, "projector + Internet", basis, declared=True,
                   reason=T(f"{room.name}: chưa khai báo đủ (máy chiếu/Internet).",
                            f"{room.name}: not fully declared (projector/Internet)."),
                   remedy=T(f"Điền projector = true/false và internet = true/false cho '{room.name}' trong [[rooms]].",
                            f"Set projector = true/false and internet = true/false for '{room.name}' under [[rooms]]."))


def _classroom_summary(rule: Rule, rooms: list[Finding]) -> Finding:
    n = len(rooms)
    if not n:
        return aggregate(rule, rooms, _WHAT["room"])
    ok = sum(1 for f in rooms if f.status == Status.PASS)
    unknown = sum(1 for f in rooms if f.status == Status.UNKNOWN)
    need = rule.number
    basis = tuple(Basis(source="rule", key=f.subject, value=f.status.value) for f in rooms)
    shown = f"{ok}/{n} = {ok / n:.0%}"
    thr = f"≥ {need:.0%}"
    if ok / n >= need:
        return Finding(rule.id, SCHOOL, Status.PASS, shown, thr, basis, declared=True,
                       reason=T(f"{ok}/{n} phòng học đáp ứng.", f"{ok}/{n} classrooms qualify."))
    if (ok + unknown) / n >= need:
        return Finding(rule.id, SCHOOL, Status.UNKNOWN, shown, thr, basis, declared=True,
                       reason=T(f"{unknown} phòng chưa khai báo đủ.", f"{unknown} room(s) not fully declared."),
                       remedy=next((f.remedy for f in rooms if f.status == Status.UNKNOWN), None))
    return Finding(rule.id, SCHOOL, Status.FAIL, shown, thr, basis, declared=True,
                   reason=T(f"Chỉ {ok}/{n} phòng học đáp ứng.", f"Only {ok}/{n} classrooms qualify."),
                   remedy=next((f.remedy for f in rooms if f.status == Status.FAIL), None))


# --------------------------------------------------------------------------- entry point


def assess_rule(rule: Rule, inputs: Inputs) -> list[Finding]:
    """The findings of one rule: per subject, then the school-level verdict (subject ``"school"``)."""
    if rule.metric == "capacity_mbps":
        roles = _ROLE_SUBJECTS[rule.applies_to]
        subs = [_capacity(rule, d) for d in inputs.devices if d.role in roles]
        return [*subs, aggregate(rule, subs, _WHAT[rule.applies_to])]
    wifi: dict[str, Callable[[Rule, WifiSubject, Inputs], Finding]] = {
        "wifi_generation": _wifi_generation, "wifi_bands": _wifi_bands, "wifi_max_rate_mbps": _wifi_rate,
    }
    if rule.metric in wifi:
        subs = []
        for s in wifi_subjects(inputs):
            f = wifi[rule.metric](rule, s, inputs)
            if not s.counted:
                f = Finding(f.criterion_id, f.subject, Status.NOT_APPLICABLE, f.measured, f.threshold, f.basis,
                            reason=s.note, remedy=None)
            subs.append(f)
        return [*subs, aggregate(rule, subs, _WHAT["access_point"])]
    if rule.metric == "room_coverage":
        subs = [_room_coverage(rule, r, inputs) for r in inputs.rooms]
        return [*subs, aggregate(rule, subs, _WHAT["room"])]
    if rule.metric == "classroom_ratio":
        subs = [_classroom(rule, r, inputs) for r in inputs.rooms]
        return [*subs, _classroom_summary(rule, subs)]
    school: dict[str, Callable[[Rule, Inputs], Finding]] = {
        "internet_goodput_mbps": _internet, "security_solution": _security,
        "mbps_per_student": _per_student, "declared": _declared_rule,
    }
    return [school[rule.metric](rule, inputs)]


def assess(inputs: Inputs, profile: Profile) -> list[Finding]:
    """Judge ``inputs`` against every rule of ``profile``."""
    findings: list[Finding] = []
    for rule in profile.rules:
        findings.extend(assess_rule(rule, inputs))
    return findings


def school_findings(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.subject == SCHOOL]


def failed(findings: Iterable[Finding], profile: Profile) -> list[str]:
    """Ids of the non-informational criteria whose school-level verdict is ``fail``."""
    informational = {r.id for r in profile.rules if r.informational}
    return [f.criterion_id for f in school_findings(findings)
            if f.status == Status.FAIL and f.criterion_id not in informational]
