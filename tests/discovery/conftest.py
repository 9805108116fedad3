"""Fixtures for the discovery tests: one snmpsim serving the shared recordings on loopback."""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.snmpsim import SnmpSim


def free_udp_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def snmpsim(recordings_dir: Path) -> Iterator[tuple[str, int]]:
    """(host, port) of a real snmpsim serving every recording (community / v3 context = file stem)."""
    port = free_udp_port()
    log = Path(tempfile.mkdtemp(prefix="schoolnet-disc-")) / "snmpsim.log"
    sim = SnmpSim(recordings_dir, (("127.0.0.1", port),), log_path=log)
    sim.start(ready_community="ciscosb")
    try:
        yield "127.0.0.1", port
    finally:
        sim.stop()
