"""`schoolnet lab up | down | status | demo`: the simulated school network (needs root)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from agent.errors import UsageError
from agent.options import Options
from agent.progress import Progress

PREFIX = click.option("--prefix", default="sn", show_default=True, help="Namespace prefix of the lab instance.")
BASE = click.option("--base", default="10.66", show_default=True, help="Base network 10.N (LAN 10.N.0.0/24).")
UPLINK = click.option(
    "--uplink-mbit", type=float, default=1000.0, show_default=True, help="Uplink rate router<->ISP (tc tbf, each way)."
)
EXTRA = click.option(
    "--extra-agents", type=int, default=0, show_default=True, help="More SNMP agents at .101.. (discovery benchmark)."
)


def _root(opts: Options) -> None:
    if os.geteuid() != 0:
        raise UsageError(
            opts.text(
                "phòng lab cần quyền root (network namespaces): chạy bằng sudo",
                "the lab needs root (network namespaces): run it with sudo",
            )
        )


def _topology(prefix: str, base: str, uplink: float, extra: int) -> Any:
    from lab.topology import Topology

    return Topology(prefix=prefix, base=base, extra_agents=extra, uplink_mbit=uplink)


@click.group(name="lab", help="The simulated school network: up, down, status, demo (needs root).")
def cli() -> None:
    pass


@cli.command("up", help="Build the lab's namespaces and start its devices and services.")
@UPLINK
@EXTRA
@PREFIX
@BASE
@click.pass_obj
def up_cmd(opts: Options, uplink_mbit: float, extra_agents: int, prefix: str, base: str) -> None:
    _root(opts)
    from lab.control import preflight, require_tools, up

    topo = _topology(prefix, base, uplink_mbit, extra_agents)
    require_tools()
    preflight(topo)  # refuse early, before any progress output (up() checks again under the lab lock)
    progress = Progress(enabled=opts.verbosity >= 0)
    progress.start(opts.text("Dựng phòng lab", "Building the lab"))
    lab = up(topo, step=progress.update)
    progress.done(opts.text("xong", "done"))
    if opts.as_json:
        opts.emit_json(
            {
                **topo.summary(),
                "config": str(lab.config_path),
                "run_dir": str(lab.run_dir),
                "services": _public(lab.services),
            }
        )
        return
    _print_up(opts, lab)


def _public(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {k: {kk: vv for kk, vv in v.items() if kk != "argv"} for k, v in services.items()}


def _print_up(opts: Options, lab: Any) -> None:
    t = lab.topo
    click.echo(
        opts.text(
            f"Phòng lab {t.prefix!r} đang chạy: LAN {t.lan}, WAN {t.wan}, đường lên {t.uplink_mbit:g} Mbit/s",
            f"Lab {t.prefix!r} is up: LAN {t.lan}, WAN {t.wan}, uplink {t.uplink_mbit:g} Mbit/s",
        )
    )
    for n in [*t.nodes, t.isp]:
        what = {"snmpsim": f"snmpsim ({n.recording})", "snmpd": "net-snmp snmpd", "none": ""}[n.agent]
        click.echo(f"  {n.role:<8} {n.ns:<12} {', '.join(n.ips):<44} {what}")
    for name, svc in lab.services.items():
        detail = svc.get("url") if svc.get("state") == "running" else svc.get("reason", "")
        click.echo(f"  {name:<8} {svc.get('state')}: {detail}")
    click.echo(opts.text(f"Cấu hình agent: {lab.config_path}", f"Agent config: {lab.config_path}"))
    run = f"ip netns exec {t.agent_ns} env SSL_CERT_FILE={lab.ca_path} schoolnet --config {lab.config_path} audit"
    click.echo(opts.text(f"Chạy agent: {run}", f"Run the agent: {run}"))
    click.echo(
        opts.text(f"Gỡ: schoolnet lab down --prefix {t.prefix}", f"Remove: schoolnet lab down --prefix {t.prefix}")
    )


@cli.command("down", help="Stop every process and remove every namespace of a lab instance (also after a crash).")
@PREFIX
@click.option("--all", "all_", is_flag=True, help="Take down every lab instance with a state file.")
@click.pass_obj
def down_cmd(opts: Options, prefix: str, all_: bool) -> None:
    _root(opts)
    from lab.control import down
    from lab.state import all_states

    prefixes = sorted({s.prefix for s in all_states()}) if all_ else [prefix]
    reports = [down(p) for p in prefixes]
    if opts.as_json:
        opts.emit_json(reports)
        return
    for r in reports:
        click.echo(
            opts.text(
                f"Đã gỡ phòng lab {r['prefix']!r}: {len(r['namespaces_removed'])} namespace, "
                f"{len(r['pids_stopped'])} tiến trình",
                f"Lab {r['prefix']!r} removed: {len(r['namespaces_removed'])} namespaces, "
                f"{len(r['pids_stopped'])} processes stopped",
            )
        )


@cli.command("status", help="What runs: namespaces, processes (alive or not), services.")
@click.option("--prefix", default=None, help="Only this instance (default: every instance).")
@click.pass_obj
def status_cmd(opts: Options, prefix: str | None) -> None:
    _root(opts)
    from lab.control import status

    report = status(prefix)
    if opts.as_json:
        opts.emit_json(report)
        return
    if not report:
        click.echo(opts.text("Không có phòng lab nào đang chạy.", "No lab is running."))
        return
    for inst in report:
        ns_up = sum(1 for n in inst["namespaces"] if n["present"])
        alive = sum(1 for p in inst["processes"] if p["alive"])
        click.echo(
            f"{inst['prefix']} ({inst.get('base', '?')}): {inst['phase']}; "
            f"namespaces {ns_up}/{len(inst['namespaces'])}; processes {alive}/{len(inst['processes'])} "
            + opts.text("còn chạy", "alive")
        )
        for p in inst["processes"]:
            click.echo(f"  {p['pid']:>7} {'alive' if p['alive'] else 'gone ':<5} {p['ns']:<12} {p['name']}")
        for name, svc in inst.get("services", {}).items():
            click.echo(f"  {name}: {svc.get('state')} {svc.get('url') or svc.get('reason', '')}")


@cli.command("demo", help="Lab up, the agent's audit from the agent's namespace, a summary, lab down.")
@UPLINK
@EXTRA
@PREFIX
@BASE
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="/var/tmp/schoolnet-lab-demo",
    show_default=True,
    help="Where the audit's evidence and reports are kept after the lab is removed.",
)
@click.pass_obj
def demo_cmd(opts: Options, uplink_mbit: float, extra_agents: int, prefix: str, base: str, out_dir: str) -> None:
    _root(opts)
    from lab.control import preflight, require_tools
    from lab.demo import run_demo

    topo = _topology(prefix, base, uplink_mbit, extra_agents)
    require_tools()
    preflight(topo)
    result = run_demo(topo, opts.info, lang=opts.lang, out_root=Path(out_dir))
    runs = result["runs"]
    if opts.as_json:
        opts.emit_json({**result, "runs": [r.to_json() for r in runs]})
        return
    click.echo(opts.text("=== Kết quả demo ===", "=== Demo summary ==="))
    lab = result["lab"] or {}
    click.echo(
        opts.text(
            f"Phòng lab: LAN {lab.get('lan')}, {len(lab.get('nodes', []))} máy, "
            f"đường lên {lab.get('uplink_mbit')} Mbit/s",
            f"Lab: LAN {lab.get('lan')}, {len(lab.get('nodes', []))} hosts, uplink {lab.get('uplink_mbit')} Mbit/s",
        )
    )
    for name, svc in (lab.get("services") or {}).items():
        click.echo(f"  {name}: {svc.get('state')} {svc.get('url') or svc.get('reason', '')}")
    enroll = result.get("enroll") or {}
    click.echo(
        opts.text("Đăng ký với phòng GD: ", "District enrollment: ")
        + f"{enroll.get('state')} "
        + str(enroll.get("reason", enroll.get("school_id", "")))
    )
    for r in runs:
        head = f"schoolnet {r.verb}: "
        if r.state == "not available":
            click.echo(head + opts.text("chưa có (đang phát triển)", "not available yet"))
            continue
        if r.state != "ran":
            click.echo(head + r.state)
            continue
        click.echo(head + opts.text(f"mã thoát {r.code}, {r.seconds:.1f}s", f"exit code {r.code}, {r.seconds:.1f}s"))
        for line in r.summary:
            click.echo("    " + line)
        if r.code not in (0, 1):
            for line in r.stderr.strip().splitlines()[-3:]:
                click.echo("    ! " + line)
    if result.get("outputs"):
        click.echo(
            opts.text(f"Bằng chứng và báo cáo: {result['outputs']}", f"Evidence and reports: {result['outputs']}")
        )
    d = result["down"] or {}
    click.echo(
        opts.text(
            f"Đã gỡ phòng lab: {len(d.get('namespaces_removed', []))} namespace ({result['seconds']}s tổng cộng)",
            f"Lab removed: {len(d.get('namespaces_removed', []))} namespaces ({result['seconds']}s in total)",
        )
    )
