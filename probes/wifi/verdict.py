"""The verdict per access point: generation, Wave 2, bands, per-band and aggregate maximum rate, each with a basis.

Sources are the radios observed (beacons over the air, or SNMP radio tables) and the catalog row of the model.
Observed facts describe the unit as configured and win; the catalog fills what was not observed. When the two
disagree, the disagreement is written down (``AirAccessPoint.disagreements``), never silently resolved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from agent.model import AirAccessPoint, Basis, Radio
from probes.wifi import rates
from probes.wifi.catalog import ApModel, CatalogMatch

RANK = {"legacy": 0, "n": 1, "ac": 2, "ax": 3, "be": 4}
BANDS_ORDER = ("2.4", "5", "6", "60")


def generation_label(standard: str | None, wave2: bool | None) -> str | None:
    """be > ax > ac-wave2 > ac-wave1 > n > legacy ("ac" when Wave 2 is unknown)."""
    if standard == "ac":
        return "ac-wave2" if wave2 else ("ac-wave1" if wave2 is False else "ac")
    return standard


def generation_rank(label: str | None) -> int:
    return {"legacy": 0, "n": 1, "ac": 2, "ac-wave1": 2, "ac-wave2": 3, "ax": 4, "be": 5}.get(label or "", -1)


def _best_standard(radios: Iterable[Radio]) -> str | None:
    stds = [r.standard for r in radios if r.standard in RANK]
    return max(stds, key=lambda s: RANK[s]) if stds else None


def _catalog_consensus(match: CatalogMatch | None) -> tuple[ApModel | None, list[str]]:
    """The single catalog row, or None with notes when revisions disagree."""
    if match is None:
        return None, []
    if match.row is not None:
        return match.row, []
    ids = ", ".join(r.id for r in match.candidates)
    return None, [f"catalog: model {match.query!r} has rows per hardware revision ({ids}); revision unknown"]


def _catalog_field(match: CatalogMatch | None, name: str) -> object:
    """A field on which every candidate row agrees (None when they differ or there is no match)."""
    if match is None or not match.candidates:
        return None
    values = {repr(getattr(r, name)) for r in match.candidates}
    return getattr(match.candidates[0], name) if len(values) == 1 else None


def summarise(
    name: str,
    radios: list[Radio],
    match: CatalogMatch | None = None,
    *,
    model: str | None = None,
    extra_basis: Iterable[Basis] = (),
    warnings: Iterable[str] = (),
) -> AirAccessPoint:
    """Combine observed radios and the catalog into one :class:`AirAccessPoint` verdict."""
    basis: list[Basis] = list(extra_basis)
    notes: list[str] = list(warnings)
    disagreements: list[str] = []
    row, cat_notes = _catalog_consensus(match)
    notes += cat_notes
    if match is not None:
        for r in match.candidates:
            flag = "" if r.verified else " (UNVERIFIED row)"
            basis.append(
                Basis("catalog", f"catalog:{r.id}", r.standard, f"{r.source}; confidence {r.confidence}{flag}")
            )

    # --- standard / generation
    observed_std = _best_standard(radios)
    cat_std = _catalog_field(match, "standard")
    cat_std = cat_std if isinstance(cat_std, str) else None
    cat_bands_any = _catalog_field(match, "bands")
    observed_band_set = {r.band_ghz for r in radios if r.band_ghz}
    unheard = set(cat_bands_any) - observed_band_set if isinstance(cat_bands_any, tuple) else set()
    standard = observed_std if observed_std is not None else cat_std
    partial = False  # the catalog's higher generation may live on a band that was not heard
    if observed_std and cat_std and observed_std != cat_std:
        if RANK[observed_std] < RANK[cat_std] and unheard:
            standard, partial = cat_std, True
            notes.append(
                f"{', '.join(sorted(unheard))} GHz not heard: generation {cat_std} from the catalog "
                f"(heard bands show {observed_std})"
            )
        else:
            disagreements.append(f"standard: observed {observed_std}, catalog {cat_std}")

    # --- Wave 2
    vht_bits = [r.wave2 for r in radios if r.wave2 is not None]
    observed_w2: bool | None = True if any(vht_bits) else (False if vht_bits else None)
    if observed_w2 is None and observed_std in ("n", "legacy") and not partial:
        observed_w2 = False
        basis.append(Basis("rule", "Wave 2", "no", "no 802.11ac (VHT) capability on any radio"))
    cat_w2 = _catalog_field(match, "wave2")
    cat_w2 = cat_w2 if isinstance(cat_w2, bool) else None
    if match is not None and match.row is None and len({c.wave2 for c in match.candidates}) > 1:
        notes.append("Wave 2 differs between hardware revisions of this model: the revision decides")
    wave2 = observed_w2 if observed_w2 is not None else cat_w2
    if observed_w2 is not None and cat_w2 is not None and observed_w2 != cat_w2:
        hint = " (MU-MIMO may be switched off in the AP's configuration)" if cat_w2 else ""
        disagreements.append(
            f"Wave 2: observed {'yes' if observed_w2 else 'no'}, catalog {'yes' if cat_w2 else 'no'}{hint}"
        )
    if standard in ("ax", "be") and wave2 is None:
        notes.append(f"802.11{standard} is newer than 802.11ac Wave 2")

    # --- bands and rates
    observed_rates: dict[str, float] = {}
    for radio in radios:
        if radio.band_ghz and radio.max_rate_mbps:
            observed_rates[radio.band_ghz] = max(observed_rates.get(radio.band_ghz, 0.0), radio.max_rate_mbps)
    observed_bands = {r.band_ghz for r in radios if r.band_ghz}
    cat_bands = _catalog_field(match, "bands")
    cat_rates = _catalog_field(match, "rates")
    bands = set(observed_bands)
    if isinstance(cat_bands, tuple):
        for band in observed_bands - set(cat_bands):
            disagreements.append(f"band {band} GHz observed but the catalog row lists {', '.join(cat_bands)}")
        missing = set(cat_bands) - observed_bands
        if missing and radios:
            notes.append(f"catalog lists {', '.join(sorted(missing))} GHz too; not observed (off or out of range?)")
        bands |= set(cat_bands)
    by_band = dict(observed_rates)
    if isinstance(cat_rates, dict):
        for band, rate in cat_rates.items():
            seen = observed_rates.get(band)
            if seen is None:
                by_band[band] = float(rate)
                basis.append(Basis("catalog", f"max rate {band} GHz", f"{rate} Mbit/s", "not observed; from catalog"))
            elif seen > rate * 1.01:
                disagreements.append(f"max rate {band} GHz: observed {seen} Mbit/s above catalog {rate} Mbit/s")
            elif seen < rate * 0.99:
                notes.append(f"{band} GHz advertises {seen} Mbit/s, below the model's {rate} Mbit/s (as configured)")
    ordered = {
        b: round(by_band[b], 1) for b in sorted(by_band, key=lambda b: BANDS_ORDER.index(b) if b in BANDS_ORDER else 9)
    }
    aggregate = round(sum(ordered.values()), 1) if ordered else None
    complete = len(ordered) >= 2 or row is not None
    klass = rates.marketing_class(standard or "", aggregate) if aggregate and complete else None
    if aggregate and not complete:
        notes.append("aggregate covers one band only (other radios not heard, model unknown): no marketing class")
    if row is not None and row.marketing_class and klass and row.marketing_class != klass:
        notes.append(f"catalog class {row.marketing_class}; computed {klass} from {aggregate} Mbit/s")
    dual = ("2.4" in bands and "5" in bands) if bands else None
    label = generation_label(standard, wave2)
    basis.append(
        Basis("rule", "generation", label or "unknown", "be > ax > ac Wave 2 > ac Wave 1 > n; observed radios first")
    )
    return AirAccessPoint(
        name=name,
        bssids=tuple(radios),
        standard=standard,
        wave2=wave2,
        bands_ghz=tuple(b for b in BANDS_ORDER if b in bands),
        max_rate_mbps_by_band=ordered,
        basis=tuple(basis),
        warnings=tuple(dict.fromkeys(notes)),
        generation=label,
        dual_band=dual,
        aggregate_mbps=aggregate,
        marketing_class=klass or None,
        model=model or (row.models[0] if row else None),
        disagreements=tuple(disagreements),
    )


@dataclass(frozen=True)
class SpeedReading:
    """What the AP reaches under one reading of the criterion's "1.3 Gbps (2.4 GHz), 5.3 Gbps (5 GHz)"."""

    reading: str  # per_band | aggregate
    reaches: str
    threshold: str
    meets: bool | None


