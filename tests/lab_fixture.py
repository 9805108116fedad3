"""pytest plugin: a lab instance for tests (`lab_env`, session-scoped) and `lab_instance()` for custom ones.

Use it from any test module (the lead loads this file as a plugin in tests/conftest.py)::

    @pytest.mark.lab
    def test_something(lab_env):
        ip = lab_env.addresses["switch"]                   # role -> IP (router = its LAN address, isp, router_wan)
        out = lab_env.exec_in("agent", ["snmpget", "-v2c", "-c", "school-ro", ip, "1.3.6.1.2.1.1.5.0"])
        lab_env.config_path                                # the agent's config for this lab (0600)
        lab_env.services["speed"]["state"]                 # "running" or "not started" (+ "reason")

Each instance gets a free prefix/base pair (snt/10.67, snu/10.68, ...) so parallel test sessions of different
engineers never collide; SCHOOLNET_LAB_PREFIX / SCHOOLNET_LAB_BASE force one. The lab is taken down after
the session, also when tests fail.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator

import pytest

from agent.errors import UsageError
from lab.control import Lab, down, up
from lab.netns import existing_namespaces
from lab.snmpsim import SNMPSIM_VENV
from lab.state import all_states, state_path
from lab.topology import Topology

CANDIDATES = [(f"sn{c}", f"10.{67 + i}") for i, c in enumerate("tuvwxyzkmpq")]


def lab_skip_reason() -> str | None:
    if os.geteuid() != 0:
        return "lab tests need root (network namespaces)"
    for tool in ("ip", "tc", "nft", "snmpget", "snmpd"):
        if shutil.which(tool) is None:
            return f"lab tests need `{tool}` (scripts/setup.sh installs it)"
    if not (SNMPSIM_VENV / "bin" / "snmpsim-command-responder").exists():
        return f"lab tests need snmpsim at {SNMPSIM_VENV} (scripts/setup.sh builds it)"
    return None


def _free(prefix: str, base: str) -> bool:
    topo = Topology(prefix=prefix, base=base)
    if state_path(prefix).exists() or any(topo.owns_namespace(n) for n in existing_namespaces()):
        return False
    return all(s.base != f"10.{topo.octet}" for s in all_states())


@contextlib.contextmanager
def lab_instance(*, extra_agents: int = 0, uplink_mbit: float = 1000.0, start_services: bool = True) -> Iterator[Lab]:
    """Bring up a lab instance on the first free prefix/base, yield it, always take it down."""
    forced = os.environ.get("SCHOOLNET_LAB_PREFIX")
    candidates = [(forced, os.environ.get("SCHOOLNET_LAB_BASE", "10.67"))] if forced else CANDIDATES
    lab: Lab | None = None
    last: Exception | None = None
    for prefix, base in candidates:
        if not forced and not _free(prefix, base):
            continue
        topo = Topology(prefix=prefix, base=base, extra_agents=extra_agents, uplink_mbit=uplink_mbit)
        try:
            lab = up(topo, start_services=start_services)
            break
        except UsageError as exc:  # taken by a parallel session between the check and `up`
            last = exc
    if lab is None:
        raise RuntimeError(f"no free lab prefix/base among {[c[0] for c in candidates]}: {last}")
    try:
        yield lab
    finally:
        down(lab.prefix, handles=lab.handles)


@pytest.fixture(scope="session")
def lab_env() -> Iterator[Lab]:
    """A running lab instance for the whole test session (skipped without root/tools)."""
    reason = lab_skip_reason()
    if reason:
        pytest.skip(reason)
    with lab_instance() as lab:
        yield lab
