"""Evidence bundle files: written atomically as canonical JSON, read back with schema validation.

A file written here is the canonical JSON of the whole bundle (see :mod:`agent.signing`), so
``sha256sum evidence.json`` equals the digest printed on every report page.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from agent import schema
from agent.errors import UsageError
from agent.files import atomic_write
from agent.model import EvidenceBundle, from_jsonable, to_jsonable
from agent.signing import canonical


def write_bundle(path: Path, bundle: EvidenceBundle) -> Path:
    """Write ``bundle`` to ``path`` atomically (temp file, fsync, rename); mode 0644 (no secrets inside)."""
    return atomic_write(Path(path), canonical(to_jsonable(bundle)), mode=0o644)


def read_document(path: Path) -> dict[str, Any]:
    """The raw JSON document of a bundle file, schema-checked; one-line UsageError on any fault."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{path}: is a directory, expected an evidence.json file") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(document, dict):
        raise UsageError(f"{path}: not an evidence bundle (expected a JSON object)")
    problems = schema.validate(document)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise UsageError(f"{path}: does not match the evidence schema: {problems[0]}{more}")
    return document


def parse_document(document: dict[str, Any], source: str = "<bundle>") -> EvidenceBundle:
    try:
        return from_jsonable(EvidenceBundle, document)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = "/".join(str(p) for p in err["loc"])
        raise UsageError(f"{source}: invalid bundle at {where}: {err['msg']}") from None


def read_bundle(path: Path) -> EvidenceBundle:
    """Read and validate a bundle file."""
    return parse_document(read_document(path), str(path))
