"""The assessment core: inputs + criteria profile + catalog -> findings with provenance and one overall verdict.

It imports no probe, CLI or lab code (only the shared model in :mod:`agent.model`); the agent, the reports and
the district all call it, so the district recomputes every verdict itself with its pinned profile.
"""

from __future__ import annotations

from assessment.aggregate import SCHOOL, failed, overall, passes_by_provenance, school_findings
from assessment.catalog import ApFacts, Catalog, ModelFacts, NoCatalog
from assessment.core import Assessment, assess, assess_rule
from assessment.inputs import Inputs
from assessment.profile import Profile, Rule, load

__all__ = ["SCHOOL", "ApFacts", "Assessment", "Catalog", "Inputs", "ModelFacts", "NoCatalog", "Profile", "Rule",
           "assess", "assess_rule", "failed", "load", "overall", "passes_by_provenance", "school_findings"]
