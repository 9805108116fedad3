"""schemathesis over the published OpenAPI: whatever it sends, the server never answers 5xx.

Runs the schemathesis CLI (its pytest plugin does not load under this pytest) against a live server:
every operation with a staff account, and the upload with a school's bearer token.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.district.conftest import STAFF_PASSWORD, STAFF_USER, Server

ST = Path(sys.executable).parent / "st"


@pytest.fixture(scope="module")
def fuzz_server(server: Server) -> Server:
    """The module's server, on SQLite and on PostgreSQL (conftest's ``server`` fixture)."""
    return server


def _run(server: Server, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    if not ST.exists():
        pytest.skip("the schemathesis CLI is not installed")
    cmd = [
        str(ST),
        "run",
        server.url + "/openapi.json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        "15",
        "--seed",
        "1",
        "--workers",
        "2",
        "--request-timeout",
        "30",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=240)


def test_no_server_errors_as_staff(fuzz_server: Server, tmp_path: Path) -> None:
    result = _run(fuzz_server, tmp_path, "--auth", f"{STAFF_USER}:{STAFF_PASSWORD}")
    assert result.returncode == 0, result.stdout[-4000:]
    assert _junit(tmp_path) >= 8  # every API operation was exercised


def _junit(directory: Path) -> int:
    """How many operations the run tested (and that none failed)."""
    import xml.etree.ElementTree as ET

    (report,) = directory.glob("junit-*.xml")
    suite = ET.parse(report).getroot()
    assert suite.get("failures") == "0" and suite.get("errors") == "0"
    return int(suite.get("tests", "0"))


def test_no_server_errors_on_upload_with_a_token(fuzz_server: Server, tmp_path: Path) -> None:
    token, _key = fuzz_server.enroll(f"FZ-{tmp_path.name[-8:]}")
    result = _run(
        fuzz_server,
        tmp_path,
        "-H",
        f"Authorization: Bearer {token}",
        "--include-path",
        "/api/v1/bundles",
        "--include-method",
        "POST",
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert _junit(tmp_path) >= 1


def test_openapi_is_published(fuzz_server: Server) -> None:
    spec = httpx.get(fuzz_server.url + "/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "bearer" in spec["components"]["securitySchemes"]
    assert spec["paths"]["/api/v1/bundles"]["post"]["responses"]["409"]["description"] == "Conflict"