def speed_readings(
    ap: AirAccessPoint, per_band: dict[str, float] | None = None, aggregate_threshold: float = 1267.0
) -> list[SpeedReading]:
    """Both readings: per band (each band's max vs its figure) and aggregate (the sum vs one figure)."""
    per_band = per_band or {"2.4": 1300.0, "5": 5300.0}
    got = ap.max_rate_mbps_by_band
    parts, meets = [], True
    for band, need in per_band.items():
        have = got.get(band)
        parts.append(f"{band} GHz {have if have is not None else '-'} Mbit/s")
        meets = meets and have is not None and have >= need
    per = SpeedReading(
        "per_band",
        ", ".join(parts),
        ", ".join(f"{b} GHz >= {v:g}" for b, v in per_band.items()),
        meets if got else None,
    )
    agg = SpeedReading(
        "aggregate",
        (f"{ap.aggregate_mbps} Mbit/s" + (f" ({ap.marketing_class})" if ap.marketing_class else ""))
        if ap.aggregate_mbps
        else "-",
        f">= {aggregate_threshold:g} Mbit/s",
        # rates are quoted in whole Mbit/s (400 + 867 = 1267 for AC1300): compare the rounded total
        (round(ap.aggregate_mbps) >= aggregate_threshold) if ap.aggregate_mbps else None,
    )
    return [per, agg]
