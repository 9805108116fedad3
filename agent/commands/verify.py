"""`schoolnet verify BUNDLE`: check an evidence bundle's schema and signature (exit 0 or 2, one line)."""

from __future__ import annotations

from pathlib import Path

import click

from agent.options import Options


@click.command(name="verify")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--key", "trusted_key", default=None, metavar="PUBKEY_FILE",
              help="Require this signer: a PEM public key file (or the base64 key). Default: this school's key.")
@click.option("--strict", is_flag=True, help="Fail unless the bundle is checked against --key or an enrolled key.")
@click.pass_obj
def cli(opts: Options, bundle: Path, trusted_key: str | None, strict: bool) -> None:
    """Check BUNDLE (an evidence.json) against the schema and its Ed25519 signature."""
    from agent import bundle_io, signing, trust
    from agent.errors import UsageError

    document = bundle_io.read_document(bundle)
    pinned = trust.anchor(opts, trusted_key)
    try:
        key_id = signing.verify_document(document, pinned.key)
    except signing.SignatureError as exc:
        raise signing.SignatureError(f"{bundle}: {exc} ({pinned.describe('en')})") from None
    bundle_io.parse_document(document, str(bundle))
    digest = signing.digest(document)
    if strict and pinned.key is None:
        raise UsageError(f"{bundle}: {pinned.describe('en')}: give --key PUBKEY_FILE (--strict)")
    if opts.as_json:
        opts.emit_json({"path": str(bundle), "valid": True, "key_id": key_id, "sha256": digest,
                        "bundle_id": document.get("bundle_id"), "pinned": pinned.key is not None,
                        "checked_against": pinned.source or "bundle"})
        return
    click.echo(opts.text(f"Hợp lệ: {bundle} (chữ ký Ed25519 của khoá {key_id}, SHA-256 {digest}); "
                         f"{pinned.describe('vi')}",
                         f"Valid: {bundle} (Ed25519 signature by key {key_id}, SHA-256 {digest}); "
                         f"{pinned.describe('en')}"))
