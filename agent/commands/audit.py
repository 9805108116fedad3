"""`schoolnet audit`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("audit", "Run the whole audit.", "the assessment issue")
