"""Radios of an access point (or of every AP joined to a controller) from what SNMP said.

The MIB tables are DATA in config/catalog/wifi_mibs.toml; this module only reads them generically. Band comes
from frequency or band fields; a bare channel number gives a band only where the number exists in one band
(flagged in the basis). The catalog row of the model (config/catalog/access_points/) then fills standard,
Wave 2, streams and maximum rate where the MIB is silent, and a conflict between the two is written into the
radio's basis, never resolved silently. A device whose model is catalogued but whose radio table did not answer
gets catalog-only radios, marked so.

Controllers: AP lists, radio tables indexed by AP key + slot, and joins (an AP-list column naming a row of a
keyed table, e.g. a FortiGate WTP profile or a Huawei AP type) give each joined AP its radios; rows of two tables
for the same AP and slot are one radio. How a table is read (its index parts, its join key) is data in the TOML.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from agent.model import Basis, Device, Provenance, Radio, Role, WifiFacts
from probes.snmp.data import Oid, SnmpData, Value, as_text, dotted, oid
from probes.wifi import catalog
from probes.wifi.bss import band_of, channel_of

MIBS_FILE = catalog.CATALOG_DIR / "wifi_mibs.toml"
_BAND_WORDS = re.compile(r"\b(2\.4|5|6)\s*G(?:Hz)?\b", re.IGNORECASE)
_BAND_TEXT = re.compile(r"^(?P<freq>\d{4,5})(?:/(?P<width>\d+))?[^/]*(?:/(?P<mode>[a-z-]+))?", re.IGNORECASE)


@dataclass(frozen=True)
class SnmpRadios:
    """Radios of the device itself, and one child Device per AP joined to it (controllers, clusters)."""

    radios: tuple[Radio, ...] = ()
    children: tuple[Device, ...] = ()
    warnings: tuple[str, ...] = ()
    tables: tuple[str, ...] = field(default_factory=tuple)
    wifi: WifiFacts | None = None  # the device's own Wi-Fi (None when it has no radio and no catalogued model)


@lru_cache(maxsize=4)
def load_tables(path: Path = MIBS_FILE) -> tuple[dict[str, Any], ...]:
    with path.open("rb") as handle:
        tables = tomllib.load(handle).get("table", [])
    for i, table in enumerate(tables):
        if not table.get("id") or not table.get("source"):
            raise ValueError(f"{path.name}[table][{i}]: every table needs id and source")
    return tuple(tables)


def _mac(value: Value | tuple[int, ...]) -> str | None:
    if isinstance(value, tuple) and len(value) == 6 and all(0 <= v <= 255 for v in value):
        return ":".join(f"{v:02x}" for v in value)
    if isinstance(value, bytes) and len(value) == 6:
        return value.hex(":")
    if isinstance(value, str):
        digits = re.sub(r"[^0-9a-fA-F]", "", value)
        if len(digits) == 12:
            return ":".join(digits[i : i + 2] for i in range(0, 12, 2)).lower()
    return None


def _mapped(spec: dict[str, Any], value: Value) -> Any:
    mapping = spec.get("map", {})
    key = as_text(value) if not isinstance(value, int) else str(value)
    return mapping.get(key) if key is not None else None


def _split(mapped: Any) -> tuple[str | None, str | None]:
    """A map value "5:ax" -> (band, standard); "2.4" -> ("2.4", None); "ax" -> (None, "ax")."""
    if mapped is None:
        return None, None
    text = str(mapped)
    if ":" in text:
        band, std = text.split(":", 1)
        return band, std
    return (text, None) if text[:1].isdigit() else (None, text)


def _channel_band(channel: int) -> str | None:
    if 36 <= channel <= 177:
        return "5"
    if 1 <= channel <= 14:
        return "2.4"
    return None


def _mode_standard(mode: str | None) -> str | None:
    if not mode:
        return None
    mode = mode.lower()
    for needle, std in (("be", "be"), ("ax", "ax"), ("ac", "ac"), ("n", "n")):
        if needle in mode:
            return std
    return "legacy"


GENERATIONS = ("legacy", "n", "ac", "ax", "be")


def _newer(candidate: str | None, current: str | None) -> bool:
    """Whether ``candidate`` is a newer 802.11 generation than ``current`` (None/unknown = anything is newer)."""
    if candidate not in GENERATIONS:
        return False
    return current not in GENERATIONS or GENERATIONS.index(candidate) > GENERATIONS.index(str(current))


def _rows(data: SnmpData, table: dict[str, Any]) -> list[Oid]:
    """The row indexes of a radio table, less rows its ``absent`` column marks as no radio (e.g. notExist)."""
    indexes: set[Oid] = set()
    for role, spec in table.items():
        if isinstance(spec, dict) and "oid" in spec and role not in ("ap", "absent"):
            indexes |= set(data.column(spec["oid"]))
    absent = table.get("absent")
    if isinstance(absent, dict):
        gone = {str(v) for v in absent.get("values", [])}
        column = oid(absent["oid"])
        indexes = {i for i in indexes if str(data.get(column + i)) not in gone}
    return sorted(indexes)


def _read_radio(data: SnmpData, table: dict[str, Any], index: Oid) -> tuple[Radio, bool]:
    """One radio row -> (Radio, band came only from a channel number)."""
    mib = table.get("mib", table["id"])
    basis: list[Basis] = []
    band = std = name = ssid = bssid = None
    freq = channel = width = None
    channel_only = False

    def get(role: str) -> tuple[dict[str, Any], Value] | None:
        spec = table.get(role)
        if not isinstance(spec, dict):
            return None
        value = data.get(oid(spec["oid"]) + index)
        return (spec, value) if value is not None else None

    for role in ("band", "standard"):
        hit = get(role)
        if hit:
            b, s = _split(_mapped(*hit))
            band, std = band or b, std or s
            if b or s:
                basis.append(
                    Basis(
                        "snmp",
                        f"{mib} {dotted(oid(hit[0]['oid']) + index)}",
                        str(hit[1]),
                        f"-> {b or ''} {s or ''}".strip(),
                    )
                )
    hit = get("freq")
    if hit and isinstance(hit[1], int) and hit[1] > 0:
        freq = hit[1]
        band = band_of(freq) or band
        basis.append(
            Basis("snmp", f"{mib} frequency {dotted(oid(hit[0]['oid']) + index)}", f"{freq} MHz", f"band {band}")
        )
    hit = get("band_text")
    if hit:
        text = as_text(hit[1]) or ""
        match = _BAND_TEXT.match(text)
        if match:
            freq = freq or int(match.group("freq"))
            band = band_of(freq) or band
            width = int(match.group("width")) if match.group("width") else None
            std = std or _mode_standard(match.group("mode"))
        else:
            words = _BAND_WORDS.search(text)  # cnPilot "2.4GHz" / "5GHz"
            band = band or (words.group(1) if words else None)
        basis.append(Basis("snmp", f"{mib} band {dotted(oid(hit[0]['oid']) + index)}", text, f"band {band}, {std}"))
    if table.get("standard_fixed"):
        std = std or str(table["standard_fixed"])
    for role in ("channel", "channel_ofdm"):
        hit = get(role)
        if not hit:
            continue
        digits = re.match(r"\d+", as_text(hit[1]) or "")
        if not digits:
            continue
        channel = int(digits.group(0))
        implied = hit[0].get("band")
        if implied and _channel_band(channel) not in (None, implied):
            implied = None  # e.g. a 5 GHz channel number in the (2.4 GHz) DSSS table: trust the number, flag it
        if band is None:
            band = implied or _channel_band(channel)
            channel_only = implied is None and band is not None
        note = f"band {band} implied by the {role} table" if implied else "channel number only"
        basis.append(Basis("snmp", f"{mib} channel {dotted(oid(hit[0]['oid']) + index)}", str(channel), note))
    hit = get("width")
    if hit:
        mapped = _mapped(*hit)
        width = int(mapped) if mapped is not None else width
    for role, gen in (("ax_flag", "ax"), ("ac_flag", "ac"), ("n_flag", "n")):
        hit = get(role)
        if hit and hit[1] == 1 and _newer(gen, std):
            std = gen
            basis.append(Basis("snmp", f"{mib} {role} {dotted(oid(hit[0]['oid']) + index)}", "true(1)", f"802.11{gen}"))
    rate = None
    hit = get("rate")
    if hit and isinstance(hit[1], int) and hit[1] > 0:
        rate = float(hit[1]) * float(hit[0].get("scale", 1))
        basis.append(Basis("snmp", f"{mib} max data rate {dotted(oid(hit[0]['oid']) + index)}", str(hit[1]),
                           f"{rate:g} Mbit/s"))
    streams = None
    hit = get("streams")
    if hit and isinstance(hit[1], int) and hit[1] > 0:
        streams = hit[1]
        basis.append(Basis("snmp", f"{mib} spatial streams {dotted(oid(hit[0]['oid']) + index)}", str(streams),
                           f"{streams} spatial streams"))
    for role in ("name", "ssid"):
        hit = get(role)
        if hit:
            if role == "name":
                name = as_text(hit[1])
            else:
                ssid = as_text(hit[1])
    hit = get("bssid")
    if hit:
        bssid = _mac(hit[1])
        if bssid == "00:00:00:00:00:00":
            bssid = None
    if freq and channel is None:
        channel = channel_of(freq)
    if table.get("role") == "station":
        basis.append(Basis("snmp", f"{mib}", "station", "client (station) link, not an access-point radio"))
    radio = Radio(
        band_ghz=band,
        standard=std,
        provenance="measured" if std else None,
        max_rate_mbps=rate,
        streams=streams,
        max_nss=streams,
        channel_width_mhz=width,
        channel=channel,
        freq_mhz=freq,
        bssid=bssid,
        ssid=ssid,
        basis=tuple(basis),
        name=name or f"{table['id']}.{dotted(index)}",
    )
    return radio, channel_only


def _with_vaps(data: SnmpData, table: dict[str, Any], index: Oid, radio: Radio) -> Radio:
    """Fill BSSID, SSID and channel from the table's VAP table (rows whose `match` value names this radio)."""
    vap = table.get("vap")
    band = table.get("band")
    if not isinstance(vap, dict) or not isinstance(band, dict):
        return radio
    key = as_text(data.get(oid(band["oid"]) + index))
    for vindex, value in data.column(vap["match"]["oid"]).items():
        if as_text(value) != key:
            continue
        bssid = _mac(data.get(oid(vap["bssid"]["oid"]) + vindex)) if "bssid" in vap else None
        ssid = as_text(data.get(oid(vap["ssid"]["oid"]) + vindex)) if "ssid" in vap else None
        chan = data.get(oid(vap["channel"]["oid"]) + vindex) if "channel" in vap else None
        note = f"VAP {dotted(vindex)} of radio {key}"
        return replace(
            radio,
            bssid=radio.bssid or bssid,
            ssid=radio.ssid or ssid,
            channel=radio.channel or (chan if isinstance(chan, int) and chan > 0 else None),
            basis=(*radio.basis, Basis("snmp", f"{table.get('mib', table['id'])} VAP", bssid or "", note)),
        )
    return radio


