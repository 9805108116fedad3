"""`schoolnet wifi`: JSON shape, human output, and one clear line for bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from scapy.utils import wrpcap

from tests.wifi.beacons import eap115, nanohd

DATA = Path(__file__).resolve().parent.parent / "data" / "wifi"
BSSID_KEYS = {"bssid", "ssid", "freq_mhz", "band_ghz", "standard", "wave2", "max_nss", "widths_mhz", "basis"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agent.cli", "--lang", "en", "wifi", *args], capture_output=True, text=True, timeout=60
    )


def test_json_from_pcap(tmp_path):
    path = tmp_path / "lab.pcap"
    wrpcap(str(path), nanohd() + eap115())
    proc = run("--pcap", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    aps = json.loads(proc.stdout)
    assert len(aps) == 2
    for ap in aps:
        assert ap["bssids"] and all(set(b) >= BSSID_KEYS for b in ap["bssids"])
        assert {"generation", "wave2", "dual_band", "rate_readings", "rate_reading_used"} <= set(ap["verdict"])
    nano = next(ap for ap in aps if ap["dual_band"])
    assert nano["verdict"]["generation"] == "ac-wave2" and nano["wave2"] is True
    assert {b["band_ghz"]: b["max_nss"] for b in nano["bssids"]} == {"2.4": 2, "5": 4}
    assert nano["verdict"]["rate_readings"]["per_band"]["meets"] is False
    assert nano["verdict"]["rate_readings"]["aggregate"]["meets"] is True
    eap = next(ap for ap in aps if not ap["dual_band"])
    assert eap["standard"] == "n" and eap["wave2"] is False and eap["bssids"][0]["standard"] == "n"


def test_human_output_from_iw_dump():
    proc = run("--iw-dump", str(DATA / "iw-scan-kubemate.txt"))
    assert proc.returncode == 0 and proc.stdout == ""
    assert "ac-wave2" in proc.stderr and "ac-wave1" in proc.stderr and "iw version unknown" in proc.stderr


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    junk = tmp_path / "junk.pcap"
    junk.write_text("nope")
    for args in (
        ["--pcap", str(tmp_path / "missing.pcap")],
        ["--pcap", str(junk)],
        ["--iw-dump", str(junk)],
        ["--pcap", str(junk), "--iw-dump", str(junk)],
        ["--iface", "lo"],
    ):
        proc = run(*args)
        errors = [line for line in proc.stderr.splitlines() if line.startswith("schoolnet: error:")]
        assert proc.returncode == 2 and len(errors) == 1 and "Traceback" not in proc.stderr, args
