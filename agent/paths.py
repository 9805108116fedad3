"""Where shipped data and the default files live.

Everything here is found relative to the installed packages, never the source tree: ``config/`` is a top-level
data package installed beside ``agent/`` (site-packages in a wheel or the Debian package's venv, the checkout in
an editable install), and the systemd units are package data of ``agent`` itself (``agent/units``).
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
# The directory holding the top-level packages (agent, probes, ..., config): site-packages or the checkout.
PROJECT_ROOT = PACKAGE_DIR.parent
CONFIG_DATA = PROJECT_ROOT / "config"
CRITERIA_DIR = CONFIG_DATA / "criteria"
CATALOG_DIR = CONFIG_DATA / "catalog"
EVIDENCE_SCHEMA = CONFIG_DATA / "evidence.schema.json"
CONFIG_TEMPLATE = CONFIG_DATA / "agent.toml.template"
UNITS_DIR = PACKAGE_DIR / "units"

DEFAULT_CONFIG = Path("/etc/schoolnet/agent.toml")
DEFAULT_STATE_DIR = Path("/var/lib/schoolnet")
