"""`schoolnet config init | check | show`: write, validate and show the agent's config."""

from __future__ import annotations

import importlib
import os
import tomllib
from pathlib import Path

import click

from agent.errors import ConfigError, UsageError
from agent.options import Options
from agent.paths import CONFIG_TEMPLATE, CRITERIA_DIR, DEFAULT_CONFIG, DEFAULT_STATE_DIR


@click.group(name="config")
def cli() -> None:
    """Write (`init`), validate (`check`) or show (`show`) the agent's config file."""


def _toml_string(value: str) -> str:
    """Quote ``value`` for the inside of a TOML basic string."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def render_template(
    *, school_id: str, school_name: str, district_url: str, community: str, state_dir: str = str(DEFAULT_STATE_DIR)
) -> str:
    """The commented config template with the given values filled in."""
    text = CONFIG_TEMPLATE.read_text(encoding="utf-8")
    for key, value in {
        "school_id": school_id,
        "school_name": school_name,
        "district_url": district_url,
        "community": community,
        "state_dir": state_dir,
    }.items():
        text = text.replace("{" + key + "}", _toml_string(value))
    return text


@cli.command("init")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--school-id", default="", help="The school's code as the district knows it.")
@click.option("--school-name", default="", help="The school's name.")
@click.option("--district-url", default="", help="The district collector's URL.")
@click.option("--community", default="public", show_default=True, help="First SNMP v2c community to try.")
@click.option(
    "--state-dir",
    default=str(DEFAULT_STATE_DIR),
    show_default=True,
    help="Where reports, the upload spool and the signing key live.",
)
@click.option(
    "--enroll",
    "enroll_with",
    nargs=2,
    metavar="URL CODE",
    default=None,
    help="Enroll with the district at URL using its one-time CODE (stores the upload token in the config).",
)
@click.option(
    "--insecure-http", is_flag=True, help="Enroll over plain http with a district on another machine (with a warning)."
)
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@click.pass_obj
def init(
    opts: Options,
    path: str | None,
    school_id: str,
    school_name: str,
    district_url: str,
    community: str,
    state_dir: str,
    enroll_with: tuple[str, str] | None,
    insecure_http: bool,
    force: bool,
) -> None:
    """Write a commented config template to PATH (default: --config or /etc/schoolnet/agent.toml).

    The file is created with mode 0600 because it holds SNMP credentials and the district token.
    The evidence signing key (Ed25519, mode 0600) is created in the state directory if missing.
    """
    target = Path(path or opts.config_path or DEFAULT_CONFIG)
    if target.exists() and not force:
        if enroll_with:  # enroll an existing config without rewriting it
            _enroll(opts, target, *enroll_with, insecure_http=insecure_http)
            return
        raise UsageError(f"{target}: already exists (use --force to overwrite)")
    text = render_template(
        school_id=school_id,
        school_name=school_name,
        district_url=district_url,
        community=community,
        state_dir=state_dir,
    )
    from agent import config as config_mod

    config = config_mod.parse(tomllib.loads(text), str(target))  # the template itself must always be valid
    from agent.files import atomic_write

    try:
        atomic_write(target, text.encode("utf-8"), mode=0o600)
    except OSError as exc:
        raise UsageError(f"{target}: cannot write: {exc.strerror}") from None
    opts.info(opts.text(f"Đã ghi cấu hình mẫu: {target}", f"Wrote config template: {target}"))
    key_path = config.agent.key_path
    if not key_path.exists():
        from agent.signing import load_or_create_key

        try:
            key_path.parent.mkdir(parents=True, exist_ok=True)
            load_or_create_key(key_path)
        except OSError as exc:
            raise UsageError(f"{key_path}: cannot create the signing key: {exc.strerror}") from None
        opts.info(opts.text(f"Đã tạo khoá ký minh chứng: {key_path}", f"Created the evidence signing key: {key_path}"))
    if enroll_with:
        _enroll(opts, target, *enroll_with, insecure_http=insecure_http)


def _enroll(opts: Options, target: Path, url: str, code: str, insecure_http: bool = False) -> None:
    from agent.enroll import enroll

    done = enroll(target, url, code, insecure_http=insecure_http)
    if done.warning:
        click.echo(done.warning, err=True)
    if done.retried:
        opts.info(
            opts.text(
                f"{done.retried} gói bị từ chối trước đây sẽ được gửi lại.",
                f"{done.retried} previously refused bundle(s) will be sent again.",
            )
        )
    opts.info(
        opts.text(
            f"Đã đăng ký với Phòng tại {done.url}: trường {done.school_id} {done.school_name}".rstrip(),
            f"Enrolled with the district at {done.url}: school {done.school_id} {done.school_name}".rstrip(),
        )
    )


@cli.command("check")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.pass_obj
def check(opts: Options, path: str | None) -> None:
    """Validate a config file (and its criteria profile); one line per problem, exit 2 if any."""
    from agent import config as config_mod

    target = Path(path or opts.config_path or os.environ.get("SCHOOLNET_CONFIG") or DEFAULT_CONFIG)
    config = config_mod.load(target, required=True)
    problems = _check_profile(config.agent.criteria_profile)
    if problems:
        raise ConfigError(problems[0], problems)
    if opts.as_json:
        opts.emit_json({"path": str(target), "valid": True})
    else:
        opts.info(opts.text(f"Cấu hình hợp lệ: {target}", f"Config is valid: {target}"))


def _check_profile(name: str) -> list[str]:
    """Validate the criteria profile the config names (when the criteria module is available)."""
    try:
        criteria = importlib.import_module("agent.criteria")
    except ImportError:  # the assessment module has not landed
        return []
    path = Path(name) if Path(name).is_file() else CRITERIA_DIR / f"{name}.toml"
    return list(criteria.check_file(path))


@cli.command("show")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.pass_obj
def show(opts: Options, path: str | None) -> None:
    """Print the effective config as JSON, with every secret masked."""
    from agent import config as config_mod

    target = Path(path) if path else (Path(opts.config_path) if opts.config_path else None)
    config = config_mod.load(target)
    data = config.model_dump(mode="json")
    secrets = set(config.secrets())

    def mask(node: object) -> object:
        if isinstance(node, dict):
            return {k: mask(v) for k, v in node.items()}
        if isinstance(node, list):
            return [mask(v) for v in node]
        if isinstance(node, str) and node in secrets:
            return "***"
        return node

    opts.emit_json(mask(data))
