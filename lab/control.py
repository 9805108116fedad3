"""Bring a lab instance up, take it down (even after a crash), and say what runs.

``up`` builds the namespaces of :class:`lab.topology.Topology` (a bridge in ``<prefix>-lan``, one namespace
per host, a NAT router with a tbf-shaped uplink to ``<prefix>-isp``), starts one snmpsim responder per
simulated device, a real net-snmp ``snmpd`` on the server and the ISP's services, waits until every SNMP
agent answers from the agent's namespace, and writes the agent's config for the lab. For the speedtest.net
stand-in it makes a lab CA and server certificate (:mod:`lab.tls`) and resolves the speedtest.net names to the
ISP inside the agent namespace only (``/etc/netns/<prefix>-agent/hosts``); commands run in the agent namespace
through :meth:`Lab.exec_in` or :attr:`Lab.agent_env` trust that CA. Everything it creates is recorded in the
state file first (:mod:`lab.state`); ``down`` removes what the state file lists plus any namespace (and
/etc/netns directory) with one of the instance's exact names.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import RuntimeFailure, UsageError
from lab import services as services_mod
from lab.netns import NETNS_ETC, Namespace, existing_namespaces, require_root, run, shape, veth
from lab.snmpsim import SNMPSIM_VENV, V3_AUTH_KEY, V3_PRIV_KEY, V3_USER, SnmpSim, wait_ready
from lab.state import RUN_ROOT, LabState, all_states, global_lock, load, proc_start_time, state_path
from lab.tls import SPEEDTEST_HOSTS, ca_env, make_ca
from lab.topology import COMMUNITY, Node, Topology

SNMPD_USER = "auditor"
SNMPD_AUTH_KEY = "audit-auth-key"
SNMPD_PRIV_KEY = "audit-priv-key"
READY_TIMEOUT = 60.0

Step = Callable[[str], None]


def _quiet(_: str) -> None:
    return None


# ------------------------------------------------------------------------------------------------
# checks


def require_tools() -> None:
    """The lab's system tools, each with the package that provides it."""
    needed = {"tc": "iproute2", "nft": "nftables", "snmpget": "snmp", "snmpd": "snmpd"}
    missing = [f"{tool} (apt-get install {pkg})" for tool, pkg in needed.items() if shutil.which(tool) is None]
    if missing:
        raise UsageError("the lab needs " + ", ".join(missing))
    if not (SNMPSIM_VENV / "bin" / "snmpsim-command-responder").exists():
        raise UsageError(f"snmpsim is not installed at {SNMPSIM_VENV}: run scripts/setup.sh (as root)")


def _host_networks() -> list[ipaddress.IPv4Network]:
    """Networks the host's own namespace has addresses in or routes to (never modified, only read)."""
    nets: list[ipaddress.IPv4Network] = []
    for line in run(["ip", "-o", "-4", "addr", "show"], check=False).stdout.splitlines():
        parts = line.split()
        if "inet" in parts:
            nets.append(ipaddress.IPv4Interface(parts[parts.index("inet") + 1]).network)
    for line in run(["ip", "-4", "route", "show", "table", "all"], check=False).stdout.splitlines():
        dest = line.split()[0] if line.split() else ""
        if dest and dest[0].isdigit():
            with contextlib.suppress(ValueError):
                nets.append(ipaddress.IPv4Network(dest, strict=False))
    return nets


def preflight(topo: Topology) -> None:
    """Refuse to start over anything that exists: this instance's names, state, or address range."""
    if state_path(topo.prefix).exists():
        raise UsageError(
            f"lab {topo.prefix!r} has a state file ({state_path(topo.prefix)}): it is up or crashed; "
            f"run `schoolnet lab down --prefix {topo.prefix}` first"
        )
    clash = [n for n in existing_namespaces() if topo.owns_namespace(n)]
    if clash:
        raise UsageError(
            f"namespaces of lab {topo.prefix!r} already exist ({', '.join(clash[:5])}); "
            f"run `schoolnet lab down --prefix {topo.prefix}` first"
        )
    for net in _host_networks():
        if net.prefixlen > 0 and (net.overlaps(topo.lan) or net.overlaps(topo.wan)):
            raise UsageError(
                f"the host already uses {net}, which overlaps the lab's {topo.lan} / {topo.wan}: choose another --base"
            )
    for other in all_states():
        if other.prefix != topo.prefix and other.base == f"10.{topo.octet}":
            raise UsageError(f"lab {other.prefix!r} already uses 10.{topo.octet}: choose another --base")


