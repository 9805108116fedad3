"""Read snmpsim ``.snmprec`` recordings (``OID|TAG|VALUE`` per line) into :class:`SnmpData`.

Used by tests and the lab to feed the classifiers from recordings without a network.
Tags are BER type numbers; ``4x`` is a hex-encoded OCTET STRING (kept as bytes unless it
decodes as clean text). Lines without two ``|`` are ignored.
"""

from __future__ import annotations

from pathlib import Path

from probes.snmp.data import SnmpData, Value, oid

_INT_TAGS = {"2", "65", "66", "67", "70"}


def _clean_text(raw: bytes) -> Value:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw
    if all(ch.isprintable() or ch in "\r\n\t" for ch in text.rstrip("\x00")):
        return text.rstrip("\x00")
    return raw


def parse_value(tag: str, value: str) -> Value:
    base = tag.split(":", 1)[0]
    if base in _INT_TAGS:
        try:
            return int(value)
        except ValueError:
            return None
    if base == "64x":  # IpAddress written as hex
        try:
            return ".".join(str(b) for b in bytes.fromhex(value))
        except ValueError:
            return None
    if base == "4x":
        try:
            return _clean_text(bytes.fromhex(value))
        except ValueError:
            return None
    if base == "6":
        return value.strip().strip(".")
    if base == "5":
        return None
    return value  # 4 (text), 64 (IpAddress), and anything else as text


def parse(text: str) -> SnmpData:
    data = SnmpData()
    for line in text.splitlines():
        parts = line.split("|", 2)
        if len(parts) != 3:
            continue
        try:
            key = oid(parts[0])
        except ValueError:
            continue
        data.set(key, parse_value(parts[1], parts[2]))
    return data


def load(path: Path) -> SnmpData:
    return parse(path.read_text(encoding="utf-8", errors="replace"))
