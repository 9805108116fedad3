"""Logging: the journal's native protocol over a real datagram socket, stderr otherwise, secrets masked."""

from __future__ import annotations

import io
import logging
import os
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent import logs

SECRET = "s3cret-community-Xy9"


def parse_datagram(data: bytes) -> dict[str, str]:
    """Decode the journal native format (KEY=value lines and KEY\\n<u64 le><bytes>\\n blocks)."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(data):
        nl = data.index(b"\n", i)
        line = data[i:nl]
        if b"=" in line:
            key, value = line.split(b"=", 1)
            fields[key.decode()] = value.decode()
            i = nl + 1
        else:
            (size,) = struct.unpack("<Q", data[nl + 1 : nl + 9])
            fields[line.decode()] = data[nl + 9 : nl + 9 + size].decode()
            assert data[nl + 9 + size : nl + 10 + size] == b"\n"
            i = nl + 10 + size
    return fields


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[tuple[Path, socket.socket]]:
    path = tmp_path / "journal.socket"
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(str(path))
    sock.settimeout(5)
    yield path, sock
    sock.close()
    logs.setup(0, journal=False)
    logs.set_context(run_id=None, school_id=None)


def test_records_reach_the_journal_socket_with_fields(journal: tuple[Path, socket.socket]) -> None:
    path, sock = journal
    logs.setup(0, secrets=[SECRET], journal=True, socket_path=path)
    logs.set_context(run_id="2026-11-24T01:23:45Z-ab12", school_id="79000001")
    log = logging.getLogger("probes.discovery")
    log.warning("device %s rejected community %s", "10.74.0.2", SECRET, extra={"fields": {"device_ip": "10.74.0.2"}})
    fields = parse_datagram(sock.recv(65536))
    assert fields["MESSAGE"] == "device 10.74.0.2 rejected community ***"
    assert fields["PRIORITY"] == "4"
    assert fields["SYSLOG_IDENTIFIER"] == "schoolnet"
    assert fields["SCHOOLNET_RUN_ID"] == "2026-11-24T01:23:45Z-ab12"
    assert fields["SCHOOLNET_SCHOOL_ID"] == "79000001"
    assert fields["SCHOOLNET_DEVICE_IP"] == "10.74.0.2"
    assert fields["SCHOOLNET_LOGGER"] == "probes.discovery"
    assert fields["CODE_FUNC"] == "test_records_reach_the_journal_socket_with_fields"
    log.debug("not at info level")
    log.error("two\nlines with %s", SECRET)
    fields = parse_datagram(sock.recv(65536))  # the debug record was never sent
    assert fields["MESSAGE"] == "two\nlines with ***" and fields["PRIORITY"] == "3"


def test_exception_text_is_masked_too(journal: tuple[Path, socket.socket]) -> None:
    path, sock = journal
    logs.setup(0, journal=True, socket_path=path)
    logs.add_secrets([SECRET])
    try:
        raise ValueError(f"auth failed for {SECRET}")
    except ValueError:
        logging.getLogger("agent.run").exception("inspection failed")
    message = parse_datagram(sock.recv(65536))["MESSAGE"]
    assert "inspection failed" in message and "ValueError: auth failed for ***" in message
    assert SECRET not in message


def test_stderr_lines_when_not_under_systemd() -> None:
    stream = io.StringIO()
    logs.setup(-1, secrets=[SECRET], journal=False, stream=stream)
    try:
        log = logging.getLogger("agent.upload")
        log.info("hidden at -q")
        log.warning("token %s refused", SECRET, extra={"fields": {"bundle": "b1"}})
    finally:
        logs.setup(0, journal=False)
    assert stream.getvalue() == "schoolnet: warning: token *** refused [bundle=b1]\n"


def test_journal_detection_follows_journal_stream(tmp_path: Path) -> None:
    """$JOURNAL_STREAM must name stderr itself (a child with another stderr must not log to the journal)."""
    err = tmp_path / "stderr.txt"
    code = "import sys; from agent.logs import stderr_is_journal; print(stderr_is_journal())"
    with err.open("w") as handle:
        st = os.fstat(handle.fileno())
        env = {**os.environ, "JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}
        same = subprocess.run([sys.executable, "-c", code], stderr=handle, env=env, capture_output=False,
                              stdout=subprocess.PIPE, text=True, check=True)  # fmt: skip
    other = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert same.stdout.strip() == "True" and other.stdout.strip() == "False"
    assert logs.use_journal({"SCHOOLNET_LOG": "journal"}) is True
    assert logs.use_journal({"SCHOOLNET_LOG": "stderr", "JOURNAL_STREAM": "1:2"}) is False


def test_field_names_are_journal_safe() -> None:
    assert logs.field_name("device-ip") == "SCHOOLNET_DEVICE_IP"
    assert logs.field_name("_private") == "SCHOOLNET_PRIVATE"
    assert logs.encode_journal({"bad key": "x", "GOOD": "y"}) == b"GOOD=y\n"
