"""Parse `iw dev IF scan [dump]` text: the last resort when no raw elements are available.

iw says "Do NOT screenscrape this tool, we don't consider its output stable", so this parser rebuilds the same
typed capabilities as the raw parser from the fields iw prints (the VHT/HT capability words are printed in
hex, the MCS maps line by line) and records the iw version. HE is decoded by iw only from v5.16 and EHT from
v6.17; older versions print those elements as "Unknown IE (255): <hex>", which is parsed here as raw bytes.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from probes.wifi.bss import BssObservation, freq_of_channel
from probes.wifi.ie import (
    EhtCapabilities,
    Elements,
    HeCapabilities,
    HtCapabilities,
    HtOperation,
    VhtCapabilities,
    VhtOperation,
    eht_capabilities,
    parse_elements,
)

# a BSS line: any indentation (pasted text), a full or anonymised/partial BSSID ("xx:xx:xx:xx:3e:41", "XX:XX:..",
# kept as an opaque id), then "(on wlan0)" (iw 0.9: " (on wlan0)") and " -- associated" or nothing
_BSS = re.compile(r"^\s*BSS\s+((?:[0-9a-zA-Z*?_.]{1,2}[:-]){1,5}(?:[0-9a-zA-Z*?_]{1,2}|\.{1,3}))(?![0-9a-zA-Z:])")
_BSS_ON = re.compile(r"^\s*BSS\s+(\S+?)\s*\(on\s+[^)\s]+\)")  # any redaction, as long as "(on IF)" follows
_PROMPT = re.compile(
    r"^\S*[@#$%>]\S*\s*(?:sudo\s+)?iw\b|^[#$%>]\s|^[#$%>]$|^\S+@\S+[:~].*[$#]\s|^\S+@\S+[:~]\S*[$#]$"
    r"|^\[[^\]\s]+@[^\]]+\][$#](?:\s|$)"
)
# Names iw prints at the first level of a BSS block (iw scan.c print_bss_handler, ieprinters, wifiprinters,
# wfa_printers, ext_printers across versions 0.9 - 6.x). Only used when a pasted dump lost all its indentation.
_TOP_NAMES = re.compile(
    r"^(?:(?:TSF|freq|beacon interval|capability|signal|last seen|SSID|Supported rates|Extended supported rates"
    r"|DS Parameter set|TIM|Country|ERP|ERP D4\.0|Power constraint|TPC report|IBSS ATIM window"
    r"|HT [Cc]apabilities|HT [Oo]peration|RSN|WPA|WMM|WPS|BSS Load|Overlapping BSS scan params"
    r"|Extended capabilities|Extended capabilties|VHT [Cc]apabilities|VHT [Oo]peration|HE [Cc]apabilities"
    r"|HE [Oo]peration|EHT [Cc]apabilities|EHT [Oo]peration|Multi-Link|Mesh ID|Mesh configuration"
    r"|RM enabled capabilities|Mobility Domain|Secondary Channel Offset|Channel Switch Announcement"
    r"|Supported operating classes|Measurement Pilot Transmission|Interworking|802\.11u Interworking"
    r"|Advertisement Protocol|Roaming consortium|AP Channel Report|Transmit Power Envelope|Short beacon interval"
    r"|Operating Mode Notification|P2P|HotSpot 2\.0 Indication|HotSpot 2\.0 OSEN|OWE Transition Mode|Vendor specific"
    r")\s*:|Information elements from |Unknown IE \(|Unknown Extension ID \(|Extension IE|MS/WiFi |WiFi OUI |WFA )"
)
_OUI_TYPE = re.compile(r"^(MS/WiFi|WiFi OUI|WFA) (0x[0-9a-fA-F]+|\d+),? data:(.*)$")
_STREAM = re.compile(r"^(\d+) streams?: (?:MCS 0-(\d+)|not supported)")
_HEX = re.compile(r"\(0x([0-9a-fA-F]+)\)")
_SECTIONS = (
    "HT capabilities", "HT operation", "VHT capabilities", "VHT operation", "HE capabilities", "HE Operation",
    "EHT capabilities", "EHT Operation", "WPS",
)  # fmt: skip
# older iw wording of the same sections
_SECTION_ALIASES = {"HT Capabilities": "HT capabilities", "VHT Capabilities": "VHT capabilities",
                    "HT Operation": "HT operation", "VHT Operation": "VHT operation",
                    "HE Capabilities": "HE capabilities", "HE operation": "HE Operation"}


@dataclass
class IwScanResult:
    observations: list[BssObservation] = field(default_factory=list)
    iw_version: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_iw_dump(path: Path) -> str:
    """The text of a saved dump, whatever wrote it: UTF-8 (with or without BOM), or the UTF-16 that Windows
    PowerShell 5 `>` redirection writes (BOM FF FE); undecodable bytes become U+FFFD, never an error."""
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if len(data) >= 4 and data[1::2][:64].count(0) > 24:  # UTF-16 LE without a BOM: every other octet NUL
        return data.decode("utf-16-le", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def iw_version() -> str | None:
    """`iw --version` of this machine ("5.19"), or None when iw is missing."""
    exe = shutil.which("iw")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=5, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+\.\d+(?:\.\d+)?)", out)
    return match.group(1) if match else None


def _indent(line: str) -> int:
    """Width of the leading white space, a tab counting as 8 columns (iw prints tabs; pasted text has spaces)."""
    lead = line[: len(line) - len(line.lstrip())]
    return len(lead.expandtabs(8))


class _Levels:
    """Nesting depth from indentation widths relative to the BSS line, whatever the unit (tab, 2, 4 spaces)."""

    def __init__(self, base: int) -> None:
        self.stack = [base]

    def level(self, width: int) -> int:
        while len(self.stack) > 1 and self.stack[-1] > width:
            self.stack.pop()
        if width > self.stack[-1]:
            self.stack.append(width)
        return len(self.stack) - 1 if width >= self.stack[0] else 0


def _unescape(text: str) -> str:
    raw = re.sub(r"\\x([0-9a-fA-F]{2})", lambda m: chr(int(m.group(1), 16)), text)
    try:
        return raw.encode("latin-1").decode("utf-8").replace("\x00", "")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return raw.replace("\x00", "")


def _mcs_code(top: str | None, phy: str) -> int:
    if top is None:
        return 3
    table = {"7": 0, "8": 1, "9": 2} if phy == "vht" else {"7": 0, "9": 1, "11": 2}
    return table.get(top, 3)


def _map(streams: dict[int, int]) -> int:
    value = 0
    for n in range(8):
        value |= streams.get(n + 1, 3) << (2 * n)
    return value


class _Block:
    """Accumulates what one `BSS ...` block says."""

    def __init__(self, bssid: str) -> None:
        self.bssid = bssid.lower().replace("-", ":")
        self.state: tuple[str, str] = ("", "")
        self.freq: int | None = None
        self.fields: dict[str, object] = {}
        self.raw = bytearray()
        self.ht_info: int | None = None
        self.ht_nss = 0
        self.ht_oper: dict[str, str] = {}
        self.vht_info: int | None = None
        self.vht_ext_nss = False  # iw >= 5.x "VHT extended NSS: supported" (Tx Highest B13)
        self.vht_rx_highest = 0
        self.vht_oper: dict[str, str] = {}
        self.maps: dict[str, dict[int, int]] = {}
        self.he_mac = b""
        self.he_phy: bytes | None = None
        self.he_flags: set[str] = set()
        self.eht_phy: bytes | None = None
        self.eht_seen = False
        self.eht_nss: dict[int, dict[int, int]] = {}
        self.eht_mcs_raw = b""
        self.wps: dict[str, str] = {}
        self.ouis: list[str] = []
        self.legacy_rate = 0.0
        self.flat = False  # the block's lines lost their indentation (levels inferred from iw's names)

    def elements(self, warnings: list[str]) -> Elements:
        raw = parse_elements(bytes(self.raw)) if self.raw else Elements()
        warnings += [f"{self.bssid}: {w}" for w in raw.warnings]
        values: dict[str, object] = {k: v for k, v in self.fields.items()}
        if self.ht_info is not None:
            mcs = bytes([0xFF] * self.ht_nss + [0] * (16 - self.ht_nss))
            values["ht"] = HtCapabilities(info=self.ht_info, rx_mcs=mcs)
        if self.ht_oper.get("primary channel"):
            offset = {"above": 1, "below": 3}.get(self.ht_oper.get("secondary channel offset", ""), 0)
            values["ht_oper"] = HtOperation(
                int(self.ht_oper["primary channel"]), offset, self.ht_oper.get("STA channel width", "any") == "any"
            )
        elif self.ht_oper.get("secondary channel offset"):
            offset = {"above": 1, "below": 3}.get(self.ht_oper["secondary channel offset"], 0)
            values["ht_oper"] = HtOperation(0, offset, True)
        if self.vht_info is not None:
            values["vht"] = VhtCapabilities(
                info=self.vht_info,
                rx_mcs_map=_map(self.maps.get("VHT RX MCS set", {1: 2})),
                rx_highest=self.vht_rx_highest,
                tx_mcs_map=_map(self.maps.get("VHT TX MCS set", {})),
                ext_nss_bw_capable=self.vht_ext_nss,
            )
        width = _vht_width_code(self.vht_oper.get("channel width", ""))
        if width is not None:
            values["vht_oper"] = VhtOperation(
                width=width,
                ccfs0=int(self.vht_oper.get("center freq segment 1", "0") or 0),
                ccfs1=int(self.vht_oper.get("center freq segment 2", "0") or 0),
            )
        he_maps = {k: v for k, v in self.maps.items() if k.startswith("HE RX")}
        if self.he_phy is not None or he_maps or self.he_flags:
            phy = bytearray(self.he_phy or bytes(11))
            for flag, bit in (("HE40/2.4GHz", 0x02), ("HE40/HE80/5GHz", 0x04), ("HE160/5GHz", 0x08)):
                if flag in self.he_flags:
                    phy[0] |= bit
            if "HE160/HE80+80/5GHz" in self.he_flags:
                phy[0] |= 0x10
            rx80 = _map(next((v for k, v in he_maps.items() if "<= 80" in k), {}))
            rx160 = next((v for k, v in he_maps.items() if "160" in k and "80+80" not in k), None)
            values["he"] = HeCapabilities(
                mac=self.he_mac or bytes(6),
                phy=bytes(phy),
                mcs_80=(rx80, rx80),
                mcs_160=(_map(rx160), _map(rx160)) if rx160 else None,
            )
        elif raw.he is not None:
            values["he"] = raw.he
        if self.eht_seen:
            he = values.get("he")
            eht = None
            if self.eht_phy and self.eht_mcs_raw:  # the raw octets iw printed: decode them like a beacon
                try:
                    body = bytes(2) + self.eht_phy + self.eht_mcs_raw
                    eht = eht_capabilities(body, he if isinstance(he, HeCapabilities) else None)
                except ValueError as exc:
                    warnings.append(f"{self.bssid}: EHT MCS/NSS unreadable: {exc}")
            values["eht"] = eht or EhtCapabilities(mac=bytes(2), phy=self.eht_phy or bytes(9), mcs=self.eht_nss)
        elif raw.eht is not None:
            values["eht"] = raw.eht
        if self.legacy_rate and "max_legacy_rate" not in values:
            values["max_legacy_rate"] = self.legacy_rate
        # what iw printed only as hex ("Unknown IE (45): ..." from an iw that did not decode HT, `-u` lines, vendor
        # elements) fills every field the decoded text did not give
        for name in ("ssid", "ds_channel", "max_legacy_rate", "ht", "ht_oper", "vht", "vht_oper", "vendor_vht",
                     "he_oper", "eht_oper", "ap_name"):
            if getattr(raw, name) is not None and name not in values:
                values[name] = getattr(raw, name)
        wps = dict(raw.wps)
        wps.update(self.wps)
        ouis = tuple(dict.fromkeys([*self.ouis, *raw.vendor_ouis]))
        ids = tuple(sorted({*raw.element_ids, *(45,) * bool(self.ht_info is not None), *(191,) * bool(self.vht_info)}))
        return replace(Elements(), wps=wps, vendor_ouis=ouis, element_ids=ids, **values)  # type: ignore[arg-type]


def _vht_width_code(text: str) -> int | None:
    """VHT Operation Channel Width code from iw's "1 (80 MHz)" (or a bare "80 MHz" / "80+80 MHz")."""
    match = re.match(r"\s*(\d+)(\+80)?", text)
    if not match:
        return None
    value = int(match.group(1))
    if value <= 3 and not match.group(2):
        return value
    return {20: 0, 40: 0, 80: 3 if match.group(2) else 1, 160: 2}.get(value)


