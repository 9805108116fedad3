"""schoolnet-audit: the school-side agent."""

__version__ = "0.1.0"
