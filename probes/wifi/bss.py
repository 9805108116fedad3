"""One BSS as heard over the air: its elements -> band, standard, Wave 2, streams, widths, max rate, with basis."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.model import Basis, Radio
from probes.wifi import rates
from probes.wifi.ie import Elements


@dataclass(frozen=True)
class BssObservation:
    """The best set of elements seen for one BSSID, and where they came from."""

    bssid: str
    elements: Elements
    freq_mhz: int | None = None
    source: str = "beacon"  # beacon | probe_response | nl80211 | iw
    freq_basis: str = ""  # radiotap | nl80211 | iw | ds-param
    frames: int = 1
    warnings: tuple[str, ...] = field(default_factory=tuple)


def band_of(freq_mhz: int | None) -> str | None:
    """Band name from a centre frequency in MHz (None when outside the Wi-Fi bands)."""
    if freq_mhz is None:
        return None
    if 2400 <= freq_mhz <= 2500:
        return "2.4"
    if 4900 <= freq_mhz < 5925:
        return "5"
    if 5925 <= freq_mhz <= 7125:
        return "6"
    if 57000 <= freq_mhz <= 71000:
        return "60"
    return None


def channel_of(freq_mhz: int) -> int | None:
    if freq_mhz == 2484:
        return 14
    if 2412 <= freq_mhz <= 2472:
        return (freq_mhz - 2407) // 5
    if 5000 <= freq_mhz < 5925:
        return (freq_mhz - 5000) // 5
    if 5950 <= freq_mhz <= 7115:
        return (freq_mhz - 5950) // 5
    if freq_mhz == 5935:
        return 2
    return None


def freq_of_channel(channel: int, band: str) -> int | None:
    if band == "2.4":
        return 2484 if channel == 14 else (2407 + 5 * channel if 1 <= channel <= 13 else None)
    if band == "5":
        return 5000 + 5 * channel if 32 <= channel <= 177 else None
    if band == "6":
        return 5950 + 5 * channel if 1 <= channel <= 233 else None
    return None


def _standard(e: Elements, band: str | None) -> str:
    if e.eht:
        return "be"
    if e.he:
        return "ax"
    if e.vht and band != "2.4":
        return "ac"
    if e.ht or e.vht:
        return "n"
    return "legacy"


def _widths(e: Elements, band: str | None, standard: str) -> tuple[int, ...]:
    widths = [20]
    if standard in ("ax", "be") and e.he:
        if band == "2.4":
            widths += [40] if e.he.width_40_24 else []
        else:
            widths += [40, 80] if e.he.width_80_5 else []
            widths += [160] if e.he.width_160_5 else []
        if standard == "be" and e.eht and e.eht.supports_320 and band == "6":
            widths.append(320)
    elif standard == "ac" and e.vht:
        widths += [40, 80] + ([160] if e.vht.supports_160 else [])
    elif e.ht and e.ht.width_40:
        widths.append(40)
    return tuple(widths)


def _oper_width(e: Elements) -> int | None:
    if e.eht_oper and e.eht_oper.width_mhz:
        return e.eht_oper.width_mhz
    if e.he_oper and e.he_oper.six_ghz_width_mhz:
        return e.he_oper.six_ghz_width_mhz
    if e.vht_oper and e.vht_oper.width_mhz:
        return e.vht_oper.width_mhz
    if e.ht_oper:
        return e.ht_oper.width_mhz
    return None


def _max_rate(
    e: Elements, standard: str, widths: tuple[int, ...], src: str
) -> tuple[float | None, int | None, list[Basis]]:
    """(max PHY rate, streams, basis) from the capabilities of the generation this BSS speaks."""
    width: int = max(widths)
    basis: list[Basis] = []
    if standard == "be" and e.eht:
        best: tuple[float, int, int, int] | None = None
        for w in widths:
            if w < 80 and 80 in widths:
                continue
            for nss, mcs in e.eht.nss_mcs(w):
                rate = rates.best_rate("eht", w, nss, mcs)
                if rate is not None and (best is None or rate > best[0]):
                    best = (rate, w, nss, mcs)
        if best is None:
            return None, e.eht.max_nss or None, basis
        basis.append(
            Basis("rule", "max PHY rate", f"{best[0]} Mbit/s", f"EHT{best[1]} {best[2]} SS MCS {best[3]}, GI 0.8")
        )
        return best[0], best[2], basis
    if standard in ("ax", "be") and e.he:
        nss, he_mcs = e.he.nss_mcs(width)
        rate = rates.best_rate("he", width, nss, he_mcs) if nss else None
        if rate is not None:
            basis.append(Basis("rule", "max PHY rate", f"{rate} Mbit/s", f"HE{width} {nss} SS MCS {he_mcs}, GI 0.8"))
        return rate, e.he.max_nss or None, basis
    if standard == "ac" and e.vht:
        vbest = rates.vht_max_rate(e.vht)  # per width, at the streams Extended NSS BW allows there
        if vbest is not None:
            basis.append(Basis("rule", "max PHY rate", f"{vbest.rate} Mbit/s", vbest.describe()))
        return (vbest.rate if vbest else None), e.vht.max_nss or None, basis
    if e.ht:
        sgi = e.ht.sgi_40 if width >= 40 else e.ht.sgi_20
        nss = e.ht.max_nss
        rate = rates.best_rate("ht", width, nss, short_gi=sgi) if nss else None
        if rate is not None:
            gi = "short GI" if sgi else "long GI"
            basis.append(Basis("rule", "max PHY rate", f"{rate} Mbit/s", f"HT{width} {nss} SS MCS 7, {gi}"))
        vendor = e.vendor_vht or e.vht
        if vendor and vendor.max_nss:
            vrate = rates.best_rate("vht", width, vendor.max_nss, vendor.top_mcs, short_gi=sgi)
            if vrate is not None and (rate is None or vrate > rate):
                where = "Broadcom vendor VHT element" if e.vendor_vht else "VHT Capabilities on 2.4 GHz"
                basis.append(
                    Basis(
                        src, "vendor 256-QAM on 2.4 GHz", f"{vrate} Mbit/s", f"{where}; not IEEE 802.11n, vendor mode"
                    )
                )
                rate = vrate
        return rate, nss or None, basis
    if e.max_legacy_rate:
        basis.append(Basis(src, "Supported Rates", f"{e.max_legacy_rate} Mbit/s", "no HT/VHT/HE/EHT element"))
        return e.max_legacy_rate, 1, basis
    return None, None, basis


def analyse(obs: BssObservation) -> Radio:
    """Turn one observation into a :class:`Radio` whose every field carries its basis."""
    e = obs.elements
    src = obs.source
    basis: list[Basis] = []
    freq = obs.freq_mhz
    band = band_of(freq)
    if freq is not None:
        basis.append(Basis(obs.freq_basis or src, "frequency", f"{freq} MHz", f"band {band} GHz" if band else ""))
    elif e.ds_channel or (e.he_oper and e.he_oper.six_ghz_primary):
        guess = None
        if e.he_oper and e.he_oper.six_ghz_primary:
            guess = "6"  # HE Operation carries 6 GHz Operation Information only in the 6 GHz band
        elif e.ds_channel and e.ds_channel <= 14:
            guess = "2.4"
        elif e.ds_channel and 32 <= e.ds_channel <= 177:
            guess = "5"
        if guess == "6" and e.he_oper and e.he_oper.six_ghz_primary:
            band, freq = guess, freq_of_channel(e.he_oper.six_ghz_primary, guess)
        elif guess and e.ds_channel:
            band, freq = guess, freq_of_channel(e.ds_channel, guess)
        basis.append(
            Basis(src, "channel", str(e.ds_channel or ""), f"no frequency given; band {band} from the channel number")
        )
    channel = e.ds_channel or (e.ht_oper.primary_channel if e.ht_oper else None)
    if channel is None and freq:
        channel = channel_of(freq)
    standard = _standard(e, band)
    wave2: bool | None = None
    if e.vht:
        wave2 = e.vht.mu_beamformer
        basis.append(
            Basis(
                src,
                "VHT Capabilities Info B19 (MU Beamformer Capable)",
                "1" if wave2 else "0",
                f"0x{e.vht.info:08x}; B2-B3 channel width set = {e.vht.width_set}",
            )
        )
        basis.append(Basis(src, "VHT Rx MCS map", f"0x{e.vht.rx_mcs_map:04x}", f"{e.vht.max_nss} spatial streams"))
    if e.he:
        basis.append(Basis(src, "HE Capabilities (element 255/35)", "present", f"PHY byte 0 = 0x{e.he.phy[0]:02x}"))
        basis.append(Basis(src, "HE Rx MCS map <= 80 MHz", f"0x{e.he.mcs_80[0]:04x}", f"{e.he.nss_mcs(80)[0]} SS"))
    if e.eht:
        basis.append(Basis(src, "EHT Capabilities (element 255/108)", "present", f"{e.eht.max_nss} SS max"))
    if e.ht and standard == "n":
        basis.append(Basis(src, "HT Capabilities Info", f"0x{e.ht.info:04x}", f"{e.ht.max_nss} SS from Rx MCS bitmask"))
    widths = _widths(e, band, standard)
    rate, nss, rate_basis = _max_rate(e, standard, widths, src)
    basis += rate_basis
    return Radio(
        band_ghz=band,
        standard=standard,
        wave2=wave2,
        channel_width_mhz=_oper_width(e),
        streams=nss,
        max_rate_mbps=rate,
        channel=channel,
        freq_mhz=freq,
        bssid=obs.bssid.lower(),
        ssid=e.ssid,
        basis=tuple(basis),
        max_nss=nss,
        widths_mhz=widths,
    )
