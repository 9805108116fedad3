"""Read beacons and probe responses from a monitor-mode capture (pcap or pcapng) with scapy.

Link types: 127 (RadioTap + 802.11), 105 (bare 802.11), 192 (PPI + 802.11), 119 (Prism) and 163 (AVS), the
headers of older Linux drivers; in a pcapng, frames of other interfaces (Ethernet ...) are skipped with a
warning. The frequency comes from the RadioTap Channel field, the PPI 802.11-Common field or the AVS/Prism
channel number when present, else from the DS Parameter Set channel (flagged in the basis). An
FCS is stripped when the CRC-32 of the frame matches its last four octets. When the header says "FCS at end"
but the CRC does not match, a frame whose elements end exactly at its last octet had its FCS removed by a tool
that kept the flag; any other such frame, and one RadioTap marks "bad FCS", was damaged in the air and is
ignored, so a flipped bit cannot invent an access point. Per
BSSID the richest frame (most elements) is kept. A truncated or corrupt file yields what was read before the
damage plus a warning; a frame that does not parse is counted and skipped.
"""

from __future__ import annotations

import contextlib
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from probes.wifi.bss import BssObservation, freq_of_channel
from probes.wifi.ie import parse_elements

DLT_IEEE802_11 = 105
DLT_PRISM = 119
DLT_RADIOTAP = 127
DLT_AVS = 163
DLT_PPI = 192
WIFI_LINKTYPES = (DLT_IEEE802_11, DLT_PRISM, DLT_RADIOTAP, DLT_AVS, DLT_PPI)
AVS_MAGIC = (0x80211001, 0x80211002)
SUBTYPES = {0x80: "beacon", 0x50: "probe_response"}


@dataclass
class CaptureResult:
    observations: list[BssObservation] = field(default_factory=list)
    frames: int = 0
    management_frames: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)


def _radiotap(frame: bytes) -> tuple[int, int | None, bool]:
    """(header length, channel frequency or None, FCS at end) from a RadioTap header, via scapy."""
    from scapy.layers.dot11 import RadioTap

    length = int.from_bytes(frame[2:4], "little")
    header = RadioTap(frame[:length])
    present = str(header.present)
    freq = None
    if "ChannelPlus" in present:
        freq = getattr(header, "ChannelPlusFrequency", None)
    if not freq and "Channel" in present.replace("ChannelPlus", ""):
        freq = getattr(header, "ChannelFrequency", None)
    flags = getattr(header, "Flags", None)
    fcs = bool(flags is not None and "FCS" in str(flags))
    return length, int(freq) if freq else None, fcs


RT_FLAG_FCS, RT_FLAG_BAD_FCS = 0x10, 0x40


def radiotap_flags(frame: bytes) -> int | None:
    """The RadioTap Flags octet of this record (None when absent), read directly: after the chain of present
    words (bit 31 = another follows) comes TSFT (bit 0, 8 octets aligned to 8), then Flags (bit 1)."""
    if len(frame) < 8:
        return None
    present = int.from_bytes(frame[4:8], "little")
    offset = 8
    word = present
    while word & 0x80000000 and offset + 4 <= len(frame):
        word = int.from_bytes(frame[offset : offset + 4], "little")
        offset += 4
    if not present & 0x2:
        return None
    if present & 0x1:
        offset += -offset % 8 + 8
    length = int.from_bytes(frame[2:4], "little")
    return frame[offset] if offset < min(length, len(frame)) else None


class CorruptFrame(ValueError):
    """A frame whose FCS says it was damaged in the air (RadioTap "bad FCS", or a CRC-32 that does not match)."""


def has_fcs(frame: bytes) -> bool:
    """Whether the last 4 octets of an 802.11 frame are its FCS (CRC-32 of the rest, little-endian)."""
    return len(frame) >= 28 and zlib.crc32(frame[:-4]) == int.from_bytes(frame[-4:], "little")


def _ppi(frame: bytes) -> tuple[int | None, bool]:
    """(channel frequency, FCS flag) from a PPI header's 802.11-Common field (type 2), if it has one.

    PPI (CACE Technologies, "Per-Packet Information Header Specification" 1.0.10): version, flags, length (LE),
    DLT; then fields of type (LE16), length (LE16), data. 802.11-Common: TSF(8), flags(2; 0x0001 = FCS
    present), rate(2), channel frequency(2), channel flags(2), ...
    """
    length = int.from_bytes(frame[2:4], "little")
    offset = 8
    while offset + 4 <= min(length, len(frame)):
        kind = int.from_bytes(frame[offset : offset + 2], "little")
        size = int.from_bytes(frame[offset + 2 : offset + 4], "little")
        data = frame[offset + 4 : offset + 4 + size]
        if kind == 2 and len(data) >= 14:
            freq = int.from_bytes(data[12:14], "little")
            return (freq or None), bool(int.from_bytes(data[8:10], "little") & 0x0001)
        offset += 4 + size
    return None, False