def _ap_value(data: SnmpData, table: dict[str, Any], role: str, ap_key: Oid, index: Oid) -> str | None:
    spec = table.get("ap", {}).get(role)
    if not isinstance(spec, dict):
        return None
    key = index if spec.get("per_radio") else ap_key
    return _ap_text(role, data.get(oid(spec["oid"]) + key))


def _ap_text(role: str, value: Value) -> str | None:
    """An AP-list value as text: MACs as aa:bb:.., 4-octet InetAddress values as a dotted quad."""
    if role == "mac":
        return _mac(value)
    if role == "ip" and isinstance(value, bytes) and len(value) == 4:
        return ".".join(str(b) for b in value)
    return as_text(value)


def parse_index(index: Oid, spec: Any) -> tuple[tuple[Oid, ...], Oid] | None:
    """Split a row index by an ``ap_index`` spec: (the AP key's parts, the rest = the radio's slot).

    ``spec`` is N (the first N sub-ids) or a list of parts: ``"int"`` (one sub-id), ``"mac"`` (six),
    ``"str"`` (a length-prefixed OCTET STRING index: length, then one sub-id per octet) or a count.
    None when the index is too short for the spec.
    """
    parts: list[Oid] = []
    pos = 0
    for part in spec if isinstance(spec, list) else [spec]:
        if part == "str":
            if pos >= len(index):
                return None
            size = 1 + index[pos]
        elif part in ("int", "mac"):
            size = 1 if part == "int" else 6
        elif isinstance(part, int) and part > 0:
            size = part
        else:
            raise ValueError(f"ap_index part {part!r}: expected int, mac, str or a count")
        if pos + size > len(index):
            return None
        parts.append(index[pos : pos + size])
        pos += size
    return tuple(parts), index[pos:]


