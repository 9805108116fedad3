"""Group the BSSIDs that one physical access point sends (its radios and virtual SSIDs).

Evidence used, strongest first: the same AP name in a vendor element (Cisco element 133); MAC addresses close
together (same OUI, or a locally administered variant of it, within ``window`` of each other). A merge is refused
when it would put two different channels of the same band into one AP, or the same SSID twice on one channel:
one radio cannot do that, and neighbouring APs bought in one batch often have close MACs. Tri-band APs with two
5 GHz radios therefore show as two APs; the basis says why each group was formed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.macaddr import distance as mac_distance
from probes.wifi.bss import BssObservation, band_of


@dataclass
class Group:
    members: list[BssObservation]
    reasons: list[str] = field(default_factory=list)

    def channels(self) -> dict[str, set[int]]:
        out: dict[str, set[int]] = {}
        for m in self.members:
            band = band_of(m.freq_mhz)
            if band and m.freq_mhz:
                out.setdefault(band, set()).add(m.freq_mhz)
        return out

    def ssid_slots(self) -> set[tuple[str, int]]:
        return {(m.elements.ssid or "", m.freq_mhz or 0) for m in self.members if m.elements.ssid}


def _compatible(a: Group, b: Group) -> bool:
    ca, cb = a.channels(), b.channels()
    for band in set(ca) & set(cb):
        if ca[band] != cb[band]:
            return False
    return not (a.ssid_slots() & b.ssid_slots())


def group_bss(observations: list[BssObservation], window: int = 16) -> list[Group]:
    """Union BSSIDs into physical APs (see module doc); groups come out ordered by their lowest BSSID."""
    groups = [Group([obs]) for obs in sorted(observations, key=lambda o: o.bssid)]
    owner = list(range(len(groups)))

    def find(i: int) -> int:
        while owner[i] != i:
            owner[i] = owner[owner[i]]
            i = owner[i]
        return i

    def merge(i: int, j: int, reason: str) -> None:
        ri, rj = find(i), find(j)
        if ri == rj or not _compatible(groups[ri], groups[rj]):
            return
        groups[ri].members += groups[rj].members
        groups[ri].reasons.append(reason)
        owner[rj] = ri

    names: dict[str, int] = {}
    for i, g in enumerate(groups):
        name = g.members[0].elements.ap_name
        if name:
            if name in names:
                merge(names[name], i, f"same AP name {name!r} in vendor element 133")
            else:
                names[name] = i
    pairs: list[tuple[int, int, int]] = []
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            d = mac_distance(groups[i].members[0].bssid, groups[j].members[0].bssid)
            if d is not None and d <= window:
                pairs.append((d, i, j))
    for d, i, j in sorted(pairs):
        a, b = groups[i].members[0].bssid, groups[j].members[0].bssid
        merge(i, j, f"{a} and {b} are {d} apart (same OUI)")
    return [groups[i] for i in range(len(groups)) if find(i) == i]
