"""Ed25519 signatures and bundle files: round trip, tamper detection, key handling, schema errors."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from agent import bundle_io, schema, signing
from agent.errors import UsageError
from agent.model import to_jsonable
from tests.assess.bundles import lab_bundle


def test_key_is_made_once_with_mode_0600(tmp_path: Path) -> None:
    path = tmp_path / "state" / "signing.key"
    key = signing.load_or_create_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = signing.load_or_create_key(path)
    assert signing.public_b64(key.public_key()) == signing.public_b64(again.public_key())
    os.chmod(path, 0o644)
    with pytest.raises(UsageError, match="chmod 600"):
        signing.load_key(path)
    bad = tmp_path / "bad.key"
    bad.write_text("not a key")
    os.chmod(bad, 0o600)
    with pytest.raises(UsageError, match="not a usable PEM"):
        signing.load_key(bad)


def test_sign_write_read_verify_round_trip(tmp_path: Path) -> None:
    bundle = lab_bundle(tmp_path / "k")
    assert bundle.signature is not None and bundle.signature.algorithm == "ed25519"
    assert signing.verify(bundle) == bundle.signature.key_id
    path = bundle_io.write_bundle(tmp_path / "out" / "evidence.json", bundle)
    raw = path.read_bytes()
    document = json.loads(raw)
    assert schema.validate(document) == []
    assert raw == signing.canonical(document)  # the file is canonical JSON ...
    assert hashlib.sha256(raw).hexdigest() == signing.digest(document)  # ... so sha256sum == the printed digest
    assert "Trường THCS Nguyễn Du".encode() in raw  # UTF-8, not \\u escapes
    again = bundle_io.read_bundle(path)
    assert again == bundle
    assert signing.verify(again) == signing.verify_document(document)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not list(path.parent.glob(".*.tmp"))


@pytest.mark.parametrize("mutate", [
    lambda d: d["school"].__setitem__("name", "Trường khác"),
    lambda d: d["findings"][0].__setitem__("status", "fail"),
    lambda d: d["devices"][0].__setitem__("max_port_capability_mbps", 100000),
    lambda d: d.__setitem__("warnings", []),
    lambda d: d["signature"].__setitem__("value", d["signature"]["value"][:-4] + "AAA="),
], ids=["school", "verdict", "device", "warnings", "signature"])
def test_any_change_breaks_the_signature(tmp_path: Path, mutate: object) -> None:
    document = to_jsonable(lab_bundle(tmp_path / "k"))
    signing.verify_document(document)
    mutate(document)  # type: ignore[operator]
    with pytest.raises(signing.SignatureError):
        signing.verify_document(document)


def test_other_keys_and_unsigned_bundles(tmp_path: Path) -> None:
    bundle = lab_bundle(tmp_path / "k1")
    other = signing.load_or_create_key(tmp_path / "k2")
    with pytest.raises(signing.SignatureError, match="different key"):
        signing.verify(bundle, trusted_key=signing.public_b64(other.public_key()))
    assert bundle.signature is not None
    assert signing.verify(bundle, trusted_key=bundle.signature.public_key)
    # a re-signed copy by another key with the first key's id is caught
    forged = signing.sign(replace(bundle, school=replace(bundle.school, name="X")), other)
    assert forged.signature is not None
    doc = to_jsonable(forged)
    doc["signature"]["key_id"] = bundle.signature.key_id
    with pytest.raises(signing.SignatureError, match="key_id"):
        signing.verify_document(doc)
    with pytest.raises(signing.SignatureError, match="not signed"):
        signing.verify(replace(bundle, signature=None))


def test_bad_files_give_one_line(tmp_path: Path) -> None:
    cases = {
        "missing.json": (None, "no such file"),
        "text.json": (b"hello", "not JSON (line 1, column 1"),
        "array.json": (b"[]", "expected a JSON object"),
        "latin1.json": ('{"a": "\xe9"}'.encode("latin-1"), "not UTF-8"),
        "schema.json": (b'{"bundle_id": 5}', "does not match the evidence schema"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        with pytest.raises(UsageError) as info:
            bundle_io.read_bundle(path)
        assert message in str(info.value) and "\n" not in str(info.value)
    doc = to_jsonable(lab_bundle(tmp_path / "k"))
    doc["devices"][0]["role"] = "toaster"
    doc["smuggled"] = 1
    path = tmp_path / "extra.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(UsageError, match=r"and \d+ more"):
        bundle_io.read_bundle(path)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    # no config: no enrolled key to check against (this machine's own key must not decide the test)
    return subprocess.run([sys.executable, "-m", "agent.cli", "--config", "/nonexistent/agent.toml", *args],
                          capture_output=True, text=True, timeout=60)


def test_verify_command(tmp_path: Path) -> None:
    path = bundle_io.write_bundle(tmp_path / "evidence.json", lab_bundle(tmp_path / "k"))
    ok = _cli("verify", str(path))
    assert ok.returncode == 0 and signing.digest(json.loads(path.read_bytes())) in ok.stdout
    assert len(ok.stdout.strip().splitlines()) == 1
    assert json.loads(_cli("--json", "verify", str(path)).stdout)["valid"] is True
    tampered = tmp_path / "tampered.json"
    tampered.write_bytes(path.read_bytes().replace("Nguyễn Du".encode(), b"Nguyen Du"))
    bad = _cli("verify", str(tampered))
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "changed after signing" in bad.stderr
    assert _cli("verify", str(tmp_path / "none.json")).returncode == 2
