"""Wi-Fi: what the air and the access points' own MIBs say about standard, Wave 2, bands and rates.

``scan_air(config)`` scans ``config.wifi.iface`` (or the first Wi-Fi interface) and returns one
:class:`~agent.model.AirAccessPoint` per physical AP heard. ``access_points(observations)`` turns observations
from any source (live scan, pcap, `iw` text) into verdicts. ``snmp_radios.radios_from_snmp`` reads radios over SNMP.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.config import Config
    from agent.model import AirAccessPoint
    from probes.wifi.bss import BssObservation

log = logging.getLogger("schoolnet.wifi")


@dataclass
class AirScan:
    """The access points heard, how, and what went wrong on the way."""

    access_points: list[AirAccessPoint] = field(default_factory=list)
    method: str = ""
    warnings: list[str] = field(default_factory=list)


def _revision(model_number: str | None) -> int | None:
    match = re.fullmatch(r"v?(\d{1,2})(?:\.\d+)?", (model_number or "").strip(), re.IGNORECASE)
    return int(match.group(1)) if match else None


def access_points(observations: Iterable[BssObservation], *, window: int = 16) -> list[AirAccessPoint]:
    """Group observations into physical APs and give each its verdict."""
    from agent.model import Basis
    from probes.wifi import catalog
    from probes.wifi.bss import analyse
    from probes.wifi.group import group_bss
    from probes.wifi.verdict import summarise

    out = []
    for group in group_bss(list(observations), window=window):
        members = sorted(group.members, key=lambda o: (o.freq_mhz or 0, o.bssid))
        radios = [analyse(o) for o in members]
        wps: dict[str, str] = {}
        for o in members:
            wps.update({k: v for k, v in o.elements.wps.items() if k not in wps})
        ap_name = next((o.elements.ap_name for o in members if o.elements.ap_name), None)
        model = wps.get("model_name")
        extra = [Basis("rule", "grouping", r) for r in group.reasons]
        match = None
        if model:
            match = catalog.lookup(model, _revision(wps.get("model_number")), vendor=wps.get("manufacturer"))
            extra.append(
                Basis("beacon", "WPS Model Name", model, f"self-reported; manufacturer {wps.get('manufacturer', '?')}")
            )
        warnings = [f"{o.bssid}: {w}" for o in members for w in o.warnings]
        name = ap_name or wps.get("device_name") or f"AP {members[0].bssid}"
        out.append(summarise(name, radios, match, model=model, extra_basis=extra, warnings=warnings))
    return out


def scan_air_report(config: Config) -> AirScan:
    """Live scan of ``config.wifi.iface`` (or the first Wi-Fi interface); never raises for a missing radio."""
    from probes.wifi import live

    report = AirScan()
    if not config.wifi.scan:
        report.warnings.append("Wi-Fi scan disabled in the config (wifi.scan = false)")
        return report
    iface = config.wifi.iface or next(iter(live.wireless_interfaces()), "")
    if not iface:
        report.warnings.append("no Wi-Fi interface on this machine: nothing heard over the air")
        return report
    result = live.scan(iface)
    report.method, report.warnings = f"{result.method} on {iface}", list(result.warnings)
    report.access_points = access_points(result.observations)
    return report


def scan_air(config: Config) -> list[AirAccessPoint]:
    """The access points heard by a live scan ([] with a logged warning when there is no Wi-Fi interface)."""
    report = scan_air_report(config)
    for warning in report.warnings:
        log.warning(warning)
    return report.access_points
