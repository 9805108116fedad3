"""`schoolnet audit`: the whole audit, with a short summary; exit 1 when a criterion fails."""

from __future__ import annotations

import contextlib
from pathlib import Path

import click

from agent.errors import EXIT_FAILED_CRITERIA, EXIT_OK
from agent.model import Device
from agent.options import Options


@click.command(name="audit")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Write the run under DIR/<date-time>/ (default: <state_dir>/out).")
@click.option("--no-upload", is_flag=True, help="Spool the bundle but do not send it now.")
@click.option("--skip-bandwidth", is_flag=True, help="Do not measure bandwidth.")
@click.option("--scheduled", is_flag=True,
              help="The nightly timer's run: measure bandwidth only inside [bandwidth] window (default 22:00-05:00).")
@click.option("--skip-wifi", is_flag=True, help="Do not scan the air for Wi-Fi beacons.")
@click.option("--skip-discovery", is_flag=True, hidden=True, help="Do not scan the LAN (tests).")
@click.option("--format", "formats", multiple=True, type=click.Choice(["html", "pdf", "csv", "xlsx"]),
              help="Reports to write (default: html, pdf, csv). Repeatable.")
@click.pass_obj
def cli(opts: Options, out_dir: Path | None, no_upload: bool, skip_bandwidth: bool, scheduled: bool,
        skip_wifi: bool, skip_discovery: bool, formats: tuple[str, ...]) -> int:
    """Discover, inspect, scan Wi-Fi, measure bandwidth, assess, sign, report and upload.

    Writes <out>/<date-time>/ {evidence.json, report.html, report.pdf, inventory.csv}.
    Exit 0 when no criterion fails, 1 when one does, 2 for a config error, 3 for a runtime failure.
    """
    from agent.progress import NullProgress, Progress
    from agent.run import RunOptions, run_audit

    config = opts.config()
    progress = NullProgress() if opts.verbosity < 0 else Progress()
    options = RunOptions(out_dir=out_dir, upload=not no_upload, skip_bandwidth=skip_bandwidth,
                         scheduled=scheduled, skip_wifi=skip_wifi, skip_discovery=skip_discovery,
                         formats=formats or ("html", "pdf", "csv"), lang=opts.lang)
    lock: contextlib.AbstractContextManager[object] = contextlib.nullcontext()
    try:
        from agent.runlock import run_lock

        lock = run_lock(config.agent.state_dir, command="audit")
    except ImportError:
        pass
    with lock:
        result = run_audit(config, options, progress)
    bundle = result.bundle
    if opts.as_json:
        opts.emit_json({
            "run_dir": str(result.run_dir), "files": {k: str(v) for k, v in result.files.items()},
            "bundle_id": bundle.bundle_id, "failed": result.failed, "uploaded": result.uploaded,
            "devices": [_device_row(d) for d in bundle.devices],
            "overall": result.overall.value,
            "findings": [f for f in bundle.findings if f.subject == "school"],
            "warnings": [*bundle.warnings, *result.warnings],
        })
    else:
        _summary(opts, result)
    return EXIT_FAILED_CRITERIA if result.failed else EXIT_OK


def _device_row(device: Device) -> dict[str, object]:
    """The few fields of a device a person scans first (the bundle has everything)."""
    return {
        "ip": device.ip,
        "role": device.role.value,
        "vendor": device.vendor,
        "model": device.model,
        "max_port_speed_mbps": device.max_port_speed_mbps,
        "snmp_status": device.snmp_status,
    }


def _summary(opts: Options, result: object) -> None:
    from agent.findings_table import lines
    from agent.run import RunResult

    assert isinstance(result, RunResult)
    bundle = result.bundle
    lang = opts.lang
    opts.info("")
    opts.info(opts.text(f"Thiết bị ({len(bundle.devices)}):", f"Devices ({len(bundle.devices)}):"))
    for d in bundle.devices:
        row = _device_row(d)
        speed = f"{row['max_port_speed_mbps']} Mbit/s" if row["max_port_speed_mbps"] else "-"
        opts.info(f"  {d.ip:<15} {row['role']:<19} {row['vendor'] or '-':<12} {row['model'] or '-':<24} {speed:>12}"
                  f"  SNMP {d.snmp_status}")
    opts.info("")
    opts.info(opts.text(f"Kết quả ({bundle.criteria_profile}):", f"Result ({bundle.criteria_profile}):"))
    for line in lines(bundle.findings, bundle.criteria, lang):
        opts.info(line)
    for w in (*bundle.warnings, *result.warnings):
        opts.info(opts.text("  cảnh báo: ", "  warning: ") + w)
    opts.info(opts.text(f"Đã ghi: {result.run_dir}", f"Written: {result.run_dir}"))
    if result.uploaded:
        opts.info(opts.text(f"Gửi phòng GD: {result.uploaded}", f"District upload: {result.uploaded}"))
    if result.failed:
        opts.info(opts.text(f"Không đạt: {', '.join(result.failed)}", f"Failing: {', '.join(result.failed)}"))
