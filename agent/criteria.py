"""Criteria profiles live in the assessment core (:mod:`assessment.profile`); this name stays for callers."""

from assessment.profile import *  # noqa: F403
from assessment.profile import GENERATIONS, METRICS, Profile, Rule, check_file, load, parse, resolve, shipped

__all__ = ["GENERATIONS", "METRICS", "Profile", "Rule", "check_file", "load", "parse", "resolve", "shipped"]
