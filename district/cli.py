"""`schoolnet-district`: serve the collector, enroll schools, add staff, export, migrate.

Bad input ends with one line on stderr and exit 2; a failure outside the input with exit 3.
"""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path
from typing import Any

import click

EXIT_USAGE, EXIT_RUNTIME = 2, 3


class Failure(Exception):
    exit_code = EXIT_RUNTIME


class BadInput(Failure):
    exit_code = EXIT_USAGE


def _settings(db: str | None) -> Any:
    from district.settings import Settings, database_url

    return Settings(database_url=database_url(db))


def _session(db: str | None) -> Any:
    from sqlalchemy.exc import SQLAlchemyError

    from district import migrate
    from district.db import make_engine, sessions

    url = _settings(db).database_url
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        raise Failure(f"database {_safe_url(url)}: {_first_line(exc)}") from None
    return sessions(engine)()


def _safe_url(url: str) -> str:
    """The URL without its password (for messages)."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database>"


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _matrix() -> Any:
    """The criteria matrix of the district's pinned profile (the profile is loaded once, by the assessor)."""
    from district.matrix import Matrix

    return Matrix.of(_assessor(None).profile)


def _actor() -> str:
    """Who runs a CLI command, for the audit log."""
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli"


DB_OPTION = click.option(
    "--db", "db", default=None, metavar="URL", help="Database URL (default: $DATABASE_URL or a SQLite file)."
)
PROFILE_OPTION = click.option(
    "--profile", "profile", default=None, metavar="NAME|FILE",
    help="The criteria profile the district judges with (default: $DISTRICT_PROFILE or hcmc-956-2024).",
)


def _assessor(profile: str | None) -> Any:
    """The district's assessor for ``profile`` (one clear line when the profile is bad)."""
    from agent.errors import ConfigError
    from district.settings import Settings
    from district.summary import assessor

    name = profile or Settings().profile
    try:
        return assessor(name)
    except ConfigError as exc:
        raise BadInput(f"criteria profile: {str(exc).splitlines()[0]}") from None


@click.group()
def cli() -> None:
    """The district collector of schoolnet-audit (API v1, dashboard, speed-test endpoints)."""


@cli.command()
@click.option("--bind", default="127.0.0.1:8080", show_default=True, metavar="HOST:PORT")
@DB_OPTION
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Server processes.")
@click.option(
    "--log-level", default="warning", show_default=True, type=click.Choice(["debug", "info", "warning", "error"])
)
@click.option("--tls-cert", type=click.Path(dir_okay=False), default=None, help="Serve HTTPS with this certificate.")
@click.option("--tls-key", type=click.Path(dir_okay=False), default=None, help="The certificate's private key (PEM).")
@click.option(
    "--profile",
    default=None,
    metavar="NAME|FILE",
    help="The district's pinned criteria profile (default: $DISTRICT_PROFILE or hcmc-956-2024).",
)
def serve(
    bind: str,
    db: str | None,
    workers: int,
    log_level: str,
    tls_cert: str | None,
    tls_key: str | None,
    profile: str | None,
) -> None:
    """Run the server (migrates the database first). HTTPS with --tls-cert/--tls-key, or behind a proxy."""
    if profile:
        os.environ["DISTRICT_PROFILE"] = str(Path(profile).resolve()) if Path(profile).is_file() else profile
    judge = _assessor(profile)  # a bad profile is bad input: one line, exit 2, before anything starts
    if bool(tls_cert) != bool(tls_key):
        raise BadInput("--tls-cert and --tls-key go together")
    for path in (tls_cert, tls_key):
        if path and not Path(path).is_file():
            raise BadInput(f"{path}: no such file")
    host, sep, port_text = bind.rpartition(":")
    if not sep or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise BadInput(f"--bind {bind!r}: expected HOST:PORT, e.g. 0.0.0.0:8080")
    host = host.strip("[]")
    settings = _settings(db)
    _session(db).close()  # migrate once, before any worker starts
    os.environ["DATABASE_URL"] = settings.database_url
    if tls_cert:
        os.environ["DISTRICT_TLS"] = "1"  # the session cookie gets the Secure flag
    import uvicorn

    scheme = "https" if tls_cert else "http"
    click.echo(
        f"schoolnet-district: serving on {scheme}://{bind} (database {_safe_url(settings.database_url)}, "
        f"profile {judge.name}, {workers} worker(s))",
        err=True,
    )

    uvicorn.run(
        "district.app:factory",
        factory=True,
        host=host,
        port=int(port_text),
        workers=workers,
        log_level=log_level,
        proxy_headers=True,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
        access_log=log_level in ("debug", "info"),
    )


