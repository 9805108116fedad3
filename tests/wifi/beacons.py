"""Beacon frames built byte-exact from the IEEE 802.11-2020 element layouts, framed with scapy.

Each builder returns the element *body* layout as the standard defines it (little-endian fields), wrapped in
a scapy ``Dot11Elt`` so the ID/length octets come from scapy; ``beacon()`` frames them in RadioTap + Dot11.
"""

from __future__ import annotations

import struct

from scapy.layers.dot11 import Dot11, Dot11Beacon, Dot11Elt, Dot11ProbeResp, RadioTap
from scapy.packet import Packet


def mcs_map(nss: int, code: int = 2) -> int:
    """A VHT/HE MCS map: streams 1..nss at ``code`` (VHT 2 = MCS 0-9, HE 2 = MCS 0-11), the rest 3."""
    value = 0
    for n in range(8):
        value |= (code if n < nss else 3) << (2 * n)
    return value


def elt(eid: int, body: bytes) -> Packet:
    return Dot11Elt(ID=eid, info=body)


def ssid(name: str) -> Packet:
    return elt(0, name.encode())


def ds(channel: int) -> Packet:
    return elt(3, bytes([channel]))


def rates() -> Packet:
    return elt(1, bytes([0x82, 0x84, 0x8B, 0x96, 0x0C, 0x12, 0x18, 0x24]))


def ht_cap(nss: int, *, width40: bool = True, sgi20: bool = True, sgi40: bool = True) -> Packet:
    """HT Capabilities (9.4.2.55): info u16, A-MPDU params u8, MCS set 16, ext u16, TxBF u32, ASEL u8 = 26."""
    info = 0x0001 | (0x0002 if width40 else 0) | (0x0020 if sgi20 else 0) | (0x0040 if sgi40 else 0) | 0x000C
    mcs = bytes([0xFF] * nss + [0] * (16 - nss))
    return elt(45, struct.pack("<HB", info, 0x17) + mcs + struct.pack("<HIB", 0, 0, 0))


def ht_oper(primary: int, offset: int = 0) -> Packet:
    """HT Operation (9.4.2.56): primary channel, 5 info octets (B0-1 secondary offset, B2 any width), MCS 16."""
    info1 = offset | (0x04 if offset else 0)
    return elt(61, bytes([primary, info1, 0, 0, 0, 0]) + bytes(16))


def vht_cap(nss: int, *, mu: bool, width_set: int = 0, sgi80: bool = True, sgi160: bool = False) -> Packet:
    """VHT Capabilities (9.4.2.157): info u32 + Rx map u16 + Rx highest u16 + Tx map u16 + Tx highest u16."""
    info = 0x3 | (width_set << 2) | 0x10 | (0x20 if sgi80 else 0) | (0x40 if sgi160 else 0) | 0x800
    info |= (1 << 19) if mu else 0
    m = mcs_map(nss)
    return elt(191, struct.pack("<IHHHH", info, m, 0, m, 0))


def vht_oper(width: int, ccfs0: int, ccfs1: int = 0) -> Packet:
    return elt(192, bytes([width, ccfs0, ccfs1]) + struct.pack("<H", 0xFFFC))


def he_cap(nss: int, *, band24: bool = False, w160: bool = False, mu: bool = True) -> Packet:
    """HE Capabilities (9.4.2.248): ext id 35, MAC 6, PHY 11, MCS/NSS (4, +4 with 160 MHz)."""
    phy = bytearray(11)
    phy[0] = 0x02 if band24 else (0x04 | (0x08 if w160 else 0))
    phy[3] = 0x80
    phy[4] = 0x01 | (0x02 if mu else 0)
    m = mcs_map(nss)
    maps = struct.pack("<HH", m, m) + (struct.pack("<HH", m, m) if w160 else b"")
    return elt(255, bytes([35]) + bytes(6) + bytes(phy) + maps)


def eht_cap(nss: int, *, widths: int = 1, w320: bool = False) -> Packet:
    """EHT Capabilities (802.11be 9.4.2.313): ext id 108, MAC 2, PHY 9, 3-octet MCS groups per width."""
    phy = bytearray(9)
    phy[0] = 0x02 if w320 else 0
    phy[7] = 0x70
    group = bytes([nss | nss << 4] * 3)
    return elt(255, bytes([108]) + bytes(2) + bytes(phy) + group * widths)


def wps(manufacturer: str, model: str, number: str = "") -> Packet:
    """WPS vendor element (Microsoft OUI type 4) with Manufacturer/Model Name/Model Number attributes."""
    body = b""
    for attr, text in ((0x1021, manufacturer), (0x1023, model), (0x1024, number)):
        if text:
            body += struct.pack(">HH", attr, len(text)) + text.encode()
    return elt(221, bytes.fromhex("0050f204") + body)


def vendor(oui: str, payload: bytes) -> Packet:
    return elt(221, bytes.fromhex(oui.replace(":", "")) + payload)


def beacon(bssid: str, freq: int | None, *elements: Packet, probe: bool = False) -> Packet:
    rt = RadioTap(present="Flags+Channel", Flags=0, ChannelFrequency=freq, ChannelFlags=0x140) if freq else RadioTap()
    mgmt = Dot11ProbeResp(cap=0x1511) if probe else Dot11Beacon(cap=0x1511)
    frame = rt / Dot11(type=0, subtype=5 if probe else 8, addr1="ff:ff:ff:ff:ff:ff", addr2=bssid, addr3=bssid) / mgmt
    for e in elements:
        frame = frame / e
    return frame


def elements_bytes(*elements: Packet) -> bytes:
    return b"".join(bytes(e) for e in elements)


def nanohd(base: str = "78:8a:20:11:22:30") -> list[Packet]:
    """A UniFi nanoHD-like AP: 2.4 GHz 2x2 HT40 (300) + 5 GHz 4x4 VHT80 MU-MIMO (1733.3)."""
    prefix, last = base.rsplit(":", 1)
    b5 = f"{prefix}:{int(last, 16) + 8:02x}"
    return [
        beacon(base, 2437, ssid("TruongHoc"), rates(), ds(6), ht_cap(2), ht_oper(6, 1)),
        beacon(b5, 5180, ssid("TruongHoc"), ds(36), ht_cap(4), ht_oper(36, 1), vht_cap(4, mu=True), vht_oper(1, 42)),
    ]


def eap115(base: str = "50:c7:bf:aa:bb:c0") -> list[Packet]:
    """A TP-Link EAP115-like AP: 2.4 GHz only, 2x2 HT40 (300), WPS naming the model."""
    return [
        beacon(
            base,
            2462,
            ssid("TruongHoc-GV"),
            rates(),
            ds(11),
            ht_cap(2),
            ht_oper(11, 3),
            wps("TP-Link", "EAP115", "4.0"),
        )
    ]
