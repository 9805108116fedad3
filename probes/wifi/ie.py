"""Parse the information elements of a beacon or probe response into typed capabilities.

Layouts follow IEEE 802.11-2020 (HT 9.4.2.55, VHT 9.4.2.157, HE 9.4.2.247, EHT 802.11be 9.4.2.313) as mirrored
by Linux ``include/linux/ieee80211*.h`` and iw ``util.c``. A truncated or malformed element never raises: it
becomes a warning and parsing goes on with what is intact.
"""

from __future__ import annotations

import dataclasses
import struct
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal, NamedTuple

EID_SSID = 0
EID_SUPP_RATES = 1
EID_DS_PARAMS = 3
EID_HT_CAP = 45
EID_EXT_SUPP_RATES = 50
EID_HT_OPER = 61
EID_CISCO_NAME = 133
EID_VHT_CAP = 191
EID_VHT_OPER = 192
EID_VENDOR = 221
EID_EXTENSION = 255
EXT_HE_CAP = 35
EXT_HE_OPER = 36
EXT_EHT_OPER = 106
EXT_EHT_CAP = 108

OUI_BROADCOM = bytes.fromhex("00904c")
OUI_MICROSOFT = bytes.fromhex("0050f2")
VENDOR_VHT_TYPE = 0x04
WPS_TYPE = 0x04
WPS_ATTRS = {0x1021: "manufacturer", 0x1023: "model_name", 0x1024: "model_number", 0x1011: "device_name"}

VHT_MU_BEAMFORMER = 1 << 19
VHT_SU_BEAMFORMER = 1 << 11


def _nss_from_map(mcs_map: int, streams: int = 8) -> tuple[int, int | None]:
    """(highest stream count, its 2-bit code) from a VHT/HE MCS map (code 3 = stream not supported)."""
    best, code = 0, None
    for n in range(streams):
        value = (mcs_map >> (2 * n)) & 0x3
        if value != 3:
            best, code = n + 1, value
    return best, code


@dataclass(frozen=True)
class HtCapabilities:
    info: int
    rx_mcs: bytes

    @property
    def width_40(self) -> bool:
        return bool(self.info & 0x0002)

    @property
    def sgi_20(self) -> bool:
        return bool(self.info & 0x0020)

    @property
    def sgi_40(self) -> bool:
        return bool(self.info & 0x0040)

    @property
    def max_nss(self) -> int:
        """Streams = the highest of the first four Rx MCS bitmask octets that is non-zero (MCS 0-31)."""
        nss = 0
        for i, octet in enumerate(self.rx_mcs[:4]):
            if octet:
                nss = i + 1
        return nss


@dataclass(frozen=True)
class HtOperation:
    primary_channel: int
    secondary_offset: int  # 0 none, 1 above, 3 below
    any_width: bool
    ccfs2: int = 0  # HT Operation Information B13-B20: Channel Center Frequency Segment 2 (802.11-2016 ext NSS BW)

    @property
    def width_mhz(self) -> int:
        return 40 if self.secondary_offset in (1, 3) and self.any_width else 20


VhtWidth = Literal[20, 40, 80, 160, "80+80"]
VHT_WIDTHS: tuple[VhtWidth, ...] = (20, 40, 80, 160, "80+80")
HALF, THREE_QUARTERS, ONE, TWO = Fraction(1, 2), Fraction(3, 4), Fraction(1), Fraction(2)


class VhtWidthRow(NamedTuple):
    """One row of the standard's table: the NSS factor per width (None = width not supported) and where a
    160 MHz / 80+80 MHz BSS puts its second centre frequency (VHT Operation CCFS1 or HT Operation CCFS2)."""

    up_to_80: Fraction
    w160: Fraction | None
    w80p80: Fraction | None
    ccfs_160: str | None
    ccfs_80p80: str | None