def _index_text(parts: tuple[Oid, ...], spec: Any) -> str:
    """A readable AP id from its key parts (length-prefixed strings decoded)."""
    names = spec if isinstance(spec, list) else [spec]
    out = []
    for part, kind in zip(parts, names, strict=False):
        if kind == "str" and all(32 <= c < 127 for c in part[1:]):
            out.append("".join(chr(c) for c in part[1:]))
        else:
            out.append(dotted(part))
    return "/".join(out)


def _new_ap(key: Oid, table: dict[str, Any], parts: tuple[Oid, ...] = ()) -> dict[str, Any]:
    return {"radios": [], "mac": _mac(key), "table": table, "parts": parts}


def _ap_list(data: SnmpData, table: dict[str, Any], joined: dict[Oid, dict[str, Any]]) -> list[Oid]:
    """A controller's AP table (one row per joined AP, no radio rows): add or complete ``joined`` entries.

    The row index is the AP key (its MAC where the MIB indexes by MAC, else an opaque id such as the
    FortiGate's VDOM + WTP id); a row already known from a radio table with the same key is completed, never
    duplicated. Returns the keys this table listed.
    """
    columns = {role: spec for role, spec in table.get("ap", {}).items() if isinstance(spec, dict)}
    keys: set[Oid] = set()
    listing = table.get("rows_from") or list(columns)  # the columns whose rows are the APs (others complete them)
    for role in listing:
        if role in columns:
            keys |= set(data.column(columns[role]["oid"]))
    index_spec = table.get("ap_index")
    for key in sorted(keys):
        split = parse_index(key, index_spec) if index_spec else None
        parts = split[0] if split and not split[1] else (key,)
        ap = joined.setdefault(key, _new_ap(key, table, parts))
        if not ap.get("parts"):
            ap["parts"] = parts
        if index_spec and split and not split[1] and ap["mac"] is None:
            ap.setdefault("id", _index_text(parts, index_spec))
        for role, spec in columns.items():
            text = _ap_text(role, data.get(oid(spec["oid"]) + key))
            if text and not ap.get(role):
                ap[role] = text
    return sorted(keys)


