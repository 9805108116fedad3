"""A throwaway PostgreSQL cluster (initdb + pg_ctl as the postgres user, in a temp dir, on a free port)."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if found:
        return Path(found[-1]).parent
    exe = shutil.which("pg_ctl")
    return Path(exe).parent if exe else None


def unavailable_reason() -> str | None:
    """Why a throwaway cluster cannot start here (None when it can)."""
    bindir = pg_bindir()
    if bindir is None or not (bindir / "initdb").exists():
        return "PostgreSQL binaries not found (apt-get install -y postgresql)"
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "no 'postgres' system user to run the throwaway cluster"
    if os.geteuid() != 0:
        return "starting a throwaway PostgreSQL cluster needs root (to run as the postgres user)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def throwaway_cluster(database: str = "district") -> Iterator[str]:
    """Start a cluster, create ``database``, yield its URL; stop and delete everything afterwards."""
    reason = unavailable_reason()
    if reason:
        raise RuntimeError(reason)
    bindir = pg_bindir()
    assert bindir is not None
    pg_user = pwd.getpwnam("postgres")
    base = Path(tempfile.mkdtemp(prefix="sndi-pg-"))
    os.chown(base, pg_user.pw_uid, pg_user.pw_gid)
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    os.chown(sock, pg_user.pw_uid, pg_user.pw_gid)
    port = _free_port()
    as_pg = ["runuser", "-u", "postgres", "--"]
    started = False
    try:
        subprocess.run(
            [*as_pg, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        opts = f"-p {port} -k {sock} -c listen_addresses=127.0.0.1 -c max_connections=200"
        subprocess.run(
            [*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"],
            check=True,
            capture_output=True,
            timeout=120,
        )
        started = True
        subprocess.run(
            [*as_pg, str(bindir / "createdb"), "-h", str(sock), "-p", str(port), database],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield f"postgresql://postgres@127.0.0.1:{port}/{database}"
    finally:
        if started:
            subprocess.run(
                [*as_pg, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                capture_output=True,
                timeout=120,
            )
        shutil.rmtree(base, ignore_errors=True)


def new_database(url: str, name: str) -> str:
    """A fresh database ``name`` in the cluster at ``url``; returns its URL."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + "/" + name
