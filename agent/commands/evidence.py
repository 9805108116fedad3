"""`schoolnet evidence`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("evidence", "Declare evidence.", "the assessment issue")
