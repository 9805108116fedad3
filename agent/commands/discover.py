"""`schoolnet discover`: find the routers, switches and access points on the LAN and show what they are."""

from __future__ import annotations

import asyncio
from typing import Any

import click

from agent.errors import UsageError
from agent.options import Options


def _config_with(opts: Options, subnets: tuple[str, ...], no_arp: bool, timeout_s: float | None) -> Any:
    from pydantic import ValidationError

    from agent.config import ScanConfig

    config = opts.config()
    scan = config.scan.model_dump()
    if subnets:
        scan["subnets"] = list(subnets)
    if no_arp:
        scan["arp"] = False
    if timeout_s is not None:
        scan["snmp_timeout_s"] = timeout_s
    try:
        new_scan = ScanConfig.model_validate(scan)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise UsageError(f"--subnet: {where}: {str(first['msg']).removeprefix('Value error, ')}") from None
    return config.model_copy(update={"scan": new_scan})


@click.command(name="discover")
@click.option("--subnet", "subnets", multiple=True, metavar="CIDR", help="Scan this subnet (repeatable).")
@click.option("--no-arp", is_flag=True, help="Skip the ARP sweep (SNMP only).")
@click.option("--timeout", "timeout_s", type=click.FloatRange(0.1, 60), default=None, help="SNMP timeout (s).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON on stdout.")
@click.pass_obj
def cli(opts: Options, subnets: tuple[str, ...], no_arp: bool, timeout_s: float | None, as_json: bool) -> None:
    """Find the devices on the school LAN (ARP + SNMP sweep) and inspect each SNMP agent.

    Scope: --subnet or scan.subnets, else the directly attached subnets (each capped at scan.max_prefix).
    """
    from agent.progress import Progress
    from probes.discovery import discover

    config = _config_with(opts, subnets, no_arp, timeout_s)
    progress = Progress(enabled=opts.verbosity >= 0)
    result = asyncio.run(discover(config, progress, lang=opts.lang))
    for warning in result.warnings:
        opts.info(warning.get(opts.lang))
    if as_json or opts.as_json:
        opts.emit_json(
            {
                "host": result.host,
                "addresses": result.addresses,
                "arp_available": result.arp_available,
                "seconds": round(result.seconds, 2),
                "phases": result.phases,
                "warnings": result.warnings,
                "devices": result.devices,
            }
        )
        return
    _table(opts, result)


def _mbps(value: int | None) -> str:
    if value is None:
        return "-"
    return f"{value // 1000}G" if value >= 1000 and value % 1000 == 0 else f"{value}M"


def _table(opts: Options, result: Any) -> None:
    t = opts.text
    header = (
        t("Địa chỉ", "Address"),
        t("Vai trò", "Role"),
        t("Hãng", "Vendor"),
        t("Mẫu", "Model"),
        t("Cổng", "Port"),
        t("Khả năng", "Capable"),
        "SNMP",
        t("Nối vào", "Uplink"),
    )
    rows = []
    for d in result.devices:
        uplink = ""
        if d.uplink:
            uplink = (
                f"{d.uplink.device_name or d.uplink.device_ip} {d.uplink.port} {_mbps(d.uplink.speed_mbps)}".strip()
            )
        rows.append(
            (
                d.ip + (f" <{d.parent}" if d.parent else ""),
                f"{d.role}" + (f" {d.role_confidence:.1f}" if d.role_confidence else ""),
                (d.vendor or d.mac_vendor or "")[:18],
                (d.model or "")[:24],
                _mbps(d.max_port_speed_mbps),
                _mbps(d.max_port_capability_mbps),
                d.snmp_status,
                uplink[:32],
            )
        )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    click.echo(
        t(
            f"{len(result.devices)} thiết bị, {result.addresses} địa chỉ, {result.seconds:.1f} giây",
            f"{len(result.devices)} device(s), {result.addresses} address(es), {result.seconds:.1f} s",
        ),
        err=True,
    )
