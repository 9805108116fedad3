"""`iw dev IF scan` text: a real dump from a public test fixture, old-iw hex elements, versions."""

from __future__ import annotations

from pathlib import Path

from probes.wifi import access_points
from probes.wifi.bss import analyse
from probes.wifi.iwscan import iw_version, parse_iw_scan

DATA = Path(__file__).resolve().parent.parent / "data" / "wifi"


def test_real_iw_dump_wave2_and_wave1_aps():
    result = parse_iw_scan((DATA / "iw-scan-kubemate.txt").read_text())
    assert result.iw_version is None and any("iw version unknown" in w for w in result.warnings)
    radios = {r.bssid: r for r in (analyse(o) for o in result.observations)}
    fritz = radios["3c:37:12:04:6c:62"]  # VHT Capabilities 0x338959b2: MU Beamformer set, 2 streams
    assert (fritz.ssid, fritz.freq_mhz, fritz.band_ghz, fritz.standard, fritz.wave2) == (
        "Some Network",
        5620,
        "5",
        "ac",
        True,
    )
    assert (fritz.max_nss, fritz.widths_mhz, fritz.max_rate_mbps, fritz.channel_width_mhz) == (
        2,
        (20, 40, 80),
        866.7,
        80,
    )
    other = radios["d0:05:2a:71:b8:75"]  # VHT Capabilities 0x0f8259b2: no MU Beamformer, 3 streams
    assert (other.standard, other.wave2, other.max_nss, other.max_rate_mbps) == ("ac", False, 3, 1300.0)
    aps = access_points(result.observations)
    assert [ap.generation for ap in aps] == ["ac-wave2", "ac-wave1"]


OLD_IW = """BSS 38:a6:59:94:20:3e(on wlan0)
\tfreq: 2437
\tSSID: caf\\xc3\\xa9
\tHT capabilities:
\t\tCapabilities: 0x11ef
\t\tHT RX MCS rate indexes supported: 0-15, 32
\tHT operation:
\t\t * primary channel: 6
\t\t * secondary channel offset: above
\t\t * STA channel width: any
\tUnknown IE (255): 23 0d 01 08 1a 40 00 02 60 4c 89 7f c1 83 9c 01 08 00 fa ff fa ff
\tVendor specific: OUI 00:50:f2, data: 04 10 21 00 07 54 50 2d 4c 69 6e 6b 10 23 00 06 45 41 50 36 31 30
BSS 38:a6:59:94:20:3f(on wlan0)
\tfreq: 5180
\tSSID: cafe
\tHT capabilities:
\t\tCapabilities: 0x09ef
\t\tHT RX MCS rate indexes supported: 0-15
\tVHT capabilities:
\t\tVHT Capabilities (0x338b79b2):
\t\tVHT RX MCS set:
\t\t\t1 streams: MCS 0-9
\t\t\t2 streams: MCS 0-9
\t\t\t3 streams: not supported
\tHE capabilities:
\t\tHE MAC Capabilities (0x0d01081a4000):
\t\tHE PHY Capabilities: (0x04604c897fc1839c010800):
\t\t\tHE40/HE80/5GHz
\t\tHE RX MCS and NSS set <= 80 MHz
\t\t\t1 streams: MCS 0-11
\t\t\t2 streams: MCS 0-11
\t\t\t3 streams: not supported
"""


def test_old_iw_hex_elements_wps_and_escaped_ssid():
    result = parse_iw_scan(OLD_IW, "5.4")
    assert any("iw 5.4 does not decode HE" in w for w in result.warnings)
    o24, o5 = result.observations
    assert o24.elements.ssid == "café" and o24.elements.he is not None and o24.elements.he.width_40_24
    assert o24.elements.wps == {"manufacturer": "TP-Link", "model_name": "EAP610"}
    r24, r5 = analyse(o24), analyse(o5)
    assert (r24.standard, r24.max_rate_mbps) == ("ax", 573.5)
    assert (r5.standard, r5.wave2, r5.max_rate_mbps) == ("ax", True, 1201.0)
    (ap,) = access_points(result.observations)
    assert ap.model == "EAP610" and ap.dual_band and ap.marketing_class == "AX1800"
    assert ap.bands_ghz == ("2.4", "5")


def test_garbage_and_empty_text():
    assert parse_iw_scan("").observations == []
    bad = parse_iw_scan("command failed: Operation not permitted (-1)\n")
    assert bad.observations == [] and any("not `iw dev IF scan`" in w for w in bad.warnings)
    partial = parse_iw_scan("BSS 00:11:22:33:44:55(on wlan0)\n\tfreq: abc\n\tSSID: x\n\tVHT capabilities:\n")
    assert len(partial.observations) == 1 and analyse(partial.observations[0]).standard == "legacy"


def test_installed_iw_version_is_recorded():
    version = iw_version()
    assert version is None or version[0].isdigit()


def _wifi7_block(eht_lines: str) -> str:
    streams = "".join(f"\t\t\t{n} streams: MCS 0-11\n" for n in range(1, 5))
    return (
        "BSS 84:78:48:1c:dd:37(on wlp2s0)\n\tfreq: 5640\n\tSSID: wifi7\n"
        "\tHT capabilities:\n\t\tCapabilities: 0x9ef\n\t\tHT RX MCS rate indexes supported: 0-31\n"
        "\tVHT capabilities:\n\t\tVHT Capabilities (0x338b89b2):\n\t\tVHT RX MCS set:\n"
        + "".join(f"\t\t\t{n} streams: MCS 0-9\n" for n in range(1, 5))
        + "\tHE capabilities:\n\t\tHE MAC Capabilities (0x0d01181a4010):\n"
        "\t\tHE PHY Capabilities: (0x0c604c897fc1839c010800):\n\t\t\tHE40/HE80/5GHz\n\t\t\tHE160/5GHz\n"
        "\t\tHE RX MCS and NSS set <= 80 MHz\n"
        + streams
        + "\t\tHE RX MCS and NSS set 160 MHz\n"
        + streams
        + "\tEHT capabilities:\n\t\tEHT MAC Capabilities (0x0000):\n"
        "\t\tEHT PHY Capabilities: (0x000000000000007000):\n" + eht_lines
    )


def test_eht_from_raw_mcs_octets_and_from_nss_lines():
    raw = parse_iw_scan(_wifi7_block("\t\tEHT MCS/NSS: (0x444444444444):\n"), "6.17")
    r = analyse(raw.observations[0])
    assert (r.standard, r.max_nss, r.max_rate_mbps, max(r.widths_mhz)) == ("be", 4, 5764.7, 160)
    lines = "".join(
        f"\t\t\tEHT bw <= {w} MHz, max NSS for MCS {m}: Rx=2, Tx=2\n"
        for w in (80, 160)
        for m in ("8-9", "10-11", "12-13")
    )
    r = analyse(parse_iw_scan(_wifi7_block(lines), "6.9").observations[0])
    assert (r.standard, r.max_rate_mbps) == ("be", 2882.4)  # EHT160 2 SS MCS 13
