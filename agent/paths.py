"""Where shipped data and the default files live."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONFIG_DATA = PROJECT_ROOT / "config"
CRITERIA_DIR = CONFIG_DATA / "criteria"
CATALOG_DIR = CONFIG_DATA / "catalog"
EVIDENCE_SCHEMA = CONFIG_DATA / "evidence.schema.json"
CONFIG_TEMPLATE = CONFIG_DATA / "agent.toml.template"

DEFAULT_CONFIG = Path("/etc/schoolnet/agent.toml")
DEFAULT_STATE_DIR = Path("/var/lib/schoolnet")
