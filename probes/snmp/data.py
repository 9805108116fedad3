"""What SNMP said about one device: a sorted OID -> value map with table helpers.

This is the single currency between the SNMP client (which fills it from the wire) and the
classifiers (role, ports, radios), which read it. Tests fill it from ``.snmprec`` recordings.
Values are Python types: int for integers/counters/gauges/timeticks, str for OIDs and
IP addresses (dotted), bytes or str for OCTET STRINGs (str when the bytes decode as clean text).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field

Oid = tuple[int, ...]
Value = int | str | bytes | None


def oid(text: str) -> Oid:
    """Parse a dotted OID ('1.3.6.1.2.1.1.2.0' or '.1.3.6...') into a tuple."""
    return tuple(int(part) for part in text.strip().strip(".").split(".") if part)


def dotted(value: Oid) -> str:
    return ".".join(str(part) for part in value)


@dataclass
class SnmpData:
    """OID -> value for one device, kept sorted so subtree reads are cheap."""

    values: dict[Oid, Value] = field(default_factory=dict)
    _keys: list[Oid] | None = field(default=None, repr=False, compare=False)

    def set(self, key: Oid, value: Value) -> None:
        if key not in self.values:
            self._keys = None
        self.values[key] = value

    def update(self, items: dict[Oid, Value]) -> None:
        for key, value in items.items():
            self.set(key, value)

    def _sorted(self) -> list[Oid]:
        if self._keys is None:
            self._keys = sorted(self.values)
        return self._keys

    def get(self, key: str | Oid) -> Value:
        """The value at exactly ``key`` (None when absent)."""
        return self.values.get(oid(key) if isinstance(key, str) else key)

    def text(self, key: str | Oid) -> str | None:
        """The value as text (bytes decoded leniently), or None when absent."""
        return as_text(self.get(key))

    def integer(self, key: str | Oid) -> int | None:
        value = self.get(key)
        return value if isinstance(value, int) else None

    def walk(self, prefix: str | Oid) -> Iterator[tuple[Oid, Value]]:
        """Every (oid, value) strictly under ``prefix``, in OID order."""
        base = oid(prefix) if isinstance(prefix, str) else prefix
        keys = self._sorted()
        start = bisect.bisect_right(keys, base)
        n = len(base)
        for key in keys[start:]:
            if key[:n] != base:
                break
            yield key, self.values[key]

    def has(self, prefix: str | Oid) -> bool:
        """True when anything exists at or under ``prefix``."""
        base = oid(prefix) if isinstance(prefix, str) else prefix
        return base in self.values or next(self.walk(base), None) is not None

    def column(self, prefix: str | Oid) -> dict[Oid, Value]:
        """A table column: index suffix -> value (e.g. ifHighSpeed -> {(1,): 1000, ...})."""
        base = oid(prefix) if isinstance(prefix, str) else prefix
        n = len(base)
        return {key[n:]: value for key, value in self.walk(base)}

    def __len__(self) -> int:
        return len(self.values)


def as_text(value: Value) -> str | None:
    """Decode an OCTET STRING for display: UTF-8, else Latin-1; NULs and surrounding spaces dropped."""
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            text = value.decode("latin-1")
        return text.replace("\x00", "").strip()
    return str(value).strip()