# IEEE 802.11-2020 9.4.2.156.2, Table 9-272 "Setting of the Supported Channel Width Set subfield and Extended
# NSS BW Support subfield at a STA transmitting the VHT Capabilities Information field" (Table 9-250 in
# 802.11-2016). Key: (Supported Channel Width Set B2-B3, Extended NSS BW Support B30-B31). The factor times
# "Max VHT NSS" (the Rx VHT-MCS map's streams for an MCS) is the streams supported at that width, rounded down.
# Same table: Linux net/wireless/util.c ieee80211_get_vht_max_nss() and net/mac80211 ieee80211_chandef_vht_oper()
# (CCFS column), iw util.c nss_ratio_tbl ("iw: handle VHT extended NSS", linux-wireless 2022-05-16).
# Combinations missing here are reserved: such a STA is taken to support no 160 / 80+80 MHz at all.
VHT_EXT_NSS_BW_TABLE: dict[tuple[int, int], VhtWidthRow] = {
    (0, 0): VhtWidthRow(ONE, None, None, None, None),
    (0, 1): VhtWidthRow(ONE, HALF, None, "CCFS2", None),
    (0, 2): VhtWidthRow(ONE, HALF, HALF, "CCFS2", "CCFS2"),
    (0, 3): VhtWidthRow(ONE, THREE_QUARTERS, THREE_QUARTERS, "CCFS2", "CCFS2"),
    (1, 0): VhtWidthRow(ONE, ONE, None, "CCFS1", None),
    (1, 1): VhtWidthRow(ONE, ONE, HALF, "CCFS1", "CCFS2"),
    (1, 2): VhtWidthRow(ONE, ONE, THREE_QUARTERS, "CCFS1", "CCFS2"),
    (1, 3): VhtWidthRow(TWO, TWO, ONE, "CCFS1", "CCFS1"),
    (2, 0): VhtWidthRow(ONE, ONE, ONE, "CCFS1", "CCFS1"),
    (2, 3): VhtWidthRow(TWO, ONE, ONE, "CCFS1", "CCFS1"),
}
VHT_RESERVED_ROW = VhtWidthRow(ONE, None, None, None, None)


@dataclass(frozen=True)
class VhtCapabilities:
    info: int
    rx_mcs_map: int
    rx_highest: int
    tx_mcs_map: int
    ext_nss_bw_capable: bool = False  # Supported VHT-MCS and NSS Set B61 (Tx Highest bit 13)

    @property
    def mu_beamformer(self) -> bool:
        return bool(self.info & VHT_MU_BEAMFORMER)

    @property
    def su_beamformer(self) -> bool:
        return bool(self.info & VHT_SU_BEAMFORMER)

    @property
    def width_set(self) -> int:
        return (self.info >> 2) & 0x3

    @property
    def ext_nss_bw(self) -> int:
        """Extended NSS BW Support (B30-B31) as it applies: 0 unless the STA sets VHT Extended NSS BW Capable
        (as Linux cfg80211 reads it; before 802.11-2016 these bits were reserved)."""
        return (self.info >> 30) & 0x3 if self.ext_nss_bw_capable else 0

    @property
    def width_row(self) -> VhtWidthRow:
        """This STA's row of Table 9-272 (a reserved combination: up to 80 MHz only)."""
        return VHT_EXT_NSS_BW_TABLE.get((self.width_set, self.ext_nss_bw), VHT_RESERVED_ROW)

    @property
    def reserved_widths(self) -> bool:
        return (self.width_set, self.ext_nss_bw) not in VHT_EXT_NSS_BW_TABLE

    def nss_factor(self, width: VhtWidth) -> Fraction | None:
        row = self.width_row
        if width == 160:
            return row.w160
        if width == "80+80":
            return row.w80p80
        return row.up_to_80

    def map_nss(self, mcs: int = 7) -> int:
        """Max VHT NSS for ``mcs``: the most streams the Rx VHT-MCS map supports at that MCS (codes 0/1/2 =
        MCS 0-7/0-8/0-9, 3 = not supported)."""
        need = 0 if mcs <= 7 else mcs - 7
        best = 0
        for n in range(8):
            code = (self.rx_mcs_map >> (2 * n)) & 0x3
            if code != 3 and code >= need:
                best = n + 1
        return best

    def nss_at(self, width: VhtWidth, mcs: int = 7) -> int:
        """Streams usable at ``width`` and ``mcs``: floor(NSS factor x Max VHT NSS); 0 = not supported."""
        factor = self.nss_factor(width)
        return 0 if factor is None else int(factor * self.map_nss(mcs))

    def nss_mcs(self, width: VhtWidth) -> list[tuple[int, int]]:
        """[(streams, top MCS)] usable at ``width``, one per MCS ceiling the map offers (7, 8, 9)."""
        out = [(self.nss_at(width, mcs), mcs) for mcs in (7, 8, 9)]
        return [(nss, mcs) for nss, mcs in out if nss > 0]

    @property
    def supports_160(self) -> bool:
        """160 MHz (or 80+80 MHz) with at least one stream, after the Extended NSS BW factor."""
        return self.nss_at(160) > 0 or self.nss_at("80+80") > 0

    @property
    def sgi_80(self) -> bool:
        return bool(self.info & 0x20)

    @property
    def sgi_160(self) -> bool:
        return bool(self.info & 0x40)

    @property
    def max_nss(self) -> int:
        """The most streams at any width (twice the map's for the two rows with factor 2)."""
        return max(self.nss_at(w) for w in VHT_WIDTHS)

    @property
    def top_mcs(self) -> int | None:
        """Highest MCS at the highest stream count (map code 0/1/2 = MCS 7/8/9)."""
        code = _nss_from_map(self.rx_mcs_map)[1]
        return None if code is None else 7 + code


