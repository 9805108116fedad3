"""`schoolnet report`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("report", "Render an evidence bundle.", "the assessment issue")