# ------------------------------------------------------------------------------------------------
# the running lab


@dataclass
class Lab:
    """A running lab instance (what `up` returns and the test fixture yields)."""

    topo: Topology
    state: LabState
    run_dir: Path
    config_path: Path
    handles: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict, repr=False)

    @property
    def prefix(self) -> str:
        return self.topo.prefix

    @property
    def agent_ns(self) -> str:
        return self.topo.agent_ns

    @property
    def addresses(self) -> dict[str, str]:
        """role -> IP (the router by its LAN address; `isp` and `router_wan` too)."""
        out = {n.role: n.ip for n in self.topo.nodes}
        out["router_wan"] = self.topo.router_wan_ip
        out["isp"] = self.topo.isp_ip
        return out

    @property
    def services(self) -> dict[str, dict[str, Any]]:
        return self.state.services

    @property
    def ca_path(self) -> Path:
        """The lab CA that signed the speedtest.net stand-in's certificate."""
        return services_mod.tls_paths(self.run_dir)[0]

    @property
    def agent_env(self) -> dict[str, str]:
        """Environment for processes run in the agent namespace: trust the lab CA (that process only)."""
        return ca_env(self.ca_path) if self.ca_path.exists() else {}

    def ns_of(self, node: str) -> str:
        """A role (``agent``, ``isp``, ``x101``) or a namespace name of this lab -> the namespace name."""
        if node == "isp":
            return self.topo.isp.ns
        if node == "lan":
            return self.topo.bridge_ns
        for n in self.topo.nodes:
            if node in (n.role, n.ns):
                return n.ns
        if node in self.topo.namespaces:
            return node
        raise UsageError(f"{node!r} is not a node of lab {self.prefix!r}")

    def exec_in(
        self, node: str, argv: Sequence[str], *, check: bool = False, timeout: float = 120.0
    ) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` inside a node's namespace (captured text output; in the agent's, trusting the lab CA)."""
        ns = self.ns_of(node)
        env = self.agent_env if ns == self.agent_ns else None
        return Namespace(ns).exec(argv, check=check, timeout=timeout, env=env)

    def down(self) -> dict[str, Any]:
        return down(self.prefix, handles=self.handles)


def _create_ns(state: LabState, name: str) -> Namespace:
    state.add_namespace(name)  # recorded before it exists: a crash right after still gets it removed
    ns = Namespace(name).create()
    ns.exec(["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"])
    return ns


def _build_network(topo: Topology, state: LabState, step: Step) -> None:
    step("namespaces")
    bridge = _create_ns(state, topo.bridge_ns)
    bridge.ip("link", "add", "br0", "type", "bridge")
    bridge.up("br0")
    spaces = {n.role: _create_ns(state, n.ns) for n in topo.nodes}
    isp = _create_ns(state, topo.isp.ns)

    step("LAN links")
    for node in topo.lan_hosts:
        ns = spaces[node.role]
        port = f"p-{node.role}"[:15]
        veth(ns, "eth0", bridge, port, a_mac=node.mac or None)
        bridge.ip("link", "set", port, "master", "br0")
        for cidr in node.addresses:
            ns.add_address("eth0", cidr)
        ns.ip("route", "add", "default", "via", topo.gateway)

    step("router, NAT, uplink")
    router_node = topo.node("router")
    router = spaces["router"]
    veth(router, "lan0", bridge, "p-router", a_mac=router_node.mac)
    bridge.ip("link", "set", "p-router", "master", "br0")
    router.add_address("lan0", router_node.addresses[0])
    wan_mac = _mac_plus(router_node.mac, 15)  # sfp-sfpplus1 in the recording
    veth(router, "wan0", isp, "eth0", a_mac=wan_mac)
    router.add_address("wan0", f"{topo.router_wan_ip}/{topo.wan.prefixlen}")
    isp.add_address("eth0", topo.isp.addresses[0])
    router.exec(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1"])
    nat = ["nft", "add", "table", "ip", "schoolnet_lab"]
    router.exec(nat)
    router.exec(
        [
            "nft",
            "add",
            "chain",
            "ip",
            "schoolnet_lab",
            "postrouting",
            "{",
            "type",
            "nat",
            "hook",
            "postrouting",
            "priority",
            "100",
            ";",
            "policy",
            "accept",
            ";",
            "}",
        ]
    )
    router.exec(
        [
            "nft",
            "add",
            "rule",
            "ip",
            "schoolnet_lab",
            "postrouting",
            "oifname",
            "wan0",
            "ip",
            "saddr",
            str(topo.lan),
            "masquerade",
        ]
    )
    shape(router, "wan0", topo.uplink_mbit)  # upload: school -> ISP
    shape(isp, "eth0", topo.uplink_mbit)  # download: ISP -> school


def _prepare_standin(topo: Topology, state: LabState, run_dir: Path, step: Step) -> None:
    """The speedtest.net stand-in's certificate (lab CA) and the agent namespace's hosts file naming the ISP."""
    step("lab CA, speedtest.net names in the agent namespace")
    ca, _, _ = services_mod.tls_paths(run_dir)
    make_ca(ca.parent, SPEEDTEST_HOSTS)
    agent = Namespace(topo.agent_ns)
    state.add_etc_dir(str(agent.etc_dir))  # recorded before it is written
    agent.write_hosts({host: topo.isp_ip for host in SPEEDTEST_HOSTS})


def _remove_etc_dirs(topo: Topology, recorded: list[str], names: list[str]) -> list[str]:
    """Remove this instance's /etc/netns/<ns> directories: the recorded ones and any with one of its names."""
    candidates = {Path(p).name for p in recorded} | set(names)
    if NETNS_ETC.is_dir():
        candidates |= {d.name for d in NETNS_ETC.iterdir()}
    removed = []
    for name in sorted(n for n in candidates if topo.owns_namespace(n)):
        ns = Namespace(name)
        if ns.remove_etc():
            removed.append(str(ns.etc_dir))
    return removed


def _mac_plus(mac: str, n: int) -> str:
    raw = f"{int(mac.replace(':', ''), 16) + n:012x}"
    return ":".join(raw[i : i + 2] for i in range(0, 12, 2))


def _write_recordings(topo: Topology, run_dir: Path) -> dict[str, Path]:
    """Render each snmpsim node's recording into its own data dir (readable by `nobody`)."""
    from lab.make_recordings import render_all

    texts = render_all(topo)
    dirs: dict[str, Path] = {}
    for role, text in texts.items():
        data = run_dir / "snmp" / role / "data"
        data.mkdir(parents=True, exist_ok=True)
        # community `school-ro` selects school-ro.snmprec; `self.snmprec` answers SNMPv3 with the empty context
        for name in (f"{COMMUNITY}.snmprec", "self.snmprec"):
            (data / name).write_text(text)
            os.chmod(data / name, 0o644)
        for d in (data, data.parent, data.parent.parent):
            os.chmod(d, 0o755)
        dirs[role] = data
    return dirs


def _start_snmpsim(lab: Lab, node: Node, data: Path) -> None:
    cache = data.parent / "cache"
    # snmpsim binds its UDP port after dropping to `nobody`: allow port 161 for unprivileged users, in this
    # device's namespace only (a per-namespace sysctl; the host's setting is untouched)
    Namespace(node.ns).exec(["sysctl", "-q", "-w", "net.ipv4.ip_unprivileged_port_start=0"])
    sim = SnmpSim(
        data_dir=data,
        endpoints=((node.ip, 161),),
        ns=Namespace(node.ns),
        cache_dir=cache,
        log_path=lab.run_dir / "logs" / f"snmpsim-{node.role}.log",
    )
    sim.start()
    if sim.pid is None or sim.process is None:
        raise RuntimeFailure(f"snmpsim for {node.role} did not start")
    lab.handles[sim.pid] = sim.process
    lab.state.add_process(f"snmpsim:{node.role}", sim.pid, node.ns, [str(SNMPSIM_VENV), str(data)], str(sim.log_path))


def snmpd_config(topo: Topology, node: Node) -> str:
    return "\n".join(
        [
            "# generated by schoolnet lab: a real net-snmp agent on the simulated file server",
            f"agentAddress udp:{node.ip}:161",
            f"rocommunity {COMMUNITY} default",
            f'createUser {SNMPD_USER} SHA-256 "{SNMPD_AUTH_KEY}" AES "{SNMPD_PRIV_KEY}"',
            f"rouser {SNMPD_USER} priv",
            "sysLocation Phòng máy chủ",
            "sysContact it@truong.edu.vn",
            "sysName file-server",
            "sysServices 72",
            "",
        ]
    )


def _start_snmpd(lab: Lab, node: Node) -> None:
    base = lab.run_dir / "snmpd"
    persist = base / "persist"
    persist.mkdir(parents=True, exist_ok=True)
    user = "Debian-snmp" if _user_exists("Debian-snmp") else "nobody"
    group = user if user == "Debian-snmp" else "nogroup"
    shutil.chown(persist, user, group)
    conf = base / "snmpd.conf"
    fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # holds the v3 keys
    with os.fdopen(fd, "w") as out:
        out.write(snmpd_config(lab.topo, node))
    snmpd = shutil.which("snmpd") or "snmpd"
    argv = [snmpd, "-f", "-LOw", "-C", "-c", str(conf), "-u", user, "-g", group]
    env = {**os.environ, "SNMP_PERSISTENT_DIR": str(persist), "MIBS": ""}
    log = str(lab.run_dir / "logs" / "snmpd.log")
    proc = Namespace(node.ns).popen(argv, log=log, env=env)
    lab.handles[proc.pid] = proc
    lab.state.add_process("snmpd:server", proc.pid, node.ns, argv, log)


def _user_exists(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _wait_agents(lab: Lab, step: Step, timeout: float) -> None:
    agent = Namespace(lab.agent_ns)
    nodes = lab.topo.snmp_nodes
    step(f"waiting for {len(nodes)} SNMP agents")

    procs = {rec.ns: lab.handles.get(rec.pid) for rec in lab.state.processes}

    def one(node: Node) -> str | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            proc = procs.get(node.ns)
            if proc is not None and proc.poll() is not None:
                log = lab.run_dir / "logs" / ("snmpd.log" if node.agent == "snmpd" else f"snmpsim-{node.role}.log")
                return f"{node.role} ({node.ip}) exited with code {proc.returncode}: {services_mod.last_line(str(log))}"
            try:
                wait_ready(node.ip, 161, COMMUNITY, timeout=min(2.0, max(0.5, deadline - time.monotonic())), ns=agent)
                return None
            except RuntimeFailure:
                continue
        return f"{node.role} ({node.ip}) did not answer within {timeout:.0f}s"

    with ThreadPoolExecutor(max_workers=8) as pool:
        failed = [r for r in pool.map(one, nodes) if r]
    if failed:
        raise RuntimeFailure(f"SNMP agents not ready: {'; '.join(failed)}")


def lab_config(topo: Topology, run_dir: Path) -> dict[str, Any]:
    """The agent's config for this lab (validated by agent.config before it is written)."""
    return {
        "school": {
            "id": f"LAB-{topo.prefix.upper()}",
            "name": "Trường THCS Mô Phỏng (lab)",
            "district": "Phòng GD&ĐT mô phỏng",
        },
        "agent": {"language": "vi", "state_dir": str(run_dir / "agent")},
        # the lab's district listens on plain http inside the lab's own namespaces
        "district": {"url": topo.district_url, "insecure_http": True},
        "scan": {"subnets": [str(topo.lan)], "snmp_timeout_s": 1.0, "snmp_retries": 1},
        "snmp": {
            "credentials": [
                {"version": "2c", "community": COMMUNITY},
                {
                    "version": "3",
                    "user": SNMPD_USER,
                    "auth_protocol": "SHA256",
                    "auth_key": SNMPD_AUTH_KEY,
                    "priv_protocol": "AES128",
                    "priv_key": SNMPD_PRIV_KEY,
                },
                {
                    "version": "3",
                    "user": V3_USER,
                    "auth_protocol": "MD5",
                    "auth_key": V3_AUTH_KEY,
                    "priv_protocol": "DES",
                    "priv_key": V3_PRIV_KEY,
                },
            ]
        },
        "bandwidth": {
            "engines": ["speedtest", "http"],  # the Internet (speedtest.net stand-in) first, the district second
            "duration_s": 5.0,
            "streams": 4,
            "speedtest_servers": 1,  # the lab's stand-in lists one speedtest.net server
            "servers": [{"engine": "http", "url": topo.speed_url, "name": "district LibreSpeed (lab)",
                         "role": "district", "network": "district network (lab: the ISP namespace)"}],
        },
        "wifi": {"scan": False},
        "evidence": {"isp_contract_mbps": topo.uplink_mbit, "isp_name": "ISP mô phỏng (lab)"},
    }


def write_lab_config(topo: Topology, run_dir: Path) -> Path:
    import tomli_w

    from agent.config import parse

    data = lab_config(topo, run_dir)
    parse(data, "lab config")  # refuse to write a config the agent would reject
    path = run_dir / "agent.toml"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(b"# generated by `schoolnet lab up`: the agent's config for this lab instance (holds secrets)\n")
        out.write(tomli_w.dumps(data).encode())
    os.chmod(path, 0o600)
    (run_dir / "agent").mkdir(mode=0o700, exist_ok=True)
    return path


def up(
    topo: Topology,
    *,
    step: Step = _quiet,
    start_services: bool = True,
    ready_timeout: float = READY_TIMEOUT,
) -> Lab:
    """Build and start one lab instance; on any failure everything started so far is removed."""
    require_root()
    require_tools()
    with global_lock():
        preflight(topo)
        run_dir = RUN_ROOT / topo.prefix
        if run_dir.exists():
            shutil.rmtree(run_dir)
        run_dir.mkdir(parents=True, mode=0o755)
        os.chmod(run_dir, 0o755)
        (run_dir / "logs").mkdir(mode=0o755)
        state = LabState(
            prefix=topo.prefix,
            base=f"10.{topo.octet}",
            run_dir=str(run_dir),
            uplink_mbit=topo.uplink_mbit,
            extra_agents=topo.extra_agents,
        )
        state.save()
    lab = Lab(topo, state, run_dir, run_dir / "agent.toml")
    try:
        _build_network(topo, state, step)
        step("SNMP agents")
        data_dirs = _write_recordings(topo, run_dir)
        for node in topo.snmp_nodes:
            if node.agent == "snmpsim":
                _start_snmpsim(lab, node, data_dirs[node.role])
            else:
                _start_snmpd(lab, node)
        if start_services:
            _prepare_standin(topo, state, run_dir, step)
            for svc in services_mod.services(topo, run_dir):
                step(f"ISP service {svc.name}")
                state.services[svc.name] = services_mod.start(svc, _recorder(lab))
                state.save()
        _wait_agents(lab, step, ready_timeout)
        lab.config_path = write_lab_config(topo, run_dir)
        state.config_path = str(lab.config_path)
        state.phase = "up"
        state.save()
        return lab
    except BaseException:
        with contextlib.suppress(Exception):
            down(topo.prefix, handles=lab.handles)
        raise


def _recorder(lab: Lab) -> Callable[[str, int, str, list[str], str], None]:
    def record(name: str, pid: int, ns: str, argv: list[str], log: str) -> None:
        lab.state.add_process(name, pid, ns, argv, log)

    return record


# ------------------------------------------------------------------------------------------------
# down


def _signal(pid: int, sig: signal.Signals) -> None:
    """Signal the process group ``pid`` leads (lab processes start their own session), else the process."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _running(pid: int, start: int | None) -> bool:
    """Is ``pid`` still the process that started at ``start``? (unknown start: never assume it is)"""
    return start is not None and proc_start_time(pid) == start


def terminate(
    pids: list[tuple[int, int | None]],
    handles: dict[int, subprocess.Popen[bytes]] | None = None,
    grace: float = 3.0,
) -> list[int]:
    """Stop processes given as (pid, kernel start time): SIGTERM to all, then SIGKILL to the stubborn ones.

    A PID whose start time differs belongs to another process and is left alone; zombies count as gone.
    Returns the PIDs that were running.
    """
    handles = handles or {}
    live = [(pid, start) for pid, start in pids if _running(pid, start)]
    pending = live
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not pending:
            break
        for pid, _ in pending:
            _signal(pid, sig)
        deadline = time.monotonic() + grace
        while pending and time.monotonic() < deadline:
            for pid, _ in pending:
                if pid in handles:
                    handles[pid].poll()  # reap our own children
            pending = [(pid, start) for pid, start in pending if _running(pid, start)]
            if pending:
                time.sleep(0.02)
    return [pid for pid, _ in live]


def down(prefix: str, *, handles: dict[int, subprocess.Popen[bytes]] | None = None) -> dict[str, Any]:
    """Remove lab ``prefix``: its recorded processes, every process inside its namespaces, the namespaces,
    the run dir. Safe to run twice, after a crash, or with nothing up."""
    require_root()
    topo = Topology(prefix=prefix)  # namespace names depend on the prefix only
    handles = handles or {}
    killed: list[int] = []
    removed: list[str] = []
    with global_lock():
        state = load(prefix)
        if state is not None:
            state.phase = "stopping"
            with contextlib.suppress(OSError):
                state.save()
            killed += terminate([(r.pid, r.start_time) for r in reversed(state.processes)], handles)
        recorded = [n for n in (state.namespaces if state else []) if n.startswith(f"{prefix}-")]
        present = set(existing_namespaces())
        names = list(
            dict.fromkeys(
                [*reversed(recorded), *topo.namespaces, *sorted(n for n in present if topo.owns_namespace(n))]
            )
        )
        for name in names:
            if name not in present:
                continue
            ns = Namespace(name)
            killed += terminate([(pid, proc_start_time(pid)) for pid in ns.pids()], handles)
            ns.delete()
            removed.append(name)
        etc_removed = _remove_etc_dirs(topo, state.etc_dirs if state else [], names)
        run_dir = RUN_ROOT / prefix
        if run_dir.is_dir():
            shutil.rmtree(run_dir, ignore_errors=True)
    left = [n for n in existing_namespaces() if n in names]
    if left:
        raise RuntimeFailure(f"could not remove namespaces: {', '.join(left)}")
    return {
        "prefix": prefix,
        "namespaces_removed": removed,
        "etc_removed": etc_removed,
        "pids_stopped": sorted(set(killed)),
    }


# ------------------------------------------------------------------------------------------------
# status


def status(prefix: str | None = None) -> list[dict[str, Any]]:
    """What runs: per instance, its namespaces (present or not) and processes (alive or not)."""
    require_root()
    present = set(existing_namespaces())
    states = [s for s in all_states() if prefix is None or s.prefix == prefix]
    out: list[dict[str, Any]] = []
    for st in states:
        out.append(
            {
                "prefix": st.prefix,
                "base": st.base,
                "phase": st.phase,
                "run_dir": st.run_dir,
                "config": st.config_path,
                "uplink_mbit": st.uplink_mbit,
                "extra_agents": st.extra_agents,
                "namespaces": [{"name": n, "present": n in present} for n in st.namespaces],
                "processes": [{"name": p.name, "pid": p.pid, "ns": p.ns, "alive": p.alive()} for p in st.processes],
                "services": {k: {kk: vv for kk, vv in v.items() if kk != "argv"} for k, v in st.services.items()},
                "etc_dirs": [{"path": d, "present": Path(d).exists()} for d in st.etc_dirs],
            }
        )
    known = {s.prefix for s in states}
    if prefix is not None and prefix not in known:
        topo = Topology(prefix=prefix)
        orphans = sorted(n for n in present if topo.owns_namespace(n))
        if orphans:
            out.append(
                {
                    "prefix": prefix,
                    "phase": "orphaned (no state file)",
                    "namespaces": [{"name": n, "present": True} for n in orphans],
                    "processes": [],
                    "services": {},
                }
            )
    return out


def lab_json(lab: Lab) -> str:
    return json.dumps({**lab.topo.summary(), "config": str(lab.config_path), "services": lab.services}, indent=2)