def _join_key(spec: dict[str, Any], parts: tuple[Oid, ...], value: Value) -> Oid | None:
    """The index prefix of the joined table's rows for one AP: parts of the AP key and the join value.

    ``key`` items: ``"ap:N"`` (part N of the AP key), ``"value:str"`` (the value as a length-prefixed OCTET
    STRING index), ``"value:implied"`` (its octets, no length), ``"value:int"`` (an integer value).
    """
    out: list[int] = []
    for item in spec.get("key", ["value:str"]):
        if item.startswith("ap:"):
            n = int(item[3:])
            if n >= len(parts):
                return None
            out += parts[n]
        elif item in ("value:str", "value:implied"):
            raw = value.encode("utf-8") if isinstance(value, str) else value
            if not isinstance(raw, bytes) or not raw:
                return None
            out += ([len(raw)] if item == "value:str" else []) + list(raw)
        elif item == "value:int":
            if not isinstance(value, int):
                return None
            out.append(value)
        else:
            raise ValueError(f"join key item {item!r}")
    return tuple(out)


def _merge(old: Radio, old_by_channel: bool, new: Radio, new_by_channel: bool) -> tuple[Radio, bool] | None:
    """Two tables' rows for the same radio slot of one AP, as one radio; None when their bands disagree."""
    if old.band_ghz and new.band_ghz and old.band_ghz != new.band_ghz:
        return None
    take_new_band = old.band_ghz is None or (old_by_channel and new.band_ghz is not None and not new_by_channel)
    band, by_channel = (new.band_ghz, new_by_channel) if take_new_band else (old.band_ghz, old_by_channel)
    std = new.standard if _newer(new.standard, old.standard) else (old.standard or new.standard)
    return (
        replace(
            old,
            band_ghz=band,
            standard=std,
            provenance="measured" if std else None,
            channel_width_mhz=old.channel_width_mhz or new.channel_width_mhz,
            channel=old.channel or new.channel,
            freq_mhz=old.freq_mhz or new.freq_mhz,
            bssid=old.bssid or new.bssid,
            ssid=old.ssid or new.ssid,
            max_rate_mbps=old.max_rate_mbps or new.max_rate_mbps,
            streams=old.streams or new.streams,
            max_nss=old.max_nss or new.max_nss,
            basis=(*old.basis, *new.basis),
        ),
        by_channel,
    )


