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
    # Secure cookies: set by hand behind a TLS proxy, and automatically when `serve` has --tls-cert
    secure_cookies: bool = field(
        default_factory=lambda: (
            "1" in (os.environ.get("DISTRICT_SECURE_COOKIES", ""), os.environ.get("DISTRICT_TLS", ""))
        )
    )
    profile: str = field(default_factory=lambda: os.environ.get("DISTRICT_PROFILE", "") or DEFAULT_PROFILE)
    # validation bounds: a bundle breaking one is refused before the schema runs
    max_depth: int = field(default_factory=lambda: _int_env("DISTRICT_MAX_JSON_DEPTH", 32))
    max_items: int = field(default_factory=lambda: _int_env("DISTRICT_MAX_ARRAY_ITEMS", 10000))
    max_string: int = field(default_factory=lambda: _int_env("DISTRICT_MAX_STRING_CHARS", 65536))
    max_problems: int = field(default_factory=lambda: _int_env("DISTRICT_MAX_PROBLEMS", 20))
    upload_threads: int = field(default_factory=lambda: _int_env("DISTRICT_UPLOAD_THREADS", 4))
    max_attachment_bytes: int = field(default_factory=lambda: _int_env("DISTRICT_MAX_ATTACHMENT_BYTES", 10 * 2**20))
    speed_max_mib: int = field(default_factory=lambda: _int_env("DISTRICT_SPEED_MAX_MIB", 100))
    speed_per_minute: int = field(default_factory=lambda: _int_env("DISTRICT_SPEED_PER_MINUTE", 600))
    login_per_minute: int = field(default_factory=lambda: _int_env("DISTRICT_LOGIN_PER_MINUTE", 10))
    enroll_per_minute: int = field(default_factory=lambda: _int_env("DISTRICT_ENROLL_PER_MINUTE", 30))
    lockout_after: int = field(default_factory=lambda: _int_env("DISTRICT_LOCKOUT_AFTER", 5))
    lockout_minutes: int = field(default_factory=lambda: _int_env("DISTRICT_LOCKOUT_MINUTES", 15))
    key_grace_days: int = field(default_factory=lambda: _int_env("DISTRICT_KEY_GRACE_DAYS", 30))
    max_skew_s: int = field(default_factory=lambda: _int_env("DISTRICT_MAX_CLOCK_SKEW_S", 600))
