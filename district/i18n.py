"""Dashboard wording, Vietnamese first (English via ?lang=en or the toggle), from the one message catalog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

from agent.i18n import section

LANGS = ("vi", "en")

STRINGS: dict[str, tuple[str, str]] = section("dashboard")  # config/messages.toml [dashboard]

VN_TZ = timezone(timedelta(hours=7), "UTC+7")

# school levels by the prefix of the school's code or name (data, longest first)
LEVEL_PREFIXES: tuple[tuple[str, str], ...] = (
    ("THPT", "thpt"),
    ("THCS", "thcs"),
    ("GDTX", "gdtx"),
    ("TRUNG HỌC PHỔ THÔNG", "thpt"),
    ("TRUNG HỌC CƠ SỞ", "thcs"),
    ("TIỂU HỌC", "th"),
    ("MẦM NON", "mn"),
    ("MẪU GIÁO", "mn"),
    ("TH", "th"),
    ("MN", "mn"),
    ("MG", "mn"),
)
LEVELS = ("mn", "th", "thcs", "thpt", "gdtx", "other")


def school_level(school_id: str, name: str) -> str:
    """mn | th | thcs | thpt | gdtx | other, from the code's prefix, else the name (``Trường THCS …``)."""
    code = school_id.upper()
    for prefix, level in LEVEL_PREFIXES:
        if code.startswith(prefix) and (len(code) == len(prefix) or not code[len(prefix)].isalpha()):
            return level
    title = name.upper().removeprefix("TRƯỜNG ").strip()
    for prefix, level in LEVEL_PREFIXES:
        if title.startswith(prefix + " ") or title == prefix:
            return level
    return "other"


def vn_time(value: datetime | None) -> str:
    """Vietnam time in the one format the dashboard and exports use: ``20/11/2026 15:30`` (UTC+7)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")


def vn_time_text(text: str) -> str:
    """An ISO timestamp from a bundle in Vietnam time (the text itself when it is not one)."""
    try:
        return vn_time(datetime.fromisoformat(text))
    except (TypeError, ValueError):
        return text


SYMBOLS = {"pass": "✓", "fail": "✗", "unknown": "?", "not_applicable": "–", "none": "·"}


def pick(lang: str | None) -> str:
    return lang if lang in LANGS else "vi"


def translator(lang: str) -> Callable[..., str]:
    index = 1 if lang == "en" else 0

    def t(key: str, **values: object) -> str:
        pair = STRINGS.get(key)
        text = pair[index] if pair else key
        return text.format(**values) if values else text

    return t
