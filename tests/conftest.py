"""Shared test fixtures: paths to the shared recordings, and the root/namespace gate for lab tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest_plugins = ["tests.lab_fixture"]

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SCHOOLNET_SHARED", REPO.parent / "shared"))
RECORDINGS = SHARED / "recordings" / "librenms"


def lab_unavailable_reason() -> str | None:
    """Why lab tests cannot run here (None when they can)."""
    if os.geteuid() != 0:
        return "lab tests need root (network namespaces); run the test command as root"
    if shutil.which("ip") is None:
        return "lab tests need iproute2 (`ip`)"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = lab_unavailable_reason()
    if reason is None:
        return
    skip = pytest.mark.skip(reason=reason)
    for item in items:
        if "lab" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def recordings_dir() -> Path:
    if not (RECORDINGS / "labels.json").is_file():
        pytest.skip(f"shared recordings not found at {RECORDINGS} (set SCHOOLNET_SHARED)")
    return RECORDINGS
