"""The link between a school and the district cut mid-upload (two namespaces of our own, prefix sndi, 10.73.x).

The district server runs in one namespace, `schoolnet upload` in the other; the veth is taken down while
bundles are in flight and brought back later: every bundle ends up stored exactly once.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.district.bundles import make_bundle, public_b64
from tests.district.conftest import DISTRICT

pytestmark = pytest.mark.lab

SCHOOLNET = Path(sys.executable).parent / "schoolnet"


@pytest.fixture
def link() -> Iterator[tuple[object, object, str]]:
    from lab.netns import Namespace, veth

    tag = secrets.token_hex(2)
    server_ns, agent_ns = Namespace(f"sndi{tag}s"), Namespace(f"sndi{tag}a")
    octet = int(tag, 16) % 250 + 1
    try:
        server_ns.create()
        agent_ns.create()
        veth(server_ns, "sndi-d", agent_ns, "sndi-s")
        server_ns.add_address("sndi-d", f"10.73.{octet}.1/30")
        agent_ns.add_address("sndi-s", f"10.73.{octet}.2/30")
        yield server_ns, agent_ns, f"10.73.{octet}.1"
    finally:
        for ns in (agent_ns, server_ns):
            ns.delete()


def _stored(db_file: Path) -> Counter[str]:
    with sqlite3.connect(db_file) as conn:
        return Counter(r[0] for r in conn.execute("SELECT bundle_id FROM bundles"))


def _wait_listening(agent_ns, address: str, port: int) -> None:
    probe = (
        "import socket,sys,time\n"
        "end=time.time()+30\n"
        "while time.time()<end:\n"
        f"    try: socket.create_connection(('{address}',{port}),1).close(); sys.exit(0)\n"
        "    except OSError: time.sleep(0.1)\n"
        "sys.exit(1)\n"
    )
    assert agent_ns.exec([sys.executable, "-c", probe], check=False, timeout=40).returncode == 0


def test_link_cut_mid_upload(link, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from agent.enroll import set_toml_value
    from district import migrate, store
    from district.db import make_engine, sessions
    from lab.netns import stop_pid

    server_ns, agent_ns, address = link
    db_file = tmp_path / "district.db"
    engine = make_engine(f"sqlite:///{db_file}")
    migrate.upgrade(engine)
    key = Ed25519PrivateKey.generate()
    with sessions(engine)() as session:
        code = store.issue_enroll_code(session, "LC-1", "Trường Liên kết")
        token = store.redeem_code(session, code, public_b64(key)).token
    engine.dispose()

    config = tmp_path / "agent.toml"
    os.chmod(tmp_path, 0o755)
    # plain http between the test's own namespaces: allowed explicitly (the agent refuses it by default)
    text = '[school]\nid = "LC-1"\n[agent]\n[district]\nurl = ""\ntoken = ""\ntimeout_s = 2.0\nmax_attempts = 2\n'
    text += "insecure_http = true\n"
    text = set_toml_value(text, "agent", "state_dir", str(tmp_path / "state"))
    text = set_toml_value(text, "district", "url", f"http://{address}:8080")
    text = set_toml_value(text, "district", "token", token)
    config.write_text(text, encoding="utf-8")
    os.chmod(config, 0o600)
    spool = tmp_path / "state" / "spool"
    spool.mkdir(parents=True)
    ids = []
    for _ in range(120):
        bundle = make_bundle("LC-1", key=key, devices=8)
        (spool / f"{bundle['bundle_id']}.json").write_text(json.dumps(bundle), encoding="utf-8")
        ids.append(bundle["bundle_id"])

    server = server_ns.popen(
        [str(DISTRICT), "serve", "--bind", f"{address}:8080", "--db", f"sqlite:///{db_file}"],
        log=str(tmp_path / "server.log"),
    )
    try:
        _wait_listening(agent_ns, address, 8080)
        upload = agent_ns.popen([str(SCHOOLNET), "--config", str(config), "upload", "--insecure-http"],
                                log=str(tmp_path / "up1.log"))
        deadline = time.monotonic() + 60
        while sum(_stored(db_file).values()) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        agent_ns.ip("link", "set", "sndi-s", "down")  # the cable is pulled
        assert upload.wait(60) == 3  # some bundles still waiting: exit 3, nothing lost
        stored_first = set(_stored(db_file))
        assert 30 <= len(stored_first) < 120
        waiting = {p.name.removesuffix(".json") for p in spool.glob("*.json") if not p.name.endswith(".state.json")}
        assert set(ids) - stored_first <= waiting  # nothing lost: whatever the district lacks is still spooled
        assert len(waiting) <= 120 - len(stored_first) + 1  # at most the one in flight is both stored and spooled

        agent_ns.up("sndi-s")  # the link is back
        again = agent_ns.exec([str(SCHOOLNET), "--config", str(config), "upload", "--insecure-http"], check=False,
                              timeout=120)
        assert again.returncode == 0, again.stdout
    finally:
        stop_pid(server.pid)
    counts = _stored(db_file)
    assert set(counts) == set(ids) and max(counts.values()) == 1
    assert not [p for p in spool.glob("*.json") if not p.name.endswith(".state.json")]
