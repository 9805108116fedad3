"""A live scan through nl80211 (pyroute2) that keeps each BSS's raw information elements.

pyroute2 decodes ``NL80211_BSS_INFORMATION_ELEMENTS`` into a summary dict and drops the bytes; its decoder can
also trip over a malformed element. So the attribute is read *undecoded* from pyroute2's lazy attribute slot
and handed to :func:`probes.wifi.ie.parse_elements`. Without CAP_NET_ADMIN (no new scan allowed) the cached
results are used (`iw dev IF scan dump`), and failing that, the `iw` text parser.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from probes.wifi.bss import BssObservation
from probes.wifi.ie import parse_elements

SYS_NET = Path("/sys/class/net")


@dataclass
class LiveScanResult:
    observations: list[BssObservation] = field(default_factory=list)
    method: str = ""
    warnings: list[str] = field(default_factory=list)
    iw_version: str | None = None


def wireless_interfaces(sys_net: Path = SYS_NET) -> list[str]:
    """Names of this machine's Wi-Fi interfaces (those with a ``wireless`` or ``phy80211`` entry in sysfs)."""
    if not sys_net.is_dir():
        return []
    return sorted(p.name for p in sys_net.iterdir() if (p / "wireless").exists() or (p / "phy80211").exists())


def _raw_attr(nested: Any, name: str) -> bytes | None:
    """The undecoded payload of attribute ``name`` inside a pyroute2 nested attribute."""
    for slot in nested.get("attrs", []) if hasattr(nested, "get") else []:
        cell = getattr(slot, "cell", None)
        key, nla = cell if cell else (slot[0], None)
        if key == name and nla is not None:
            return bytes(nla.data[nla.offset + 4 : nla.offset + nla.length])
    return None


def observations_from_messages(messages: Iterable[Any]) -> tuple[list[BssObservation], list[str]]:
    """Observations from NL80211_CMD_NEW_SCAN_RESULTS messages (pyroute2 ``nl80211cmd`` objects)."""
    out: dict[str, BssObservation] = {}
    warnings: list[str] = []
    for msg in messages:
        bss = msg.get_attr("NL80211_ATTR_BSS")
        if bss is None:
            continue
        bssid = bss.get_attr("NL80211_BSS_BSSID")
        freq = bss.get_attr("NL80211_BSS_FREQUENCY")
        raw = _raw_attr(bss, "NL80211_BSS_INFORMATION_ELEMENTS") or _raw_attr(bss, "NL80211_BSS_BEACON_IES")
        if not bssid or raw is None:
            warnings.append(f"scan result without BSSID or elements skipped ({bssid})")
            continue
        elements = parse_elements(raw)
        obs = BssObservation(
            bssid=str(bssid).lower(),
            elements=elements,
            freq_mhz=int(freq) if freq else None,
            source="nl80211",
            freq_basis="nl80211",
            warnings=elements.warnings,
        )
        out[obs.bssid] = obs
    return list(out.values()), warnings


def _nl80211_results(iw: Any, ifindex: int, trigger: bool, warnings: list[str]) -> tuple[list[Any], str]:
    """Trigger a scan and read it; without the privilege, read the kernel's cached results (GET_SCAN dump)."""
    if trigger:
        try:
            return list(iw.scan(ifindex, flush_cache=False)), "nl80211 scan (pyroute2), raw information elements"
        except Exception as exc:
            if isinstance(exc, PermissionError) or getattr(exc, "code", None) in (1, 13):
                warnings.append("a new scan needs root or CAP_NET_ADMIN; reading the cached scan results")
            else:
                warnings.append(f"scan trigger failed ({type(exc).__name__}: {exc}); reading cached results")
    from pyroute2.netlink.nl80211 import NL80211_NAMES, nl80211cmd

    msg = nl80211cmd()
    msg["cmd"] = NL80211_NAMES["NL80211_CMD_GET_SCAN"]
    msg["attrs"] = [["NL80211_ATTR_IFINDEX", ifindex]]
    # pyroute2 0.9 exposes no public sync GET_SCAN dump; this is what IW.scan() itself calls after triggering
    dumped = list(iw._generate_with_cleanup(iw.asyncore._do_dump, msg))
    return dumped, "nl80211 cached scan results (pyroute2), raw information elements"


def scan(iface: str, *, trigger: bool = True) -> LiveScanResult:
    """Scan on ``iface``: nl80211 with raw elements; on refusal fall back to `iw dev IF scan dump` text."""
    result = LiveScanResult()
    try:
        ifindex = socket.if_nametoindex(iface)
    except OSError:
        result.warnings.append(f"no interface named {iface!r}")
        return result
    try:
        from pyroute2 import IW

        iw = IW()
    except Exception as exc:  # no nl80211 family (no cfg80211 driver), pyroute2 missing: fall back, say why
        result.warnings.append(f"nl80211 not available ({type(exc).__name__}: {exc}); falling back to iw")
        return _iw_fallback(iface, result)
    try:
        messages, result.method = _nl80211_results(iw, ifindex, trigger, result.warnings)
    except Exception as exc:
        result.warnings.append(f"nl80211 scan failed ({type(exc).__name__}: {exc}); falling back to iw")
        messages = []
    finally:
        iw.close()
    result.observations, notes = observations_from_messages(messages)
    result.warnings += notes
    if result.observations:
        return result
    return _iw_fallback(iface, result)


def _iw_fallback(iface: str, result: LiveScanResult) -> LiveScanResult:
    import shutil
    import subprocess

    from probes.wifi.iwscan import iw_version, parse_iw_scan

    exe = shutil.which("iw")
    if exe is None:
        result.warnings.append("iw is not installed (apt-get install iw); no scan results")
        return result
    try:
        run = subprocess.run(
            [exe, "dev", iface, "scan", "dump"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        result.warnings.append(f"iw failed: {exc}")
        return result
    if run.returncode != 0:
        result.warnings.append(f"iw dev {iface} scan dump: {run.stderr.strip() or run.returncode}")
        return result
    version = iw_version()
    parsed = parse_iw_scan(run.stdout, version)
    result.observations, result.iw_version = parsed.observations, version
    result.warnings += parsed.warnings
    result.method = f"iw {version or '?'} `scan dump` text (last resort)"
    return result