@dataclass(frozen=True)
class VhtOperation:
    width: int  # 0 = 20/40 (see HT), 1 = 80 (or 160/80+80 with CCFS1), 2 = 160 (deprecated), 3 = 80+80 (deprecated)
    ccfs0: int
    ccfs1: int
    ccfs2: int = 0  # copied from the HT Operation element of the same frame

    @property
    def width_mhz(self) -> int | None:
        """BSS width: 160 when CCFS1 is set, or (Extended NSS BW, 802.11-2020 Table 9-272 "CCFS2" rows) when
        CCFS1 is 0 and the HT Operation's CCFS2 sits 8 channels from CCFS0 (160) or more than 16 (80+80)."""
        if self.width == 0:
            return None
        if self.width in (2, 3):
            return 160
        if self.ccfs1:
            return 160  # 160 (|CCFS1-CCFS0| = 8) or 80+80 (> 16): both 160 MHz of spectrum
        if self.ccfs2 and self.ccfs0 and (abs(self.ccfs2 - self.ccfs0) == 8 or abs(self.ccfs2 - self.ccfs0) > 16):
            return 160
        return 80


@dataclass(frozen=True)
class HeCapabilities:
    mac: bytes
    phy: bytes
    mcs_80: tuple[int, int]  # (rx map, tx map) for <= 80 MHz
    mcs_160: tuple[int, int] | None = None
    mcs_80p80: tuple[int, int] | None = None

    @property
    def width_40_24(self) -> bool:
        return bool(self.phy[0] & 0x02)

    @property
    def width_80_5(self) -> bool:
        return bool(self.phy[0] & 0x04)

    @property
    def width_160_5(self) -> bool:
        return bool(self.phy[0] & 0x18)

    @property
    def mu_beamformer(self) -> bool:
        return bool(self.phy[4] & 0x02)

    @property
    def su_beamformer(self) -> bool:
        return bool(self.phy[3] & 0x80)

    def nss_mcs(self, width_mhz: int) -> tuple[int, int | None]:
        """(streams, top MCS) for a width: the <=80 map, or the 160 map when asked for 160."""
        mcs_map = self.mcs_160[0] if width_mhz >= 160 and self.mcs_160 else self.mcs_80[0]
        nss, code = _nss_from_map(mcs_map)
        return nss, None if code is None else (7, 9, 11)[code]

    @property
    def max_nss(self) -> int:
        return max(self.nss_mcs(80)[0], self.nss_mcs(160)[0] if self.mcs_160 else 0)


