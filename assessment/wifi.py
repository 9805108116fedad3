"""Access points as the Wi-Fi rules see them: SNMP devices joined with what the air said, and their facts.

Only the school's own access points are judged: one found over SNMP (or listed by its controller), or one heard
over the air that is tied to the school by evidence (a BSSID near a MAC seen on the wired side, an SSID the
config lists in ``[wifi] ssids``, or an SSID a managed AP broadcasts). Other networks heard over the air are
listed as nearby networks, not judged.

Facts come with provenance, strongest first: beacons (measured), vendor-MIB radios (measured), the catalog row
of the model (catalog, verified or not), a vendor family rule (inferred).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from agent import macaddr as macs
from agent.model import AirAccessPoint, Basis, Device, Provenance, Radio, Role, Text
from assessment import provenance as prov
from assessment.catalog import ApFacts, Catalog
from assessment.inputs import Inputs
from assessment.profile import GENERATIONS
from assessment.text import T, label

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
    return max(found, key=gen_rank) if found else None


def gen_rank(gen: str) -> int:
    return GENERATIONS.index(gen)


@dataclass(frozen=True)
class Facts:
    """What one source says about an AP's Wi-Fi."""

    source: Text  # "beacons", "SNMP radios", "catalog row x", ...
    provenance: Provenance
    verified: bool | None = None
    generation: str | None = None
    wave2: bool | None = None
    bands: frozenset[str] = frozenset()
    rates: dict[str, float] = field(default_factory=dict)
    basis: tuple[Basis, ...] = ()


@dataclass(frozen=True)
class WifiSubject:
    """One access point as far as we know it: an SNMP device, what the air said about it, or both."""

    subject: str
    name: str
    device: Device | None = None
    air: tuple[AirAccessPoint, ...] = ()
    judged: bool = True
    note: Text | None = None
    facts: tuple[Facts, ...] = ()  # strongest first

    @property
    def radios(self) -> tuple[Radio, ...]:
        return self.device.radios if self.device else ()


def _best_gen(entries: list[tuple[str | None, bool | None]]) -> tuple[str | None, bool | None]:
    best: tuple[str | None, bool | None] = (None, None)
    for std, wave2 in entries:
        gen = generation(std)
        if gen is None:
            continue
        if best[0] is None or gen_rank(gen) > gen_rank(best[0]) or (gen == best[0] and wave2 and not best[1]):
            best = (gen, wave2)
    gen, wave2 = best
    if gen == "802.11ac" and wave2 is None:
        known = [w for s, w in entries if w is not None and generation(s) == "802.11ac"]
        wave2 = any(known) if known else None
    return gen, wave2


def _air_facts(air: tuple[AirAccessPoint, ...]) -> Facts | None:
    if not air:
        return None
    gen, wave2 = _best_gen([(ap.standard, ap.wave2) for ap in air]
                           + [(r.standard, r.wave2) for ap in air for r in ap.bssids])
    bands = {b for ap in air for b in ap.bands_ghz} | {r.band_ghz for ap in air for r in ap.bssids if r.band_ghz}
    rates: dict[str, float] = {}
    for ap in air:
        for band, rate in ap.max_rate_mbps_by_band.items():
            rates[band] = max(rates.get(band, 0.0), rate)
        for r in ap.bssids:
            if r.band_ghz and r.max_rate_mbps:
                rates[r.band_ghz] = max(rates.get(r.band_ghz, 0.0), r.max_rate_mbps)
    basis = tuple(b for ap in air for b in ap.basis)[:8]
    return Facts(T("beacon", "beacons"), "measured", None, gen, wave2, frozenset(bands), rates, basis)


def _radio_facts(radios: tuple[Radio, ...]) -> Facts | None:
    measured = [r for r in radios if prov.of_radio(r) == "measured"]
    if not measured:
        return None
    gen, wave2 = _best_gen([(r.standard, r.wave2) for r in measured])
    rates: dict[str, float] = {}
    for r in measured:
        if r.band_ghz and r.max_rate_mbps:
            rates[r.band_ghz] = max(rates.get(r.band_ghz, 0.0), r.max_rate_mbps)
    bands = frozenset(r.band_ghz for r in measured if r.band_ghz)
    basis = tuple(b for r in measured for b in r.basis)[:8]
    return Facts(T("radio qua SNMP", "SNMP radios"), "measured", None, gen, wave2, bands, rates, basis)


