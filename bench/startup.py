"""Benchmark: wall time of `schoolnet --help` as a ratio to `python -c pass` (goal <= 3x).

Both are run alternately in the same invocation; the medians are compared, so machine noise
affects both sides alike. Usage: python bench/startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("schoolnet")
    schoolnet = [str(exe)] if exe.exists() else [shutil.which("schoolnet") or "schoolnet"]
    baseline = [sys.executable, "-c", "pass"]
    env_note = os.environ.get("PYTHONDONTWRITEBYTECODE")
    timed([*schoolnet, "--help"])  # warm the bytecode cache once
    base, ours = [], []
    for _ in range(args.runs):
        base.append(timed(baseline))
        ours.append(timed([*schoolnet, "--help"]))
    b, o = statistics.median(base), statistics.median(ours)
    print(f"python -c pass      median {b * 1000:7.1f} ms  (runs={args.runs})")
    print(f"schoolnet --help    median {o * 1000:7.1f} ms")
    print(f"ratio               {o / b:7.2f} x   (goal <= 3.0){'  [PYTHONDONTWRITEBYTECODE set]' if env_note else ''}")


if __name__ == "__main__":
    main()
