"""Which public key a bundle is checked against: ``--key FILE``, else this machine's enrolled key.

Without either, a signature only shows the bundle was not changed since someone signed it with the key inside
it; it does not show who signed it. Callers say so, and ``--strict`` makes that an error.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.errors import UsageError

if TYPE_CHECKING:
    from agent.options import Options


@dataclass(frozen=True)
class Anchor:
    """A trusted public key (raw, base64) and where it came from; ``key`` None = only the bundle's own key."""

    key: str | None
    source: str

    def describe(self, lang: str) -> str:
        if self.key is None:
            return ("valid for the key inside the bundle (not an enrolled key)" if lang == "en"
                    else "hợp lệ với khoá nằm trong hồ sơ (không phải khoá đã đăng ký)")
        return f"checked against {self.source}" if lang == "en" else f"kiểm tra với {self.source}"


def _raw_b64(public: Any) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode("ascii")


def read_key(text: str, where: str) -> str:
    """A public key given as a PEM public key, a PEM/raw private key file's public half, or base64 raw bytes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

    data = text.strip()
    if "BEGIN" in data:
        try:
            if "PRIVATE" in data:
                private = serialization.load_pem_private_key(data.encode(), password=None)
                if isinstance(private, Ed25519PrivateKey):
                    return _raw_b64(private.public_key())
            else:
                public = serialization.load_pem_public_key(data.encode())
                if isinstance(public, Ed25519PublicKey):
                    return _raw_b64(public)
        except ValueError:
            pass
        raise UsageError(f"{where}: not an Ed25519 key in PEM form")
    try:
        raw = base64.b64decode(data, validate=True)
    except ValueError:
        raise UsageError(f"{where}: not a public key (expected PEM or base64 of 32 raw bytes)") from None
    if len(raw) != 32:
        raise UsageError(f"{where}: not an Ed25519 public key (expected 32 bytes, got {len(raw)})")
    return data


def anchor(opts: Options, key: str | None) -> Anchor:
    """``--key`` (a file, or the base64 key itself), else the enrolled key of this machine's config, else none."""
    if key:
        path = Path(key)
        if path.is_file():
            try:
                return Anchor(read_key(path.read_text(encoding="utf-8"), str(path)), f"--key {path}")
            except (OSError, UnicodeDecodeError) as exc:
                raise UsageError(f"{path}: cannot read the key: {exc}") from None
        return Anchor(read_key(key, "--key"), "--key")
    from agent.errors import ConfigError

    try:
        config = opts.config()
    except ConfigError:
        return Anchor(None, "")
    path = config.agent.key_path
    if path.is_file():
        from agent import signing

        try:
            private = signing.load_key(path)
        except (UsageError, OSError):
            return Anchor(None, "")
        return Anchor(_raw_b64(private.public_key()), f"the enrolled key ({path})")
    return Anchor(None, "")
