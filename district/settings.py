"""Where the district server keeps its data and the limits it enforces (environment overridable)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_PATH = Path("/var/lib/schoolnet-district/district.db")
DEFAULT_PROFILE = "hcmc-956-2024"


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` / ``postgres://`` and pick the installed psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def database_url(explicit: str | None = None) -> str:
    """The database URL: the --db option, else $DATABASE_URL, else a SQLite file."""
    url = explicit or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_DB_PATH}"
    return normalise_url(url)


def _int_env(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=database_url)
    max_bundle_bytes: int = field(default_factory=lambda: _int_env("DISTRICT_MAX_BUNDLE_BYTES", 16 * 1024 * 1024))
    stale_days: int = field(default_factory=lambda: _int_env("DISTRICT_STALE_DAYS", 30))
    enroll_code_days: int = field(default_factory=lambda: _int_env("DISTRICT_ENROLL_CODE_DAYS", 14))
    secure_cookies: bool = field(default_factory=lambda: os.environ.get("DISTRICT_SECURE_COOKIES", "") == "1")
    # the criteria profile the district judges every bundle with (a shipped id or a file)
    profile: str = field(default_factory=lambda: os.environ.get("DISTRICT_PROFILE", "") or DEFAULT_PROFILE)