def _hex_bytes(text: str) -> bytes:
    """The octets of iw's " %.2x" dumps, "00:50:f2" or "0d01081a4000"; a lone nibble where a paste was cut is
    dropped."""
    bare = text.strip()
    if re.fullmatch(r"[0-9a-fA-F]+", bare):
        return bytes.fromhex(bare[: len(bare) // 2 * 2])
    return bytes(int(pair, 16) for pair in re.findall(r"(?<![0-9a-fA-F])[0-9a-fA-F]{2}(?![0-9a-fA-F])", text))


def _top_level(block: _Block, key: str, value: str) -> None:
    # iw prints freq, SSID and DS Parameter set once per block (twice, the same, with `-b`): the first one counts,
    # so the output of another command pasted after the dump (`iw dev IF link`: "\tSSID: ..") cannot override it
    if key == "freq":
        with contextlib.suppress(ValueError, IndexError):
            block.freq = block.freq or round(float(value.split()[0]))
    elif key == "SSID":
        block.fields.setdefault("ssid", _unescape(value.strip()))
    elif key == "DS Parameter set":
        match = re.search(r"channel (\d+)", value)
        if match:
            block.fields.setdefault("ds_channel", int(match.group(1)))
    elif key in ("Supported rates", "Extended supported rates"):
        speeds = [float(r) for r in re.findall(r"(\d+(?:\.\d+)?)\*?(?=\s|$)", value)]
        if speeds:
            block.legacy_rate = max(block.legacy_rate, *speeds)
    elif found := _OUI_TYPE.match(f"{key}:{value}"):
        # "MS/WiFi 0x04, data: ..." / iw 0.9 "WiFi OUI 0x04 data: ..." / "WFA 0x09, data: ...": vendor element
        # of an OUI iw knows, of a type it does not decode
        oui = bytes.fromhex("506f9a") if found.group(1) == "WFA" else bytes.fromhex("0050f2")
        body = oui + bytes([int(found.group(2), 16) & 0xFF]) + _hex_bytes(found.group(3))
        block.ouis.append(oui.hex(":"))
        if len(body) < 256:
            block.raw += bytes([221, len(body)]) + body
    elif key == "Vendor specific":
        match = re.match(r"OUI ([0-9a-fA-F:]{8}), data:(.*)", value.strip())
        if match:
            oui, data = _hex_bytes(match.group(1)), _hex_bytes(match.group(2))
            block.ouis.append(match.group(1).lower())
            body = oui + data
            if len(body) < 256:
                block.raw += bytes([221, len(body)]) + body
    elif key.startswith("Unknown IE") or key.startswith("Unknown Extension ID"):
        match = re.search(r"\((\d+)\)", key)
        data = _hex_bytes(value)
        if match and data:
            eid = int(match.group(1))
            body = (bytes([eid]) + data) if key.startswith("Unknown Extension") else data
            eid = 255 if key.startswith("Unknown Extension") else eid
            if len(body) < 256:
                block.raw += bytes([eid, len(body)]) + body


def _in_section(block: _Block, section: str, sub: str, text: str) -> None:
    key, _, value = text.partition(":")
    key, value = key.strip(" *"), value.strip()
    if section == "HT capabilities":
        if key == "Capabilities" and value.startswith("0x"):
            block.ht_info = int(value, 16)
        elif "MCS rate indexes supported" in key:
            tops = [int(x) for x in re.findall(r"\d+", value) if int(x) < 32]
            block.ht_nss = max(tops) // 8 + 1 if tops else 0
    elif section == "HT operation":
        block.ht_oper[key] = value
    elif section == "VHT operation":
        block.vht_oper[key] = value
    elif section == "VHT capabilities":
        match = _HEX.search(text)
        if text.startswith("VHT Capabilities") and match:
            block.vht_info = int(match.group(1), 16)
        elif text.startswith("VHT extended NSS:"):  # util.c print_vht_info: "%ssupported", "" or "not "
            block.vht_ext_nss = "not" not in value
        elif text.startswith("VHT RX highest supported:") and value.split()[0].isdigit():
            block.vht_rx_highest = int(value.split()[0])
    elif section == "HE capabilities":
        match = _HEX.search(text)
        if text.startswith("HE MAC Capabilities") and match:
            block.he_mac = _hex_bytes(match.group(1))[:6]
        elif text.startswith("HE PHY Capabilities") and match:
            phy = _hex_bytes(match.group(1))
            block.he_phy = phy[:11] if len(phy) >= 11 else None
        elif text in ("HE40/2.4GHz", "HE40/HE80/5GHz", "HE160/5GHz", "HE160/HE80+80/5GHz"):
            block.he_flags.add(text)
    elif section == "EHT capabilities":
        block.eht_seen = True
        match = _HEX.search(text)
        if text.startswith("EHT PHY Capabilities") and match:
            phy = _hex_bytes(match.group(1))
            block.eht_phy = phy[:9] if len(phy) >= 9 else None
        elif text.startswith("EHT MCS/NSS") and match:
            block.eht_mcs_raw = _hex_bytes(match.group(1))
        # iw 6.x: "EHT bw <= 80 MHz, max NSS for MCS 10-11: Rx=2, Tx=2"; later: "Rx Max NSS for MCS 10-11: 2"
        old_style = re.match(r"EHT bw (?:<= )?=?\s*(\d+) MHz, max NSS for MCS \d+-(\d+): Rx=(\d+)", text)
        new_style = re.match(r"Rx Max NSS for MCS \d+-(\d+): (\d+)", text)
        if old_style:
            width, top, nss = (int(g) for g in old_style.groups())
            block.eht_nss.setdefault(max(width, 80), {})[top] = nss
        elif new_style:
            width = 320 if "320" in sub else (160 if "160" in sub else 80)
            block.eht_nss.setdefault(width, {})[int(new_style.group(1))] = int(new_style.group(2))
    elif section == "WPS":
        names = {"Manufacturer": "manufacturer", "Model": "model_name", "Model Number": "model_number"}
        names["Device name"] = "device_name"
        if key in names and value:
            block.wps[names[key]] = value
    streams = _STREAM.match(text)
    if streams and sub:
        kind = "vht" if sub.startswith("VHT") else "he"
        block.maps.setdefault(sub, {})[int(streams.group(1))] = _mcs_code(streams.group(2), kind)


def parse_iw_scan(text: str, version: str | None = None) -> IwScanResult:
    """Every BSS in `iw dev IF scan` output. ``version`` is the iw that printed it (None = unknown).

    Never raises on bad text: a line or block that cannot be read becomes a warning and the rest is kept.
    """
    result = IwScanResult(iw_version=version)
    match = re.search(r"iw version (\d+\.\d+(?:\.\d+)?)", text[:200])
    if match and version is None:
        result.iw_version = match.group(1)
    blocks: list[_Block] = []
    block: _Block | None = None
    levels = _Levels(0)
    section, sub = "", ""
    for number, line in _joined(text.lstrip("\ufeff").splitlines()):
        if not line.strip():
            continue
        head = _BSS.match(line) or _BSS_ON.match(line)
        if head:
            block = _Block(head.group(1))
            blocks.append(block)
            levels = _Levels(_indent(line))
            section, sub = "", ""
            continue
        if block is None:
            continue
        text_ = line.strip()
        if _PROMPT.match(text_):
            block = None  # a shell prompt after the dump: the block has ended
            continue
        level = levels.level(_indent(line))
        if level == 0:
            # a dump pasted without its indentation: iw's first-level names start a field, the rest nests
            if _TOP_NAMES.match(text_):
                level, block.flat = 1, True
            elif block.flat:
                level = 2
            else:  # not iw's: a wrapped line, a note, another command's output; the block goes on
                result.warnings.append(f"line {number} outside any BSS block ignored: {text_[:60]}")
                section, sub = "", ""
                continue
        try:
            _line(block, level, text_, section, sub)
        except (ValueError, IndexError) as exc:
            result.warnings.append(f"{block.bssid}: line {number} unreadable ({exc}): {text_[:60]}")
            continue
        section, sub = block.state
    _opaque_ids(blocks)
    kept: dict[str, BssObservation] = {}
    for b in blocks:
        obs = _observation(b, result.warnings)
        old = kept.get(obs.bssid)
        if old is not None:  # two dumps pasted one after the other: keep the fuller block of the same BSSID
            result.warnings.append(f"{obs.bssid}: printed more than once; the block with more elements is kept")
            if _weight(old) >= _weight(obs):
                continue
        kept[obs.bssid] = obs
    result.observations = list(kept.values())
    if not blocks and text.strip():
        result.warnings.append("no 'BSS xx:xx:xx:xx:xx:xx' block found: not `iw dev IF scan` output")
    _version_warnings(result)
    return result


_HEX_ONLY = re.compile(r"^\s*(?:[0-9a-fA-F]{2}\s+)*[0-9a-fA-F]{2}\s*$")
_HEX_CARRIER = re.compile(r"^\s*(?:Unknown IE \(|Unknown Extension ID \(|Vendor specific: OUI|MS/WiFi |WiFi OUI |WFA )"
                          r"|\bdata:(?:\s+[0-9a-fA-F]{2})*\s*$")


def _joined(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, line) with hex dumps that a terminal or mail client wrapped put back on one line: a line of
    bare hex pairs, no deeper than the "Unknown IE (..):" / "Vendor specific: ..." line it continues."""
    pending: tuple[int, str] | None = None
    for number, line in enumerate(lines, 1):
        if pending and _HEX_ONLY.match(line) and _indent(line) <= _indent(pending[1]):
            pending = (pending[0], pending[1].rstrip() + " " + line.strip())
            continue
        if pending:
            yield pending
            pending = None
        if _HEX_CARRIER.search(line):
            pending = (number, line)
        else:
            yield number, line
    if pending:
        yield pending


def _weight(obs: BssObservation) -> tuple[int, int]:
    """How much a block says: its elements (decoded capabilities count extra), then whether it gave a frequency."""
    e = obs.elements
    decoded = sum(cap is not None for cap in (e.ht, e.vht, e.he, e.eht))
    return len(e.element_ids) + decoded, int(obs.freq_mhz is not None)


def _opaque_ids(blocks: list[_Block]) -> None:
    """Anonymised BSSIDs that repeat ("XX:XX:XX:XX:XX:XX" for every AP) get "#2", "#3" so no two APs merge."""
    seen: dict[str, int] = {}
    for b in blocks:
        if re.fullmatch(r"[0-9a-f]{2}(?::[0-9a-f]{2}){5}", b.bssid):
            continue
        seen[b.bssid] = seen.get(b.bssid, 0) + 1
        if seen[b.bssid] > 1:
            b.bssid = f"{b.bssid}#{seen[b.bssid]}"


def _observation(b: _Block, warnings: list[str]) -> BssObservation:
    try:
        elements = b.elements(warnings)
    except (ValueError, IndexError, TypeError) as exc:
        warnings.append(f"{b.bssid}: capabilities unreadable ({exc}); kept with frequency and SSID only")
        ssid, channel = b.fields.get("ssid"), b.fields.get("ds_channel")
        elements = replace(Elements(), ssid=ssid if isinstance(ssid, str) else None,
                           ds_channel=channel if isinstance(channel, int) else None)
    freq = b.freq
    if freq is None and elements.ds_channel is None and elements.ht_oper and elements.ht_oper.primary_channel:
        channel = elements.ht_oper.primary_channel  # no "freq:" and no DS Parameter Set (common on 5 GHz)
        freq = freq_of_channel(channel, "2.4" if channel <= 14 else "5")
        if freq is not None:
            warnings.append(f"{b.bssid}: no 'freq:' line; {freq} MHz from HT operation primary channel {channel}")
    elif freq is None and elements.ds_channel is None:
        warnings.append(f"{b.bssid}: no 'freq:' line and no channel: band unknown")
    return BssObservation(bssid=b.bssid, elements=elements, freq_mhz=freq, source="iw", freq_basis="iw")


def _line(block: _Block, level: int, text_: str, section: str, sub: str) -> None:
    """One line inside a BSS block at nesting ``level`` (1 = a field of the BSS); the new state in block.state."""
    block.state = (section, sub)
    if level <= 1:
        sub = ""
        name, _, rest = text_.partition(":")
        name = _SECTION_ALIASES.get(name.strip(), name.strip())
        if name in _SECTIONS:
            block.state = (name, "")
            if rest.strip():
                _in_section(block, name, "", rest.strip())
            return
        block.state = ("", "")
        _top_level(block, name, rest)
        return
    if text_.endswith(":") or re.match(r"^(?:HE|EHT|VHT) (?:RX|TX)? ?MCS.*(?:set|Map).*$", text_):
        sub = text_.rstrip(":").strip()
        if section == "EHT capabilities":
            block.eht_seen = True
        if not text_.startswith(("VHT Capabilities", "HE MAC", "HE PHY", "EHT MAC", "EHT PHY", "EHT MCS/NSS")):
            block.state = (section, sub)
            return
        sub = ""
    block.state = (section, sub)
    if section:
        _in_section(block, section, sub, text_)


def _version_warnings(result: IwScanResult) -> None:
    ver = result.iw_version
    if ver is None:
        result.warnings.append("iw version unknown: HE (802.11ax) is decoded only by iw >= 5.16, EHT by >= 6.17")
    else:
        parts = tuple(int(p) for p in ver.split(".")[:2])
        if parts < (5, 16):
            result.warnings.append(f"iw {ver} does not decode HE/EHT; only their raw 'Unknown IE' hex is used")
        elif parts < (6, 17):
            result.warnings.append(f"iw {ver} does not decode EHT (802.11be); only raw 'Unknown' hex is used")