def _is_avs(linktype: int, frame: bytes) -> bool:
    """AVS header (link type 163; libpcap also lets it appear under 119): big-endian magic 0x8021100N."""
    return linktype in (DLT_AVS, DLT_PRISM) and len(frame) >= 8 and int.from_bytes(frame[:4], "big") in AVS_MAGIC


def _header_len(linktype: int, frame: bytes) -> int:
    if len(frame) < 8 and linktype != DLT_IEEE802_11:
        raise ValueError("capture header truncated")
    if linktype in (DLT_RADIOTAP, DLT_PPI):
        return int.from_bytes(frame[2:4], "little")
    if linktype == DLT_IEEE802_11:
        return 0
    if _is_avs(linktype, frame):
        return int.from_bytes(frame[4:8], "big")
    if linktype == DLT_PRISM:  # wlan-ng Prism header: msgcode, msglen (host order, in practice LE: 144), ...
        length = int.from_bytes(frame[4:8], "little")
        return length if 24 <= length <= len(frame) else 144
    raise ValueError(f"link type {linktype} is not 802.11 (need a monitor-mode capture)")


def _header_channel(linktype: int, frame: bytes) -> tuple[int | None, str]:
    """(frequency, basis) from the channel number an AVS or Prism header carries (None when absent).

    wlan-ng layouts (as in packet-o-matic src/include/prism.h): AVS v1/v2 version, length, mactime(8),
    hosttime(8), phytype, channel (u32 big-endian at offset 28); Prism msgcode, msglen, devname[16], then
    items {did u32, status u16, len u16, data u32}: hosttime, mactime, channel (data at offset 56, LE).
    """
    if _is_avs(linktype, frame) and len(frame) >= 32:
        channel, basis = int.from_bytes(frame[28:32], "big"), "avs"
    elif linktype == DLT_PRISM and len(frame) >= 60:
        channel, basis = int.from_bytes(frame[56:60], "little"), "prism"
    else:
        return None, ""
    freq = freq_of_channel(channel, "2.4" if channel <= 14 else "5") if 0 < channel < 200 else None
    return freq, basis if freq else ""


def _fits(elements: bytes) -> bool:
    """Whether the element chain ends exactly at the end of ``elements`` (id, length, body ...)."""
    pos = 0
    while pos + 2 <= len(elements):
        pos += 2 + elements[pos + 1]
    return pos == len(elements)


def _strip_fcs(body: bytes, flagged: bool, snapped: bool) -> bytes:
    """``body`` without its FCS: stripped when its CRC-32 matches. ``flagged`` (the header says "FCS at end")
    with no match: kept whole when the elements end exactly at the last octet (a tool removed the FCS and kept
    the flag) or the record was cut by the snap length (the FCS was never captured); otherwise the frame was
    damaged in the air: :class:`CorruptFrame`."""
    if has_fcs(body):
        return body[:-4]
    if not flagged or snapped or len(body) <= 40:
        return body
    if _fits(body[36:]):
        return body
    # an FCS is there, its CRC does not match: the frame was damaged in the air (its BSSID may be too)
    raise CorruptFrame("FCS does not match")


