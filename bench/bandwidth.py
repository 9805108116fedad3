"""Bandwidth bench on the lab: iperf3, the http engine and speedtest-cli through tbf 300 Mbit/s, 1 Gbit/s,
10 Gbit/s and unshaped; the median of N runs each, printed as ratios to iperf3, plus client CPU per Gbit/s.

Run as root from the repository root:  /work/.venv/bin/python -m bench.bandwidth [--runs 3] [--duration 3]
(about 6-8 minutes with the defaults). Namespaces snbws*/snbwc*, 10.71.0.0/24; everything is removed afterwards.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

LINKS: dict[str, float | None] = {"tbf 300M": 300, "tbf 1G": 1000, "tbf 10G": 10000, "unshaped": None}
ENGINES = ("iperf3", "http", "speedtest")


def _cpu_self() -> float:
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _cpu_children() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def worker(runs: int, duration: float) -> None:
    """Inside the client namespace: every engine, every direction, ``runs`` times; one JSON line per run."""
    from probes.bandwidth.http_engine import HttpEngine
    from probes.bandwidth.interface import Settings, Target
    from probes.bandwidth.speedtest_engine import SpeedtestEngine
    from tests.bandwidth.netpair import HTTP_PORT, IPERF_PORT, SERVER_IP

    def emit(engine: str, direction: str, mbps: float | None, cpu: float, wall: float, note: str = "") -> None:
        print(json.dumps({"engine": engine, "direction": direction, "mbps": mbps, "cpu_s": cpu, "wall_s": wall,
                          "note": note}), flush=True)

    for _ in range(runs):
        for direction in ("download", "upload"):
            argv = ["iperf3", "-c", SERVER_IP, "-p", str(IPERF_PORT), "-J", "-t", f"{duration:g}", "-O", "1",
                    "-P", "4"] + (["-R"] if direction == "download" else [])
            c0, t0 = _cpu_children(), time.monotonic()
            out = subprocess.run(argv, capture_output=True, text=True, check=False).stdout
            wall, cpu = time.monotonic() - t0, _cpu_children() - c0
            try:
                mbps = json.loads(out)["end"]["sum_received"]["bits_per_second"] / 1e6
            except (KeyError, ValueError):
                mbps = None
            emit("iperf3", direction, mbps, cpu, wall)
        for direction in ("download", "upload"):
            settings = Settings(duration_s=duration, streams=4, directions=(direction,))  # type: ignore[arg-type]
            c0, t0 = _cpu_self(), time.monotonic()
            (r,) = HttpEngine().measure(Target(f"http://{SERVER_IP}:{HTTP_PORT}"), settings)
            emit("http", direction, r.mbps, _cpu_self() - c0, time.monotonic() - t0, r.error or "")
        c0, t0 = _cpu_self(), time.monotonic()
        results = SpeedtestEngine().measure(Target(""), Settings(duration_s=duration))
        wall_all = time.monotonic() - t0
        cpu_all = _cpu_self() - c0
        total = sum(r.duration_s for r in results) or 1.0
        for r in results:  # CPU split by phase length (config and server choice included)
            share = r.duration_s / total
            emit("speedtest", r.direction, r.mbps, cpu_all * share, wall_all * share,
                 ",".join(w.split(":")[0] for w in r.warnings) + (r.error or ""))


def _median(values: list[float]) -> float | None:
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    mid = len(vals) // 2
    return vals[mid] if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--duration", type=float, default=3.0)
    p.add_argument("--links", default=",".join(LINKS), help="comma-separated subset of: " + ", ".join(LINKS))
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        worker(args.runs, args.duration)
        return 0
    from tests.bandwidth.netpair import SpeedLab

    rows: list[tuple[str, str, dict[str, Any]]] = []
    with SpeedLab("bn", threadsperurl=4) as lab:
        for name in [n.strip() for n in args.links.split(",") if n.strip()]:
            lab.shape(LINKS[name])
            proc = lab.client_cmd([sys.executable, "-m", "bench.bandwidth", "--worker", "--runs",
                                   str(args.runs), "--duration", str(args.duration)], timeout=1800)
            runs: list[dict[str, Any]] = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
            if not runs:
                print(f"{name}: worker failed: {proc.stderr[-1500:]}", file=sys.stderr)
                continue
            for direction in ("download", "upload"):
                cell: dict[str, Any] = {}
                for engine in ENGINES:
                    mine = [r for r in runs if r["engine"] == engine and r["direction"] == direction]
                    mbps = _median([r["mbps"] for r in mine])
                    cpu = _median([r["cpu_s"] / r["wall_s"] / (r["mbps"] / 1000) for r in mine
                                   if r["mbps"] and r["wall_s"] > 0])
                    notes = sorted({n for r in mine for n in r["note"].split(",") if n and n != "speedtest-cli"})
                    cell[engine] = (mbps, cpu, [r["mbps"] for r in mine], notes)
                cell["expected"] = _expected(LINKS[name])
                rows.append((name, direction, cell))
                _print_row(name, direction, cell)
    print()
    print("ratios to iperf3 (median of runs); CPU = client cores per Gbit/s (whole client process)")
    header = f"{'link':10} {'dir':9} {'iperf3 Mbit/s':>13} {'iperf3/tbf':>10} {'http/iperf3':>12} " \
             f"{'speedtest/iperf3':>17} {'CPU iperf3':>10} {'CPU http':>9} {'CPU speedtest':>13}  speedtest flags"
    print(header)
    for name, direction, cell in rows:
        _print_row(name, direction, cell)
    return 0


def _expected(rate: float | None) -> float | None:
    from probes.bandwidth.goodput import tbf_goodput

    return tbf_goodput(rate) if rate else None


def _print_row(name: str, direction: str, cell: dict[str, Any]) -> None:
    ref = cell["iperf3"][0]
    exp = cell.get("expected")
    vs_tbf = f"{ref / exp:.3f}" if ref and exp else "-"

    def ratio(engine: str) -> str:
        v = cell[engine][0]
        return f"{v / ref:.3f}" if v and ref else "-"

    def cpu(engine: str) -> str:
        v = cell[engine][1]
        return f"{v:.3f}" if v is not None else "-"

    notes = ",".join(cell["speedtest"][3])
    print(f"{name:10} {direction:9} {ref or 0:13.1f} {vs_tbf:>10} {ratio('http'):>12} {ratio('speedtest'):>17} "
          f"{cpu('iperf3'):>10} {cpu('http'):>9} {cpu('speedtest'):>13}  {notes}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
