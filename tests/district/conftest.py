"""Fixtures for the district tests: a real uvicorn server on loopback, and a throwaway PostgreSQL cluster."""

from __future__ import annotations

import base64
import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.district import pg
from tests.district.bundles import public_b64

DISTRICT = Path(sys.executable).parent / "schoolnet-district"
STAFF_USER, STAFF_PASSWORD = "canbo", "mat-khau-an-toan"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_cli(*args: str, db: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(DISTRICT), *args, "--db", db], input=stdin, capture_output=True, text=True, timeout=60)
    if check and result.returncode != 0:
        raise AssertionError(f"schoolnet-district {args} failed: {result.stderr}")
    return result


@dataclass
class Server:
    """A `schoolnet-district serve` process on 127.0.0.1."""

    db: str
    port: int
    env: dict[str, str] = field(default_factory=dict)
    args: tuple[str, ...] = ()
    ca: str | None = None  # set for an HTTPS server: the CA that signed its certificate
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.ca else 'http'}://127.0.0.1:{self.port}"

    def verify(self) -> ssl.SSLContext | bool:
        return ssl.create_default_context(cafile=self.ca) if self.ca else True

    def start(self, timeout: float = 30.0) -> None:
        env = {**os.environ, **self.env}
        self.proc = subprocess.Popen(
            [str(DISTRICT), "serve", "--bind", f"127.0.0.1:{self.port}", "--db", self.db, *self.args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                err = self.proc.stderr.read().decode() if self.proc.stderr else ""
                raise RuntimeError(f"district server exited: {err[-2000:]}")
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1, verify=self.verify()).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("district server did not come up")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def enroll(self, school_id: str, name: str = "", ward: str = "Phường 1") -> tuple[str, Ed25519PrivateKey]:
        """Enroll a school through the CLI and the API; returns (upload token, signing key)."""
        code = run_cli("enroll", school_id, "--name", name or f"Trường {school_id}", "--ward", ward, db=self.db)
        key = Ed25519PrivateKey.generate()
        answer = httpx.post(
            self.url + "/api/v1/enroll",
            json={"code": code.stdout.strip(), "public_key": public_b64(key)},
            timeout=10,
            verify=self.verify(),
        )
        assert answer.status_code == 201, answer.text
        return str(answer.json()["token"]), key

    def staff_auth(self) -> dict[str, str]:
        raw = base64.b64encode(f"{STAFF_USER}:{STAFF_PASSWORD}".encode()).decode()
        return {"Authorization": f"Basic {raw}"}


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A throwaway PostgreSQL cluster for the whole session (skipped, with the reason, when impossible)."""
    reason = pg.unavailable_reason()
    if reason:
        pytest.skip(reason)
    with pg.throwaway_cluster() as url:
        yield url


# test servers enroll hundreds of schools from 127.0.0.1; the limits themselves are tested in test_security.py
ROOMY_LIMITS = {"DISTRICT_ENROLL_PER_MINUTE": "100000", "DISTRICT_LOGIN_PER_MINUTE": "100000"}


def start_server(db: str, *args: str, ca: str | None = None, **env: str) -> Server:
    run_cli("migrate", db=db)
    run_cli("user", "add", STAFF_USER, "--password-stdin", db=db, stdin=STAFF_PASSWORD + "\n")
    server = Server(db=db, port=free_port(), env={**ROOMY_LIMITS, **env}, args=args, ca=ca)
    server.start()
    return server


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A district server on SQLite and on PostgreSQL (each test runs on both)."""
    if request.param == "sqlite":
        db = f"sqlite:///{tmp_path_factory.mktemp('district')}/district.db"
    else:
        pg_cluster: str = request.getfixturevalue("pg_url")
        db = pg.new_database(pg_cluster, f"t_{request.module.__name__.rsplit('.', 1)[-1]}")
    srv = start_server(db, DISTRICT_MAX_BUNDLE_BYTES=str(2 * 1024 * 1024))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def sqlite_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(f"sqlite:///{tmp_path_factory.mktemp('district')}/district.db")
    yield srv
    srv.stop()


def agent_config(tmp: Path, url: str, token: str, school_id: str, **district: Any) -> Any:
    """A validated agent Config pointing at ``url`` with its spool in ``tmp``."""
    from agent.config import parse

    return parse(
        {
            "school": {"id": school_id, "name": f"Trường {school_id}"},
            "agent": {"state_dir": str(tmp / "state"), "spool_dir": str(tmp / "spool")},
            "district": {"url": url, "token": token, **district},
        }
    )
