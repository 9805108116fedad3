"""The run lock: a second run is refused while the first lives; a dead holder's lock is taken over."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from agent.runlock import RunLocked, current_holder, lock_path, run_lock

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from agent.runlock import run_lock
    with run_lock(Path(sys.argv[1]), command="holder"):
        print("locked", flush=True)
        sys.stdin.readline()  # hold until told (or killed)
    print("released", flush=True)
    """
)


def start_holder(state: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(state)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_second_run_is_refused_while_the_first_holds(tmp_path: Path) -> None:
    holder = start_holder(tmp_path)
    try:
        with pytest.raises(RunLocked) as caught, run_lock(tmp_path):
            pass
        assert caught.value.holder is not None and caught.value.holder.pid == holder.pid
        assert f"PID {holder.pid}" in str(caught.value) and caught.value.exit_code == 3
        live = current_holder(tmp_path)
        assert live is not None and live.pid == holder.pid and live.command == "holder"
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=30) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
    # released cleanly: the file is empty, the next run takes it without a warning
    assert lock_path(tmp_path).read_text() == ""
    assert current_holder(tmp_path) is None
    with run_lock(tmp_path) as lock:
        assert lock.took_over is None and lock.holder.pid == os.getpid()


def test_stale_lock_from_a_dead_run_is_taken_over(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    holder = start_holder(tmp_path)
    os.kill(holder.pid, signal.SIGKILL)  # a crash: no clean release, the file still names the dead run
    holder.wait(timeout=30)
    assert str(holder.pid) in lock_path(tmp_path).read_text()
    assert current_holder(tmp_path) is None  # the kernel dropped the lock with the process
    with caplog.at_level(logging.WARNING, logger="agent.runlock"), run_lock(tmp_path) as lock:
        assert lock.took_over is not None and lock.took_over.pid == holder.pid
        assert str(os.getpid()) in lock_path(tmp_path).read_text()
        # while we hold it, a run in another process is refused and told who holds the lock
        assert_refused_elsewhere(tmp_path)
    assert any("stale run lock" in r.getMessage() and str(holder.pid) in r.getMessage() for r in caplog.records)


def assert_refused_elsewhere(state: Path) -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys\nfrom pathlib import Path\nfrom agent.runlock import run_lock, RunLocked\n"
            "try:\n    with run_lock(Path(sys.argv[1])): print('acquired')\n"
            "except RunLocked as e:\n    print('refused', e.holder.pid)\n",
            str(state),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert proc.stdout.split() == ["refused", str(os.getpid())]


def test_lock_file_is_private(tmp_path: Path) -> None:
    state = tmp_path / "state"
    with run_lock(state):
        assert (lock_path(state).stat().st_mode & 0o777) == 0o600
        assert (state.stat().st_mode & 0o777) == 0o700
