"""`schoolnet discover`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("discover", "Find devices on the LAN.", "the discovery issue")