@dataclass(frozen=True)
class HeOperation:
    params: int
    six_ghz_primary: int | None = None
    six_ghz_width_mhz: int | None = None


@dataclass(frozen=True)
class EhtCapabilities:
    mac: bytes
    phy: bytes
    mcs: dict[int, dict[int, int]] = field(default_factory=dict)  # width (20/80/160/320) -> {top mcs: rx nss}

    @property
    def supports_320(self) -> bool:
        return bool(self.phy[0] & 0x02)

    @property
    def mu_beamformer(self) -> bool:
        return bool(self.phy[7] & 0x70) if len(self.phy) > 7 else False

    def nss_mcs(self, width_mhz: int) -> list[tuple[int, int]]:
        """[(streams, top MCS)] usable at ``width_mhz`` (the <=80 MHz set serves 20/40/80)."""
        key = width_mhz if width_mhz in self.mcs else 80
        return [(nss, mcs) for mcs, nss in sorted(self.mcs.get(key, {}).items()) if nss > 0]

    @property
    def max_nss(self) -> int:
        return max((nss for group in self.mcs.values() for nss in group.values()), default=0)


@dataclass(frozen=True)
class EhtOperation:
    width_mhz: int | None


@dataclass(frozen=True)
class Elements:
    """What one beacon/probe response says, element by element (None = element absent or unusable)."""

    ssid: str | None = None
    ds_channel: int | None = None
    max_legacy_rate: float | None = None
    ht: HtCapabilities | None = None
    ht_oper: HtOperation | None = None
    vht: VhtCapabilities | None = None
    vht_oper: VhtOperation | None = None
    vendor_vht: VhtCapabilities | None = None
    he: HeCapabilities | None = None
    he_oper: HeOperation | None = None
    eht: EhtCapabilities | None = None
    eht_oper: EhtOperation | None = None
    vendor_ouis: tuple[str, ...] = ()
    wps: dict[str, str] = field(default_factory=dict)
    ap_name: str | None = None
    element_ids: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()


def iter_elements(data: bytes, warnings: list[str]) -> list[tuple[int, bytes]]:
    """Split raw element bytes into (id, body); a length running past the end is a warning, not an error."""
    out: list[tuple[int, bytes]] = []
    pos = 0
    while pos < len(data):
        if pos + 2 > len(data):
            warnings.append(f"truncated element header at offset {pos} ({len(data) - pos} byte left)")
            break
        eid, length = data[pos], data[pos + 1]
        body = data[pos + 2 : pos + 2 + length]
        if len(body) < length:
            warnings.append(f"element {eid} truncated: length {length}, {len(body)} bytes present")
            break
        out.append((eid, body))
        pos += 2 + length
    return out


def _ht_cap(body: bytes) -> HtCapabilities:
    (info,) = struct.unpack_from("<H", body, 0)
    return HtCapabilities(info=info, rx_mcs=bytes(body[3:19]))


def _ht_oper(body: bytes) -> HtOperation:
    (op_mode,) = struct.unpack_from("<H", body, 2)  # Linux IEEE80211_HT_OP_MODE_CCFS2_MASK 0x1fe0
    return HtOperation(primary_channel=body[0], secondary_offset=body[1] & 0x3, any_width=bool(body[1] & 0x4),
                       ccfs2=(op_mode & 0x1FE0) >> 5)


def _vht_cap(body: bytes) -> VhtCapabilities:
    info, rx_map, rx_high, tx_map, tx_high = struct.unpack_from("<IHHHH", body, 0)
    return VhtCapabilities(
        info=info,
        rx_mcs_map=rx_map,
        rx_highest=rx_high & 0x1FFF,
        tx_mcs_map=tx_map,
        ext_nss_bw_capable=bool(tx_high & 0x2000),
    )


def _vht_oper(body: bytes) -> VhtOperation:
    return VhtOperation(width=body[0], ccfs0=body[1], ccfs1=body[2])


