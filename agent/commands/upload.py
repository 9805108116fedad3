"""`schoolnet upload [--status] [BUNDLE ...]`: send spooled evidence to the district, or show what waits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from agent.errors import RuntimeFailure
from agent.options import Options

if TYPE_CHECKING:
    from agent.upload import SpoolEntry


@click.command(name="upload")
@click.argument("bundles", nargs=-1)
@click.option("--status", "show_status", is_flag=True, help="List the bundles waiting in the spool and why.")
@click.option(
    "--insecure-http", is_flag=True, help="Send the token over plain http to another machine (with a warning)."
)
@click.pass_obj
def cli(opts: Options, bundles: tuple[str, ...], show_status: bool, insecure_http: bool) -> None:
    """Send the bundles waiting in the spool to the district (all of them, or the BUNDLE ids/files given).

    A bundle leaves the spool only when the district acknowledges it. A bundle the district refused
    for good is kept and marked; name it explicitly to try it again.
    """
    from agent import upload
    from agent.progress import Progress

    config = opts.config()
    if show_status:
        _show(opts, upload.status(config))
        return
    ids: list[str] = []
    for item in bundles:
        path = Path(item)
        if item.endswith(".json") and path.is_file():
            import json

            upload.spool_bundle(config, path)
            ids.append(str(json.loads(path.read_bytes())["bundle_id"]))
        else:
            ids.append(item)
    progress = Progress(enabled=not opts.as_json and opts.verbosity >= 0)
    result = upload.flush(config, progress, ids or None, insecure_http=insecure_http)
    for warning in result.warnings:
        click.echo(warning, err=True)
    if opts.as_json:
        opts.emit_json(
            {
                "sent": result.sent,
                "rejected": [{"bundle_id": b, "reason": r} for b, r in result.rejected],
                "waiting": [{"bundle_id": b, "reason": r} for b, r in result.waiting],
            }
        )
    for bundle_id, reason in result.rejected:
        opts.info(opts.text(f"Bị từ chối: {bundle_id}: {reason}", f"Rejected: {bundle_id}: {reason}"))
    if result.ok:
        opts.info(opts.text(f"Đã gửi {len(result.sent)} gói chứng cứ.", f"Sent {len(result.sent)} bundle(s)."))
        return
    reason = result.waiting[0][1] if result.waiting else result.rejected[0][1]
    raise RuntimeFailure(
        opts.text(
            f"đã gửi {len(result.sent)}, bị từ chối {len(result.rejected)}, còn chờ {len(result.waiting)}: {reason}",
            f"sent {len(result.sent)}, rejected {len(result.rejected)}, waiting {len(result.waiting)}: {reason}",
        )
    )


def _show(opts: Options, entries: list[SpoolEntry]) -> None:
    if opts.as_json:
        opts.emit_json([e.jsonable() for e in entries])
        return
    if not entries:
        opts.info(opts.text("Hàng đợi trống: không có gói nào chờ gửi.", "The spool is empty: nothing waits."))
        return
    states = {
        "waiting": ("chờ gửi", "waiting"),
        "retrying": ("đang thử lại", "retrying"),
        "rejected": ("bị từ chối", "rejected"),
    }
    for e in entries:
        vi, en = states[e.state]
        why = f" — {e.last_error}" if e.last_error else ""
        click.echo(f"{e.bundle_id}  {opts.text(vi, en)}  {e.size} B  {e.queued_at}  x{e.attempts}{why}")
