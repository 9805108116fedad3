"""Where a device states its own model: vendor model OIDs, model-shaped names in its texts, a catalog scan.

The knowledge is data in ``config/catalog/model_sources.toml``; :func:`candidates` returns, in order of trust,
``(model, Basis)`` pairs for :mod:`probes.classify`:

1. ``[[oid]]`` rows: vendor scalars/columns (FortiAP part number, Omada, cnPilot, HiveOS, UniFi, Ruckus ...);
2. ``[[text]]`` rows: a model-shaped regex in sysDescr, LLDP lldpLocSysDesc, ENTITY descr/name;
3. the ``[scan]`` fallback: any text value the device answered (outside tables about OTHER devices) that
   names an AP catalog model exactly.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agent.model import Basis
from agent.paths import CATALOG_DIR
from probes.snmp.data import SnmpData, as_text, dotted, oid

SOURCES_FILE = CATALOG_DIR / "model_sources.toml"
LLDP_LOC_SYS_DESC = "1.0.8802.1.1.2.1.3.4.0"
ENT_DESCR = "1.3.6.1.2.1.47.1.1.1.1.2"
ENT_NAME = "1.3.6.1.2.1.47.1.1.1.1.7"
SYS_DESCR = "1.3.6.1.2.1.1.1.0"
SYS_NAME = "1.3.6.1.2.1.1.5.0"
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+_-]*[A-Za-z0-9+]|[A-Za-z0-9]")


@dataclass(frozen=True)
class OidSource:
    id: str
    vendor: str
    oid: str
    source: str
    regex: re.Pattern[str] | None = None
    format: str = "{model}"


@dataclass(frozen=True)
class TextSource:
    id: str
    vendor: str
    pattern: re.Pattern[str]
    source: str
    format: str = "{model}"
    needs_vendor: bool = False
    sys_name: bool = False
    numeric_format: str | None = None


@dataclass(frozen=True)
class Sources:
    oids: tuple[OidSource, ...]
    texts: tuple[TextSource, ...]
    exclude: tuple[str, ...]
    max_values: int
    scan_source: str


def _compile(text: str, where: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(text)
    except re.error as exc:
        raise ValueError(f"{where}: bad regex: {exc}") from exc
    if "model" not in compiled.groupindex:
        raise ValueError(f"{where}: the regex needs a (?P<model>...) group")
    return compiled


@functools.lru_cache(maxsize=4)
def load(path: Path = SOURCES_FILE) -> Sources:
    """Read and check the file (every row needs id and source; regexes compile and have a model group)."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)
    oids = []
    for i, row in enumerate(raw.get("oid", [])):
        where = f"{path.name}[oid][{i}]"
        if not row.get("id") or not row.get("source") or not row.get("oid"):
            raise ValueError(f"{where}: needs id, oid and source")
        oid(str(row["oid"]))
        oids.append(OidSource(str(row["id"]), str(row.get("vendor", "")), str(row["oid"]), str(row["source"]),
                              _compile(row["regex"], where) if row.get("regex") else None,
                              str(row.get("format", "{model}"))))
    texts = []
    for i, row in enumerate(raw.get("text", [])):
        where = f"{path.name}[text][{i}]"
        if not row.get("id") or not row.get("source") or not row.get("pattern"):
            raise ValueError(f"{where}: needs id, pattern and source")
        texts.append(TextSource(str(row["id"]), str(row.get("vendor", "")), _compile(row["pattern"], where),
                                str(row["source"]), str(row.get("format", "{model}")),
                                bool(row.get("needs_vendor", False)), bool(row.get("sys_name", False)),
                                str(row["numeric_format"]) if row.get("numeric_format") else None))
    scan = raw.get("scan", {})
    return Sources(tuple(oids), tuple(texts), tuple(str(x) for x in scan.get("exclude", ())),
                   int(scan.get("max_values", 4000)), str(scan.get("source", "")))


def model_oids(vendor: str | None = None) -> tuple[str, ...]:
    """The model OIDs worth asking a device of ``vendor`` (None = unrecognised: every one of the file).

    The inspection GETs the scalars and walks the columns; SNMPv1 agents answer a missing object with
    noSuchName and the client asks again without it, so a known vendor is not asked for the others' OIDs.
    """
    from probes.wifi.catalog import same_vendor

    return tuple(s.oid for s in load().oids if vendor is None or not s.vendor or same_vendor(s.vendor, vendor))


def _vendor_ok(row_vendor: str, vendor: str | None, needs_vendor: bool) -> bool:
    from probes.wifi.catalog import same_vendor

    if not row_vendor:
        return True
    if vendor is None:
        return not needs_vendor
    return same_vendor(row_vendor, vendor)


