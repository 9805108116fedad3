"""The shipped device catalog (config/catalog/) as the assessment core's :class:`assessment.Catalog`.

The agent judges its own run with it, and the district judges every school's bundle with its own copy, so a
school cannot change a verdict by editing its catalog.
"""

from __future__ import annotations

from functools import lru_cache

from agent.model import Basis
from assessment.catalog import ApFacts, ModelFacts


class ShippedCatalog:
    """Reads config/catalog/{access_points,models}.toml through the probes' catalog readers."""

    def access_point(self, model: str, vendor: str | None) -> ApFacts | None:
        from probes.wifi.catalog import lookup

        match = lookup(model, vendor=vendor)
        row = match.row if match else None
        if row is None:
            return None
        family = row.pattern is not None
        note = f"{row.source}; confidence {row.confidence}" + ("" if row.verified else "; unverified row")
        rates = ", ".join(f"{b} GHz {v:g} Mbit/s" for b, v in row.rates.items())
        basis = Basis(source="catalog", key=f"{'family' if family else 'catalog'}:{row.id}",
                      value=f"{row.standard}; {' + '.join(row.bands)} GHz" + (f"; {rates}" if rates else ""), note=note)
        return ApFacts(row.id, row.standard, row.wave2, tuple(row.bands), dict(row.rates),
                       "inferred" if family else "catalog", bool(row.verified), basis)

    def device_model(self, model: str, vendor: str | None) -> ModelFacts | None:
        from probes.catalog import models

        index = models()
        row = index.by_name(model, vendor) or index.by_family(model, vendor)
        if row is None or not (row.port_capability_mbps or row.throughput_mbps):
            return None
        family = row.pattern is not None
        basis = Basis(source="catalog", key=f"models.toml#{row.id}",
                      value=f"port {row.port_capability_mbps or '?'} Mbit/s; throughput {row.throughput_mbps or '?'}",
                      note=f"{row.ports}; {row.source}; confidence {row.confidence}")
        return ModelFacts(row.id, row.port_capability_mbps, row.throughput_mbps,
                          "inferred" if family else "catalog", row.confidence == "high", basis)


@lru_cache(maxsize=1)
def shipped() -> ShippedCatalog:
    return ShippedCatalog()
