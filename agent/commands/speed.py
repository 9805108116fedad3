"""`schoolnet speed`: measure bandwidth (http, iperf3, speedtest.net); `schoolnet speed serve` runs a test server."""

from __future__ import annotations

import click

from agent.errors import RuntimeFailure, UsageError
from agent.options import Options

ENGINES = ("http", "iperf3", "speedtest")

_VI = {  # Vietnamese labels for warning codes (the English detail follows)
    "nic": "card mạng của máy giới hạn kết quả",
    "nic-slow": "card mạng của máy chậm hơn mục tiêu",
    "wifi": "đo qua Wi-Fi",
    "cpu": "CPU của máy bị quá tải",
    "cpu-small": "máy chỉ có một nhân CPU",
    "stall": "máy chủ hoặc đường truyền bị ngưng",
    "link-down": "liên kết mạng bị rớt trong khi đo",
    "short": "máy chủ gửi thiếu dữ liệu so với Content-Length",
    "extra": "máy chủ gửi thừa dữ liệu so với Content-Length",
    "method": "phương pháp speedtest-cli bị giới hạn",
    "burst": "kết quả là một đợt bùng phát ngắn, không phải tốc độ ổn định",
    "unsteady": "tốc độ không ổn định",
}


def _infer_engine(server: str) -> str:
    if "://" in server:
        return "http"
    return "speedtest" if server.isdigit() else "iperf3"


def _check_server(engine: str, server: str) -> None:
    if engine == "http":
        from probes.bandwidth.http_engine import BaseUrl

        try:
            BaseUrl.parse(server)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    elif engine == "speedtest" and server and not server.isdigit():
        raise UsageError(f"--server {server!r}: a speedtest.net server id is a number (e.g. 9903)")
    elif engine == "iperf3":
        from probes.bandwidth.iperf3_engine import parse_hostport

        try:
            parse_hostport(server)
        except ValueError as exc:
            raise UsageError(f"--server: {exc}") from None


def _print_human(opts: Options, results: list) -> None:  # list[BandwidthResult]
    for r in results:
        head = f"{r.engine:9} {r.direction:8}"
        direction_vi = "tải xuống" if r.direction == "download" else "tải lên"
        if r.error:
            opts.info(opts.text(f"{r.engine} {direction_vi}: lỗi: {r.error}", f"{head} error: {r.error}"))
            continue
        extra = []
        if r.p10_mbps is not None and r.p90_mbps is not None:
            extra.append(f"p10 {r.p10_mbps:.1f} / p90 {r.p90_mbps:.1f}")
        if r.line_rate_mbps:
            extra.append(opts.text(f"≈ {r.line_rate_mbps:.0f} Mbit/s tốc độ đường truyền",
                                   f"≈ {r.line_rate_mbps:.0f} Mbit/s line rate"))
        if r.latency_ms is not None:
            extra.append(opts.text("độ trễ", "latency") + f" {r.latency_ms:.1f} ms")
        extra.append(
            opts.text(f"{r.streams} luồng, {r.duration_s:.1f} s", f"{r.streams} streams, {r.duration_s:.1f} s")
        )
        extra.append(opts.text("độ tin cậy", "confidence") + f" {r.confidence}")
        label = opts.text(f"{r.engine} {direction_vi}", head)
        opts.info(f"{label}: {r.mbps:.1f} Mbit/s  (" + "; ".join(extra) + ")")
        where = r.server + (f" — {r.network}" if r.network else "")
        role = {"internet": opts.text("đo Internet", "Internet measurement"),
                "district": opts.text("ý kiến thứ hai (máy chủ của phòng/sở GD)",
                                      "second opinion (the district's server)")}.get(r.role, "")
        opts.info(f"  {where}" + (f" [{role}]" if role else ""))
        if r.limited_by:
            opts.info(opts.text(f"  giới hạn bởi: {r.limited_by} (không thể kết luận về đường truyền)",
                                f"  limited by: {r.limited_by} (the line cannot be judged from this result)"))
        for w in r.warnings:
            code = w.split(":", 1)[0]
            if opts.lang == "vi" and code in _VI:
                opts.info(f"  ! {_VI[code]} — {w}")
            else:
                opts.info(f"  ! {w}")


def _print_internet_median(opts: Options, results: list) -> None:  # list[BandwidthResult]
    """With several Internet servers: the median across them, per direction, and which servers it rests on."""
    import statistics

    for direction in ("download", "upload"):
        good = [r for r in results if r.role == "internet" and r.direction == direction and r.mbps is not None]
        if len(good) < 2:
            continue
        median = statistics.median(r.mbps for r in good)
        direction_vi = "tải xuống" if direction == "download" else "tải lên"
        opts.info(opts.text(f"Internet {direction_vi}: trung vị {median:.1f} Mbit/s qua {len(good)} máy chủ",
                            f"Internet {direction}: median {median:.1f} Mbit/s across {len(good)} servers"))


