"""Ed25519 signatures over evidence bundles (``cryptography``).

The signed bytes are the bundle's canonical JSON without its ``signature`` member: keys sorted, no
whitespace, UTF-8 (non-ASCII kept as is), no NaN/Infinity. A bundle is normalised (parsed back into the
model) before signing, so what is signed is exactly what a reader parses. The private key is a PKCS#8 PEM file
with mode 0600, made on first use (`schoolnet config init` or the first audit).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from agent.errors import RuntimeFailure, UsageError
from agent.model import EvidenceBundle, Signature, from_jsonable, to_jsonable

ALGORITHM: Final = "ed25519"


class SignatureError(UsageError):
    """A bundle's signature is missing, malformed or does not match its content."""


def canonical(document: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, no whitespace, UTF-8."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()


def signed_bytes(document: dict[str, Any]) -> bytes:
    """What the signature covers: the document without its ``signature`` member."""
    return canonical({k: v for k, v in document.items() if k != "signature"})


def digest(document: dict[str, Any]) -> str:
    """SHA-256 (hex) of the whole document's canonical JSON (equals ``sha256sum`` of a file we wrote)."""
    return hashlib.sha256(canonical(document)).hexdigest()


def key_id(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_b64(public: Ed25519PublicKey) -> str:
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at ``path``; a new one (mode 0600) when the file does not exist."""
    path = Path(path)
    if path.exists():
        return load_key(path)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.chmod(path, 0o600)
    except FileExistsError:  # another process made it first
        return load_key(path)
    except OSError as exc:
        raise RuntimeFailure(f"{path}: cannot write the signing key: {exc.strerror}") from None
    return key


def load_key(path: Path) -> Ed25519PrivateKey:
    """Load a private key, refusing one that group/others can read."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise UsageError(f"{path}: signing key is readable by group/others (mode {mode:04o}); fix: chmod 600 {path}")
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (ValueError, TypeError, OSError) as exc:
        raise UsageError(f"{path}: not a usable PEM private key ({type(exc).__name__})") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: not an Ed25519 private key")
    return key


def normalise(bundle: EvidenceBundle) -> EvidenceBundle:
    """The bundle as a reader will parse it (e.g. ints in float fields become floats)."""
    return from_jsonable(EvidenceBundle, to_jsonable(bundle))


def sign(bundle: EvidenceBundle, key: Ed25519PrivateKey) -> EvidenceBundle:
    """A copy of ``bundle`` carrying an Ed25519 signature over its canonical JSON."""
    bundle = normalise(replace(bundle, signature=None))
    document = to_jsonable(bundle)
    value = key.sign(signed_bytes(document))
    public = key.public_key()
    signature = Signature(algorithm=ALGORITHM, key_id=key_id(public), public_key=public_b64(public),
                          value=base64.b64encode(value).decode("ascii"))
    return replace(bundle, signature=signature)


def verify_document(document: dict[str, Any], trusted_key: str | None = None) -> str:
    """Check the signature of a raw bundle document; return the signer's key id or raise SignatureError.

    ``trusted_key`` (base64 raw public key) pins the signer; without it the embedded key is used, which proves
    integrity but not who signed (the district pins each school's key at enrollment).
    """
    sig = document.get("signature")
    if not isinstance(sig, dict):
        raise SignatureError("bundle is not signed")
    if sig.get("algorithm") != ALGORITHM:
        raise SignatureError(f"unsupported signature algorithm {sig.get('algorithm')!r}")
    embedded = str(sig.get("public_key", ""))
    if trusted_key is not None and embedded != trusted_key:
        raise SignatureError("signed by a different key than the one enrolled for this school")
    try:
        public = Ed25519PublicKey.from_public_bytes(base64.b64decode(embedded, validate=True))
        value = base64.b64decode(str(sig.get("value", "")), validate=True)
    except ValueError:
        raise SignatureError("signature or public key is not valid base64 Ed25519 data") from None
    if sig.get("key_id") != key_id(public):
        raise SignatureError("key_id does not match the public key")
    try:
        public.verify(value, signed_bytes(document))
    except InvalidSignature:
        raise SignatureError("signature does not match the content (the bundle was changed after signing)") from None
    return key_id(public)


def verify(bundle: EvidenceBundle, trusted_key: str | None = None) -> str:
    """Check a parsed bundle's signature (see :func:`verify_document`)."""
    return verify_document(to_jsonable(bundle), trusted_key)