def _add_radio(ap: dict[str, Any], radio: Radio, by_channel: bool, slot: Oid, source: str) -> None:
    """Add a radio row to a joined AP; a row of another table for the same slot completes that radio.

    A row that says nothing about a radio (no band, standard, channel, width, BSSID) adds none by itself.
    """
    for i, (old, old_by_channel, old_slot, old_source) in enumerate(ap["radios"]):
        if old_slot != slot or old_source == source:
            continue
        merged = _merge(old, old_by_channel, radio, by_channel)
        if merged is None:
            note = Basis("rule", "disagreement", f"band {radio.band_ghz}",
                         f"{radio.name}: same slot, other band than {old.band_ghz} GHz; not merged")
            ap["radios"][i] = (replace(old, basis=(*old.basis, note)), old_by_channel, old_slot, old_source)
        else:
            ap["radios"][i] = (*merged, old_slot, old_source)
        return
    facts = (radio.band_ghz, radio.standard, radio.channel, radio.channel_width_mhz, radio.bssid, radio.freq_mhz)
    if any(f is not None for f in facts):
        ap["radios"].append((radio, by_channel, slot, source))


def _join(data: SnmpData, table: dict[str, Any], keys: list[Oid], joined: dict[Oid, dict[str, Any]],
          by_id: dict[str, dict[str, Any]], warnings: list[str]) -> bool:
    """Radios for each AP of an AP list from a table keyed by something the AP list names (a profile, a type)."""
    spec = table.get("join")
    if not isinstance(spec, dict):
        return False
    target = by_id.get(str(spec.get("table")))
    if target is None:
        warnings.append(f"{table['id']}: join names an unknown table {spec.get('table')!r}")
        return False
    rows = _rows(data, target)
    mib = table.get("mib", table["id"])
    used = False
    for key in keys:
        ap = joined[key]
        value = data.get(oid(spec["value"]["oid"]) + key)
        prefix = _join_key(spec, ap.get("parts") or (key,), value)
        if prefix is None:
            continue
        for index in rows:
            if index[: len(prefix)] != prefix or len(index) == len(prefix):
                continue
            try:
                radio, by_channel = _read_radio(data, target, index)
            except (ValueError, TypeError) as exc:
                warnings.append(f"{target['id']} row {dotted(index)} unreadable: {exc}")
                continue
            note = Basis("snmp", f"{mib} {dotted(oid(spec['value']['oid']) + key)}", as_text(value) or str(value),
                         f"this AP's radios from {target.get('mib', target['id'])} row {dotted(index)}")
            radio = replace(radio, basis=(note, *radio.basis))
            _add_radio(ap, radio, by_channel, index[len(prefix):], target["id"])
            used = True
    return used


def _scalar_model(data: SnmpData, table: dict[str, Any]) -> str | None:
    spec = table.get("model_oid")
    if not spec:
        return None
    value = as_text(data.get(spec))
    if value is None:  # a column (dot11manufacturerProductName.ifIndex): take the first row
        column = data.column(spec[: spec.rfind(".")]) if spec.endswith(".0") else data.column(spec)
        value = next((as_text(v) for v in column.values() if as_text(v)), None)
    return value or None


