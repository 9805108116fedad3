"""The shipped device catalog (config/catalog/) as the assessment core's :class:`assessment.Catalog`.

The agent judges its own run with it, and the district judges every school's bundle with its own copy, so a
school cannot change a verdict by editing its catalog.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from agent.model import Basis
from assessment.catalog import ApFacts, ModelFacts

if TYPE_CHECKING:
    from probes.wifi.catalog import ApModel


class ShippedCatalog:
    """Reads config/catalog/{access_points,models}.toml through the probes' catalog readers."""

    def access_point(self, model: str, vendor: str | None) -> ApFacts | None:
        from probes.wifi.catalog import lookup

        match = lookup(model, vendor=vendor)
        if match is None or not match.candidates:
            return None
        if match.row is None:
            return self._agreed(match.candidates)
        row = match.row
        family = row.pattern is not None
        note = f"{row.source}; confidence {row.confidence}" + ("" if row.verified else "; unverified row")
        rates = ", ".join(f"{b} GHz {v:g} Mbit/s" for b, v in row.rates.items())
        basis = Basis(source="catalog", key=f"{'family' if family else 'catalog'}:{row.id}",
                      value=f"{row.standard}; {' + '.join(row.bands)} GHz" + (f"; {rates}" if rates else ""), note=note)
        return ApFacts(row.id, row.standard, row.wave2, tuple(row.bands), dict(row.rates),
                       "inferred" if family else "catalog", bool(row.verified), basis)

    @staticmethod
    def _agreed(rows: tuple[ApModel, ...]) -> ApFacts | None:
        """Rows for several hardware revisions of one model, revision unknown: only what every row says."""
        standards = {r.standard for r in rows}
        if len(standards) != 1:
            return None
        wave2s = {r.wave2 for r in rows}
        bands = set.intersection(*(set(r.bands) for r in rows))
        rates = {b: min(r.rates[b] for r in rows) for b in bands if all(b in r.rates for r in rows)}
        ids = "/".join(r.id for r in rows)
        value = f"{rows[0].standard}; {' + '.join(sorted(bands))} GHz"
        basis = Basis(source="catalog", key=f"catalog:{ids}", value=value,
                      note="hardware revision unknown: only what every revision's row agrees on")
        return ApFacts(ids, rows[0].standard, wave2s.pop() if len(wave2s) == 1 else None, tuple(sorted(bands)), rates,
                       "catalog", all(r.verified for r in rows), basis)

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
