"""Capture layouts from the wild, derived mechanically from the real beacons in tests/data/wifi.

The two frames of `libtins-radiotap-beacons.pcap` (real captures, RadioTap + 802.11 + FCS) are re-wrapped, not
rewritten: without RadioTap (link type 105) with and without their FCS, behind a PPI header (link type 192,
802.11-Common field per the PPI 1.0.10 specification), in a pcapng with an Ethernet interface beside the
monitor one, cut short mid-record, and cut by a small snap length. The same BSSIDs and standards must come out.
"""

from __future__ import annotations

import struct
from pathlib import Path

from scapy.utils import RawPcapReader, RawPcapWriter

from probes.wifi.bss import analyse
from probes.wifi.pcap import read_capture

REAL = Path(__file__).resolve().parent.parent / "data" / "wifi" / "libtins-radiotap-beacons.pcap"


def real_frames() -> list[bytes]:
    with RawPcapReader(str(REAL)) as reader:
        return [bytes(data) for data, _meta in reader]


def strip_radiotap(frame: bytes) -> bytes:
    return frame[int.from_bytes(frame[2:4], "little"):]


def facts(path: Path) -> dict[str, tuple[object, ...]]:
    result = read_capture(path)
    return {o.bssid: (analyse(o).standard, analyse(o).band_ghz) for o in result.observations}


def write(path: Path, linktype: int, frames: list[bytes], snaplen: int = 65535) -> Path:
    with RawPcapWriter(str(path), linktype=linktype, snaplen=snaplen) as writer:
        for frame in frames:
            writer.write(frame)
    return path


EXPECTED = facts(REAL)


def test_reference_facts_from_the_real_capture() -> None:
    assert len(EXPECTED) == 2
    assert sorted(str(v[0]) for v in EXPECTED.values()) == ["legacy", "n"]  # 802.11a FreeBSD AP, 802.11n gateway


def test_plain_80211_with_and_without_fcs(tmp_path: Path) -> None:
    bare = [strip_radiotap(f) for f in real_frames()]
    with_fcs = facts(write(tmp_path / "fcs.pcap", 105, bare))
    without = facts(write(tmp_path / "nofcs.pcap", 105, [f[:-4] for f in bare]))
    assert with_fcs == without
    assert {k: v[0] for k, v in with_fcs.items()} == {k: v[0] for k, v in EXPECTED.items()}
    # the FCS did not end up as a bogus element: no element warnings either way
    assert not [w for o in read_capture(tmp_path / "fcs.pcap").observations for w in o.warnings]


def _ppi(frame80211: bytes, freq: int, fcs: bool) -> bytes:
    common = struct.pack("<QHHHHBBbb", 0, 0x0001 if fcs else 0, 0, freq, 0, 0, 0, 0, 0)
    field = struct.pack("<HH", 2, len(common)) + common
    return struct.pack("<BBHI", 0, 0, 8 + len(field), 105) + field + frame80211


def test_ppi_header_gives_the_frequency(tmp_path: Path) -> None:
    reference = read_capture(REAL)
    freqs = {o.bssid: o.freq_mhz for o in reference.observations}
    frames = []
    for frame in real_frames():
        body = strip_radiotap(frame)
        bssid = body[16:22].hex(":")
        frames.append(_ppi(body, freqs[bssid] or 2437, fcs=True))
    result = read_capture(write(tmp_path / "ppi.pcap", 192, frames))
    got = {o.bssid: (o.freq_mhz, o.freq_basis) for o in result.observations}
    assert {b: f for b, (f, _basis) in got.items()} == {b: f or 2437 for b, f in freqs.items()}
    assert {basis for _f, basis in got.values()} == {"ppi"}
    assert {o.bssid: analyse(o).standard for o in result.observations} == {k: v[0] for k, v in EXPECTED.items()}


def _block(kind: int, body: bytes) -> bytes:
    body += b"\0" * (-len(body) % 4)
    size = 12 + len(body)
    return struct.pack("<II", kind, size) + body + struct.pack("<I", size)


def test_pcapng_with_an_ethernet_and_a_monitor_interface(tmp_path: Path) -> None:
    shb = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb_eth = _block(1, struct.pack("<HHI", 1, 0, 65535))
    idb_mon = _block(1, struct.pack("<HHI", 127, 0, 65535))
    ethernet = bytes.fromhex("ffffffffffff001122334455" "0806") + bytes(28)  # an ARP broadcast on interface 0

    def epb(interface: int, data: bytes) -> bytes:
        return _block(6, struct.pack("<IIIII", interface, 0, 0, len(data), len(data)) + data)

    blocks = [shb, idb_eth, idb_mon, epb(0, ethernet)] + [epb(1, f) for f in real_frames()] + [epb(0, ethernet)]
    path = tmp_path / "two-interfaces.pcapng"
    path.write_bytes(b"".join(blocks))
    result = read_capture(path)
    assert facts(path) == EXPECTED
    assert any("non-802.11 interfaces ignored" in w for w in result.warnings)


def test_file_cut_short_mid_record_keeps_what_was_read(tmp_path: Path) -> None:
    data = REAL.read_bytes()
    path = tmp_path / "cut.pcap"
    path.write_bytes(data[: len(data) - 40])
    result = read_capture(path)
    assert len(result.observations) >= 1
    first = result.observations[0]
    assert (analyse(first).standard, analyse(first).band_ghz) == EXPECTED[first.bssid]
    assert result.warnings


def test_small_snap_length_is_partial_data_not_an_error(tmp_path: Path) -> None:
    records = b"".join(struct.pack("<IIII", 0, 0, 90, len(f)) + f[:90] for f in real_frames())  # caplen < wirelen
    path = tmp_path / "snap.pcap"
    path.write_bytes(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 90, 127) + records)
    result = read_capture(path)
    assert {o.bssid for o in result.observations} == set(EXPECTED)