@cli.command()
@click.option("--school", "school_id", default=None, metavar="ID", help="Only this school's bundles.")
@PROFILE_OPTION
@DB_OPTION
def recheck(school_id: str | None, profile: str | None, db: str | None) -> None:
    """Re-assess stored bundles with the district's profile and catalog (after either changes)."""
    from district.recheck import recheck_all

    judge = _assessor(profile)
    session = _session(db)
    try:
        def progress(done: int, total: int, changed: int) -> None:
            click.echo(f"\rrecheck: {done}/{total} bundles, {changed} verdict(s) changed", err=True, nl=done == total)

        result = recheck_all(session, judge, school_id=school_id, progress=progress)
    finally:
        session.close()
    if school_id and result.total == 0:
        raise BadInput(f"no stored bundles for school {school_id!r}")
    click.echo(f"recheck: {result.total} bundle(s) re-assessed with {judge.name}; {result.changed} changed overall "
               f"verdict; {result.errors} could not be assessed", err=True)


@cli.command()
@click.argument("school_id")
@click.option("--name", required=True, help="The school's name.")
@click.option("--ward", default="", help="The school's ward (phường/xã).")
@click.option("--district", "district_name", default="", help="The district (quận/huyện).")
@DB_OPTION
def enroll(school_id: str, name: str, ward: str, district_name: str, db: str | None) -> None:
    """Register a school (or renew it) and print its one-time enrollment code."""
    from district import store
    from district.settings import Settings

    with _session(db) as session:
        try:
            code = store.issue_enroll_code(
                session, school_id, name, ward, district_name, days=Settings().enroll_code_days, actor=_actor()
            )
        except store.StoreError as exc:
            raise BadInput(exc.message) from None
    click.echo(code)
    click.echo(
        f"one-time code for {school_id}; on the school machine: schoolnet config init --enroll URL {code}", err=True
    )


@cli.group()
def user() -> None:
    """District staff accounts (dashboard and API reads)."""


@user.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--role",
    default="admin",
    show_default=True,
    type=click.Choice(["viewer", "admin"]),
    help="viewer: dashboard, reads and exports; admin: also token revocation and the audit log.",
)
@DB_OPTION
def user_add(username: str, password_stdin: bool, role: str, db: str | None) -> None:
    """Add a staff account, or set a new password for an existing one (its sessions end)."""
    from district import store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        if not sys.stdin.isatty():
            raise BadInput("no terminal for the password prompt; use --password-stdin")
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise BadInput("the passwords differ")
    if len(password) < 8:
        raise BadInput("the password needs at least 8 characters")
    with _session(db) as session:
        try:
            store.add_user(session, username, password, role=role, actor=_actor())
        except store.StoreError as exc:
            raise BadInput(exc.message) from None
    click.echo(f"user {username} saved ({role})", err=True)


@user.command("remove")
@click.argument("username")
@DB_OPTION
def user_remove(username: str, db: str | None) -> None:
    """Remove a staff account (its sessions end at once)."""
    from district import store

    with _session(db) as session:
        try:
            store.remove_user(session, username, actor=_actor())
        except store.StoreError as exc:
            raise BadInput(exc.message) from None
    click.echo(f"user {username} removed", err=True)