def he_mcs_size(phy0: int) -> int:
    """Octets of the Supported HE-MCS and NSS Set (Linux ``ieee80211_he_mcs_nss_size``)."""
    return 4 + (4 if phy0 & 0x08 else 0) + (4 if phy0 & 0x10 else 0)


def _he_cap(body: bytes) -> HeCapabilities:
    mac, phy = bytes(body[0:6]), bytes(body[6:17])
    if len(phy) < 11:
        raise ValueError("HE PHY capabilities truncated")
    need = 17 + he_mcs_size(phy[0])
    if len(body) < need:
        raise ValueError(f"HE MCS/NSS set truncated ({len(body)} of {need} octets)")
    maps = [struct.unpack_from("<HH", body, off) for off in range(17, need, 4)]
    it = iter(maps[1:])
    mcs_160 = next(it) if phy[0] & 0x08 else None
    mcs_80p80 = next(it) if phy[0] & 0x10 else None
    return HeCapabilities(mac=mac, phy=phy, mcs_80=maps[0], mcs_160=mcs_160, mcs_80p80=mcs_80p80)


def _he_oper(body: bytes) -> HeOperation:
    params = body[0] | body[1] << 8 | body[2] << 16
    pos = 6 + (3 if params & 0x4000 else 0) + (1 if params & 0x8000 else 0)
    if params & 0x20000 and len(body) >= pos + 5:
        control = body[pos + 1]
        return HeOperation(params, six_ghz_primary=body[pos], six_ghz_width_mhz=(20, 40, 80, 160)[control & 0x3])
    return HeOperation(params)


def eht_capabilities(body: bytes, he: HeCapabilities | None) -> EhtCapabilities:
    """EHT Capabilities as sent by an AP: 3-octet MCS/NSS groups for <=80, 160 and 320 MHz as advertised.

    The group count follows Linux ``ieee80211_eht_mcs_nss_size(..., from_ap=true)``: one group on 2.4 GHz or for
    a 20 MHz-only AP; otherwise one per width that HE (80, 160) and EHT (320) say is supported.
    """
    mac, phy = bytes(body[0:2]), bytes(body[2:11])
    if len(phy) < 9:
        raise ValueError("EHT PHY capabilities truncated")
    rest = body[11:]
    he_phy0 = he.phy[0] if he else 0
    widths: list[int] = []
    if not he_phy0 & 0x02:
        if he_phy0 & 0x04:
            widths.append(80)
        if he_phy0 & 0x08:
            widths.append(160)
        if phy[0] & 0x02:
            widths.append(320)
    widths = widths or [80]
    mcs: dict[int, dict[int, int]] = {}
    for i, width in enumerate(widths):
        chunk = rest[3 * i : 3 * i + 3]
        if len(chunk) < 3:
            raise ValueError(f"EHT MCS/NSS set for {width} MHz truncated")
        mcs[width] = {9: chunk[0] & 0xF, 11: chunk[1] & 0xF, 13: chunk[2] & 0xF}
    return EhtCapabilities(mac=mac, phy=phy, mcs=mcs)


def _eht_oper(body: bytes) -> EhtOperation:
    if body and body[0] & 0x01 and len(body) >= 8:
        return EhtOperation(width_mhz=(20, 40, 80, 160, 320, None, None, None)[body[5] & 0x7])
    return EhtOperation(width_mhz=None)


def _wps(body: bytes) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    while pos + 4 <= len(body):
        attr, length = struct.unpack_from(">HH", body, pos)
        value = body[pos + 4 : pos + 4 + length]
        if attr in WPS_ATTRS and value:
            text = value.decode("utf-8", "replace").replace("\x00", "").strip()
            if text:
                out[WPS_ATTRS[attr]] = text
        pos += 4 + length
    return out


def _legacy_rate(body: bytes) -> float:
    return max((b & 0x7F) / 2 for b in body) if body else 0.0