def frame_body(
    linktype: int,
    frame: bytes,
    known: dict[bytes, tuple[int | None, bool]] | None = None,
    snapped: bool = False,
) -> tuple[bytes, int | None, str]:
    """(802.11 frame, frequency, where the frequency came from) for one captured record.

    Frames that are not beacons/probe responses are returned without dissecting the RadioTap header. ``known``
    caches (frequency, FCS flag) per transmitter so each BSS costs one scapy dissection, not one per beacon.
    ``snapped``: the record holds fewer octets than the frame had on the air (snap length), so no FCS.
    Raises :class:`CorruptFrame` for a frame its FCS marks as damaged.
    """
    length = _header_len(linktype, frame)
    body = frame[length:]
    # PPI whose own DLT is 127: a RadioTap header inside (usually it is 105, the bare 802.11 frame)
    if linktype == DLT_PPI and len(body) >= 4 and int.from_bytes(frame[4:8], "little") == DLT_RADIOTAP:
        return _after_radiotap(body, known, snapped, ppi=frame)
    if not body or (body[0] & 0xFC) not in SUBTYPES:
        return body, None, ""
    if linktype == DLT_PPI:
        freq, fcs = _ppi(frame)
        return _strip_fcs(body, fcs, snapped), freq, "ppi" if freq else ""
    if linktype in (DLT_PRISM, DLT_AVS):  # no FCS flag in these headers: the CRC decides
        freq, basis = _header_channel(linktype, frame)
        return _strip_fcs(body, False, snapped), freq, basis
    if linktype != DLT_RADIOTAP:  # plain 802.11: an FCS is there when the CRC says so
        return _strip_fcs(body, False, snapped), None, ""
    return _after_radiotap(frame, known, snapped)


def _after_radiotap(
    frame: bytes, known: dict[bytes, tuple[int | None, bool]] | None, snapped: bool, ppi: bytes | None = None
) -> tuple[bytes, int | None, str]:
    length = int.from_bytes(frame[2:4], "little")
    body = frame[length:]
    if not body or (body[0] & 0xFC) not in SUBTYPES:
        return body, None, ""
    key = bytes(body[10:16])
    cached = known.get(key) if known is not None and len(body) >= 16 else None
    if cached is None:
        _, freq, fcs = _radiotap(frame)
        if ppi is not None and not freq:
            freq = _ppi(ppi)[0]
        cached = (freq, fcs)
        if known is not None and len(body) >= 16:
            known[key] = cached
    freq, fcs = cached
    flags = radiotap_flags(frame)  # per frame: the cache is per transmitter
    if flags is not None:
        if flags & RT_FLAG_BAD_FCS:
            raise CorruptFrame("RadioTap flags: bad FCS")
        fcs = bool(flags & RT_FLAG_FCS)
    return _strip_fcs(body, fcs, snapped), freq, "radiotap" if freq else ""


def parse_frame(frame: bytes, freq: int | None, freq_basis: str) -> BssObservation | None:
    """A beacon/probe response as an observation (None for any other frame type)."""
    if len(frame) < 24:
        return None
    subtype = frame[0] & 0xFC
    kind = SUBTYPES.get(subtype)
    if kind is None:
        return None
    if len(frame) < 36:
        raise ValueError(f"{kind} shorter than its fixed fields ({len(frame)} octets)")
    bssid = frame[16:22].hex(":")
    elements = parse_elements(frame[36:])
    return BssObservation(
        bssid=bssid,
        elements=elements,
        freq_mhz=freq,
        source=kind,
        freq_basis=freq_basis,
        warnings=elements.warnings,
    )


def _richer(old: BssObservation, new: BssObservation) -> BssObservation:
    """Keep the frame with more elements (a probe response often carries more than a beacon)."""
    keep = new if len(new.elements.element_ids) > len(old.elements.element_ids) else old
    freq = keep.freq_mhz or old.freq_mhz or new.freq_mhz
    return BssObservation(
        bssid=keep.bssid,
        elements=keep.elements,
        freq_mhz=freq,
        source=keep.source,
        freq_basis=keep.freq_basis if keep.freq_mhz else (old.freq_basis or new.freq_basis),
        frames=old.frames + 1,
        warnings=keep.warnings,
    )


@dataclass
class _Record:
    data: bytes
    linktype: int
    caplen: int | None  # what the record header promised (pcap); None for pcapng
    wirelen: int | None  # the frame's length on the air


def _records(reader: Any, limit: int | None, warnings: list[str]) -> Iterator[_Record]:
    """Every record of a scapy raw reader, then what is left of a pcapng block cut short by the end of the file."""
    from scapy.error import Scapy_Exception

    default_linktype = getattr(reader, "linktype", DLT_RADIOTAP)
    count = 0
    start = 0
    while limit is None or count < limit:
        with contextlib.suppress(OSError, AttributeError):
            start = reader.f.tell()
        try:
            data, meta = reader._read_packet()
        except EOFError:
            tail = _pcapng_tail(reader, start)
            if tail is not None:
                warnings.append(f"pcapng file cut short inside frame {count + 1}: kept its first {len(tail.data)}"
                                " octets")
                yield tail
            return
        except (Scapy_Exception, OSError, ValueError, IndexError, struct.error) as exc:
            warnings.append(f"capture damaged after {count} frames: {exc}")
            return
        count += 1
        linktype = int(getattr(meta, "linktype", None) or default_linktype)
        yield _Record(bytes(data), linktype, getattr(meta, "caplen", None), getattr(meta, "wirelen", None))


