"""MAC-address nearness: how an access point heard over the air is tied to a device seen on the wire.

Vendors derive BSSIDs from the base MAC (+1, +2, ... and locally-administered variants), so a BSSID within a
small span of a wired MAC very likely belongs to that box. The nearest MAC wins, never the first one found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SPAN = 64


def mac_int(mac: str | None) -> int | None:
    """A MAC as an integer without the locally-administered bit (None for partial or anonymised MACs)."""
    if not mac:
        return None
    digits = re.sub(r"[^0-9a-fA-F]", "", mac)
    if len(digits) != 12 or re.search(r"[^0-9a-fA-F:.\-\s]", mac):
        return None
    return int(digits, 16) & ~(0x02 << 40)


def distance(a: Iterable[str | None], b: Iterable[str | None]) -> int | None:
    """The smallest distance between any MAC of ``a`` and any of ``b`` (None when either side has none)."""
    xs = [m for m in (mac_int(x) for x in a) if m is not None]
    ys = [m for m in (mac_int(y) for y in b) if m is not None]
    if not xs or not ys:
        return None
    return min(abs(x - y) for x in xs for y in ys)


def near(a: Iterable[str | None], b: Iterable[str | None], span: int = SPAN) -> bool:
    d = distance(a, b)
    return d is not None and d <= span


def nearest(macs: Iterable[str | None], candidates: dict[str, list[str | None]], span: int = SPAN) -> str | None:
    """The key of the candidate whose MACs are nearest to ``macs`` (within ``span``), or None."""
    mine = list(macs)
    best: tuple[int, str] | None = None
    for key, theirs in candidates.items():
        d = distance(mine, theirs)
        if d is not None and d <= span and (best is None or d < best[0]):
            best = (d, key)
    return best[1] if best else None