# --------------------------------------------------------------------------- catalog enrichment


def _enrich(radios: list[Radio], channel_only: list[bool], model: str | None, vendor: str | None) -> list[Radio]:
    match = catalog.lookup(model, vendor=vendor) if model else None
    row = match.row if match else None
    out = []
    for radio, by_channel in zip(radios, channel_only, strict=True):
        basis = list(radio.basis)
        band, std, wave2 = radio.band_ghz, radio.standard, radio.wave2
        provenance, verified = radio.provenance, radio.verified
        if by_channel and band == "2.4" and row is not None and "6" in row.bands:
            basis.append(Basis("rule", "band", "unknown", "channel 1-14 exists in 2.4 and 6 GHz; this model has 6 GHz"))
            band = None
        if match is not None and row is None:
            basis.append(
                Basis("catalog", f"catalog:{match.query}", "ambiguous", "rows per hardware revision; revision unknown")
            )
        if row is not None:
            flag = "" if row.verified else " (UNVERIFIED row)"
            basis.append(
                Basis("catalog", f"catalog:{row.id}", row.standard, f"{row.source}; confidence {row.confidence}{flag}")
            )
            if band and row.bands and band not in row.bands and band != "60":
                basis.append(Basis("rule", "disagreement", f"band {band}", f"catalog row lists {', '.join(row.bands)}"))
            cat_std = "n" if (band == "2.4" and row.standard == "ac") else row.standard
            if std is None or (std == "legacy" and cat_std != "legacy"):
                if band in row.bands or band is None or not row.bands:
                    std, provenance, verified = cat_std, row_provenance(row), row.verified
            elif std != cat_std and (band in row.bands or not row.bands):
                basis.append(Basis("rule", "disagreement", f"standard {std}", f"catalog says {cat_std} on {band} GHz"))
            if band != "2.4" and std == "ac":
                wave2 = row.wave2
            elif row.standard == "n":
                wave2 = False  # no 802.11ac at all: not Wave 2
        if wave2 is None and band not in (None, "2.4") and std in ("n", "legacy"):
            wave2 = False  # an 802.11n/legacy 5 GHz radio cannot be 802.11ac Wave 2, whatever the model
        rate = radio.max_rate_mbps or (row.rates.get(band) if (row is not None and band) else None)
        streams = radio.streams or (row.streams.get(band) if (row is not None and band) else None)
        out.append(
            replace(
                radio,
                band_ghz=band,
                standard=std,
                wave2=wave2,
                max_rate_mbps=rate,
                streams=streams,
                max_nss=streams,
                basis=tuple(basis),
                provenance=provenance,
                verified=verified,
            )
        )
    return out


def row_provenance(row: catalog.ApModel) -> Provenance:
    """A model row is ``catalog``; a ``[[family]]`` naming rule is ``inferred``."""
    return "inferred" if row.pattern else "catalog"


def _catalog_radios(model: str | None, vendor: str | None) -> list[Radio]:
    """Radios from the catalog alone (the model is known, no radio table answered)."""
    match = catalog.lookup(model, vendor=vendor) if model else None
    if match is None or match.row is None:
        return []
    row = match.row
    flag = "" if row.verified else " (UNVERIFIED row)"
    radios = []
    for band in row.bands:
        std = "n" if (band == "2.4" and row.standard == "ac") else row.standard
        basis = (
            Basis(
                "catalog", f"catalog:{row.id}", f"{std} {band} GHz", f"{row.source}; confidence {row.confidence}{flag}"
            ),
            Basis(
                "rule", "radios", "catalog only", "no Wi-Fi radio table answered over SNMP; radios from the model row"
            ),
        )
        radios.append(
            Radio(
                band_ghz=band,
                standard=std,
                wave2=row.wave2 if std == "ac" else (False if row.standard == "n" else None),
                streams=row.streams.get(band),
                max_nss=row.streams.get(band),
                max_rate_mbps=row.rates.get(band),
                basis=basis,
                name=f"catalog:{row.id}:{band}",
                provenance=row_provenance(row),
                verified=row.verified,
            )
        )
    return radios


