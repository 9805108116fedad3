"""The metric registry: one evaluator per metric name used in profiles (``metric = "capacity_mbps"``).

An evaluator judges each subject of a rule (a device, an access point, a room) or, for school-wide metrics,
returns the school-level finding itself. A new rule is data in a profile plus, at most, one evaluator module
in :mod:`assessment.metrics` that calls :func:`register`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from agent.model import Finding, Text
from assessment.catalog import Catalog, NoCatalog
from assessment.inputs import Inputs
from assessment.profile import Rule

if TYPE_CHECKING:
    from assessment.wifi import WifiSubject


@dataclass
class Context:
    """What every evaluator may read: the inputs and the catalog of whoever assesses (school or district)."""

    inputs: Inputs
    catalog: Catalog = field(default_factory=NoCatalog)

    @cached_property
    def wifi_subjects(self) -> list[WifiSubject]:
        from assessment.wifi import wifi_subjects

        return wifi_subjects(self.inputs, self.catalog)


Subjects = Callable[[Rule, Context], list[Finding]]
Summary = Callable[[Rule, list[Finding], Context], Finding]
Upgrade = Callable[[Rule, Finding], Text]


@dataclass(frozen=True)
class Metric:
    """One metric: how to judge its subjects, how they add up, and how to get stronger evidence."""

    name: str
    subjects: Subjects
    summary: Summary | None = None  # None: the every/any aggregation of :func:`assessment.aggregate.summarise`
    school_level: bool = False  # True: ``subjects`` returns the one school-level finding itself
    upgrade: Upgrade | None = None  # what would give evidence the rule accepts


METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    if metric.name in METRICS:
        raise ValueError(f"metric {metric.name!r} is registered twice")
    METRICS[metric.name] = metric
    return metric
