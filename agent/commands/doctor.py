"""`schoolnet doctor`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("doctor", "Check this machine.", "the nightly-operation issue")
