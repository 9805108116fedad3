"""`schoolnet verify BUNDLE`: check an evidence bundle's schema and signature (exit 0 or 2, one line)."""

from __future__ import annotations

from pathlib import Path

import click

from agent.options import Options


@click.command(name="verify")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--key", "trusted_key", default=None, help="Require this signer (base64 Ed25519 public key).")
@click.pass_obj
def cli(opts: Options, bundle: Path, trusted_key: str | None) -> None:
    """Check BUNDLE (an evidence.json) against the schema and its Ed25519 signature."""
    from agent import bundle_io, signing

    document = bundle_io.read_document(bundle)
    try:
        key_id = signing.verify_document(document, trusted_key)
    except signing.SignatureError as exc:
        raise signing.SignatureError(f"{bundle}: {exc}") from None
    bundle_io.parse_document(document, str(bundle))
    digest = signing.digest(document)
    if opts.as_json:
        opts.emit_json({"path": str(bundle), "valid": True, "key_id": key_id, "sha256": digest,
                        "bundle_id": document.get("bundle_id")})
        return
    click.echo(opts.text(f"Hợp lệ: {bundle} (chữ ký Ed25519 của khoá {key_id}, SHA-256 {digest})",
                         f"Valid: {bundle} (Ed25519 signature by key {key_id}, SHA-256 {digest})"))
