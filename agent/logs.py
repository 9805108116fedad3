"""Logging: structured records to journald under systemd, plain lines on stderr otherwise; secrets masked.

Call :func:`setup` once per process (the CLI or the run orchestrator). Modules log with
``logging.getLogger(__name__)``; extra journal fields go in ``extra={"fields": {"DEVICE_IP": ip}}`` and
fields for the whole run (``RUN_ID``, ``SCHOOL_ID``) are set with :func:`set_context`. Every field is
sent with the ``SCHOOLNET_`` prefix, so ``journalctl -u schoolnet-audit SCHOOLNET_RUN_ID=...`` works.

The journal is used when stderr is connected to it (``$JOURNAL_STREAM`` names stderr's device and inode,
as systemd sets it for a service) and the native socket exists, or when ``$SCHOOLNET_LOG=journal``.
The native protocol (``KEY=value`` lines, or ``KEY\\n<u64 length><value>\\n`` for values with newlines)
is written here directly: the python-systemd binding needs a C compiler and libsystemd headers.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import struct
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TextIO

JOURNAL_SOCKET = Path("/run/systemd/journal/socket")
IDENTIFIER = "schoolnet"
FIELD_PREFIX = "SCHOOLNET_"
MASK = "***"

_FIELD_OK = re.compile(r"^[A-Z0-9][A-Z0-9_]*$")
_context: dict[str, str] = {}
_context_lock = threading.Lock()

# syslog priorities (journal PRIORITY=) for Python levels
_PRIORITY = {logging.CRITICAL: 2, logging.ERROR: 3, logging.WARNING: 4, logging.INFO: 6, logging.DEBUG: 7}


def set_context(**fields: object) -> None:
    """Fields attached to every later record (e.g. ``set_context(run_id=..., school_id=...)``); None removes."""
    with _context_lock:
        for key, value in fields.items():
            name = field_name(key)
            if value is None:
                _context.pop(name, None)
            else:
                _context[name] = str(value)


def field_name(key: str) -> str:
    """A journal field name: upper case, ``SCHOOLNET_`` prefix, only A-Z 0-9 _."""
    name = re.sub(r"[^A-Z0-9_]", "_", key.upper()).lstrip("_")
    if not name.startswith(FIELD_PREFIX):
        name = FIELD_PREFIX + name
    return name


def priority(levelno: int) -> int:
    for level in sorted(_PRIORITY, reverse=True):
        if levelno >= level:
            return _PRIORITY[level]
    return 7


class Redactor(logging.Filter):
    """Replaces every known secret value in a record's message and fields with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.update(secrets)

    def update(self, secrets: Iterable[str]) -> None:
        # longest first, so a secret that contains another is masked whole
        self.secrets = sorted({s for s in [*self.secrets, *secrets] if s}, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = self.scrub(record.getMessage())
            record.msg, record.args = message, None
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = self.scrub(record.exc_text)
            fields = getattr(record, "fields", None)
            if isinstance(fields, Mapping):
                record.fields = {k: self.scrub(str(v)) for k, v in fields.items()}
        return True


def encode_journal(fields: Mapping[str, str]) -> bytes:
    """Serialize fields in the journal's native datagram format."""
    out = bytearray()
    for key, value in fields.items():
        if not _FIELD_OK.match(key):
            continue
        data = value.encode("utf-8", "replace")
        if b"\n" in data:
            out += key.encode() + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += key.encode() + b"=" + data + b"\n"
    return bytes(out)


class JournalHandler(logging.Handler):
    """Sends each record as one datagram to journald's native socket, with structured fields."""

    MAX_MESSAGE = 48 * 1024  # stay below the default datagram limit; longer text is cut with a note

    def __init__(self, socket_path: Path = JOURNAL_SOCKET, identifier: str = IDENTIFIER) -> None:
        super().__init__()
        self.socket_path = str(socket_path)
        self.identifier = identifier
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)

    def fields(self, record: logging.LogRecord) -> dict[str, str]:
        message = self.format(record)
        if len(message) > self.MAX_MESSAGE:
            message = message[: self.MAX_MESSAGE] + " … (cut)"
        fields = {
            "MESSAGE": message,
            "PRIORITY": str(priority(record.levelno)),
            "SYSLOG_IDENTIFIER": self.identifier,
            "CODE_FILE": record.pathname,
            "CODE_LINE": str(record.lineno),
            "CODE_FUNC": record.funcName,
            FIELD_PREFIX + "LOGGER": record.name,
        }
        with _context_lock:
            fields.update(_context)
        extra = getattr(record, "fields", None)
        if isinstance(extra, Mapping):
            fields.update({field_name(str(k)): str(v) for k, v in extra.items()})
        return fields

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.sock.sendto(encode_journal(self.fields(record)), self.socket_path)
        except Exception:
            self.handleError(record)

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            super().close()


