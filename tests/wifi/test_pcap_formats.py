"""Capture file formats from the wild, each built from the two REAL beacons of `libtins-radiotap-beacons.pcap`.

Nothing here is a hand-written frame: the real RadioTap + 802.11 records are re-wrapped byte for byte in other
containers (pcap big-endian and little-endian, microsecond and nanosecond magic; pcapng with one interface per
link type, big-endian sections, a last block cut short), or lose only what real tools remove (the FCS, with or
without clearing the RadioTap "FCS at end" flag). File layouts: the pcap header (magic 0xa1b2c3d4 /
0xa1b23c4d, written in the writer's byte order) and pcapng blocks (SHB byte-order magic 0x1a2b3c4d, IDB link
type, EPB interface id) as in the pcap/pcapng specifications (IETF draft-ietf-opsawg-pcap,
draft-ietf-opsawg-pcapng). The same BSSIDs, standards, bands, frequencies and streams must come out every time.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from scapy.utils import RawPcapReader

from probes.wifi.bss import analyse
from probes.wifi.pcap import read_capture

REAL = Path(__file__).resolve().parent.parent / "data" / "wifi" / "libtins-radiotap-beacons.pcap"


def real_frames() -> list[bytes]:
    with RawPcapReader(str(REAL)) as reader:
        return [bytes(data) for data, _meta in reader]


def radiotap_len(frame: bytes) -> int:
    return int.from_bytes(frame[2:4], "little")


Facts = tuple[str | None, str | None, int | None, int | None, str | None, int]


def facts(path: Path) -> dict[str, Facts]:
    out: dict[str, Facts] = {}
    for o in read_capture(path).observations:
        r = analyse(o)
        out[o.bssid] = (r.standard, r.band_ghz, r.freq_mhz, r.max_nss, r.ssid, len(o.elements.element_ids))
    return out


EXPECTED = facts(REAL)


def pcap(path: Path, records: list[bytes], *, endian: str = "<", nano: bool = False, linktype: int = 127) -> Path:
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, 65535, linktype)
    for i, data in enumerate(records):
        out += struct.pack(endian + "IIII", 1_700_000_000 + i, 999_999_999 if nano else 999_999, len(data), len(data))
        out += data
    path.write_bytes(out)
    return path


def ng_block(kind: int, body: bytes, endian: str = "<") -> bytes:
    body += b"\0" * (-len(body) % 4)
    size = 12 + len(body)
    return struct.pack(endian + "II", kind, size) + body + struct.pack(endian + "I", size)


def pcapng(interfaces: list[int], packets: list[tuple[int, bytes]], endian: str = "<") -> bytes:
    blocks = [ng_block(0x0A0D0D0A, struct.pack(endian + "IHHq", 0x1A2B3C4D, 1, 0, -1), endian)]
    blocks += [ng_block(1, struct.pack(endian + "HHI", link, 0, 65535), endian) for link in interfaces]
    for interface, data in packets:
        epb = struct.pack(endian + "IIIII", interface, 0, 0, len(data), len(data)) + data
        blocks.append(ng_block(6, epb, endian))
    return b"".join(blocks)


def ppi(frame80211: bytes, freq: int, fcs: bool) -> bytes:
    """PPI 1.0.10 header with an 802.11-Common field (type 2): TSF, flags (0x0001 = FCS present), rate, channel
    frequency, channel flags, FHSS, dBm signal/noise; then the 802.11 frame (PPI's own DLT 105)."""
    common = struct.pack("<QHHHHBBbb", 0, 0x0001 if fcs else 0, 0, freq, 0, 0, 0, 0, 0)
    field = struct.pack("<HH", 2, len(common)) + common
    return struct.pack("<BBHI", 0, 0, 8 + len(field), 105) + field + frame80211


def test_reference_facts() -> None:
    assert sorted(EXPECTED) == ["06:03:7f:07:a0:16", "7c:4f:b5:93:72:5c"]
    assert {b: v[:4] for b, v in EXPECTED.items()} == {"06:03:7f:07:a0:16": ("legacy", "5", 5180, 1),
                                                       "7c:4f:b5:93:72:5c": ("n", "2.4", 2412, 2)}


@pytest.mark.parametrize("endian", ["<", ">"])
@pytest.mark.parametrize("nano", [False, True])
def test_pcap_in_either_byte_order_and_time_resolution(tmp_path: Path, endian: str, nano: bool) -> None:
    path = pcap(tmp_path / "x.pcap", real_frames(), endian=endian, nano=nano)
    assert path.read_bytes()[:4] == struct.pack(endian + "I", 0xA1B23C4D if nano else 0xA1B2C3D4)
    assert facts(path) == EXPECTED
    assert not read_capture(path).warnings


@pytest.mark.parametrize("endian", ["<", ">"])
def test_pcapng_with_a_different_link_type_per_interface(tmp_path: Path, endian: str) -> None:
    """Interface 0 plain 802.11 (105, FCS kept), 1 RadioTap (127), 2 PPI (192), 3 Ethernet: each real beacon
    travels on every 802.11 interface; the Ethernet frame is skipped with one warning."""
    radiotap = real_frames()
    bare = [f[radiotap_len(f):] for f in radiotap]
    with_ppi = [ppi(b, EXPECTED[b[16:22].hex(":")][2] or 0, fcs=True) for b in bare]
    arp = bytes.fromhex("ffffffffffff001122334455" "0806") + bytes(28)
    packets = [(0, b) for b in bare] + [(1, f) for f in radiotap] + [(2, p) for p in with_ppi] + [(3, arp)]
    path = tmp_path / "four-interfaces.pcapng"
    path.write_bytes(pcapng([105, 127, 192, 1], packets, endian))
    result = read_capture(path)
    assert result.frames == 7 and result.management_frames == 6
    assert facts(path) == EXPECTED  # frequency from RadioTap / PPI even though the plain copies carry none
    assert [w for w in result.warnings if "non-802.11" in w] == ["frames of non-802.11 interfaces ignored: 1 of"
                                                                 " link type 1"]
    assert {o.bssid: o.frames for o in result.observations} == {b: 3 for b in EXPECTED}


def test_pcapng_last_block_cut_short(tmp_path: Path) -> None:
    """A capture killed mid-write: the last Enhanced Packet Block loses its tail (53 octets of the gateway's
    beacon, its padding and trailing length). The readable part of that beacon is kept, with a warning."""
    frames = real_frames()
    data = pcapng([127], [(0, f) for f in frames])
    path = tmp_path / "cut.pcapng"
    path.write_bytes(data[:-60])
    result = read_capture(path)
    got = facts(path)
    assert got["06:03:7f:07:a0:16"] == EXPECTED["06:03:7f:07:a0:16"]
    assert got["7c:4f:b5:93:72:5c"][:5] == EXPECTED["7c:4f:b5:93:72:5c"][:5]  # HT 2 SS, 2412 MHz, SSID survive
    assert got["7c:4f:b5:93:72:5c"][5] < EXPECTED["7c:4f:b5:93:72:5c"][5]  # fewer elements: partial data
    assert [w for w in result.warnings if "cut short" in w]


def test_pcap_last_record_cut_short_keeps_the_cut_beacon_as_partial_data(tmp_path: Path) -> None:
    frames = real_frames()
    whole = pcap(tmp_path / "whole.pcap", frames).read_bytes()
    path = tmp_path / "cut.pcap"
    path.write_bytes(whole[:-120])  # the gateway's beacon loses its vendor elements and FCS
    result = read_capture(path)
    got = {o.bssid: o for o in result.observations}
    assert set(got) == set(EXPECTED)
    gateway = analyse(got["7c:4f:b5:93:72:5c"])
    assert (gateway.standard, gateway.band_ghz, gateway.max_nss) == ("n", "2.4", 2)  # HT survived the cut
    assert [w for w in result.warnings if "cut short" in w]
    assert facts(path)["06:03:7f:07:a0:16"] == EXPECTED["06:03:7f:07:a0:16"]


def _clear_fcs_flag(frame: bytes) -> bytes:
    """Clear RadioTap Flags bit 0x10 ("frame includes FCS"). Both real headers carry TSFT (8 octets, aligned
    at offset 8) then Flags: the Flags octet is at offset 16."""
    assert int.from_bytes(frame[4:8], "little") & 0x3 == 0x3  # TSFT and Flags present
    return frame[:16] + bytes([frame[16] & ~0x10]) + frame[17:]


@pytest.mark.parametrize("keep_flag", [False, True])
def test_radiotap_with_the_fcs_removed(tmp_path: Path, keep_flag: bool) -> None:
    """What `editcap`-style tools or drivers without FCS give: the same frames minus their last 4 octets, with the
    RadioTap flag cleared (honest) or left set (the reader must not cut 4 more octets of elements)."""
    stripped = [f[:-4] if keep_flag else _clear_fcs_flag(f[:-4]) for f in real_frames()]
    path = pcap(tmp_path / "nofcs.pcap", stripped)
    assert facts(path) == EXPECTED
    assert not [w for o in read_capture(path).observations for w in o.warnings]


def test_ppi_wrapping_radiotap(tmp_path: Path) -> None:
    """PPI whose own DLT is 127: the real RadioTap header sits inside; its channel gives the frequency."""
    records = []
    for f in real_frames():
        records.append(struct.pack("<BBHI", 0, 0, 8, 127) + f)
    path = pcap(tmp_path / "ppi-radiotap.pcap", records, linktype=192)
    assert facts(path) == EXPECTED


def test_snap_length_cut_every_frame_gives_one_warning(tmp_path: Path) -> None:
    frames = real_frames() * 50
    records = b"".join(struct.pack("<IIII", 0, 0, 120, len(f)) + f[:120] for f in frames)
    path = tmp_path / "snap.pcap"
    path.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 120, 127) + records)
    result = read_capture(path)
    assert {o.bssid for o in result.observations} == set(EXPECTED)
    assert [w for w in result.warnings if "snap length" in w] == [
        "100 of 100 frames captured only in part (snap length): their last elements may be missing"
    ]
    assert len(result.warnings) <= 2


