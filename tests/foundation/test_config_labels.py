"""Credential labels are stable across processes (not Python's salted ``hash()``) and never show the secret."""

from __future__ import annotations

import os
import subprocess
import sys

from agent.config import SnmpCredential, community_digest

LABEL = (
    "from agent.config import SnmpCredential\n"
    "print(SnmpCredential(version='2c', community='truong-thcs-2024').label)\n"
)


def _label_in_process(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    proc = subprocess.run([sys.executable, "-c", LABEL], capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def test_the_same_community_gets_the_same_label_in_every_process() -> None:
    labels = {_label_in_process(seed) for seed in ("0", "1", "12345", "random")}
    assert len(labels) == 1
    (label,) = labels
    assert label == f"v2c community #{community_digest('truong-thcs-2024')}"
    assert label == SnmpCredential(version="2c", community="truong-thcs-2024").label


def test_labels_tell_communities_apart_and_hide_them() -> None:
    a = SnmpCredential(version="2c", community="public-school-a").label
    b = SnmpCredential(version="1", community="public-school-b").label
    assert a != b
    assert "public-school" not in a + b
    digest = community_digest("public-school-a")
    assert len(digest) == 4 and int(digest, 16) >= 0  # 16 bits: tells a few apart, too short to confirm a guess


def test_v3_label_names_the_user_and_level_not_the_keys() -> None:
    cred = SnmpCredential(version="3", user="audit", auth_protocol="SHA256", auth_key="secret-auth-key",
                          priv_protocol="AES128", priv_key="secret-priv-key")
    assert cred.label == "v3 user audit (authPriv)"
    assert "secret" not in cred.label
