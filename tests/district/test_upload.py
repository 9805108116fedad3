"""The agent's side: enrollment into the config file, the spool, flush and `schoolnet upload`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from agent import upload
from agent.enroll import enroll, set_toml_value
from agent.errors import RuntimeFailure, UsageError
from agent.progress import NullProgress
from tests.district.bundles import make_bundle
from tests.district.conftest import Server, agent_config, free_port, run_cli

SCHOOLNET = Path(sys.executable).parent / "schoolnet"


def _config_file(tmp_path: Path, school_id: str = "") -> Path:
    path = tmp_path / "agent.toml"
    subprocess.run(
        [str(SCHOOLNET), "config", "init", str(path), "--school-id", school_id], check=True, capture_output=True
    )
    text = set_toml_value(path.read_text(encoding="utf-8"), "agent", "state_dir", str(tmp_path / "state"))
    path.write_text(text, encoding="utf-8")
    return path


def test_set_toml_value_keeps_comments() -> None:
    text = '# top\n[district]\nurl = ""   # the district\ntoken = "" # secret\n\n[scan]\nsubnets = []\n'
    out = set_toml_value(set_toml_value(text, "district", "token", 'a"b'), "school", "id", "S1")
    assert 'token = "a\\"b" # secret' in out and "# the district" in out and "# top" in out
    import tomllib

    data = tomllib.loads(out)
    assert data["district"]["token"] == 'a"b' and data["school"]["id"] == "S1" and data["scan"]["subnets"] == []


def test_enroll_writes_the_token_into_the_config(sqlite_server: Server, tmp_path: Path) -> None:
    path = _config_file(tmp_path)
    code = run_cli("enroll", "EN-1", "--name", "Trường THPT Trần Phú", db=sqlite_server.db).stdout.strip()
    result = enroll(path, sqlite_server.url + "/", code)
    assert result.school_id == "EN-1" and result.school_name == "Trường THPT Trần Phú"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text(encoding="utf-8")
    assert "# upload token (secret" in text and "[snmp.credentials]" in text  # the template's comments stay
    from agent.config import load

    config = load(path)
    assert config.district.token.startswith("sntok_") and config.district.url == sqlite_server.url
    assert config.school.id == "EN-1"
    key_file = config.agent.key_path
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    # the token works, and the district holds this agent's key
    bundle = make_bundle("EN-1", key=_load_key(key_file))
    upload.spool_bundle(config, bundle)
    assert upload.flush(config, NullProgress()).sent == [bundle["bundle_id"]]
    # the code was one-time
    with pytest.raises(UsageError, match="HTTP 403"):
        enroll(path, sqlite_server.url, code)


def _load_key(path: Path):
    from agent.signing import load_key

    return load_key(path)


def test_enroll_failures_are_one_line(sqlite_server: Server, tmp_path: Path) -> None:
    path = _config_file(tmp_path, school_id="EN-X")
    with pytest.raises(UsageError, match="not an http"):
        enroll(path, "ftp://district", "ABCD")
    with pytest.raises(RuntimeFailure, match="cannot reach"):
        enroll(path, f"http://127.0.0.1:{free_port()}", "ABCD-EFGH")
    code = run_cli("enroll", "EN-2", "--name", "Trường B", db=sqlite_server.db).stdout.strip()
    with pytest.raises(UsageError, match="for school EN-2, not EN-X"):
        enroll(path, sqlite_server.url, code)
    assert "sntok_" not in path.read_text(encoding="utf-8")


def test_flush_sends_and_keeps_rejections_with_reason(sqlite_server: Server, tmp_path: Path) -> None:
    token, key = sqlite_server.enroll("SP-1")
    config = agent_config(tmp_path, sqlite_server.url, token, "SP-1")
    good = [make_bundle("SP-1", key=key, finished_at=f"2026-11-0{i}T08:30:00Z") for i in range(1, 5)]
    foreign = make_bundle("SP-9", key=key)
    for bundle in [*good, foreign]:
        upload.spool_bundle(config, bundle)
    assert stat.S_IMODE(upload.spool(config).bundle_path(foreign["bundle_id"]).stat().st_mode) == 0o600
    assert {e.state for e in upload.status(config)} == {"waiting"}

    result = upload.flush(config, NullProgress(), base_delay=0.01)
    assert sorted(result.sent) == sorted(b["bundle_id"] for b in good)
    assert [b for b, _ in result.rejected] == [foreign["bundle_id"]]
    waiting = upload.status(config)
    assert [e.bundle_id for e in waiting] == [foreign["bundle_id"]]
    assert waiting[0].state == "rejected" and "HTTP 403" in (waiting[0].last_error or "")
    assert waiting[0].attempts == 1

    again = upload.flush(config, NullProgress(), base_delay=0.01)  # a refused bundle is not retried forever
    assert again.sent == [] and again.rejected == [] and upload.status(config)[0].attempts == 1
    named = upload.flush(config, NullProgress(), [foreign["bundle_id"]], base_delay=0.01)
    assert named.rejected and upload.status(config)[0].attempts == 2

    school = httpx.get(sqlite_server.url + "/api/v1/schools/SP-1", headers=sqlite_server.staff_auth()).json()
    assert school["bundle_count"] == 4


def test_unreachable_district_keeps_everything(tmp_path: Path) -> None:
    config = agent_config(tmp_path, f"http://127.0.0.1:{free_port()}", "sntok_x", "S", max_attempts=3)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    for _ in range(3):
        upload.spool_bundle(config, make_bundle("S", key=key))
    delays: list[float] = []
    result = upload.flush(config, NullProgress(), base_delay=0.5, max_delay=4, sleep=delays.append)
    assert result.sent == [] and len(result.waiting) == 3
    assert all("cannot connect" in reason for _, reason in result.waiting)
    assert len(delays) == 2 and 0.25 <= delays[0] <= 0.5 and 0.5 <= delays[1] <= 1.0  # exponential, jittered
    entries = upload.status(config)
    assert len(entries) == 3 and entries[0].attempts == 3 and entries[0].state == "retrying"


def test_schoolnet_upload_command(sqlite_server: Server, tmp_path: Path) -> None:
    token, key = sqlite_server.enroll("CLI-1")
    path = _config_file(tmp_path, school_id="CLI-1")
    text = set_toml_value(path.read_text(encoding="utf-8"), "district", "url", sqlite_server.url)
    text = set_toml_value(text, "district", "token", token)
    text = set_toml_value(text, "agent", "spool_dir", str(tmp_path / "spool"))
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    evidence = tmp_path / "evidence.json"
    bundle = make_bundle("CLI-1", key=key)
    evidence.write_text(json.dumps(bundle), encoding="utf-8")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(SCHOOLNET), "--config", str(path), *args], capture_output=True, text=True, timeout=60
        )

    empty = run("upload", "--status")
    assert empty.returncode == 0 and "trống" in empty.stderr
    sent = run("--json", "upload", str(evidence))
    assert sent.returncode == 0, sent.stderr
    assert json.loads(sent.stdout)["sent"] == [bundle["bundle_id"]]
    assert token not in sent.stdout + sent.stderr
    listed = run("--json", "upload", "--status")
    assert json.loads(listed.stdout) == []
    missing = run("upload", "no-such-bundle")
    assert missing.returncode == 2 and "not in the spool" in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1


def test_config_init_enroll_from_the_command_line(sqlite_server: Server, tmp_path: Path) -> None:
    """`schoolnet config init --enroll URL CODE`: a new config, its key and the token, in one command."""
    import subprocess
    import sys

    target = tmp_path / "agent.toml"
    state = tmp_path / "state"
    code = run_cli("enroll", "EN-CLI", "--name", "Trường Tiểu học Lê Lợi", db=sqlite_server.db).stdout.strip()
    proc = subprocess.run(
        [sys.executable, "-m", "agent.cli", "config", "init", str(target), "--school-id", "EN-CLI",
         "--state-dir", str(state), "--enroll", sqlite_server.url, code],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "EN-CLI" in proc.stderr and "sntok_" not in proc.stderr + proc.stdout
    from agent.config import load

    config = load(target)
    assert config.district.token.startswith("sntok_") and config.district.url == sqlite_server.url
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and (state / "signing.key").is_file()
    again = subprocess.run(
        [sys.executable, "-m", "agent.cli", "config", "init", str(target), "--enroll", sqlite_server.url, code],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert again.returncode == 2 and "HTTP 403" in again.stderr and len(again.stderr.strip().splitlines()) == 1


def test_bundles_spooled_before_a_key_rotation_are_retried_after_re_enrolment(
    sqlite_server: Server, tmp_path: Path
) -> None:
    """12.4: the agent's key changes at re-enrolment; what it spooled (and was refused) before goes through."""
    path = _config_file(tmp_path, school_id="ROT-1")
    code = run_cli("enroll", "ROT-1", "--name", "Trường THCS Xoay Khoá", db=sqlite_server.db).stdout.strip()
    enroll(path, sqlite_server.url, code)
    from agent.config import load

    config = load(path)
    old_key = _load_key(config.agent.key_path)
    before = make_bundle("ROT-1", key=old_key)
    upload.spool_bundle(config, before)
    store = upload.spool(config)
    state = store.read_state(before["bundle_id"])
    store.write_state(before["bundle_id"], {**state, "rejected": True, "attempts": 1, "last_error": "HTTP 422: x"})
    assert upload.flush(config, NullProgress()).sent == []  # a refused bundle waits for a reason to retry

    config.agent.key_path.unlink()  # the machine was reinstalled: a new key, a new code
    code = run_cli("enroll", "ROT-1", "--name", "Trường THCS Xoay Khoá", db=sqlite_server.db).stdout.strip()
    done = enroll(path, sqlite_server.url, code)
    assert done.retried == 1 and done.warning is None
    config = load(path)
    assert _load_key(config.agent.key_path).public_key() != old_key.public_key()
    result = upload.flush(config, NullProgress())
    assert result.sent == [before["bundle_id"]], result
    listed = httpx.get(sqlite_server.url + "/api/v1/schools/ROT-1/bundles", headers=sqlite_server.staff_auth())
    assert [b["bundle_id"] for b in listed.json()] == [before["bundle_id"]]


def test_upload_refuses_plain_http_to_another_machine(tmp_path: Path) -> None:
    path = _config_file(tmp_path, school_id="PH-1")
    text = set_toml_value(path.read_text(encoding="utf-8"), "district", "url", "http://192.0.2.10:8080")
    text = set_toml_value(text, "district", "token", "sntok_not-sent")
    path.write_text(text, encoding="utf-8")
    os.chmod(path, 0o600)
    refused = subprocess.run(
        [str(SCHOOLNET), "--config", str(path), "upload"], capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2 and "--insecure-http" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and "sntok_" not in refused.stderr
    code_refused = subprocess.run(
        [str(SCHOOLNET), "config", "init", str(path), "--enroll", "http://192.0.2.10:8080", "ABCD-EFGH"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert code_refused.returncode == 2 and "plain http" in code_refused.stderr
