"""The lab's state file: every namespace created and every process started, so `lab down` can undo it all.

``/run/schoolnet-lab/<prefix>/state.json`` (tmpfs: gone after a reboot, like the namespaces). A namespace is
recorded *before* it is created and a process right after it starts, so a crash at any point leaves a state
file that names everything to remove (also the /etc/netns/<ns> directories of per-namespace hosts files).
Processes are identified by PID plus their kernel start time, so a recycled PID is never killed.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

RUN_ROOT = Path(os.environ.get("SCHOOLNET_LAB_RUN", "/run/schoolnet-lab"))
STATE_VERSION = 1


def proc_start_time(pid: int) -> int | None:
    """The kernel start time of ``pid`` (clock ticks since boot), None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name (field 2) may contain spaces: split after its closing parenthesis
    fields = stat[stat.rfind(")") + 2 :].split()
    try:
        if fields[0] == "Z":
            return None
        return int(fields[19])
    except (IndexError, ValueError):
        return None


@dataclass
class ProcRecord:
    name: str  # e.g. snmpsim:router, snmpd:server, service:speed
    pid: int
    start_time: int | None
    ns: str
    argv: list[str]
    log: str = ""

    def alive(self) -> bool:
        """True when this very process still runs (same PID and same start time)."""
        now = proc_start_time(self.pid)
        return now is not None and (self.start_time is None or now == self.start_time)


@dataclass
class LabState:
    prefix: str
    base: str
    run_dir: str
    uplink_mbit: float = 1000.0
    extra_agents: int = 0
    owner_pid: int = field(default_factory=os.getpid)
    started_at: float = field(default_factory=time.time)
    phase: str = "starting"  # starting -> up -> stopping
    namespaces: list[str] = field(default_factory=list)
    processes: list[ProcRecord] = field(default_factory=list)
    services: dict[str, dict[str, Any]] = field(default_factory=dict)
    config_path: str = ""
    etc_dirs: list[str] = field(default_factory=list)  # /etc/netns/<ns> dirs written (per-namespace hosts)
    version: int = STATE_VERSION

    @property
    def path(self) -> Path:
        return state_path(self.prefix)

    def save(self) -> None:
        """Write atomically (tmp file + rename), readable by root only."""
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            json.dump(asdict(self), out, indent=2)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)

    def add_namespace(self, name: str) -> None:
        if name not in self.namespaces:
            self.namespaces.append(name)
            self.save()

    def add_etc_dir(self, path: str) -> None:
        """Record an /etc/netns/<ns> directory *before* it is written (a crash still gets it removed)."""
        if path not in self.etc_dirs:
            self.etc_dirs.append(path)
            self.save()

    def add_process(self, name: str, pid: int, ns: str, argv: list[str], log: str = "") -> ProcRecord:
        rec = ProcRecord(name, pid, proc_start_time(pid), ns, list(argv), log)
        self.processes.append(rec)
        self.save()
        return rec

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LabState:
        procs = [ProcRecord(**p) for p in data.pop("processes", [])]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        state = cls(**known)
        state.processes = procs
        return state


def state_path(prefix: str) -> Path:
    return RUN_ROOT / prefix / "state.json"


def load(prefix: str) -> LabState | None:
    path = state_path(prefix)
    try:
        return LabState.from_json(json.loads(path.read_text()))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError):
        # unreadable or half-written: keep what we can (the prefix), down sweeps by name
        return LabState(prefix=prefix, base="", run_dir=str(path.parent), phase="corrupt")


def all_states() -> list[LabState]:
    """Every lab instance with a state file on this machine."""
    if not RUN_ROOT.is_dir():
        return []
    states = []
    for path in sorted(RUN_ROOT.glob("*/state.json")):
        state = load(path.parent.name)
        if state is not None:
            states.append(state)
    return states


@contextlib.contextmanager
def global_lock(timeout: float = 120.0) -> Iterator[None]:
    """Serialise lab up/down on this machine (two instances must not race for names or ranges)."""
    RUN_ROOT.mkdir(parents=True, exist_ok=True)
    os.chmod(RUN_ROOT, 0o755)
    fd = os.open(RUN_ROOT / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("another `schoolnet lab` command holds the lab lock") from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)
