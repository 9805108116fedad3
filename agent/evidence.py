"""Declared evidence: what a person states because no probe can measure it (ISP contract, firewall/UTM, ...).

Declarations come from the config's ``[evidence]`` table and from ``schoolnet evidence add``; the latter are
kept in ``<state_dir>/evidence/declarations.json`` and their attachments are copied to
``<state_dir>/evidence/files/`` under their SHA-256. The bundle carries each attachment's name, size and hash,
never its content; reports show declarations as declared, never as measured.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import mimetypes
import os
import re
import shutil
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from agent.errors import UsageError
from agent.model import Attachment, Declaration, from_jsonable, to_jsonable

if TYPE_CHECKING:
    from agent.config import Config

KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
KNOWN_KEYS = {
    "isp_contract_mbps": "ISP contract speed in Mbit/s (a number)",
    "isp_name": "the Internet provider",
    "security_solution": "the firewall/UTM or other network-security solution",
    "informatics_lab": "the computer lab used for Informatics",
    "notes": "anything else the district should read",
}
NUMERIC_KEYS = {"isp_contract_mbps"}


def evidence_dir(config: Config) -> Path:
    return config.agent.state_dir / "evidence"


def _store(config: Config) -> Path:
    return evidence_dir(config) / "declarations.json"


def sha256_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


def attachment_for(path: Path, description: str = "") -> Attachment:
    """Hash a file into an :class:`Attachment` (one-line UsageError when it cannot be read)."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file to attach")
    try:
        digest, size = sha256_file(path)
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    media = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return Attachment(name=path.name, sha256=digest, size=size, media_type=media, description=description)


def check_key_value(key: str, value: str) -> None:
    if not KEY_RE.match(key):
        raise UsageError(f"evidence key {key!r} must be lower-case letters, digits and '_' (e.g. security_solution)")
    if not value.strip():
        raise UsageError(f"evidence {key}: the value is empty")
    if key in NUMERIC_KEYS:
        try:
            number = float(value)
        except ValueError:
            raise UsageError(f"evidence {key}: {value!r} is not a number (Mbit/s, e.g. 1000)") from None
        if number <= 0:
            raise UsageError(f"evidence {key}: must be greater than 0")


def stored(config: Config) -> tuple[list[Declaration], list[Attachment]]:
    """The declarations and attachments added with `schoolnet evidence add`."""
    path = _store(config)
    if not path.is_file():
        return [], []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        decls = list(from_jsonable(tuple[Declaration, ...], data.get("declarations", [])))
        atts = list(from_jsonable(tuple[Attachment, ...], data.get("attachments", [])))
    except (ValueError, OSError, AttributeError) as exc:
        raise UsageError(f"{path}: unreadable evidence store ({type(exc).__name__}); fix or remove it") from None
    return decls, atts


def _save(config: Config, decls: list[Declaration], atts: list[Attachment]) -> None:
    path = _store(config)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"declarations": to_jsonable(decls), "attachments": to_jsonable(atts)},
                      ensure_ascii=False, indent=2)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".declarations.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    os.replace(tmp, path)


def add(config: Config, key: str, value: str, attach: list[Path], note: str = "") -> Declaration:
    """Declare ``key = value`` with attachments (copied beside the state, hashed into the bundle)."""
    check_key_value(key, value)
    new_atts = [attachment_for(p, description=key) for p in attach]
    files = evidence_dir(config) / "files"
    try:
        files.mkdir(parents=True, exist_ok=True)
        for src, att in zip(attach, new_atts, strict=True):
            target = files / f"{att.sha256[:16]}-{att.name}"
            if not target.exists():
                shutil.copyfile(src, target)
    except OSError as exc:
        raise UsageError(f"{files}: cannot store attachments: {exc.strerror}") from None
    decl = Declaration(key=key, value=value.strip(), note=note, attachments=tuple(a.sha256 for a in new_atts),
                       declared_by=_user(), declared_at=datetime.now(UTC).isoformat(timespec="seconds"))
    decls, atts = stored(config)
    decls = [d for d in decls if d.key != key] + [decl]
    known = {a.sha256 for a in atts}
    atts += [a for a in new_atts if a.sha256 not in known]
    _save(config, decls, atts)
    return decl


def remove(config: Config, key: str) -> bool:
    decls, atts = stored(config)
    kept = [d for d in decls if d.key != key]
    if len(kept) == len(decls):
        return False
    used = {h for d in kept for h in d.attachments}
    _save(config, kept, [a for a in atts if a.sha256 in used])
    return True


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def from_config(config: Config) -> tuple[list[Declaration], list[Attachment]]:
    """Declarations written in the config's [evidence] table."""
    ev = config.evidence
    atts = [attachment_for(p, description="config [evidence] attachments") for p in ev.attachments]
    hashes = tuple(a.sha256 for a in atts)
    decls: list[Declaration] = []
    if ev.isp_contract_mbps is not None:
        decls.append(Declaration("isp_contract_mbps", f"{ev.isp_contract_mbps:g}", note=ev.isp_name,
                                 declared_by="config"))
    if ev.isp_name:
        decls.append(Declaration("isp_name", ev.isp_name, declared_by="config"))
    if ev.security_solution:
        decls.append(Declaration("security_solution", ev.security_solution, declared_by="config"))
    if ev.notes:
        decls.append(Declaration("notes", ev.notes, declared_by="config"))
    if hashes:
        if decls:
            decls = [replace(d, attachments=hashes) if i == 0 else d for i, d in enumerate(decls)]
        else:
            decls.append(Declaration("notes", "attachments", attachments=hashes, declared_by="config"))
    return decls, atts


def collect(config: Config) -> tuple[tuple[Declaration, ...], tuple[Attachment, ...]]:
    """Everything declared: the config first, then `evidence add` entries (which win for the same key)."""
    c_decls, c_atts = from_config(config)
    s_decls, s_atts = stored(config)
    atts: dict[str, Attachment] = {}
    for a in (*c_atts, *s_atts):
        atts.setdefault(a.sha256, a)
    return (*c_decls, *s_decls), tuple(atts.values())
