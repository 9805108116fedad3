"""`schoolnet upload`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("upload", "Send spooled evidence to the district.", "the district issue")
