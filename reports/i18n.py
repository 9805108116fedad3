"""Report wording in Vietnamese (default) and English, from the project's one message catalog (agent/i18n.py)."""

from __future__ import annotations

from agent.i18n import section

LABELS: dict[str, tuple[str, str]] = section("report")
STATUS: dict[str, tuple[str, str]] = section("status")
SYMBOL = {"pass": "✔", "fail": "✘", "unknown": "?", "not_applicable": "–"}

ROLE: dict[str, tuple[str, str]] = section("role")
DECLARATION_KEYS: dict[str, tuple[str, str]] = section("declaration")


def pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def label(key: str, lang: str) -> str:
    return pick(LABELS[key], lang)