# --------------------------------------------------------------------------- Wi-Fi facts


def _common_row(rows: tuple[catalog.ApModel, ...]) -> catalog.ApModel | None:
    """What every hardware-revision row of a model agrees on (standard and bands; Wave 2 and rates only if equal)."""
    if not rows or len({r.standard for r in rows}) != 1 or len({r.bands for r in rows}) != 1:
        return None
    waves = {r.wave2 for r in rows}
    same_rates = all(r.rates == rows[0].rates for r in rows)
    return replace(rows[0], id=" | ".join(r.id for r in rows), wave2=rows[0].wave2 if len(waves) == 1 else None,
                   rates=dict(rows[0].rates) if same_rates else {}, verified=all(r.verified for r in rows),
                   source="rows per hardware revision agree on: " + "; ".join(r.source for r in rows))

_RANK: dict[str | None, int] = {"measured": 3, "catalog": 2, "inferred": 1}


def wifi_facts(radios: tuple[Radio, ...] | list[Radio], model: str | None, vendor: str | None) -> WifiFacts | None:
    """The AP's Wi-Fi from its radios (vendor MIB or catalog), else from the model's catalog or family row.

    ``standard`` = the newest generation any radio runs, from its best source (measured > catalog > inferred);
    ``wave2`` only for 802.11ac (an ax/be AP is newer than Wave 2: None, said in the basis; n = False);
    rates per band = the fastest radio of the band, aggregate = the sum over radios.
    """
    match = catalog.lookup(model, vendor=vendor) if model else None
    row = (match.row or _common_row(match.candidates)) if match else None
    wifi_radios = [r for r in radios if r.standard in GENERATIONS and r.band_ghz in ("2.4", "5", "6", None)]
    basis: list[Basis] = []
    if wifi_radios:
        best = max(wifi_radios, key=lambda r: (GENERATIONS.index(str(r.standard)), _RANK.get(r.provenance, 0)))
        standard: str | None = best.standard
        provenance: Provenance | None = best.provenance
        verified = best.verified if provenance == "catalog" else None
        bands = tuple(sorted({str(r.band_ghz) for r in wifi_radios if r.band_ghz}, key=float))
        if row is not None and not bands:
            bands = tuple(row.bands)  # the radio table said the standard, not the band: bands from the row
        basis.append(Basis("rule", "wifi.standard", str(standard),
                           f"newest radio standard ({best.name or best.band_ghz}; {provenance or 'unknown'})"))
        waves = [r.wave2 for r in wifi_radios if r.band_ghz != "2.4" and r.standard == "ac"]
        wave2 = True if True in waves else (False if waves and all(w is False for w in waves) else None)
        rates: dict[str, float] = {}
        for r in wifi_radios:
            if r.max_rate_mbps and r.band_ghz:
                rates[r.band_ghz] = max(rates.get(r.band_ghz, 0.0), float(r.max_rate_mbps))
        per_radio = [float(r.max_rate_mbps) for r in wifi_radios if r.max_rate_mbps]
        if per_radio and len(per_radio) == len(wifi_radios):
            rates["aggregate"] = round(sum(per_radio), 1)
    elif row is not None:
        standard, provenance, verified = row.standard, row_provenance(row), row.verified
        bands = tuple(row.bands)
        wave2 = row.wave2 if row.standard == "ac" else None
        rates = dict(row.rates)
        if rates and all(b in rates for b in row.bands):
            rates["aggregate"] = round(sum(rates.values()), 1)
        flag = "" if row.verified else ", unverified"
        basis.append(Basis("catalog", f"catalog:{row.id}", f"{row.standard} {'/'.join(row.bands)} GHz",
                           f"{row.source} ({provenance}{flag})"))
    else:
        return None
    if standard == "n":
        wave2 = False
    if standard in ("ax", "be"):
        wave2 = None
        basis.append(Basis("rule", "wifi.wave2", "n/a", f"802.11{standard} is newer than 802.11ac Wave 2"))
    elif standard == "ac" and wave2 is None and row is not None and row.standard == "ac" and row.wave2 is not None:
        wave2 = row.wave2
        basis.append(Basis("catalog", f"catalog:{row.id} wave2", str(row.wave2).lower(), row.source))
    elif standard == "ac":
        basis.append(Basis("rule", "wifi.wave2", str(wave2).lower() if wave2 is not None else "unknown",
                           "from the 5 GHz 802.11ac radios" if wave2 is not None else
                           "no source says MU-MIMO: beacons (VHT bit 19) or a catalog row would"))
    return WifiFacts(standard=standard, wave2=wave2, bands_ghz=bands, max_rate_mbps=rates, provenance=provenance,
                     verified=verified, basis=tuple(basis))


