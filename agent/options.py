"""Global command-line options, shared by every verb through click's context object."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.config import Config


@dataclass
class Options:
    config_path: str | None = None
    as_json: bool = False
    lang_override: str | None = None
    verbosity: int = 0
    _config: Config | None = field(default=None, repr=False)

    def config(self, *, required: bool = False) -> Config:
        """The validated config (loaded once). Raises ConfigError with one line per problem."""
        if self._config is None:
            from agent import config as config_mod

            path = Path(self.config_path) if self.config_path else None
            self._config = config_mod.load(path, required=required)
            from agent import logs

            logs.add_secrets(self._config.secrets())
        return self._config

    @property
    def lang(self) -> str:
        if self.lang_override:
            return self.lang_override
        if self._config is not None:
            return self._config.agent.language
        return "vi"

    def text(self, vi: str, en: str) -> str:
        """Pick the people-facing text for the chosen language."""
        return en if self.lang == "en" else vi

    def info(self, message: str) -> None:
        """A line for people on stderr (kept off stdout so --json output stays clean)."""
        if self.verbosity >= 0:
            print(message, file=sys.stderr, flush=True)

    def debug(self, message: str) -> None:
        if self.verbosity >= 1:
            print(message, file=sys.stderr, flush=True)

    def emit_json(self, data: Any) -> None:
        """Print model objects (or plain data) as JSON on stdout."""
        from agent.model import to_jsonable

        json.dump(to_jsonable(data), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
