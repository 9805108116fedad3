"""Up/down leaves nothing behind, also after the parent was killed; refusals; root is required."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agent.errors import UsageError
from lab.control import down, status, up
from lab.netns import NETNS_ETC, Namespace, existing_namespaces
from lab.state import RUN_ROOT, load, proc_start_time, state_path
from lab.topology import Topology
from tests.lab_fixture import CANDIDATES, _free, lab_skip_reason

SCHOOLNET = str(Path(sys.executable).parent / "schoolnet")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def free_topology():
    reason = lab_skip_reason()
    if reason:
        pytest.skip(reason)
    # from the end of the list, so a parallel session's `lab_env` (first free pair) rarely races with us
    prefix, base = next((p, b) for p, b in reversed(CANDIDATES) if _free(p, b))
    topo = Topology(prefix=prefix, base=base)
    yield topo
    if state_path(prefix).exists() or any(topo.owns_namespace(n) for n in existing_namespaces()):
        down(prefix)


def leftovers(topo: Topology, pids: list[tuple[int, int | None]]) -> list[str]:
    left = [n for n in existing_namespaces() if topo.owns_namespace(n)]
    left += [f"pid {pid}" for pid, start in pids if start is not None and proc_start_time(pid) == start]
    if (RUN_ROOT / topo.prefix).exists():
        left.append(str(RUN_ROOT / topo.prefix))
    left += [str(d) for d in etc_dirs(topo)]
    return left


def etc_dirs(topo: Topology) -> list[Path]:
    """This instance's /etc/netns/<ns> directories (per-namespace hosts files)."""
    return sorted(d for d in NETNS_ETC.glob(f"{topo.prefix}-*") if topo.owns_namespace(d.name))


def recorded(prefix: str) -> tuple[list[str], list[tuple[int, int | None]]]:
    state = load(prefix)
    assert state is not None
    return state.namespaces, [(p.pid, p.start_time) for p in state.processes]


@pytest.mark.lab
def test_up_then_down_leaves_nothing(free_topology):
    lab = up(free_topology, start_services=False)
    names, pids = recorded(lab.prefix)
    assert set(names) == set(free_topology.namespaces) and len(pids) == len(free_topology.snmp_nodes)
    # a device that dies is shown as such, and down still cleans up
    victim = next(p for p in load(lab.prefix).processes if p.name == "snmpsim:switch")
    os.kill(victim.pid, signal.SIGKILL)
    lab.handles[victim.pid].wait(timeout=10)
    (inst,) = status(lab.prefix)
    alive = {p["name"]: p["alive"] for p in inst["processes"]}
    assert alive["snmpsim:switch"] is False and alive["snmpsim:router"] is True
    report = down(lab.prefix, handles=lab.handles)
    assert sorted(report["namespaces_removed"]) == sorted(free_topology.namespaces)
    assert leftovers(free_topology, pids) == []
    assert down(lab.prefix)["namespaces_removed"] == []  # idempotent


@pytest.mark.lab
def test_down_cleans_up_after_the_parent_was_killed(free_topology):
    t = free_topology
    code = (
        "import os, signal\n"
        "from lab.control import up\nfrom lab.topology import Topology\n"
        f"up(Topology(prefix={t.prefix!r}, base={t.base!r}))\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, timeout=120, check=False)
    assert proc.returncode == -signal.SIGKILL
    names, pids = recorded(t.prefix)
    assert [str(d) for d in etc_dirs(t)] == load(t.prefix).etc_dirs == [f"/etc/netns/{t.agent_ns}"]
    assert names and pids, "the crash left nothing recorded"
    assert all(n in existing_namespaces() for n in names)
    assert all(proc_start_time(pid) == start for pid, start in pids)  # orphans still running
    cli = subprocess.run([SCHOOLNET, "lab", "down", "--prefix", t.prefix], capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert leftovers(t, pids) == []


@pytest.mark.lab
def test_down_cleans_up_when_up_is_killed_halfway(free_topology):
    t = free_topology
    proc = subprocess.Popen([SCHOOLNET, "-q", "lab", "up", "--prefix", t.prefix, "--base", t.base], cwd=REPO)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = load(t.prefix)
            if state is not None and (len(state.namespaces) >= 4 or state.processes):
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    names, pids = recorded(t.prefix)
    assert names, "the state file must list what was created before the crash"
    cli = subprocess.run([SCHOOLNET, "lab", "down", "--prefix", t.prefix], capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr
    assert leftovers(t, pids) == []


@pytest.mark.lab
def test_an_existing_namespace_is_refused_and_left_alone(free_topology):
    t = free_topology
    squatter = Namespace(t.agent_ns).create()
    try:
        with pytest.raises(UsageError, match="already exist"):
            up(t)
        assert squatter.exists()
        assert not state_path(t.prefix).exists()
    finally:
        squatter.delete()


@pytest.mark.lab
def test_cli_up_status_down(free_topology):
    t = free_topology
    env = {**os.environ, "SCHOOLNET_DEBUG": ""}
    upc = subprocess.run(
        [SCHOOLNET, "--json", "lab", "up", "--prefix", t.prefix, "--base", t.base, "--uplink-mbit", "200"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert upc.returncode == 0, upc.stderr
    import json

    info = json.loads(upc.stdout)
    assert info["lan"] == str(t.lan) and info["uplink_mbit"] == 200
    again = subprocess.run(
        [SCHOOLNET, "lab", "up", "--prefix", t.prefix, "--base", t.base], capture_output=True, text=True, timeout=60
    )
    assert again.returncode == 2 and len(again.stderr.strip().splitlines()) == 1
    st = subprocess.run(
        [SCHOOLNET, "--json", "lab", "status", "--prefix", t.prefix], capture_output=True, text=True, timeout=60
    )
    (inst,) = json.loads(st.stdout)
    snmp_agents = [p for p in inst["processes"] if p["name"].startswith("snmp")]
    assert inst["phase"] == "up" and snmp_agents and all(p["alive"] for p in snmp_agents), inst["processes"]
    qdisc = subprocess.run(["tc", "-n", t.ns("router"), "qdisc", "show", "dev", "wan0"], capture_output=True, text=True)
    assert "rate 200Mbit" in qdisc.stdout
    dn = subprocess.run([SCHOOLNET, "lab", "down", "--prefix", t.prefix], capture_output=True, text=True, timeout=120)
    assert dn.returncode == 0
    assert [n for n in existing_namespaces() if t.owns_namespace(n)] == []
    assert all(not p["alive"] or proc_start_time(p["pid"]) is None for p in inst["processes"])


def test_without_root_one_line_and_exit_2():
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv (util-linux) is needed to drop root")
        argv = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", SCHOOLNET]
    else:
        argv = [SCHOOLNET]
    for verb in (["lab", "up"], ["lab", "down"], ["lab", "status"], ["lab", "demo"]):
        proc = subprocess.run([*argv, "--lang", "en", *verb], capture_output=True, text=True, timeout=60, cwd="/")
        assert proc.returncode == 2, (verb, proc.stderr)
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "root" in lines[0], (verb, proc.stderr)