class StderrFormatter(logging.Formatter):
    """``schoolnet: warning: text [KEY=value ...]`` for people and plain log files."""

    def format(self, record: logging.LogRecord) -> str:
        text = f"{IDENTIFIER}: {record.levelname.lower()}: {record.getMessage()}"
        extra = getattr(record, "fields", None)
        if isinstance(extra, Mapping) and extra:
            text += " [" + " ".join(f"{k}={v}" for k, v in extra.items()) + "]"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            text += "\n" + record.exc_text
        return text


def stderr_is_journal(env: Mapping[str, str] | None = None, stream: TextIO | None = None) -> bool:
    """True when stderr is systemd's journal stream ($JOURNAL_STREAM = stderr's ``device:inode``)."""
    env = os.environ if env is None else env
    value = env.get("JOURNAL_STREAM", "")
    if not value:
        return False
    try:
        dev, ino = (int(part) for part in value.split(":", 1))
        st = os.fstat((stream or sys.stderr).fileno())
    except (ValueError, OSError, AttributeError):
        return False
    return (st.st_dev, st.st_ino) == (dev, ino)


def use_journal(env: Mapping[str, str] | None = None, socket_path: Path = JOURNAL_SOCKET) -> bool:
    env = os.environ if env is None else env
    choice = env.get("SCHOOLNET_LOG", "auto")
    if choice == "stderr":
        return False
    if choice == "journal":
        return True
    return stderr_is_journal(env) and socket_path.exists()


_HANDLER_TAG = "_schoolnet_handler"


def setup(
    verbosity: int = 0,
    *,
    secrets: Iterable[str] = (),
    journal: bool | None = None,
    socket_path: Path = JOURNAL_SOCKET,
    stream: TextIO | None = None,
) -> logging.Handler:
    """Configure the root logger once (calling again replaces schoolnet's handler).

    ``verbosity``: -1 warnings and errors only, 0 info, 1 or more debug. ``secrets`` are masked in every
    record (pass ``config.secrets()``; :func:`add_secrets` adds more later).
    """
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_TAG, False)]:
        root.removeHandler(old)
        old.close()
    if journal is None:
        journal = use_journal(socket_path=socket_path)
    handler: logging.Handler
    if journal:
        handler = JournalHandler(socket_path)
        handler.setFormatter(logging.Formatter("%(message)s"))
    else:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(StderrFormatter())
    handler.addFilter(Redactor(secrets))
    setattr(handler, _HANDLER_TAG, True)
    root.addHandler(handler)
    level = logging.WARNING if verbosity < 0 else logging.INFO if verbosity == 0 else logging.DEBUG
    root.setLevel(level)
    # chatty libraries stay at warnings unless debugging twice (-vv)
    for name in ("scapy", "pysnmp", "asyncio", "urllib3", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG if verbosity >= 2 else logging.WARNING)
    return handler


def add_secrets(secrets: Iterable[str]) -> None:
    """Mask more secret values (e.g. after the config was loaded) in every schoolnet handler."""
    values = list(secrets)
    for handler in logging.getLogger().handlers:
        if getattr(handler, _HANDLER_TAG, False):
            for flt in handler.filters:
                if isinstance(flt, Redactor):
                    flt.update(values)


def context() -> dict[str, Any]:
    """A copy of the run-wide fields (for tests and status output)."""
    with _context_lock:
        return dict(_context)
