"""Errors that end a command with a documented exit code and one clear line."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED_CRITERIA = 1
EXIT_USAGE = 2
EXIT_RUNTIME = 3


class SchoolnetError(Exception):
    """Base class: the message is shown as one line; ``exit_code`` is the process exit status."""

    exit_code = EXIT_RUNTIME


class UsageError(SchoolnetError):
    """Bad arguments or a bad config file (exit 2)."""

    exit_code = EXIT_USAGE


class ConfigError(UsageError):
    """The config file is missing, malformed or unsafe (exit 2). ``problems`` holds one line per fault."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class NotYetAvailable(UsageError):
    """A verb whose implementation has not landed yet (exit 2)."""


class RuntimeFailure(SchoolnetError):
    """Something outside the user's input failed (exit 3)."""
