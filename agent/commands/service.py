"""`schoolnet service install | uninstall | status`: the nightly systemd units."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from agent.options import Options

_root = click.option(
    "--root",
    "root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("/"),
    show_default=True,
    help="Install below this directory instead of / (for tests and images; systemctl only enables offline).",
)


@click.group(name="service")
def cli() -> None:
    """Install, remove or show the nightly systemd units (audit every night, upload every hour)."""


def _require_root(opts: Options, root: Path) -> None:
    import os

    from agent.errors import UsageError

    if os.geteuid() != 0 and root.resolve() == Path("/"):
        raise UsageError(
            opts.text(
                "cần quyền root để cài dịch vụ: chạy `sudo schoolnet service ...`",
                "installing the service needs root: run `sudo schoolnet service ...`",
            )
        )


def _show(opts: Options, result: Any, verb: str) -> None:
    if opts.as_json:
        opts.emit_json({"changed": result.changed, "actions": result.actions, "notes": result.notes})
        return
    for vi, en in zip(result.actions_vi, result.actions, strict=True):
        opts.info("  " + opts.text(vi, en))
    for vi, en in zip(result.notes_vi, result.notes, strict=True):
        opts.info(opts.text("  lưu ý: ", "  note: ") + opts.text(vi, en))
    if not result.changed:
        opts.info(opts.text(f"Không có gì thay đổi ({verb}).", f"Nothing to change ({verb})."))


@cli.command("install")
@_root
@click.option("--district", is_flag=True, help="Also install the district collector (schoolnet-district.service).")
@click.pass_obj
def install_cmd(opts: Options, root: Path, district: bool) -> None:
    """Install the units, the `schoolnet` user and its directories; enable the timers. Safe to repeat."""
    from agent import service

    _require_root(opts, root)
    result = service.install(root, district=district)
    _show(opts, result, "install")
    if not opts.as_json and result.changed:
        opts.info(
            opts.text(
                "Đã cài: kiểm tra máy bằng `schoolnet doctor`, xem lịch bằng `systemctl list-timers 'schoolnet*'`.",
                "Installed: check this machine with `schoolnet doctor`, see the schedule with "
                "`systemctl list-timers 'schoolnet*'`.",
            )
        )


@cli.command("uninstall")
@_root
@click.option("--purge", is_flag=True, help="Also delete the config, evidence, spool, logs and the system user.")
@click.pass_obj
def uninstall_cmd(opts: Options, root: Path, purge: bool) -> None:
    """Disable the timers and remove the units; config and evidence stay unless --purge."""
    from agent import service

    _require_root(opts, root)
    result = service.uninstall(root, purge=purge)
    _show(opts, result, "uninstall")


@cli.command("status")
@_root
@click.pass_obj
def status_cmd(opts: Options, root: Path) -> None:
    """Show what is installed and enabled, the last runs, the spool, and a run in progress."""
    from agent import service

    data = service.status(root)
    if opts.as_json:
        opts.emit_json(data)
        return
    t = opts.text
    for name, state in data["units"].items():
        opts.info(f"{name:28} {state}")
    for name, enabled in data["timers_enabled"].items():
        opts.info(f"{name:28} " + (t("đã bật", "enabled") if enabled else t("chưa bật", "not enabled")))
    for key, info in data["paths"].items():
        where = f"{info['path']} ({info['mode']} {info['owner']})" if info["exists"] else t("không có", "missing")
        opts.info(f"{key:28} {where}")
    opts.info(f"{t('hàng đợi gửi', 'upload spool'):28} {data['spool']['count']}")
    latest = data["runs"]["latest"][0] if data["runs"]["latest"] else "-"
    opts.info(f"{t('lần chạy gần nhất', 'latest run'):28} {latest} ({data['runs']['count']} {t('lưu', 'kept')})")
    if data["running"]:
        run = data["running"]
        opts.info(f"{t('đang chạy', 'running now'):28} PID {run['pid']} {t('từ', 'since')} {run['started']}")
    for unit, props in data.get("systemd", {}).items():
        opts.info(f"{unit:28} " + " ".join(f"{k}={v}" for k, v in props.items() if v))
    if not data["systemd_running"]:
        opts.info(t("(systemd không chạy trên máy này: chỉ xem tệp)", "(systemd is not running here: files only)"))
