"""`schoolnet report BUNDLE`: render an evidence bundle as HTML, PDF, CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from agent.errors import UsageError
from agent.options import Options

SUFFIX = {"html": "report.html", "pdf": "report.pdf", "csv": "inventory.csv", "xlsx": "inventory.xlsx"}


@click.command(name="report")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["html", "pdf", "csv", "xlsx"]), default="html",
              show_default=True, help="Output format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Output file ('-' = stdout for html/csv; default: beside BUNDLE, e.g. report.html).")
@click.option("--no-verify", is_flag=True, help="Render even when the signature does not verify (marked unsigned).")
@click.option("--key", "trusted_key", default=None, metavar="PUBKEY_FILE",
              help="Check the signature against this key (default: this school's key, else the bundle's own).")
@click.pass_obj
def cli(opts: Options, bundle: Path, fmt: str, output: Path | None, no_verify: bool, trusted_key: str | None) -> None:
    """Render BUNDLE (an evidence.json). Vietnamese by default; `schoolnet --lang en report ...` for English."""
    from dataclasses import replace

    from agent import bundle_io, signing, trust
    from reports import render

    document = bundle_io.read_document(bundle)
    parsed = bundle_io.parse_document(document, str(bundle))
    pinned = trust.anchor(opts, trusted_key)
    try:
        signing.verify_document(document, pinned.key)
        opts.info(opts.text(f"Chữ ký: {pinned.describe('vi')}", f"Signature: {pinned.describe('en')}"))
    except signing.SignatureError as exc:
        if not no_verify:
            raise UsageError(f"{bundle}: {exc} (use --no-verify to render it anyway, marked unsigned)") from None
        parsed = replace(parsed, signature=None)
    digest = signing.digest(document)
    lang = opts.lang
    if output is not None and str(output) == "-":
        if fmt in ("pdf", "xlsx"):
            raise UsageError(f"--format {fmt} cannot be written to stdout; give -o FILE")
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            target = render(parsed, fmt, lang, Path(tmp) / SUFFIX[fmt], digest)
            sys.stdout.write(target.read_text(encoding="utf-8-sig"))
        return
    target = output or bundle.with_name(SUFFIX[fmt] if fmt != "html" or lang == "vi" else "report.en.html")
    if output is None and fmt == "pdf" and lang == "en":
        target = bundle.with_name("report.en.pdf")
    try:
        render(parsed, fmt, lang, target, digest)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror}") from None
    if opts.as_json:
        opts.emit_json({"path": str(target), "format": fmt, "lang": lang, "sha256": digest})
    else:
        opts.info(opts.text(f"Đã ghi {target}", f"Wrote {target}"))
