"""Secrets of the collector: upload tokens, enrollment codes and staff passwords, all stored hashed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import cache

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def new_token() -> str:
    """An upload token (256 random bits). Only its SHA-256 is stored; it is high-entropy, so no slow hash."""
    return "sntok_" + secrets.token_urlsafe(32)


def new_enroll_code() -> str:
    """A one-time enrollment code like ``K7QM-2XHD-9PRA-W4NE`` (80 random bits)."""
    chars = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def hash_password(password: str) -> str:
    """scrypt (hashlib) with a random salt, encoded with its parameters."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
        digest = hashlib.scrypt(
            password.encode("utf-8"), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected), maxmem=2**26
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


@cache
def dummy_hash() -> str:
    """A password hash made once, checked when a username is unknown (so it costs one scrypt, like a known one)."""
    return hash_password(secrets.token_urlsafe(16))