# --------------------------------------------------------------------------- entry point


def radios_from_snmp(
    data: SnmpData, vendor: str | None, model: str | None, *, tables_path: Path = MIBS_FILE
) -> SnmpRadios:
    """Radios of the device and, for a controller or cluster, one child Device per joined AP."""
    warnings: list[str] = []
    used: list[str] = []
    own: list[tuple[Radio, bool]] = []
    joined: dict[Oid, dict[str, Any]] = {}
    families: set[str] = set()
    own_model = model
    tables = load_tables(tables_path)
    by_id = {str(t["id"]): t for t in tables}
    joins: list[tuple[dict[str, Any], list[Oid]]] = []
    for table in tables:
        if table.get("kind") == "keyed":
            continue  # read only through an AP list's join
        if table.get("kind") == "ap_list":
            keys = _ap_list(data, table, joined)
            if keys:
                used.append(table["id"])
                joins.append((table, keys))
            continue
        family = table.get("family")
        if family and family in families:
            continue
        rows = _rows(data, table)
        if not rows:
            continue
        if family:
            families.add(family)
        used.append(table["id"])
        own_model = own_model or _scalar_model(data, table)
        index_spec = table.get("ap_index")
        for index in rows:
            try:
                radio, by_channel = _read_radio(data, table, index)
                radio = _with_vaps(data, table, index, radio)
                split = parse_index(index, index_spec) if index_spec else None
            except (ValueError, TypeError) as exc:
                warnings.append(f"{table['id']} row {dotted(index)} unreadable: {exc}")
                continue
            if split and split[1]:
                parts, slot = split
                key = tuple(i for part in parts for i in part)
                ap = joined.setdefault(key, _new_ap(key, table, parts))
                _add_radio(ap, radio, by_channel, slot, table["id"])
                for role in ("name", "model", "ip"):
                    ap[role] = ap.get(role) or _ap_value(data, table, role, key, index)
            else:
                own.append((radio, by_channel))
    for table, keys in joins:
        if _join(data, table, keys, joined, by_id, warnings):
            used.append(f"{table['id']}>{table['join']['table']}")
    radios = _enrich([r for r, _ in own], [c for _, c in own], own_model, vendor) if own else []
    if not radios and not joined:
        radios = _catalog_radios(own_model, vendor)
    children = []
    for ap in joined.values():
        ap_radios = _enrich([r[0] for r in ap["radios"]], [r[1] for r in ap["radios"]], ap.get("model"), vendor)
        ap_radios = ap_radios or _catalog_radios(ap.get("model"), vendor)
        mib = ap["table"].get("mib", ap["table"]["id"])
        label = ap.get("name") or ap["mac"] or ap.get("id") or ""
        children.append(
            Device(
                ip=ap.get("ip") or "",
                mac=ap["mac"],
                vendor=vendor,
                model=ap.get("model"),
                serial=ap.get("serial"),
                wifi=wifi_facts(ap_radios, ap.get("model"), vendor),
                sys_name=ap.get("name"),
                sys_descr=ap.get("descr"),
                role=Role.ACCESS_POINT,
                role_confidence=0.9,
                basis=(Basis("snmp", mib, label, "AP joined to this controller"
                             + (f" (id {ap['id']})" if ap.get("id") else "")),),
                radios=tuple(ap_radios),
                found_by=("snmp-controller",),
            )
        )
    return SnmpRadios(radios=tuple(radios), children=tuple(children), warnings=tuple(warnings), tables=tuple(used),
                      wifi=wifi_facts(radios, own_model, vendor))
