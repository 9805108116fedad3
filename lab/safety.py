"""Guards for code that acts inside the lab: only a running lab instance's namespaces and addresses.

Other modules (tests, benchmarks, the demo) call these before they send traffic or run a command, so a typo
or a wrong fixture never reaches the host's own network or another instance::

    from lab.safety import assert_inside_lab, assert_lab_address
    assert_inside_lab("snt-agent")        # raises UsageError unless a lab instance owns that namespace
    assert_lab_address("10.67.0.2")        # raises unless the address is on a running instance's LAN/WAN
"""

from __future__ import annotations

import ipaddress

from agent.errors import UsageError
from lab.netns import check_name, existing_namespaces
from lab.state import LabState, all_states
from lab.topology import Topology


def running_instances() -> list[LabState]:
    """Lab instances with a state file (up, starting, or crashed and not yet taken down)."""
    return [s for s in all_states() if s.base]


def assert_inside_lab(ns: str) -> str:
    """``ns`` must be an existing namespace that a lab instance's state file lists; returns it."""
    check_name(ns)
    owners = [s for s in running_instances() if ns in s.namespaces]
    if not owners:
        raise UsageError(f"refusing namespace {ns!r}: no running lab instance owns it")
    if ns not in existing_namespaces():
        raise UsageError(f"refusing namespace {ns!r}: it does not exist (is the lab {owners[0].prefix!r} down?)")
    return ns


def assert_lab_address(ip: str) -> str:
    """``ip`` must lie in the LAN or WAN of a running lab instance; returns it."""
    try:
        addr = ipaddress.IPv4Address(ip)
    except ValueError:
        raise UsageError(f"refusing address {ip!r}: not an IPv4 address") from None
    for state in running_instances():
        topo = Topology(prefix=state.prefix, base=state.base)
        if addr in topo.lan or addr in topo.wan:
            return ip
    raise UsageError(f"refusing address {ip}: it is not inside a running lab instance")
