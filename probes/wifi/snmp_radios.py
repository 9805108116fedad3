"""Radios of an access point (or of every AP joined to a controller) from what SNMP said.

The MIB tables are DATA in config/catalog/wifi_mibs.toml; this module only reads them generically. Band comes
from frequency or band fields; a bare channel number gives a band only where the number exists in one band
(flagged in the basis). The catalog row of the model (config/catalog/access_points.toml) then fills standard,
Wave 2, streams and maximum rate where the MIB is silent, and a conflict between the two is written into the
radio's basis, never resolved silently. A device whose model is catalogued but whose radio table did not answer
gets catalog-only radios, marked so.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from agent.model import Basis, Device, Radio, Role
from probes.snmp.data import Oid, SnmpData, Value, as_text, dotted, oid
from probes.wifi import catalog
from probes.wifi.bss import band_of, channel_of

MIBS_FILE = catalog.CATALOG_DIR / "wifi_mibs.toml"
_BAND_TEXT = re.compile(r"^(?P<freq>\d{4,5})(?:/(?P<width>\d+))?[^/]*(?:/(?P<mode>[a-z-]+))?", re.IGNORECASE)


@dataclass(frozen=True)
class SnmpRadios:
    """Radios of the device itself, and one child Device per AP joined to it (controllers, clusters)."""

    radios: tuple[Radio, ...] = ()
    children: tuple[Device, ...] = ()
    warnings: tuple[str, ...] = ()
    tables: tuple[str, ...] = field(default_factory=tuple)


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


def _rows(data: SnmpData, table: dict[str, Any]) -> list[Oid]:
    indexes: set[Oid] = set()
    for role, spec in table.items():
        if isinstance(spec, dict) and "oid" in spec and role not in ("ap",):
            indexes |= set(data.column(spec["oid"]))
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
    for role, gen in (("ax_flag", "ax"), ("ac_flag", "ac")):
        hit = get(role)
        if hit and hit[1] == 1 and std not in ("ax", "be"):
            std = gen if std != "ac" or gen == "ax" else std
            basis.append(Basis("snmp", f"{mib} {role} {dotted(oid(hit[0]['oid']) + index)}", "true(1)", f"802.11{gen}"))
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
    return as_text(data.get(oid(spec["oid"]) + key))


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
            if band and band not in row.bands and band != "60":
                basis.append(Basis("rule", "disagreement", f"band {band}", f"catalog row lists {', '.join(row.bands)}"))
            cat_std = "n" if (band == "2.4" and row.standard == "ac") else row.standard
            if std is None or (std == "legacy" and cat_std != "legacy"):
                std = cat_std if band in row.bands or band is None else std
            elif std != cat_std and band in row.bands:
                basis.append(Basis("rule", "disagreement", f"standard {std}", f"catalog says {cat_std} on {band} GHz"))
            if band != "2.4" and std == "ac":
                wave2 = row.wave2
            elif row.standard == "n":
                wave2 = False  # no 802.11ac at all: not Wave 2
        if wave2 is None and band not in (None, "2.4") and std in ("n", "legacy"):
            wave2 = False  # an 802.11n/legacy 5 GHz radio cannot be 802.11ac Wave 2, whatever the model
        rate = row.rates.get(band) if (row is not None and band) else None
        streams = row.streams.get(band) if (row is not None and band) else None
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
            )
        )
    return out


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
            )
        )
    return radios


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
    for table in load_tables(tables_path):
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
        ap_len = int(table.get("ap_index", 0))
        for index in rows:
            try:
                radio, by_channel = _read_radio(data, table, index)
                radio = _with_vaps(data, table, index, radio)
            except (ValueError, TypeError) as exc:
                warnings.append(f"{table['id']} row {dotted(index)} unreadable: {exc}")
                continue
            if ap_len and len(index) > ap_len:
                key = index[:ap_len]
                ap = joined.setdefault(key, {"radios": [], "mac": _mac(key), "table": table})
                ap["radios"].append((radio, by_channel))
                for role in ("name", "model", "ip"):
                    ap.setdefault(role, _ap_value(data, table, role, key, index))
                    ap[role] = ap[role] or _ap_value(data, table, role, key, index)
            else:
                own.append((radio, by_channel))
    radios = _enrich([r for r, _ in own], [c for _, c in own], own_model, vendor) if own else []
    if not radios and not joined:
        radios = _catalog_radios(own_model, vendor)
    children = []
    for ap in joined.values():
        ap_radios = _enrich([r for r, _ in ap["radios"]], [c for _, c in ap["radios"]], ap.get("model"), vendor)
        mib = ap["table"].get("mib", ap["table"]["id"])
        children.append(
            Device(
                ip=ap.get("ip") or "",
                mac=ap["mac"],
                vendor=vendor,
                model=ap.get("model"),
                sys_name=ap.get("name"),
                role=Role.ACCESS_POINT,
                role_confidence=0.9,
                basis=(Basis("snmp", mib, ap.get("name") or ap["mac"] or "", "AP joined to this controller"),),
                radios=tuple(ap_radios),
                found_by=("snmp-controller",),
            )
        )
    return SnmpRadios(radios=tuple(radios), children=tuple(children), warnings=tuple(warnings), tables=tuple(used))
