"""inventory.csv: one row per device with what was found and its verdicts (UTF-8 with BOM for spreadsheets)."""

from __future__ import annotations

import csv
from pathlib import Path

from agent.model import Device, EvidenceBundle
from assessment import provenance

COLUMNS = (
    "ip", "mac", "vendor", "model", "firmware", "serial", "role", "sys_name", "sys_location",
    "max_port_speed_mbps", "max_port_capability_mbps", "throughput_mbps", "wifi_standard", "wifi_wave2",
    "wifi_bands_ghz", "wifi_max_rate_mbps", "snmp_status", "snmp_version", "found_by", "verdicts",
)


def device_row(d: Device, verdicts: str) -> dict[str, str]:
    def s(v: object) -> str:
        return "" if v is None else str(v)

    standards = sorted({r.standard for r in d.radios if r.standard})
    bands = sorted({r.band_ghz for r in d.radios if r.band_ghz}, key=float)
    wave2 = [r.wave2 for r in d.radios if r.wave2 is not None]
    rates = {r.band_ghz: r.max_rate_mbps for r in d.radios if r.band_ghz and r.max_rate_mbps}
    return {
        "ip": d.ip, "mac": s(d.mac), "vendor": s(d.vendor or d.mac_vendor), "model": s(d.model),
        "firmware": s(d.firmware), "serial": s(d.serial), "role": d.role.value, "sys_name": s(d.sys_name),
        "sys_location": s(d.sys_location), "max_port_speed_mbps": s(d.max_port_speed_mbps),
        "max_port_capability_mbps": s(d.max_port_capability_mbps), "throughput_mbps": s(d.throughput_mbps),
        "wifi_standard": "/".join(standards), "wifi_wave2": s(any(wave2)) if wave2 else "",
        "wifi_bands_ghz": "+".join(bands),
        "wifi_max_rate_mbps": ";".join(f"{b}={v:g}" for b, v in sorted(rates.items(), key=lambda kv: float(kv[0]))),
        "snmp_status": d.snmp_status, "snmp_version": s(d.snmp_version), "found_by": "+".join(d.found_by),
        "verdicts": verdicts,
    }


def rows(bundle: EvidenceBundle) -> list[dict[str, str]]:
    by_subject: dict[str, list[str]] = {}
    for f in bundle.findings:
        known = provenance.key(f.provenance, f.verified)
        entry = f"{f.criterion_id}={f.status.value}" + (f"/{known}" if known else "")
        by_subject.setdefault(f.subject, []).append(entry)
    return [device_row(d, "; ".join(by_subject.get(d.ip, []))) for d in bundle.devices]


def write_csv(bundle: EvidenceBundle, target: Path, lang: str = "vi") -> Path:
    """Column names are stable English keys (for machines); values are as found."""
    with open(target, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows(bundle))
    return target
