"""The AP model catalog: every row sourced, lookups by model and hardware revision."""

from __future__ import annotations

import pytest

from probes.wifi import catalog


def _row(model: str, vendor: str | None = None) -> catalog.ApModel:
    match = catalog.lookup(model, vendor=vendor)
    assert match is not None and match.row is not None
    return match.row


def test_every_row_has_source_confidence_and_valid_fields():
    rows = catalog.load()
    assert len(rows) >= 80
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids))
    for r in rows:
        assert r.source.strip() and r.confidence in ("high", "medium", "low"), r.id
        assert r.standard in ("n", "ac", "ax", "be"), r.id
        assert set(r.bands) <= {"2.4", "5", "6"} and set(r.rates) <= set(r.bands), r.id
        if r.standard in ("ax", "be"):
            assert r.wave2 is None, r.id
        if r.standard == "n":
            assert r.wave2 is False, r.id
        if not r.verified:
            assert r.confidence != "high", r.id


def test_reference_table_rows():
    nano = _row("UAP-nanoHD", vendor="Ubiquiti")
    assert nano and nano.wave2 is True and nano.rates == {"2.4": 300.0, "5": 1733.3} and nano.verified
    eap115 = _row("EAP115")
    assert eap115 and eap115.standard == "n" and eap115.bands == ("2.4",)
    assert _row("U7NHD").id == "ubnt-uap-nanohd"  # the board name UniFi reports


@pytest.mark.parametrize(
    ("model", "revision", "expected"),
    [
        ("EAP225(EU) v3.0", None, "tplink-eap225-v3"),
        ("EAP225 v1", None, "tplink-eap225-v1"),
        ("EAP225", 2, "tplink-eap225-v1"),
        ("EAP225", "hw 4.0", "tplink-eap225-v3"),
        ("EAP225-Outdoor", None, "tplink-eap225-outdoor"),
    ],
)
def test_hardware_revision_decides(model, revision, expected):
    match = catalog.lookup(model, revision)
    assert match is not None and match.row is not None and match.row.id == expected


def test_unknown_revision_returns_every_candidate():
    match = catalog.lookup("EAP225")
    assert match is not None and match.row is None
    assert {r.wave2 for r in match.candidates} == {True, False}


def test_no_false_matches():
    assert catalog.lookup("EAP2250") is None  # a longer number is another model
    assert catalog.lookup("Archer C6 v3") is None  # only v2 is catalogued
    assert catalog.lookup("AP6", vendor="Ubiquiti") is None  # another vendor's model name
    assert catalog.lookup("") is None and catalog.lookup(None) is None


def test_a_bracket_or_revision_after_a_letter_ending_name_is_a_suffix_not_another_model() -> None:
    """"EAP225-Wall v2" is the EAP225-Wall (not the EAP225 v1-2 row); "UAP-AC-IW" is still not "UAP"."""
    wall = catalog.lookup("EAP225-Wall v2", vendor="TP-Link")
    assert wall is not None and wall.row is not None and wall.row.id == "tplink-eap225-wall"
    outdoor = catalog.lookup("EAP225-Outdoor(EU) v3", vendor="TP-Link")
    assert outdoor is not None and outdoor.row is not None and outdoor.row.id == "tplink-eap225-outdoor"
    hd = catalog.lookup("EAP660 HD(EU) v1.0", vendor="TP-Link")
    assert hd is not None and hd.row is not None and hd.row.id == "tplink-eap660-hd"
    iw = catalog.lookup("UAP-AC-IW", vendor="Ubiquiti")
    assert "ubnt-uap" not in {r.id for r in (iw.candidates if iw else ())}
    assert catalog.lookup("UAP", vendor="Ubiquiti") is not None  # the UAP row exists: the line above means something
