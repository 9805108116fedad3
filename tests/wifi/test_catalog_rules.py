"""Rules the AP catalog and the model-source file must keep (point 5 of issue #13: honest verification)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from probes import model_sources
from probes.wifi import catalog
from probes.wifi.snmp_radios import wifi_facts

CITATION = re.compile(r"OpenWrt|openwrt|FCC ID|commit|code index id|wiki|Gluon|gist", re.IGNORECASE)


def test_every_verified_row_cites_a_stored_source() -> None:
    verified = [r for r in catalog.load() if r.verified]
    assert len(verified) >= 15
    for row in verified:
        assert CITATION.search(row.source), row.id


def test_no_family_rule_claims_wave2_without_a_source_saying_so() -> None:
    families = [row for row, _ in catalog.load_families()]
    assert families
    for row in families:
        if row.wave2:
            assert re.search(r"wave ?2|MU-MIMO", row.source, re.IGNORECASE), row.id
        assert not row.verified, row.id  # a naming rule is never "verified": it is inferred


def test_vendor_neutral_families_give_the_generation_only() -> None:
    generic = [row for row, _ in catalog.load_families() if row.vendor == catalog.ANY_VENDOR]
    assert generic
    assert all(not row.bands and not row.wave2 for row in generic)
    names = (("XYZ-AX1800", "ax"), ("AC1200 Access Point", "ac"), ("Mesh BE9300", "be"), ("NWA1123-AC", "ac"))
    for model, std in names:
        match = catalog.lookup(model, vendor="Unknown Maker")
        assert match is not None and match.row is not None and match.row.standard == std, model
        facts = wifi_facts([], model, "Unknown Maker")
        assert facts is not None and (facts.standard, facts.provenance, facts.wave2) == (
            std, "inferred", None), model
        assert facts.bands_ghz == ()


def test_unverified_catalog_rows_say_so_in_wifi_facts() -> None:
    facts = wifi_facts([], "EAP110", "TP-Link")
    assert facts is not None and (facts.provenance, facts.verified) == ("catalog", False)
    assert any("unverified" in b.note for b in facts.basis)


def test_model_sources_file_is_valid_and_cited() -> None:
    sources = model_sources.load()
    assert sources.oids and sources.texts and sources.exclude
    assert all(row.source for row in (*sources.oids, *sources.texts))


def test_model_sources_refuse_a_pattern_without_a_model_group(tmp_path: Path) -> None:
    bad = tmp_path / "ms.toml"
    bad.write_text('[[text]]\nid = "x"\nvendor = "X"\npattern = "AP\\\\d+"\nsource = "s"\n')
    with pytest.raises(ValueError, match="model"):
        model_sources.load(bad)
