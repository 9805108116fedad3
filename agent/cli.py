"""The `schoolnet` command line.

Only click is imported at start-up: every verb lives in its own module under
``agent.commands`` and is imported when it runs, so ``schoolnet --help`` stays fast and
never loads scapy, pysnmp, speedtest or a web/database stack.

Exit codes: 0 ok, 1 the audit found failing criteria, 2 usage or config error, 3 runtime failure.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from agent import __version__
from agent.errors import EXIT_RUNTIME, EXIT_USAGE, ConfigError, SchoolnetError
from agent.options import Options

# verb -> (module under agent.commands, one-line help). The help is here so listing verbs imports nothing.
VERBS: dict[str, tuple[str, str]] = {
    "audit": ("audit", "Run the whole audit: discover, inspect, Wi-Fi, bandwidth, assess, report, upload."),
    "discover": ("discover", "Find the routers, switches and access points on the school LAN."),
    "inspect": ("inspect", "Ask one device over SNMP what it is (role, model, ports, radios)."),
    "speed": ("speed", "Measure bandwidth (http, iperf3, speedtest.net); `speed serve` runs a test server."),
    "wifi": ("wifi", "Read Wi-Fi beacons (live scan, pcap or `iw` dump): standard, Wave 2, bands, rates."),
    "report": ("report", "Render an evidence bundle as HTML, PDF, CSV or XLSX."),
    "assess": ("assess", "Re-assess a bundle's inputs offline with a criteria profile (what the district does)."),
    "upload": ("upload", "Send spooled evidence bundles to the district (`--status` lists them)."),
    "verify": ("verify", "Check an evidence bundle's schema and signature."),
    "evidence": ("evidence", "Declare what no probe can measure (ISP contract, firewall) with attachments."),
    "lab": ("lab", "The simulated school network: up, down, status, demo (needs root)."),
    "doctor": ("doctor", "Check privileges, tools, reachability and config; say how to fix each problem."),
    "service": ("service", "Install, remove or show the nightly systemd units."),
    "config": ("config_cmd", "Write (`init`) or validate (`check`) the agent's config file."),
}


class LazyGroup(click.Group):
    """A group whose sub-commands are imported only when invoked (or asked for their own help)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(VERBS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = VERBS.get(cmd_name)
        if entry is None:
            return None
        module = importlib.import_module(f"agent.commands.{entry[0]}")
        command: click.Command = module.cli
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, text) in VERBS.items()])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Config file (default: $SCHOOLNET_CONFIG or /etc/schoolnet/agent.toml).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")
@click.option("--lang", type=click.Choice(["vi", "en"]), default=None, help="Language for people (default: vi).")
@click.option("-v", "--verbose", count=True, help="More detail (repeat for debug logs).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors and the final result.")
@click.version_option(__version__, prog_name="schoolnet")
@click.pass_context
def cli(
    ctx: click.Context, config_path: str | None, as_json: bool, lang: str | None, verbose: int, quiet: bool
) -> None:
    """schoolnet: audit a school network against the digital-transformation criteria (tiêu chí CĐS).

    Exit codes: 0 ok, 1 the audit found failing criteria, 2 usage or config error, 3 runtime failure.
    """
    from agent import logs  # standard library only; not reached by `schoolnet --help`

    verbosity = -1 if quiet else verbose
    logs.setup(verbosity)
    ctx.obj = Options(config_path=config_path, as_json=as_json, lang_override=lang, verbosity=verbosity)


def _error_line(message: str) -> None:
    click.echo(f"schoolnet: error: {message}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: run the CLI and turn every failure into one line and an exit code."""
    try:
        result: Any = cli.main(args=argv, prog_name="schoolnet", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        _error_line("aborted")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except ConfigError as exc:
        for line in exc.problems:
            _error_line(line)
        sys.exit(exc.exit_code)
    except SchoolnetError as exc:
        _error_line(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _error_line("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # last resort: never a bare traceback for the user
        if os.environ.get("SCHOOLNET_DEBUG"):
            raise
        _error_line(f"internal error: {type(exc).__name__}: {exc} (set SCHOOLNET_DEBUG=1 for the traceback)")
        sys.exit(EXIT_RUNTIME)
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":
    main()