def _pcapng_tail(reader: Any, start: int) -> _Record | None:
    """The Enhanced Packet Block a truncated pcapng ends in (scapy drops it): interface, original length and the
    captured octets that made it to disk (pcapng EPB: type 6, length, interface id, timestamp high/low, captured
    length, original length, data)."""
    interfaces = getattr(reader, "interfaces", None)
    endian = getattr(reader, "endian", "<")
    if interfaces is None:
        return None
    try:
        reader.f.seek(start)
        rest = reader.f.read()
    except (OSError, AttributeError, ValueError):
        return None
    while len(rest) >= 8:
        kind, length = struct.unpack(endian + "II", rest[:8])
        if 12 <= length <= len(rest):
            rest = rest[length:]
            continue
        if kind != 6 or len(rest) < 28:
            return None
        interface, _hi, _lo, caplen, wirelen = struct.unpack(endian + "IIIII", rest[8:28])
        if interface >= len(interfaces):
            return None
        data = rest[28 : 28 + caplen]
        return _Record(bytes(data), int(interfaces[interface][0]), caplen, wirelen) if data else None
    return None


def read_capture(path: Path, limit: int | None = None) -> CaptureResult:
    """Every BSS advertised in the capture at ``path`` (pcap or pcapng)."""
    import logging

    from scapy.error import Scapy_Exception
    from scapy.utils import RawPcapNgReader, RawPcapReader

    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)  # truncation is reported as a warning below
    result = CaptureResult()
    seen: dict[str, BssObservation] = {}
    headers: dict[bytes, tuple[int | None, bool]] = {}
    other_links: dict[int, int] = {}
    wifi_frames = snap_cut = corrupt = 0
    cut_short: list[str] = []
    damage: list[str] = []
    try:
        reader: Any = RawPcapReader(str(path))
    except Scapy_Exception:
        try:
            reader = RawPcapNgReader(str(path))
        except Scapy_Exception as exc:
            raise ValueError(f"{path}: not a pcap or pcapng file ({exc})") from None
    with reader:
        for record in _records(reader, limit, damage):
            data = record.data
            result.frames += 1
            if record.caplen is not None and len(data) < record.caplen:
                cut_short.append(
                    f"frame {result.frames} truncated ({len(data)} of {record.caplen} octets): file cut short"
                )
            snapped = bool(record.wirelen and len(data) < record.wirelen)
            if snapped and (record.caplen is None or len(data) >= record.caplen):
                snap_cut += 1
            if record.linktype not in WIFI_LINKTYPES:
                other_links[record.linktype] = other_links.get(record.linktype, 0) + 1  # pcapng: another interface
                continue
            wifi_frames += 1
            try:
                frame, freq, basis = frame_body(record.linktype, data, headers, snapped)
                obs = parse_frame(frame, freq, basis)
            except CorruptFrame:
                corrupt += 1
                continue
            except Exception:  # a frame too short, or scapy's RadioTap dissector on a corrupt header
                result.skipped += 1
                continue
            if obs is None:
                continue
            result.management_frames += 1
            seen[obs.bssid] = _richer(seen[obs.bssid], obs) if obs.bssid in seen else obs
    if other_links and not wifi_frames:
        kinds = ", ".join(str(k) for k in sorted(other_links))
        raise ValueError(f"{path}: link type {kinds} is not 802.11 (need a monitor-mode capture)")
    result.warnings += cut_short[:1] + ([f"{len(cut_short) - 1} more records cut short"] if len(cut_short) > 1 else [])
    result.warnings += damage
    if other_links:
        result.warnings.append("frames of non-802.11 interfaces ignored: " +
                               ", ".join(f"{n} of link type {k}" for k, n in sorted(other_links.items())))
    if snap_cut:
        result.warnings.append(
            f"{snap_cut} of {result.frames} frames captured only in part (snap length): their last elements may be"
            " missing"
        )
    if corrupt:
        result.warnings.append(f"{corrupt} frames damaged in the air (FCS) ignored")
    if result.skipped:
        result.warnings.append(f"{result.skipped} frames could not be parsed and were skipped")
    result.skipped += corrupt
    result.observations = list(seen.values())
    return result
