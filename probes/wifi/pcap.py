"""Read beacons and probe responses from a monitor-mode capture (pcap or pcapng) with scapy.

Link types: 127 (RadioTap + 802.11), 105 (bare 802.11), 192 (PPI + 802.11); in a pcapng, frames of other
interfaces (Ethernet ...) are skipped with a warning. The frequency comes from the RadioTap Channel field or
the PPI 802.11-Common field when present, else from the DS Parameter Set channel (flagged in the basis). An
FCS is stripped when the header says so or when the CRC-32 of the frame matches its last four octets. Per BSSID
the richest frame (most elements) is kept. A truncated or corrupt file yields what was read before the damage
plus a warning; a frame that does not parse is counted and skipped.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from pathlib import Path

from probes.wifi.bss import BssObservation
from probes.wifi.ie import parse_elements

DLT_IEEE802_11 = 105
DLT_RADIOTAP = 127
DLT_PPI = 192
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


def _header_len(linktype: int, frame: bytes) -> int:
    if linktype in (DLT_RADIOTAP, DLT_PPI):
        if len(frame) < 8:
            raise ValueError("capture header truncated")
        return int.from_bytes(frame[2:4], "little")
    if linktype == DLT_IEEE802_11:
        return 0
    raise ValueError(f"link type {linktype} is not 802.11 (need a monitor-mode capture)")


def frame_body(
    linktype: int, frame: bytes, known: dict[bytes, tuple[int | None, bool]] | None = None
) -> tuple[bytes, int | None, str]:
    """(802.11 frame, frequency, where the frequency came from) for one captured record.

    Frames that are not beacons/probe responses are returned without dissecting the RadioTap header. ``known``
    caches (frequency, FCS flag) per transmitter so each BSS costs one scapy dissection, not one per beacon.
    """
    length = _header_len(linktype, frame)
    body = frame[length:]
    if not body or (body[0] & 0xFC) not in SUBTYPES:
        return body, None, ""
    if linktype == DLT_PPI:
        freq, fcs = _ppi(frame)
        fcs = fcs or has_fcs(body)
        return (body[:-4] if fcs and len(body) > 4 else body), freq, "ppi" if freq else ""
    if linktype != DLT_RADIOTAP:  # plain 802.11: an FCS is there when the CRC says so
        return (body[:-4] if has_fcs(body) else body), None, ""
    key = bytes(body[10:16])
    cached = known.get(key) if known is not None and len(body) >= 16 else None
    if cached is None:
        _, freq, fcs = _radiotap(frame)
        cached = (freq, fcs)
        if known is not None and len(body) >= 16:
            known[key] = cached
    freq, fcs = cached
    fcs = fcs or has_fcs(body)  # some drivers append the FCS without setting the RadioTap flag
    return (body[:-4] if fcs and len(body) > 4 else body), freq, "radiotap" if freq else ""


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
    wifi_frames = 0
    try:
        reader = RawPcapReader(str(path))
    except Scapy_Exception:
        try:
            reader = RawPcapNgReader(str(path))
        except Scapy_Exception as exc:
            raise ValueError(f"{path}: not a pcap or pcapng file ({exc})") from None
    with reader:
        default_linktype = getattr(reader, "linktype", DLT_RADIOTAP)
        while limit is None or result.frames < limit:
            try:
                record = reader._read_packet()
            except EOFError:
                break
            except (Scapy_Exception, OSError, ValueError, IndexError) as exc:
                result.warnings.append(f"capture damaged after {result.frames} frames: {exc}")
                break
            data, meta = record
            result.frames += 1
            caplen = getattr(meta, "caplen", None)
            if caplen is not None and len(data) < caplen:
                result.warnings.append(
                    f"frame {result.frames} truncated ({len(data)} of {caplen} octets): file cut short"
                )
            linktype = int(getattr(meta, "linktype", None) or default_linktype)
            if linktype not in (DLT_IEEE802_11, DLT_RADIOTAP, DLT_PPI):
                other_links[linktype] = other_links.get(linktype, 0) + 1  # pcapng: another interface
                continue
            wifi_frames += 1
            try:
                frame, freq, basis = frame_body(linktype, bytes(data), headers)
                obs = parse_frame(frame, freq, basis)
            except ValueError:
                result.skipped += 1
                continue
            except Exception:  # scapy's RadioTap dissector on a corrupt header: count it, go on
                result.skipped += 1
                continue
            if obs is None:
                continue
            result.management_frames += 1
            seen[obs.bssid] = _richer(seen[obs.bssid], obs) if obs.bssid in seen else obs
    if other_links and not wifi_frames:
        kinds = ", ".join(str(k) for k in sorted(other_links))
        raise ValueError(f"{path}: link type {kinds} is not 802.11 (need a monitor-mode capture)")
    if other_links:
        result.warnings.append("frames of non-802.11 interfaces ignored: " +
                               ", ".join(f"{n} of link type {k}" for k, n in sorted(other_links.items())))
    if result.skipped:
        result.warnings.append(f"{result.skipped} frames could not be parsed and were skipped")
    result.observations = list(seen.values())
    return result
