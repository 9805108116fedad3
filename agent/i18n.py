"""The one message catalog (config/messages.toml): every fixed people-facing label, Vietnamese first.

Sections: ``report`` (the report's headings and labels), ``status``, ``role``, ``declaration``, ``provenance``,
``cli_status`` (the terminal's status words), ``dashboard`` (the district's pages). Reports, the dashboard, the CLI
tables and the assessment core's provenance words all read it. Texts that carry data (a finding's reason and
remedy) are :class:`agent.model.Text` pairs written into the bundle in both languages.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache

from agent.model import Text
from agent.paths import CONFIG_DATA

MESSAGES_FILE = CONFIG_DATA / "messages.toml"


@lru_cache(maxsize=1)
def catalog() -> dict[str, dict[str, tuple[str, str]]]:
    """section -> key -> (vi, en), read once."""
    raw = tomllib.loads(MESSAGES_FILE.read_text(encoding="utf-8"))
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for name, entries in raw.items():
        out[name] = {key: (str(value["vi"]), str(value["en"])) for key, value in entries.items()}
    return out


def section(name: str) -> dict[str, tuple[str, str]]:
    return catalog()[name]


def text(section_name: str, key: str) -> Text:
    vi, en = section(section_name)[key]
    return Text(vi=vi, en=en)


def t(section_name: str, key: str, lang: str, **values: object) -> str:
    """The message in ``lang`` (vi unless "en"), formatted with ``values``; the key itself when unknown."""
    pair = section(section_name).get(key)
    message = (pair[1] if lang == "en" else pair[0]) if pair else key
    return message.format(**values) if values else message