@user.command("list")
@DB_OPTION
def user_list(db: str | None) -> None:
    """List the staff accounts: name, role, created, locked."""
    from district import store
    from district.db import aware
    from district.i18n import vn_time

    with _session(db) as session:
        users = store.list_users(session)
        for u in users:
            locked = aware(u.locked_until)
            note = f"\tlocked until {vn_time(locked)}" if locked and locked > store.utcnow() else ""
            click.echo(f"{u.username}\t{u.role}\t{vn_time(aware(u.created_at))}{note}")


@cli.command()
@click.argument("school_id")
@DB_OPTION
def revoke(school_id: str, db: str | None) -> None:
    """Revoke a school's upload token now (the school enrolls again with a new code)."""
    from district import store

    with _session(db) as session:
        try:
            store.revoke_token(session, school_id, actor=_actor())
        except store.StoreError as exc:
            raise BadInput(exc.message) from None
    click.echo(f"upload token of {school_id} revoked", err=True)


@cli.command("audit")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 100000))
@DB_OPTION
def audit_cmd(limit: int, db: str | None) -> None:
    """The audit log of staff actions, newest first (Vietnam time)."""
    from district import store
    from district.db import aware
    from district.i18n import vn_time

    with _session(db) as session:
        for e in store.audit_log(session, limit):
            click.echo(f"{vn_time(aware(e.at))}\t{e.actor}\t{e.action}\t{e.target}\t{e.detail}")


@cli.command()
@click.option("--format", "fmt", default="csv", show_default=True, type=click.Choice(["csv", "xlsx"]))
@click.option("--output", "-o", default=None, type=click.Path(dir_okay=False), help="File to write (default: stdout).")
@click.option("--lang", default="vi", show_default=True, type=click.Choice(["vi", "en"]))
@click.option("--ward", default="", help="Only this ward.")
@click.option("--profile", default=None, metavar="NAME|FILE", help="Criteria profile for the columns.")
@DB_OPTION
def export(fmt: str, output: str | None, lang: str, ward: str, profile: str | None, db: str | None) -> None:
    """Export the schools x criteria table (the district's reporting form)."""
    if profile:
        os.environ["DISTRICT_PROFILE"] = profile
    from district import export as export_mod
    from district import store

    matrix = _matrix()
    with _session(db) as session:
        rows = store.list_schools(session, ward=ward)
        store.record(session, _actor(), "export", fmt, f"{len(rows)} schools; ward={ward or 'all'}")
        session.commit()
    data = export_mod.to_csv(rows, lang, matrix) if fmt == "csv" else export_mod.to_xlsx(rows, lang, matrix)
    if output:
        try:
            Path(output).write_bytes(data)
        except OSError as exc:
            raise BadInput(f"{output}: cannot write: {exc.strerror}") from None
        click.echo(f"{len(rows)} schools written to {output}", err=True)
    else:
        if fmt == "xlsx" and sys.stdout.isatty():
            raise BadInput("XLSX is binary: use --output FILE (or redirect stdout)")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@cli.command("migrate")
@DB_OPTION
def migrate_cmd(db: str | None) -> None:
    """Bring the database to the newest schema (Alembic migrations shipped in the package)."""
    from district import migrate

    session = _session(db)
    try:
        revision = migrate.current(session.get_bind())
    finally:
        session.close()
    click.echo(f"database at revision {revision}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: one line and exit 2 on bad input, exit 3 on other failures."""
    try:
        cli.main(args=argv, prog_name="schoolnet-district", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        print("schoolnet-district: aborted", file=sys.stderr)
        sys.exit(130)
    except click.ClickException as exc:
        print(f"schoolnet-district: {exc.format_message()}", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    except Failure as exc:
        print(f"schoolnet-district: {exc}", file=sys.stderr)
        sys.exit(exc.exit_code)
    sys.exit(0)


if __name__ == "__main__":
    main()
