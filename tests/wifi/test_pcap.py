"""Monitor-mode captures: scapy-built beacons, real frames from libtins' tests, big and damaged files."""

from __future__ import annotations

from pathlib import Path

import pytest
from scapy.layers.dot11 import Dot11, RadioTap
from scapy.utils import PcapNgWriter, RawPcapWriter, wrpcap

from probes.wifi import access_points
from probes.wifi.pcap import read_capture
from tests.wifi.beacons import eap115, nanohd

DATA = Path(__file__).resolve().parent.parent / "data" / "wifi"


def _by_name(aps):
    return {ap.name: ap for ap in aps}


def test_lab_aps_over_the_air_nanohd_passes_eap115_fails(tmp_path):
    path = tmp_path / "school.pcap"
    wrpcap(str(path), nanohd() + eap115())
    result = read_capture(path)
    assert result.frames == 3 and result.management_frames == 3 and not result.warnings
    aps = access_points(result.observations)
    assert len(aps) == 2
    nano = next(ap for ap in aps if ap.bands_ghz == ("2.4", "5"))
    assert (nano.standard, nano.wave2, nano.generation, nano.dual_band) == ("ac", True, "ac-wave2", True)
    assert nano.max_rate_mbps_by_band == {"2.4": 300.0, "5": 1733.3}
    assert nano.aggregate_mbps == 2033.3
    assert len(nano.bssids) == 2 and {r.band_ghz for r in nano.bssids} == {"2.4", "5"}
    eap = next(ap for ap in aps if ap.model == "EAP115")
    assert (eap.standard, eap.wave2, eap.generation, eap.dual_band) == ("n", False, "n", False)
    assert eap.max_rate_mbps_by_band == {"2.4": 300.0}
    assert any(b.key == "catalog:tplink-eap115" for b in eap.basis)


def test_pcapng_and_probe_response(tmp_path):
    path = tmp_path / "x.pcapng"
    writer = PcapNgWriter(str(path))
    for frame in nanohd("02:11:22:33:44:50"):
        writer.write(frame)
    writer.close()
    result = read_capture(path)
    assert {o.freq_mhz for o in result.observations} == {2437, 5180}
    assert all(o.freq_basis == "radiotap" for o in result.observations)


def test_real_libtins_frames_with_fcs_and_channel_plus():
    result = read_capture(DATA / "libtins-radiotap-beacons.pcap")
    obs = {o.bssid: o for o in result.observations}
    assert set(obs) == {"06:03:7f:07:a0:16", "7c:4f:b5:93:72:5c"}
    a5 = obs["06:03:7f:07:a0:16"]  # FreeBSD hostap, 802.11a, channel 36, RadioTap XChannel (ChannelPlus)
    assert (a5.freq_mhz, a5.elements.ssid, a5.elements.ds_channel, a5.elements.ht) == (5180, "freebsd-ap", 36, None)
    n24 = obs["7c:4f:b5:93:72:5c"]  # a home gateway, 2.4 GHz, HT 2 SS, Broadcom vendor elements
    assert n24.elements.ht is not None
    assert n24.freq_mhz == 2412 and n24.elements.ht.max_nss == 2 and not n24.elements.warnings
    aps = _by_name(access_points(result.observations))
    assert aps["AP 06:03:7f:07:a0:16"].standard == "legacy"
    assert aps["AP 7c:4f:b5:93:72:5c"].max_rate_mbps_by_band == {"2.4": 144.4}


def test_five_thousand_frames(tmp_path):
    frames = []
    for i in range(50):
        frames += nanohd(f"0a:00:00:00:{i:02x}:00")
    data_frame = RadioTap() / Dot11(type=2, subtype=0, addr1="ff:ff:ff:ff:ff:ff", addr2="0a:00:00:00:00:99")
    path = tmp_path / "big.pcap"
    writer = RawPcapWriter(str(path), linktype=127)
    raw = [bytes(f) for f in frames] + [bytes(data_frame)]
    for i in range(5000):
        writer.write(raw[i % len(raw)])
    writer.close()
    result = read_capture(path)
    assert result.frames == 5000 and len(result.observations) == 100
    assert max(o.frames for o in result.observations) >= 49
    assert len(access_points(result.observations)) == 50


def test_truncated_file_keeps_what_was_read(tmp_path):
    path = tmp_path / "cut.pcap"
    wrpcap(str(path), nanohd() + eap115())
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) - 40])
    result = read_capture(path)
    assert result.frames == 3 and any("truncated" in w for w in result.warnings)
    assert len(result.observations) == 3
    path.write_bytes(blob[:30])  # inside the first record header
    assert read_capture(path).observations == []


def test_corrupt_records_are_skipped_not_fatal(tmp_path):
    path = tmp_path / "mixed.pcap"
    writer = RawPcapWriter(str(path), linktype=127)
    writer.write(b"\x00\x00\xff\xff" + b"\x01" * 20)  # RadioTap length past the record
    writer.write(b"\x00")
    writer.write(bytes(nanohd()[1])[:60])  # beacon cut inside its elements
    writer.write(bytes(nanohd()[0]))
    writer.close()
    result = read_capture(path)
    assert result.frames == 4 and len(result.observations) >= 1


def test_not_a_capture_and_wrong_link_type(tmp_path):
    junk = tmp_path / "junk.pcap"
    junk.write_bytes(b"this is not a capture file at all")
    with pytest.raises(ValueError, match="not a pcap"):
        read_capture(junk)
    eth = tmp_path / "eth.pcap"
    writer = RawPcapWriter(str(eth), linktype=1)
    writer.write(b"\x00" * 60)
    writer.close()
    with pytest.raises(ValueError, match="link type 1"):
        read_capture(eth)


def test_bare_80211_link_type_uses_ds_channel(tmp_path):
    frame = nanohd()[0][Dot11]
    path = tmp_path / "bare.pcap"
    writer = RawPcapWriter(str(path), linktype=105)
    writer.write(bytes(frame))
    writer.close()
    (obs,) = read_capture(path).observations
    assert obs.freq_mhz is None and obs.elements.ds_channel == 6
    (ap,) = access_points([obs])
    assert ap.bands_ghz == ("2.4",) and any("channel number" in b.note for b in ap.bssids[0].basis)
