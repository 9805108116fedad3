"""The run lock: two audits on one machine never overlap.

``with run_lock(state_dir):`` takes an exclusive ``fcntl`` lock on ``<state_dir>/run.lock`` and writes
the holder's PID, start time and command into it. The kernel drops the lock when its holder dies, so a
crashed or killed run never blocks the next one: the next run finds the lock free but the file still
naming the dead holder, takes it over and logs a warning. A live holder makes the new run fail at once
with :class:`RunLocked` (exit 3) naming that holder.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from agent.errors import RuntimeFailure

LOCK_NAME = "run.lock"

log = logging.getLogger(__name__)


class RunLocked(RuntimeFailure):
    """Another run holds the lock (exit 3)."""

    def __init__(self, message: str, holder: Holder | None) -> None:
        super().__init__(message)
        self.holder = holder


@dataclass(frozen=True)
class Holder:
    """Who holds (or last held) the lock."""

    pid: int
    started: str
    host: str = ""
    command: str = ""

    def describe(self) -> str:
        return f"PID {self.pid} on {self.host or '?'}, started {self.started}" + (
            f" ({self.command})" if self.command else ""
        )


@dataclass
class RunLock:
    """The lock as held by this process; ``took_over`` names a dead holder whose lock was taken over."""

    path: Path
    holder: Holder
    took_over: Holder | None = None


def lock_path(state_dir: Path) -> Path:
    return Path(state_dir) / LOCK_NAME


def _parse(text: str) -> Holder | None:
    try:
        data = json.loads(text)
        return Holder(
            pid=int(data["pid"]),
            started=str(data.get("started", "")),
            host=str(data.get("host", "")),
            command=str(data.get("command", "")),
        )
    except (ValueError, KeyError, TypeError):
        return None


def _read(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 4096):
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace").strip()


def pid_alive(pid: int) -> bool:
    """Whether a process with this PID exists (in our PID namespace)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def current_holder(state_dir: Path) -> Holder | None:
    """The live holder of the lock, or None when no run is going on (never creates the file)."""
    path = lock_path(state_dir)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _parse(_read(fd)) or Holder(pid=0, started="?")
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


@contextlib.contextmanager
def run_lock(state_dir: Path, *, command: str | None = None) -> Iterator[RunLock]:
    """Hold the run lock for the ``with`` block; raise :class:`RunLocked` when a live run holds it."""
    path = lock_path(state_dir)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise RuntimeFailure(f"{path}: cannot open the run lock: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _parse(_read(fd))
            who = holder.describe() if holder else "another process"
            raise RunLocked(f"another schoolnet run is in progress ({who}); lock file {path}", holder) from None
        previous = _parse(_read(fd))
        took_over = None
        if previous is not None and previous.pid != os.getpid():
            took_over = previous
            state = "no longer running" if not pid_alive(previous.pid) else "alive but no longer holding it"
            log.warning(
                "taking over a stale run lock from %s (%s): that run did not finish cleanly; "
                "its output may be incomplete",
                previous.describe(),
                state,
            )
        holder = Holder(
            pid=os.getpid(),
            started=datetime.now(UTC).isoformat(timespec="seconds"),
            host=socket.gethostname(),
            command=command if command is not None else " ".join(os.path.basename(a) for a in sys.argv[:2]),
        )
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, (json.dumps(holder.__dict__) + "\n").encode())
        os.fsync(fd)
        started = time.monotonic()
        try:
            yield RunLock(path=path, holder=holder, took_over=took_over)
        finally:
            # A clean end empties the file, so the next run knows nothing was left half-done.
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
            log.debug("run lock released after %.1f s", time.monotonic() - started)
    finally:
        os.close(fd)
