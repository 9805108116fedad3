"""The assessment core as the tests call it: the shipped catalog, findings as a list."""

from __future__ import annotations

import assessment
from agent.catalogs import shipped
from agent.model import Finding
from assessment.aggregate import failed
from assessment.inputs import Inputs
from assessment.profile import Profile
from assessment.text import T
from assessment.wifi import generation

__all__ = ["T", "assess", "failed", "generation", "result"]


def result(inputs: Inputs, profile: Profile) -> assessment.Assessment:
    return assessment.assess(inputs, profile, shipped())


def assess(inputs: Inputs, profile: Profile) -> list[Finding]:
    return list(result(inputs, profile).findings)