def _format(match: re.Match[str], fmt: str, numeric: str | None = None) -> str | None:
    model = match.group("model")
    if not model or not model.strip():
        return None
    model = model.strip()
    return (numeric if numeric and model.isdigit() else fmt).format(model=model)


def _oid_value(data: SnmpData, text: str) -> tuple[str, str] | None:
    value = as_text(data.get(text))
    if value is None:
        column = text[:-2] if text.endswith(".0") else text
        for key, v in data.walk(column):
            first = as_text(v)
            if first and first.strip():
                return first, dotted(key)
        return None
    return value, text


def _own_texts(data: SnmpData) -> Iterator[tuple[str, str]]:
    """(text, where) of the device's own descriptive texts, most trusted first."""
    for key, where in ((SYS_DESCR, "sysDescr.0"), (LLDP_LOC_SYS_DESC, "LLDP-MIB lldpLocSysDesc.0")):
        own = data.text(key)
        if own:
            yield own, where
    for column, name in ((ENT_DESCR, "entPhysicalDescr"), (ENT_NAME, "entPhysicalName")):
        for index, raw in sorted(data.column(column).items())[:8]:
            text = as_text(raw)
            if text:
                yield text, f"ENTITY-MIB {name}.{dotted(index)}"


def _junk(value: str) -> bool:
    text = value.strip().lower()
    return text in ("", "0", "n/a", "na", "none", "unknown", "null", "-") or not any(c.isalnum() for c in text)


def from_oids(data: SnmpData, vendor: str | None) -> list[tuple[str, Basis]]:
    out: list[tuple[str, Basis]] = []
    for row in load().oids:
        if not _vendor_ok(row.vendor, vendor, False):
            continue
        found = _oid_value(data, row.oid)
        if not found or _junk(found[0]):
            continue
        value, where = found
        if row.regex is not None:
            match = row.regex.search(value)
            model = _format(match, row.format) if match else None
        else:
            model = value.strip()
        if model:
            out.append((model, Basis("snmp", f"model OID {where} (model_sources.toml#{row.id})", value[:120],
                                     row.source)))
    return out


def from_texts(data: SnmpData, vendor: str | None) -> list[tuple[str, Basis]]:
    out: list[tuple[str, Basis]] = []
    texts = list(_own_texts(data))
    name = data.text(SYS_NAME)
    for row in load().texts:
        if not _vendor_ok(row.vendor, vendor, row.needs_vendor):
            continue
        sources = texts + ([(name, "sysName.0")] if row.sys_name and name else [])
        for text, where in sources:
            match = row.pattern.search(text)
            model = _format(match, row.format, row.numeric_format) if match else None
            if model:
                out.append((model, Basis("snmp", f"{where} model pattern (model_sources.toml#{row.id})", model,
                                         row.source)))
                break
    return out


def _excluded(key: tuple[int, ...], roots: tuple[tuple[int, ...], ...]) -> bool:
    return any(key[: len(r)] == r for r in roots)


def scan(data: SnmpData, vendor: str | None) -> tuple[str, Basis] | None:
    """The first text value (outside the excluded tables) that names an AP catalog model exactly."""
    from probes.wifi import catalog

    sources = load()
    roots = tuple(oid(x) for x in sources.exclude)
    seen = 0
    for key, value in data.walk(()):
        if not isinstance(value, (str, bytes)) or _excluded(key, roots):
            continue
        text = as_text(value)
        if not text or len(text) < 3:
            continue
        seen += 1
        if seen > sources.max_values:
            break
        for word in _WORD.findall(text[:300]):
            if len(word) < 3 or not any(c.isdigit() for c in word):
                continue
            match = catalog.lookup(word, vendor=vendor)
            if match is None or not match.candidates or any(r.pattern for r in match.candidates):
                continue
            return word, Basis("snmp", f"catalog scan {dotted(key)}", text[:120],
                               f"names catalog model {match.candidates[0].id}; {sources.scan_source}")
    return None


def vendor_hint(data: SnmpData, model: str) -> str | None:
    """The vendor of the model-source row that named ``model`` (for devices no fingerprint recognised)."""
    for found, basis in (*from_oids(data, None), *from_texts(data, None)):
        if found.strip().lower() == model.strip().lower():
            row_id = basis.key.rsplit("#", 1)[-1].rstrip(")")
            rows: list[OidSource | TextSource] = [*load().oids, *load().texts]
            for row in rows:
                if row.id == row_id and row.vendor:
                    return row.vendor
    return None
