"""MAC address -> vendor, from the IEEE registry as Debian's ``ieee-data`` package ships it.

Why ieee-data: it is the IEEE's own MA-L/MA-M/MA-S/IAB registry, kept current by the Debian
package (and ``update-ieee-data``), and it is already on every Debian/Ubuntu machine with network
tools; no hand-written table and no extra PyPI dependency. Longest assignment wins (MA-S 36 bits,
MA-M 28 bits, MA-L 24 bits). Locally administered (randomised) MACs have no vendor.
"""

from __future__ import annotations

import csv
import os
from functools import lru_cache
from pathlib import Path

IEEE_DATA = Path(os.environ.get("SCHOOLNET_IEEE_DATA", "/usr/share/ieee-data"))
_FILES = ("oui36.csv", "iab.csv", "mam.csv", "oui.csv")


def normalise(mac: str | bytes) -> str | None:
    """'AA-BB-CC-DD-EE-FF', 'aabb.ccdd.eeff', 6 raw bytes ... -> 'aa:bb:cc:dd:ee:ff' (None if not a MAC)."""
    if isinstance(mac, bytes):
        if len(mac) != 6:
            return None
        return ":".join(f"{b:02x}" for b in mac)
    digits = "".join(ch for ch in mac if ch.isalnum()).lower()
    if len(digits) != 12 or any(ch not in "0123456789abcdef" for ch in digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


@lru_cache(maxsize=1)
def _registry() -> dict[str, str]:
    table: dict[str, str] = {}
    for name in _FILES:
        path = IEEE_DATA / name
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as fh:
                for row in csv.reader(fh):
                    if len(row) >= 3 and row[0].startswith(("MA-", "IAB")) and row[1]:
                        table.setdefault(row[1].strip().lower(), row[2].strip())
        except OSError:
            continue
    return table


def available() -> bool:
    """True when the IEEE registry files are installed."""
    return bool(_registry())


def vendor(mac: str | bytes | None) -> str | None:
    """The registered organisation for ``mac`` (None when unknown, private or locally administered)."""
    if mac is None:
        return None
    norm = normalise(mac)
    if norm is None:
        return None
    digits = norm.replace(":", "")
    if int(digits[:2], 16) & 0x02:
        return None  # locally administered: randomised or virtual, no registered vendor
    table = _registry()
    for length in (9, 7, 6):
        org = table.get(digits[:length])
        if org and org.lower() != "private":
            return org
    return None
