"""Live scan path. No radio exists here: the nl80211 decoding is tested on netlink messages built byte-exact
from the nl80211 attribute layout, and scan_air on this machine (which has no Wi-Fi interface)."""

from __future__ import annotations

import logging
import struct

from pyroute2.netlink.nl80211 import nl80211cmd

from agent.config import Config
from probes.wifi import access_points, live, scan_air, scan_air_report
from tests.wifi.beacons import elements_bytes, ht_cap, ht_oper, ssid, vht_cap, vht_oper

NL80211_CMD_NEW_SCAN_RESULTS = 34
NL80211_ATTR_IFINDEX = 3
NL80211_ATTR_BSS = 47
NL80211_BSS_BSSID, NL80211_BSS_FREQUENCY, NL80211_BSS_INFORMATION_ELEMENTS = 1, 2, 6
NLA_F_NESTED = 0x8000


def nla(kind: int, payload: bytes) -> bytes:
    length = 4 + len(payload)
    return struct.pack("HH", length, kind) + payload + b"\0" * ((4 - length % 4) % 4)


def scan_result(bssid: str, freq: int, ies: bytes) -> nl80211cmd:
    bss = nla(NL80211_BSS_BSSID, bytes.fromhex(bssid.replace(":", ""))) + nla(
        NL80211_BSS_FREQUENCY, struct.pack("I", freq)
    )
    bss += nla(NL80211_BSS_INFORMATION_ELEMENTS, ies)
    body = bytes([NL80211_CMD_NEW_SCAN_RESULTS, 1, 0, 0]) + nla(NL80211_ATTR_IFINDEX, struct.pack("I", 3))
    body += nla(NL80211_ATTR_BSS | NLA_F_NESTED, bss)
    msg = nl80211cmd(struct.pack("IHHII", 16 + len(body), 28, 2, 1, 0) + body)
    msg.decode()
    return msg


def test_raw_elements_survive_pyroute2_even_when_malformed():
    ies = elements_bytes(ssid("TruongHoc"), ht_cap(4), ht_oper(36, 1), vht_cap(4, mu=True), vht_oper(1, 42))
    broken = ies + bytes([61, 30, 1])  # an HT Operation element cut short: pyroute2's own decoder would trip
    messages = [scan_result("78:8a:20:11:22:38", 5180, broken), scan_result("78:8a:20:11:22:30", 2437,
                elements_bytes(ssid("TruongHoc"), ht_cap(2), ht_oper(6, 1)))]  # fmt: skip
    observations, warnings = live.observations_from_messages(messages)
    assert not warnings and len(observations) == 2
    five = next(o for o in observations if o.freq_mhz == 5180)
    assert five.elements.vht is not None
    assert five.source == "nl80211" and five.elements.vht.mu_beamformer and five.warnings
    (ap,) = access_points(observations)
    assert ap.generation == "ac-wave2" and ap.max_rate_mbps_by_band == {"2.4": 300.0, "5": 1733.3}


def test_wireless_interfaces_from_sysfs(tmp_path):
    for name, marker in (("wlp2s0", "wireless"), ("wlan1", "phy80211"), ("eth0", None)):
        (tmp_path / name).mkdir()
        if marker:
            (tmp_path / name / marker).mkdir()
    assert live.wireless_interfaces(tmp_path) == ["wlan1", "wlp2s0"]
    assert live.wireless_interfaces(tmp_path / "missing") == []


def test_scan_air_without_a_radio_returns_empty_with_a_warning(caplog):
    if live.wireless_interfaces():
        import pytest

        pytest.skip("this machine has a Wi-Fi interface")
    with caplog.at_level(logging.WARNING, logger="schoolnet.wifi"):
        assert scan_air(Config()) == []
    assert "no Wi-Fi interface" in caplog.text
    off = scan_air_report(Config.model_validate({"wifi": {"scan": False}}))
    assert off.access_points == [] and "disabled" in off.warnings[0]


def test_scan_on_a_missing_interface_is_a_warning():
    result = live.scan("snwifi-nope0")
    assert result.observations == [] and "no interface" in result.warnings[0]


def test_scan_on_a_non_wifi_interface_falls_back_and_says_why():
    result = live.scan("lo")
    assert result.observations == [] and result.warnings
    assert any("nl80211" in w or "iw" in w for w in result.warnings)
