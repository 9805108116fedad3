"""`iw` text in every layout seen in the wild, derived mechanically from the real dump in tests/data/wifi.

No layout here is hand-written: each test transforms the real `iw-scan-kubemate.txt` (tabs -> N spaces, a shell
prompt and blank lines around, "-- associated", anonymised BSSIDs, a block cut short) and checks that the
same facts come out: frequency, band, streams, standard and Wave 2 of every block.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from probes.wifi.bss import analyse
from probes.wifi.iwscan import parse_iw_scan

REAL = (Path(__file__).resolve().parent.parent / "data" / "wifi" / "iw-scan-kubemate.txt").read_text()


def facts(text: str) -> dict[str, tuple[object, ...]]:
    result = parse_iw_scan(text, version="5.19")
    radios = [analyse(o) for o in result.observations]
    return {r.bssid: (r.freq_mhz, r.band_ghz, r.max_nss, r.standard, r.wave2) for r in radios}


EXPECTED = facts(REAL)


def test_the_real_dump_gives_the_reference_facts() -> None:
    reference = {"3c:37:12:04:6c:62": (5620, "5", 2, "ac", True),
                 "d0:05:2a:71:b8:75": (EXPECTED["d0:05:2a:71:b8:75"][0], "5", 3, "ac", False)}
    assert reference == EXPECTED


@pytest.mark.parametrize("width", [1, 2, 3, 4, 8])
def test_tabs_replaced_by_any_number_of_spaces(width: int) -> None:
    assert facts(REAL.replace("\t", " " * width)) == EXPECTED


def test_whole_dump_indented_as_pasted_into_a_ticket() -> None:
    assert facts("".join("    " + line for line in REAL.splitlines(keepends=True))) == EXPECTED


def test_shell_prompts_and_blank_lines_around() -> None:
    text = "\n\nuser@school-pc:~$ sudo iw dev wlp6s0 scan\n\n" + REAL.replace("\nBSS ", "\n\n\nBSS ") + \
        "\nuser@school-pc:~$ \n\n"
    result = parse_iw_scan(text, version="5.19")
    assert {analyse(o).bssid for o in result.observations} == set(EXPECTED)
    assert facts(text) == EXPECTED


def test_bss_lines_with_and_without_interface_and_associated() -> None:
    plain = re.sub(r"\(on wlp6s0\)", "", REAL)
    associated = re.sub(r"\(on wlp6s0\)", "(on wlp6s0) -- associated", REAL, count=1)
    assert facts(plain) == EXPECTED
    assert facts(associated) == EXPECTED


def test_anonymised_and_partial_bssids_are_kept_as_opaque_ids() -> None:
    masked = re.sub(r"^BSS ([0-9a-f]{2}:){4}", "BSS xx:xx:xx:xx:", REAL, flags=re.MULTILINE)
    got = facts(masked)
    assert sorted(got) == ["xx:xx:xx:xx:6c:62", "xx:xx:xx:xx:b8:75"]
    assert sorted(got.values(), key=str) == sorted(EXPECTED.values(), key=str)


def test_a_block_cut_short_is_partial_data_not_an_error() -> None:
    second = REAL.index("\nBSS ", 10)
    cut = REAL[: second + 1] + "\n".join(REAL[second + 1 :].splitlines()[:4]) + "\n\tVHT capabilities:\n\t\tVHT Capab"
    result = parse_iw_scan(cut, version="5.19")
    assert len(result.observations) == 2
    first, partial = (analyse(o) for o in result.observations)
    assert (first.freq_mhz, first.band_ghz, first.standard, first.wave2) == (5620, "5", "ac", True)
    assert partial.freq_mhz is not None and partial.band_ghz == "5"


def test_old_iw_capability_wording() -> None:
    old = REAL.replace("\tVHT capabilities:", "\tVHT Capabilities:").replace("\tHT capabilities:", "\tHT Capabilities:")
    assert facts(old) == EXPECTED


def test_garbage_between_blocks_warns_and_keeps_both_blocks() -> None:
    second = REAL.index("\nBSS ", 10)
    text = REAL[:second] + "\n*** scan aborted: Device or resource busy (-16) ***" + REAL[second:]
    result = parse_iw_scan(text, version="5.19")
    assert len(result.observations) == 2
    assert any("outside any BSS block" in w for w in result.warnings)


def test_bssids_cut_to_their_last_octets_stay_opaque_ids() -> None:
    partial = re.sub(r"^BSS ([0-9a-f]{2}:){3}", "BSS ", REAL, flags=re.MULTILINE)
    got = facts(partial)
    assert sorted(got) == ["04:6c:62", "71:b8:75"]
    assert sorted(got.values(), key=str) == sorted(EXPECTED.values(), key=str)


def test_cli_reads_a_pasted_windows_saved_dump(tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    pasted = "PS C:\\> ssh ap iw dev wlan0 scan\r\n" + REAL.replace("\t", "  ").replace("\n", "\r\n") + "\r\n$ \r\n"
    path = tmp_path / "scan.txt"
    path.write_bytes(pasted.encode("utf-8"))
    env = {**os.environ, "SCHOOLNET_CONFIG": "/nonexistent/schoolnet-test.toml"}
    proc = subprocess.run([sys.executable, "-m", "agent.cli", "wifi", "--iw-dump", str(path), "--iw-version", "5.19",
                           "--json"], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode in (0, 1), proc.stderr  # 1 = an AP fails the criterion: a verdict, not an error
    doc = json.loads(proc.stdout)
    assert "Traceback" not in proc.stderr
    assert len(json.dumps(doc)) > 100 and "6c:62" in proc.stdout
