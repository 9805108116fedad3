"""Checking a bundle's Ed25519 signature against the key a school enrolled.

All verification goes through :func:`check_signature`, which pins the school's enrolled key and
delegates the cryptography to :mod:`agent.signing` (the same canonical JSON the agent signs).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def decode_public_key(text: str) -> bytes:
    """A raw 32-byte Ed25519 public key from base64 (what the agent sends); ValueError if not one."""
    cleaned = text.strip()
    try:
        raw = base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not base64 (expected the raw 32-byte Ed25519 key in base64)") from None
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key has 32 bytes, this one has {len(raw)}")
    Ed25519PublicKey.from_public_bytes(raw)
    return raw


def key_id(raw: bytes) -> str:
    """A short, stable name for a public key (first 16 hex digits of its SHA-256, as agent.signing)."""
    return hashlib.sha256(raw).hexdigest()[:16]


def check_signature(document: dict[str, Any], enrolled_key: str) -> str | None:
    """None when ``document`` is signed by ``enrolled_key`` (base64 raw key); else the reason, one line."""
    from agent.signing import SignatureError, verify_document

    sig = document.get("signature")
    if isinstance(sig, dict):
        try:
            claimed = decode_public_key(str(sig.get("public_key", "")))
        except ValueError as exc:
            return f"signature.public_key: {exc}"
        enrolled = decode_public_key(enrolled_key)
        if claimed != enrolled:
            return (
                f"signed with key {key_id(claimed)}, but this school enrolled key {key_id(enrolled)} "
                "(re-enroll the agent if its key changed)"
            )
    try:
        verify_document(document, enrolled_key)
    except SignatureError as exc:
        return str(exc)
    return None
