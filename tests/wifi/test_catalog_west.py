"""AP catalog facts for Cisco, Meraki, Aruba, Ruckus, Huawei, Fortinet, Aerohive/Extreme and Alcatel-Lucent rows.

Models are spelled the way devices and controllers report them (Cisco WLC bsnAPModel with region suffixes,
ArubaOS bare numbers, FortiGate WTP platform codes, Huawei hwWlanApTypeInfo); the row or family that answers
must give the generation and, for 802.11ac, Wave 2.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from probes.wifi import catalog

WEST = ("cisco", "cisco-meraki", "aruba", "ruckus", "huawei", "fortinet", "aerohive", "alcatel-lucent-enterprise",
        "xirrus", "extreme", "h3c")


def _file_rows(kind: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name in WEST:
        path = Path(catalog.CATALOG_FILE) / f"{name}.toml"
        with path.open("rb") as handle:
            rows += tomllib.load(handle).get(kind, [])
    return rows


@pytest.mark.parametrize(
    ("model", "vendor", "standard", "wave2"),
    [
        ("AIR-AP2802I-E-K9", "Cisco", "ac", True),      # region suffix after a letter: the digit-ending name matches
        ("AIR-CAP3702I-E-K9", "Cisco", "ac", False),
        ("AIR-CAP2602I-E-K9", "Cisco", "n", False),
        ("C9120AXI-B", "Cisco", "ax", None),
        ("C9115AXE-E", "Cisco", "ax", None),
        ("CW9166I-B", "Cisco", "ax", None),
        ("CBW140AC-E", "Cisco", "ac", True),
        ("MR33", "Cisco Meraki", "ac", True),
        ("MR42E", "Cisco Meraki", "ac", True),
        ("MR18", "Cisco Meraki", "n", False),
        ("315", "HPE Aruba Networking", "ac", True),     # wlanAPModelName: a bare number
        ("205", "HPE Aruba Networking", "ac", False),
        ("207", "HPE Aruba Networking", "ac", True),
        ("105", "HPE Aruba Networking", "n", False),
        ("AP-303H", "HPE Aruba Networking", "ac", True),
        ("OAW-AP325", "Alcatel-Lucent Enterprise", "ac", True),
        ("R510", "Ruckus (CommScope)", "ac", True),
        ("R650", "Ruckus (CommScope)", "ax", None),
        ("T310d", "Ruckus (CommScope)", "ac", True),
        ("R300", "Ruckus (CommScope)", "n", False),    # not Wave 1: the x00 rule used to say so
        ("ZF7372", "Ruckus (CommScope)", "n", False),
        ("AirEngine5760-10", "Huawei", "ax", None),
        ("AP4050DN-E", "Huawei", "ac", True),
        ("AP5030DN", "Huawei", "ac", False),
        ("FP231F", "Fortinet", "ax", None),             # FortiGate WTP platform code
        ("FP221E", "Fortinet", "ac", True),
        ("PU421EV", "Fortinet", "ac", True),
        ("FAP-221C", "Fortinet", "ac", False),
        ("AP230", "Aerohive (Extreme)", "ac", False),
        ("AP250", "Aerohive (Extreme)", "ac", True),
        ("AP3915i", "Extreme Networks", "ac", True),
        ("OAW-AP1201H", "Alcatel-Lucent Enterprise", "ac", True),
        ("OAW-AP1361D", "Alcatel-Lucent Enterprise", "ax", None),
    ],
)
def test_reported_names_give_generation_and_wave2(model: str, vendor: str, standard: str, wave2: bool | None) -> None:
    match = catalog.lookup(model, vendor=vendor)
    assert match is not None and match.row is not None, model
    assert (match.row.standard, match.row.wave2) == (standard, wave2), (model, match.row.id)


def test_bare_numbers_never_become_rows() -> None:
    """Controller numbers ('315') reach a row only through the vendor's family: without the vendor, nothing."""
    for row in catalog.load():
        for name in row.models:
            assert not re.fullmatch(r"\d+", catalog.normalise(name)), (row.id, name)
    assert catalog.lookup("315") is None
    assert catalog.lookup("FP231F", vendor="Ubiquiti") is None


def test_region_suffixes_reach_the_model_row() -> None:
    """A name ending in a letter cannot match 'AIR-AP1815I-E-K9' (letter after letter): rows name the digits."""
    for reported, vendor, row_id in (("AIR-AP1815I-E-K9", "Cisco", "cisco-1815i"),
                                     ("AIR-AP1852E-B-K9", "Cisco", "cisco-1852"),
                                     ("C9105AXW-E", "Cisco", "cisco-c9105"),
                                     ("AP4050DN-E", "Huawei", "huawei-ap4050dn")):
        match = catalog.lookup(reported, vendor=vendor)
        assert match is not None and match.row is not None and match.row.id == row_id, reported


def test_unknown_wave2_is_said_in_the_source() -> None:
    for row in _file_rows("ap"):
        if row["standard"] == "ac" and "wave2" not in row:
            assert re.search(r"unknown|not known", str(row["source"]), re.IGNORECASE), row["id"]


def test_verified_rows_name_the_stored_source() -> None:
    verified = [row for row in _file_rows("ap") if row["verified"]]
    assert len(verified) >= 20
    for row in verified:
        cited = re.search(r"code index id \d+|gist enukane/18a6344eaf9abd66b7fb698a1f1ae82d", str(row["source"]))
        assert cited, row["id"]
        assert row["confidence"] in ("medium", "high"), row["id"]
