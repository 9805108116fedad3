"""`schoolnet doctor`: check privileges, tools, reachability, clock, disk and config; each problem with its fix."""

from __future__ import annotations

import click

from agent.errors import EXIT_FAILED_CRITERIA, EXIT_OK
from agent.options import Options

_MARK = {"ok": "OK  ", "skip": "--  ", "info": "i   ", "warn": "WARN", "fail": "FAIL"}


@click.command(name="doctor")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON on stdout (same as the global --json).")
@click.option(
    "--gateway",
    default=None,
    metavar="IP",
    help="Ask this address over SNMP instead of the default gateway (only when SNMP credentials are configured).",
)
@click.pass_obj
def cli(opts: Options, as_json: bool, gateway: str | None) -> int:
    """Check that this machine can run the nightly audit; say how to fix each problem.

    Exit 0 when every check is ok (or not relevant here), 1 when any check warns or fails, 2 for a config error.
    """
    import ipaddress

    from agent import doctor
    from agent.errors import UsageError

    if gateway is not None:
        try:
            ipaddress.IPv4Address(gateway)
        except ValueError:
            raise UsageError(f"--gateway {gateway!r}: expected an IPv4 address") from None
    path, explicit = doctor.config_location(opts.config_path)
    config, config_checks = doctor.load_config(path, explicit, opts.text)
    opts._config = config  # the config's language applies from here on
    checks = doctor.run_checks(config, config_checks, opts.text, gateway=gateway)
    problems = [c for c in checks if c.problem]
    code = EXIT_FAILED_CRITERIA if problems else EXIT_OK
    if as_json or opts.as_json:
        opts.emit_json({"ok": not problems, "exit_code": code, "checks": checks})
        return code
    for check in checks:
        if opts.verbosity < 0 and not check.problem:
            continue
        click.echo(f"[{_MARK[check.status]}] {check.name:20} {check.detail}", err=True)
        if check.fix and check.problem:
            click.echo(f"       {opts.text('cách sửa', 'fix')}: {check.fix}", err=True)
    if problems:
        click.echo(opts.text(f"{len(problems)} vấn đề cần xử lý.", f"{len(problems)} problem(s) to fix."), err=True)
    else:
        click.echo(
            opts.text("Máy sẵn sàng chạy kiểm tra hằng đêm.", "This machine is ready for the nightly audit."), err=True
        )
    return code