def _cli(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SCHOOLNET_CONFIG": "/nonexistent/schoolnet-test.toml"}
    return subprocess.run([sys.executable, "-m", "agent.cli", "--lang", "en", "wifi", "--pcap", str(path), "--json"],
                          capture_output=True, text=True, timeout=60, env=env)


def test_cli_partial_capture_warns_once_and_nothing_readable_is_an_error(tmp_path: Path) -> None:
    whole = pcap(tmp_path / "whole.pcap", real_frames()).read_bytes()
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(whole[:-120])
    proc = _cli(cut)
    assert proc.returncode in (0, 1), proc.stderr  # 1 = an AP fails the criterion: a verdict, not an error
    assert sorted(b["bssid"] for ap in json.loads(proc.stdout) for b in ap["bssids"]) == sorted(EXPECTED)
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("Warning: ")]
    assert [w for w in warnings if "cut short" in w] == ["Warning: frame 2 truncated (229 of 349 octets): file cut"
                                                         " short"]
    header_only = tmp_path / "header.pcap"
    header_only.write_bytes(whole[:30])  # the file header and half a record header
    proc = _cli(header_only)
    errors = [line for line in proc.stderr.splitlines() if line.startswith("schoolnet: error:")]
    assert proc.returncode == 2 and len(errors) == 1 and "no frame could be read" in errors[0]


