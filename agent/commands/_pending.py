"""A verb whose implementation has not landed yet: it says so in one line and exits 2."""

from __future__ import annotations

import click

from agent.errors import NotYetAvailable


def pending(name: str, help_text: str, issue: str) -> click.Command:
    @click.command(
        name=name,
        help=f"{help_text}\n\nNot available yet ({issue}).",
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )
    def command() -> None:
        raise NotYetAvailable(f"'schoolnet {name}' is not available yet ({issue})")

    return command
