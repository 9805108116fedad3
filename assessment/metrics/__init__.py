"""The evaluators, one module per metric; importing this package registers them all."""

from __future__ import annotations

from assessment.metrics import (
    capacity,
    declared_rule,
    internet,
    per_student,
    rooms,
    security,
    wifi_bands,
    wifi_generation,
    wifi_rate,
)

__all__ = ["capacity", "declared_rule", "internet", "per_student", "rooms", "security", "wifi_bands",
           "wifi_generation", "wifi_rate"]