def test_frames_damaged_in_the_air_make_no_phantom_access_point(tmp_path: Path) -> None:
    """Monitor captures are full of frames received with errors. A copy of each real beacon with one bit of its
    BSSID flipped (the FCS no longer matches), and a copy whose RadioTap Flags say "bad FCS" (0x40), must be
    ignored with one warning; the intact beacons still give the reference facts."""
    damaged, bad_flag = [], []
    for f in real_frames():
        bssid_at = radiotap_len(f) + 16
        damaged.append(f[:bssid_at] + bytes([f[bssid_at] ^ 0x01]) + f[bssid_at + 1 :])
        bad_flag.append(f[:16] + bytes([f[16] | 0x40]) + f[17:])  # Flags octet at 16 (after aligned TSFT)
    path = pcap(tmp_path / "noisy.pcap", damaged + real_frames() + bad_flag)
    result = read_capture(path)
    assert facts(path) == EXPECTED  # no 07:03:7f:... or 7d:4f:... phantom
    assert "4 frames damaged in the air (FCS) ignored" in result.warnings


def _prism(frame80211: bytes, channel: int) -> bytes:
    """wlan-ng Prism header (link type 119): msgcode, msglen 144, devname[16], ten items {did, status, len,
    data} of which the third is the channel (layout as in packet-o-matic src/include/prism.h)."""
    items = b"".join(struct.pack("<IHHI", 0x00010044 + (i << 16), 0, 4, channel if i == 2 else 0) for i in range(10))
    return struct.pack("<II", 0x00000044, 144) + b"wlan0".ljust(16, b"\0") + items + frame80211


def _avs(frame80211: bytes, channel: int) -> bytes:
    """AVS v1 header (link type 163, big-endian): version 0x80211001, length 64, mactime, hosttime, phytype,
    channel, datarate, antenna, priority, ssi_type, ssi_signal, ssi_noise, preamble, encoding."""
    return struct.pack(">IIQQIIIIIIiiII", 0x80211001, 64, 0, 0, 0, channel, 0, 0, 0, 0, 0, 0, 0, 0) + frame80211


@pytest.mark.parametrize("linktype", [119, 163])
def test_prism_and_avs_headers_of_older_drivers(tmp_path: Path, linktype: int) -> None:
    """The real 802.11 frames (FCS kept) behind the headers older Linux drivers (wlan-ng, madwifi) wrote: the
    header's channel number gives the frequency; the CRC decides the FCS."""
    channels = {"06:03:7f:07:a0:16": 36, "7c:4f:b5:93:72:5c": 1}
    records = []
    for f in real_frames():
        body = f[radiotap_len(f) :]
        wrap = _prism if linktype == 119 else _avs
        records.append(wrap(body, channels[body[16:22].hex(":")]))
    path = pcap(tmp_path / "old.pcap", records, linktype=linktype)
    assert len(records[0]) - len(real_frames()[0][radiotap_len(real_frames()[0]) :]) == (144 if linktype == 119 else 64)
    assert facts(path) == EXPECTED
    assert {o.freq_basis for o in read_capture(path).observations} == {"prism" if linktype == 119 else "avs"}
    assert not [w for o in read_capture(path).observations for w in o.warnings]
