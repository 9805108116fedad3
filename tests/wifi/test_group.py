"""Grouping BSSIDs into physical access points."""

from __future__ import annotations

from probes.wifi.bss import BssObservation
from probes.wifi.group import group_bss, mac_distance
from probes.wifi.ie import Elements


def obs(bssid, freq, ssid="School", ap_name=None):
    return BssObservation(bssid, Elements(ssid=ssid, ap_name=ap_name), freq)


def members(groups):
    return sorted(sorted(o.bssid for o in g.members) for g in groups)


def test_mac_distance_same_oui_and_locally_administered():
    assert mac_distance("78:8a:20:11:22:30", "78:8a:20:11:22:38") == 8
    assert mac_distance("78:8a:20:11:22:30", "7a:8a:20:11:22:31") == 1  # LA variant of the base MAC
    assert mac_distance("78:8a:20:11:22:30", "50:c7:bf:11:22:30") is None
    assert mac_distance("bad", "78:8a:20:11:22:30") is None


def test_dual_band_ap_and_virtual_ssids_group_together():
    groups = group_bss([
        obs("78:8a:20:11:22:30", 2437), obs("78:8a:20:11:22:31", 2437, "Guest"),
        obs("78:8a:20:11:22:38", 5180), obs("7a:8a:20:11:22:39", 5180, "Guest"),
        obs("50:c7:bf:aa:bb:c0", 2462),
    ])  # fmt: skip
    assert members(groups) == [
        ["50:c7:bf:aa:bb:c0"],
        ["78:8a:20:11:22:30", "78:8a:20:11:22:31", "78:8a:20:11:22:38", "7a:8a:20:11:22:39"],
    ]
    assert any("apart" in r for g in groups for r in g.reasons)


def test_neighbouring_aps_of_one_batch_stay_apart():
    # two units with close MACs on different 5 GHz channels, and a duplicate SSID on one channel
    groups = group_bss([obs("78:8a:20:11:22:38", 5180), obs("78:8a:20:11:22:48", 5500)])
    assert len(groups) == 2
    groups = group_bss([obs("78:8a:20:11:22:30", 2437), obs("78:8a:20:11:22:32", 2437)])
    assert len(groups) == 2


def test_vendor_ap_name_groups_distant_macs():
    groups = group_bss(
        [obs("00:3a:99:00:00:10", 2412, ap_name="AP-LIB"), obs("00:3a:99:00:90:10", 5180, ap_name="AP-LIB")]
    )
    assert len(groups) == 1 and "AP name" in groups[0].reasons[0]