def parse_elements(data: bytes) -> Elements:
    """Parse the tagged parameters of a beacon/probe response body (after the 12 fixed octets)."""
    warnings: list[str] = []
    values: dict[str, object] = {}
    ouis: list[str] = []
    wps: dict[str, str] = {}
    ids: list[int] = []
    legacy = 0.0
    pending_eht: bytes | None = None
    for eid, body in iter_elements(bytes(data), warnings):
        ids.append(eid)
        try:
            if eid == EID_SSID:
                values["ssid"] = body.decode("utf-8", "replace").replace("\x00", "")
            elif eid in (EID_SUPP_RATES, EID_EXT_SUPP_RATES):
                legacy = max(legacy, _legacy_rate(body))
            elif eid == EID_DS_PARAMS and body:
                values["ds_channel"] = body[0]
            elif eid == EID_HT_CAP:
                _need(body, 26, "HT Capabilities")
                values["ht"] = _ht_cap(body)
            elif eid == EID_HT_OPER:
                _need(body, 22, "HT Operation")
                values["ht_oper"] = _ht_oper(body)
            elif eid == EID_VHT_CAP:
                _need(body, 12, "VHT Capabilities")
                values["vht"] = _vht_cap(body)
            elif eid == EID_VHT_OPER:
                _need(body, 5, "VHT Operation")
                values["vht_oper"] = _vht_oper(body)
            elif eid == EID_CISCO_NAME and len(body) >= 26:
                name = body[10:26].split(b"\x00", 1)[0].decode("utf-8", "replace").strip()
                if name:
                    values["ap_name"] = name
            elif eid == EID_VENDOR:
                _need(body, 3, "Vendor Specific")
                oui = body[:3]
                ouis.append(oui.hex(":"))
                if oui == OUI_BROADCOM and len(body) >= 5 and body[3] == VENDOR_VHT_TYPE:
                    inner = [e for e in iter_elements(body[5:], warnings) if e[0] == EID_VHT_CAP and len(e[1]) >= 12]
                    if inner:
                        values["vendor_vht"] = _vht_cap(inner[0][1])
                elif oui == OUI_MICROSOFT and len(body) >= 4 and body[3] == WPS_TYPE:
                    wps.update(_wps(body[4:]))
            elif eid == EID_EXTENSION:
                _need(body, 1, "Extension")
                ext, ebody = body[0], body[1:]
                ids.append(1000 + ext)
                if ext == EXT_HE_CAP:
                    _need(ebody, 21, "HE Capabilities")
                    values["he"] = _he_cap(ebody)
                elif ext == EXT_HE_OPER:
                    _need(ebody, 6, "HE Operation")
                    values["he_oper"] = _he_oper(ebody)
                elif ext == EXT_EHT_CAP:
                    pending_eht = ebody  # its MCS set size depends on HE Capabilities, which may come later
                elif ext == EXT_EHT_OPER:
                    _need(ebody, 5, "EHT Operation")
                    values["eht_oper"] = _eht_oper(ebody)
        except (ValueError, struct.error, IndexError) as exc:
            warnings.append(f"element {eid} malformed: {exc}")
    if pending_eht is not None:
        try:
            _need(pending_eht, 11, "EHT Capabilities")
            he = values.get("he")
            values["eht"] = eht_capabilities(pending_eht, he if isinstance(he, HeCapabilities) else None)
        except (ValueError, struct.error, IndexError) as exc:
            warnings.append(f"element 255/108 malformed: {exc}")
    vht_oper, ht_oper = values.get("vht_oper"), values.get("ht_oper")
    if isinstance(vht_oper, VhtOperation) and isinstance(ht_oper, HtOperation) and ht_oper.ccfs2:
        values["vht_oper"] = dataclasses.replace(vht_oper, ccfs2=ht_oper.ccfs2)
    return Elements(
        max_legacy_rate=legacy or None,
        vendor_ouis=tuple(dict.fromkeys(ouis)),
        wps=wps,
        element_ids=tuple(ids),
        warnings=tuple(warnings),
        **values,  # type: ignore[arg-type]
    )


def _need(body: bytes, size: int, name: str) -> None:
    if len(body) < size:
        raise ValueError(f"{name} needs {size} octets, got {len(body)}")
