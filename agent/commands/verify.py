"""`schoolnet verify`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("verify", "Check a bundle's schema and signature.", "the assessment issue")
