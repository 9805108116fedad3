"""`schoolnet service`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("service", "Manage systemd units.", "the nightly-operation issue")
