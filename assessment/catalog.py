"""What the assessment needs from a device catalog, as a small protocol.

The core never reads catalog files itself: the agent and the district hand it a :class:`Catalog` (their own,
so the district judges school bundles with the district's catalog, never the school's). Rows come back with
their provenance: ``catalog`` for a model row (``verified`` when checked against a public source), ``inferred``
for a vendor family or naming rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from agent.model import Basis, Provenance


@dataclass(frozen=True)
class ApFacts:
    """A catalog's word on an access-point model."""

    id: str
    standard: str | None
    wave2: bool | None
    bands: tuple[str, ...]
    rates: dict[str, float] = field(default_factory=dict)
    provenance: Provenance = "catalog"
    verified: bool = False
    basis: Basis = field(default_factory=lambda: Basis("catalog", "catalog"))


@dataclass(frozen=True)
class ModelFacts:
    """A catalog's word on a router/switch model: its port capability and routing throughput."""

    id: str
    port_capability_mbps: int | None = None
    throughput_mbps: int | None = None
    provenance: Provenance = "catalog"
    verified: bool = False
    basis: Basis = field(default_factory=lambda: Basis("catalog", "catalog"))


class Catalog(Protocol):
    def access_point(self, model: str, vendor: str | None) -> ApFacts | None:
        """The one row (or family rule) for this AP model; None when unknown or ambiguous."""
        ...

    def device_model(self, model: str, vendor: str | None) -> ModelFacts | None:
        """The row for this router/switch model; None when unknown."""
        ...


class NoCatalog:
    """A catalog that knows nothing (every catalog-based fact stays unknown)."""

    def access_point(self, model: str, vendor: str | None) -> ApFacts | None:
        return None

    def device_model(self, model: str, vendor: str | None) -> ModelFacts | None:
        return None
