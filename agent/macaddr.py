"""MAC-address nearness: the one rule for "these two MACs belong to one box" (shared by probes and the core).

Vendors derive BSSIDs from the base MAC (+1, +2, ... and locally-administered variants of it), so two MACs with
the same OUI (or, when either is locally administered, the same second and third octets) that differ by a small
amount in their last three octets very likely belong to one device. The nearest MAC wins, never the first found.
Anonymised or partial MACs (``xx:xx:xx:xx:3e:41``) are near nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

SPAN = 64  # how far apart a device's wired MAC and its BSSIDs may be


def mac_bytes(mac: str | None) -> bytes | None:
    """Six bytes of ``aa:bb:cc:dd:ee:ff`` / ``aa-bb-...`` (None for anything else)."""
    if not mac:
        return None
    try:
        raw = bytes(int(part, 16) for part in mac.strip().replace("-", ":").split(":"))
    except ValueError:
        return None
    return raw if len(raw) == 6 else None


def distance(a: str | None, b: str | None) -> int | None:
    """How far apart two MACs are in their last three octets (None when they cannot be one device's)."""
    x, y = mac_bytes(a), mac_bytes(b)
    if x is None or y is None:
        return None
    if bool(x[0] & 0x02) or bool(y[0] & 0x02):
        if x[1:3] != y[1:3]:
            return None
    elif x[:3] != y[:3]:
        return None
    return abs(int.from_bytes(x[3:], "big") - int.from_bytes(y[3:], "big"))


def nearest_distance(a: Iterable[str | None], b: Iterable[str | None]) -> int | None:
    """The smallest distance between any MAC of ``a`` and any of ``b``."""
    ys = list(b)
    found = [d for x in a for y in ys if (d := distance(x, y)) is not None]
    return min(found) if found else None


def near(a: Iterable[str | None], b: Iterable[str | None], span: int = SPAN) -> bool:
    d = nearest_distance(a, b)
    return d is not None and d <= span


def nearest(macs: Iterable[str | None], candidates: dict[str, list[str | None]], span: int = SPAN) -> str | None:
    """The key of the candidate whose MACs are nearest to ``macs`` (within ``span``), or None."""
    mine = list(macs)
    best: tuple[int, str] | None = None
    for key, theirs in candidates.items():
        d = nearest_distance(mine, theirs)
        if d is not None and d <= span and (best is None or d < best[0]):
            best = (d, key)
    return best[1] if best else None
