"""`schoolnet evidence add | list | remove`: declare what no probe can measure, with attachments."""

from __future__ import annotations

from pathlib import Path

import click

from agent.errors import UsageError
from agent.options import Options


@click.group(name="evidence")
def cli() -> None:
    """Declare what no probe can measure (ISP contract, firewall/UTM, Informatics lab) with attachments.

    Declarations are shown in reports as declared, never as measured. Known keys: isp_contract_mbps (number),
    isp_name, security_solution, informatics_lab, notes.
    """


@cli.command("add")
@click.argument("key")
@click.argument("value")
@click.option("--attach", "attach", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="A file to hand in with it (photo, contract PDF); hashed into the bundle. Repeatable.")
@click.option("--note", default="", help="A note for the district.")
@click.pass_obj
def add_cmd(opts: Options, key: str, value: str, attach: tuple[Path, ...], note: str) -> None:
    """Declare KEY = VALUE (e.g. `evidence add isp_contract_mbps 1000 --attach hop-dong.pdf`)."""
    from agent import evidence

    config = opts.config()
    decl = evidence.add(config, key, value, list(attach), note)
    if opts.as_json:
        opts.emit_json(decl)
        return
    extra = opts.text(f", {len(attach)} tệp đính kèm", f", {len(attach)} attachment(s)") if attach else ""
    opts.info(opts.text(f"Đã khai báo {decl.key} = {decl.value}{extra}.",
                        f"Declared {decl.key} = {decl.value}{extra}."))


@cli.command("list")
@click.pass_obj
def list_cmd(opts: Options) -> None:
    """List everything declared (config [evidence] and `evidence add`)."""
    from agent import evidence

    config = opts.config()
    decls, atts = evidence.collect(config)
    if opts.as_json:
        opts.emit_json({"declarations": decls, "attachments": atts})
        return
    if not decls:
        opts.info(opts.text("Chưa có khai báo nào.", "Nothing declared yet."))
        return
    by_hash = {a.sha256: a for a in atts}
    for d in decls:
        source = opts.text("cấu hình", "config") if d.declared_by == "config" else (d.declared_at or "")
        click.echo(f"{d.key} = {d.value}  [{source}]" + (f"  {d.note}" if d.note else ""))
        for h in d.attachments:
            a = by_hash.get(h)
            click.echo(f"    {a.name if a else '?'}  sha256:{h}  {a.size if a else '?'} B")


@cli.command("remove")
@click.argument("key")
@click.pass_obj
def remove_cmd(opts: Options, key: str) -> None:
    """Remove a declaration made with `evidence add` (config entries are edited in the config)."""
    from agent import evidence

    if not evidence.remove(opts.config(), key):
        raise UsageError(f"evidence {key}: nothing declared with `evidence add` under this key")
    opts.info(opts.text(f"Đã xoá khai báo {key}.", f"Removed the declaration {key}."))
