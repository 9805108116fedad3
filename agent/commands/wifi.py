"""`schoolnet wifi`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("wifi", "Read Wi-Fi beacons.", "the Wi-Fi issue")
