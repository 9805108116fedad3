"""`schoolnet inspect`: not implemented yet."""

from agent.commands._pending import pending

cli = pending("inspect", "Inspect one device over SNMP.", "the discovery issue")