@click.group(name="speed", invoke_without_command=True)
@click.option("--engine", type=click.Choice(ENGINES), default=None,
              help="Engine to run (default: the config's engines, in order).")
@click.option("--server", default=None,
              help="http: base URL of LibreSpeed endpoints; iperf3: HOST[:PORT]; speedtest: server id.")
@click.option("--duration", type=click.FloatRange(0.5, 120), default=None, help="Steady seconds per direction.")
@click.option("--streams", type=click.IntRange(1, 64), default=None, help="Parallel TCP streams.")
@click.option("--direction", type=click.Choice(["both", "download", "upload"]), default="both", show_default=True)
@click.option("--runs", type=click.IntRange(1, 10), default=None, help="Runs per direction (median reported).")
@click.option("--json", "as_json", is_flag=True, help="Print a list of BandwidthResult as JSON on stdout.")
@click.pass_context
def cli(ctx: click.Context, engine: str | None, server: str | None, duration: float | None, streams: int | None,
        direction: str, runs: int | None, as_json: bool) -> None:
    """Measure bandwidth; `schoolnet speed serve --bind ADDR:PORT` runs LibreSpeed-compatible endpoints."""
    if ctx.invoked_subcommand is not None:
        return
    opts: Options = ctx.obj if isinstance(ctx.obj, Options) else Options()
    if as_json:
        opts.as_json = True
    config = opts.config()
    if server is not None and engine is None:
        engine = _infer_engine(server)
    if server is not None and engine is not None:
        _check_server(engine, server)
    from agent.config import BandwidthServer
    from agent.progress import NullProgress, Progress
    from probes.bandwidth import measure

    bw = config.bandwidth
    update: dict[str, object] = {}
    if engine:
        update["engines"] = [engine]
    if duration is not None:
        update["duration_s"] = duration
    if streams is not None:
        update["streams"] = streams
    if runs is not None:
        update["runs"] = runs
    if server is not None and engine is not None:
        field = {"http": "url", "iperf3": "host", "speedtest": "server_id"}[engine]
        update["servers"] = [BandwidthServer(engine=engine, **{field: server})]  # type: ignore[arg-type]
    if update:
        config = config.model_copy(update={"bandwidth": bw.model_copy(update=update)})
    directions = ("download", "upload") if direction == "both" else (direction,)
    progress = NullProgress() if opts.verbosity < 0 else Progress()
    from agent.run import internet_target
    from assessment import load as load_profile

    target = internet_target(load_profile(config.agent.criteria_profile))
    results = measure(config, None, progress, directions=directions, target_mbps=target)  # type: ignore[arg-type]
    if opts.as_json:
        opts.emit_json(results)
    else:
        _print_human(opts, results)
        _print_internet_median(opts, results)
    if results and all(r.error for r in results):
        raise RuntimeFailure(opts.text("không đo được: ", "no measurement succeeded: ") + str(results[0].error))


@cli.command("serve")
@click.option("--bind", "binds", multiple=True, required=True, help="ADDR:PORT for plain HTTP (repeatable).")
@click.option("--tls-bind", "tls_binds", multiple=True, help="ADDR:PORT for HTTPS (repeatable; needs --cert).")
@click.option("--cert", type=click.Path(exists=True, dir_okay=False), default=None, help="PEM certificate chain.")
@click.option("--key", type=click.Path(exists=True, dir_okay=False), default=None, help="PEM private key.")
@click.option("--speedtest-standin", is_flag=True, hidden=True, help="Also serve speedtest.net legacy endpoints (lab).")
@click.option("--speedtest-server-url", default="", hidden=True)
@click.pass_context
def serve(ctx: click.Context, binds: tuple[str, ...], tls_binds: tuple[str, ...], cert: str | None,
          key: str | None, speedtest_standin: bool, speedtest_server_url: str) -> None:
    """Serve LibreSpeed-compatible endpoints (garbage.php, empty.php, getIP.php at / and /backend/)."""
    from probes.bandwidth import server as srv

    for b in (*binds, *tls_binds):
        try:
            srv.parse_bind(b)
        except ValueError as exc:
            raise UsageError(f"--bind: {exc}") from None
    if tls_binds and not cert:
        raise UsageError("--tls-bind needs --cert (and --key unless the certificate file holds it)")
    standin = srv.StandIn(server_url=speedtest_server_url) if speedtest_standin else None
    try:
        srv.serve(list(binds), tls_binds=list(tls_binds), cert=cert, key=key, standin=standin,
                  verbose=isinstance(ctx.obj, Options) and ctx.obj.verbosity > 0)
    except OSError as exc:
        raise RuntimeFailure(f"cannot serve on {', '.join(binds + tls_binds)}: {exc.strerror or exc}") from None