def _catalog_facts(row: ApFacts) -> Facts:
    what = T(f"danh mục {row.id}", f"catalog row {row.id}") if row.provenance == "catalog" else \
        T(f"quy tắc dòng sản phẩm {row.id}", f"family rule {row.id}")
    gen = generation(row.standard)
    return Facts(what, row.provenance, row.verified, gen, row.wave2 if gen == "802.11ac" else None,
                 frozenset(row.bands), dict(row.rates), (row.basis,))


def _lookup(catalog: Catalog, model: str | None, vendor: str | None) -> ApFacts | None:
    if not model:
        return None
    try:
        return catalog.access_point(model, vendor)
    except (OSError, ValueError):
        return None


def facts_of(device: Device | None, air: tuple[AirAccessPoint, ...], catalog: Catalog) -> tuple[Facts, ...]:
    """Every source's facts about one AP, strongest first."""
    out = [f for f in (_air_facts(air), _radio_facts(device.radios if device else ())) if f is not None]
    row = _lookup(catalog, device.model, device.vendor) if device else None
    if row is None:
        row = next((r for ap in air if (r := _lookup(catalog, ap.model, None)) is not None), None)
    if row is not None:
        out.append(_catalog_facts(row))
    return tuple(out)


def _wired_macs(devices: tuple[Device, ...]) -> list[str | None]:
    found: list[str | None] = []
    for d in devices:
        found.append(d.mac)
        found.extend(i.mac for i in d.interfaces)
        found.extend(n.remote_chassis_id for n in d.lldp_neighbors)
    return found


def wifi_subjects(inputs: Inputs, catalog: Catalog) -> list[WifiSubject]:
    """The APs the Wi-Fi rules judge (SNMP APs with the air records nearest to them) and the nearby networks."""
    aps = [d for d in inputs.devices if d.role == Role.ACCESS_POINT]
    own = {d.ip: [d.mac, *(i.mac for i in d.interfaces), *(r.bssid for r in d.radios)] for d in aps}
    matched: dict[str, list[AirAccessPoint]] = {d.ip: [] for d in aps}
    unmatched: list[AirAccessPoint] = []
    for ap in inputs.air:
        owner = macs.nearest([r.bssid for r in ap.bssids], own)
        if owner is not None:
            matched[owner].append(ap)
        else:
            unmatched.append(ap)
    subjects = [WifiSubject(d.ip, label(d), d, tuple(matched[d.ip]), facts=facts_of(d, tuple(matched[d.ip]), catalog))
                for d in aps]
    school_ssids = set(inputs.school_ssids)
    school_ssids |= {r.ssid for s in subjects for r in s.radios if r.ssid}
    school_ssids |= {r.ssid for s in subjects for ap in s.air for r in ap.bssids if r.ssid}
    wired = _wired_macs(inputs.devices)
    for ap in unmatched:
        ssids = {r.ssid for r in ap.bssids if r.ssid}
        bssids = [r.bssid for r in ap.bssids]
        name = f"{ap.model} ({ap.name})" if ap.model else ap.name
        if ssids & school_ssids:
            why = T(f"SSID {', '.join(sorted(ssids & school_ssids))} là của trường.",
                    f"SSID {', '.join(sorted(ssids & school_ssids))} is the school's.")
            judged = True
        elif macs.near(bssids, wired):
            why = T("BSSID gần địa chỉ MAC của một thiết bị trong mạng dây của trường.",
                    "BSSID is near the MAC of a device on the school's wired network.")
            judged = True
        else:
            why = T("Mạng lân cận: không có bằng chứng là của trường (SSID không có trong [wifi] ssids, BSSID không "
                    "gần MAC nào trong mạng dây); không đánh giá.",
                    "Nearby network: no evidence it is the school's (SSID not in [wifi] ssids, BSSID near no "
                    "wired MAC); not judged.")
            judged = False
        subjects.append(WifiSubject(f"wifi:{ap.name}", name, None, (ap,), judged, why,
                                    facts_of(None, (ap,), catalog)))
    return subjects
