"""`schoolnet speed`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("speed", "Measure bandwidth.", "the bandwidth issue")
