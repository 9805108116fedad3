"""Per-AP verdicts: generation order, Wave 2, disagreements, and both readings of 1.3 / 5.3 Gbps."""

from __future__ import annotations

from agent.model import Radio
from probes.wifi import catalog
from probes.wifi.verdict import generation_label, generation_rank, speed_readings, summarise


def r(band, std, rate, wave2=None):
    return Radio(band_ghz=band, standard=std, max_rate_mbps=rate, wave2=wave2)


def test_generation_order():
    labels = [
        generation_label(s, w) for s, w in (("n", False), ("ac", False), ("ac", True), ("ax", None), ("be", None))
    ]
    assert labels == ["n", "ac-wave1", "ac-wave2", "ax", "be"]
    assert [generation_rank(x) for x in labels] == sorted(generation_rank(x) for x in labels)
    assert generation_label("ac", None) == "ac"


def test_wave2_ap_both_readings():
    ap = summarise("nanoHD", [r("2.4", "n", 300.0), r("5", "ac", 1733.3, True)], catalog.lookup("UAP-nanoHD"))
    assert (ap.generation, ap.wave2, ap.dual_band, ap.aggregate_mbps) == ("ac-wave2", True, True, 2033.3)
    assert not ap.disagreements
    per_band, aggregate = speed_readings(ap, {"2.4": 1300, "5": 5300}, 1267)
    assert per_band.meets is False and "2.4 GHz 300.0" in per_band.reaches
    assert aggregate.meets is True and "2033.3" in aggregate.reaches


def test_ac1300_class_meets_aggregate_reading_only():
    ap = summarise("rap2200", [r("2.4", "n", 400.0), r("5", "ac", 866.7, True)])
    assert ap.marketing_class == "AC1300"
    per_band, aggregate = speed_readings(ap)
    assert (per_band.meets, aggregate.meets) == (False, True)


def test_disagreement_is_flagged_not_resolved():
    # beacon says no MU-MIMO, the catalog row says Wave 2: keep what the air says, write the conflict down
    ap = summarise("eap245", [r("5", "ac", 1300.0, False), r("2.4", "n", 450.0)], catalog.lookup("EAP245 v3"))
    assert ap.wave2 is False and ap.generation == "ac-wave1"
    assert any("Wave 2: observed no, catalog yes" in d and "switched off" in d for d in ap.disagreements)
    ap = summarise("odd", [r("5", "ac", 866.7, True)], catalog.lookup("EAP115"))
    assert any("band 5 GHz observed" in d for d in ap.disagreements)
    assert any("standard: observed ac, catalog n" in d for d in ap.disagreements)


def test_catalog_fills_what_was_not_heard_and_revision_ambiguity_is_unknown():
    ap = summarise("far", [r("2.4", "n", 450.0)], catalog.lookup("EAP245 v3"))
    assert ap.bands_ghz == ("2.4", "5") and ap.max_rate_mbps_by_band["5"] == 1300.0 and ap.wave2 is True
    ap = summarise("eap225", [], catalog.lookup("EAP225"))
    assert ap.wave2 is None and any("revision" in w for w in ap.warnings)


def test_n_only_ap_is_not_wave2_and_ax_is_newer():
    ap = summarise("eap115", [r("2.4", "n", 300.0)])
    assert ap.wave2 is False and ap.generation == "n" and ap.dual_band is False
    ap = summarise("u6", [r("2.4", "ax", 573.5), r("5", "ax", 2402.0)])
    assert ap.generation == "ax" and ap.marketing_class == "AX3000"
    assert any("newer than 802.11ac Wave 2" in w for w in ap.warnings)
