"""`schoolnet assess BUNDLE`: re-assess a bundle's inputs offline with the same core the district runs."""

from __future__ import annotations

from pathlib import Path

import click

from agent.errors import EXIT_FAILED_CRITERIA, EXIT_OK
from agent.options import Options


@click.command(name="assess")
@click.argument("bundle", type=click.Path(path_type=Path))
@click.option("--profile", default=None, metavar="NAME|FILE",
              help="Criteria profile (default: the config's agent.criteria_profile, else hcmc-956-2024).")
@click.option("--key", "trusted_key", default=None, metavar="PUBKEY_FILE", help="Check the signature against this key.")
@click.pass_obj
def cli(opts: Options, bundle: Path, profile: str | None, trusted_key: str | None) -> int:
    """Judge BUNDLE's inputs (devices, air, measurements, declarations) again; its own findings are ignored.

    A bad or foreign signature is reported, and the inputs are still assessed. Exit 1 when a criterion fails.
    """
    import assessment
    from agent import bundle_io, signing, trust
    from agent.catalogs import shipped
    from agent.errors import ConfigError
    from agent.findings_table import lines

    document = bundle_io.read_document(bundle)
    parsed = bundle_io.parse_document(document, str(bundle))
    pinned = trust.anchor(opts, trusted_key)
    try:
        signing.verify_document(document, pinned.key)
        signature = pinned.describe(opts.lang)
        signed = True
    except signing.SignatureError as exc:
        signature = opts.text(f"chữ ký KHÔNG hợp lệ: {exc}", f"signature NOT valid: {exc}")
        signed = False
    if profile is None:
        try:
            profile = opts.config().agent.criteria_profile
        except ConfigError:
            profile = "hcmc-956-2024"
    rules = assessment.load(profile)
    result = assessment.assess(assessment.Inputs.of(parsed), rules, shipped())
    claimed = {f.criterion_id: f.status.value for f in assessment.school_findings(parsed.findings)}
    differ = [{"criterion_id": f.criterion_id, "school_status": claimed[f.criterion_id],
               "assessed_status": f.status.value} for f in assessment.school_findings(result.findings)
              if f.criterion_id in claimed and claimed[f.criterion_id] != f.status.value]
    if opts.as_json:
        opts.emit_json({"bundle": str(bundle), "bundle_id": parsed.bundle_id, "profile": result.profile,
                        "signature": {"valid": signed, "pinned": pinned.key is not None, "text": signature},
                        "overall": result.overall.value, "failed": list(result.failed),
                        "passes_by_provenance": result.passes_by_provenance,
                        "findings": list(result.findings), "differs_from_bundle": differ})
    else:
        opts.info(opts.text(f"Hồ sơ {parsed.bundle_id} ({parsed.school.id} {parsed.school.name}); {signature}",
                            f"Bundle {parsed.bundle_id} ({parsed.school.id} {parsed.school.name}); {signature}"))
        opts.info(opts.text(f"Đánh giá lại với {result.profile}:", f"Re-assessed with {result.profile}:"))
        for line in lines(result.findings, rules.criteria(), opts.lang):
            opts.info(line)
        for d in differ:
            opts.info(opts.text(f"  khác hồ sơ: {d['criterion_id']}: hồ sơ ghi {d['school_status']}, "
                                f"đánh giá lại {d['assessed_status']}",
                                f"  differs from the bundle: {d['criterion_id']}: bundle says {d['school_status']}, "
                                f"re-assessed {d['assessed_status']}"))
    return EXIT_FAILED_CRITERIA if result.failed else EXIT_OK
