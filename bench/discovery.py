"""Benchmark: discover a /24 with 20 extra SNMP agents (the rest silent) vs nmap's SNMP scan, same lab, same run.

Brings up a lab instance (`schoolnet lab up --prefix sndb --base 10.72 --extra-agents 20`: 26 SNMP agents,
4 ARP-only hosts, the rest of the /24 silent), then from the lab's agent namespace runs, alternately:

* ``schoolnet discover --json`` with the lab's config (3 credentials: v2c, v3 SHA-256/AES, v3 MD5/DES;
  timeout 1 s, 1 retry), ARP on: the whole pipeline (sweep, inspection, hygiene, topology);
* ``nmap -sU -p161 --script snmp-sysdescr --script-args snmpcommunity=<v2c community>`` (Debian's nmap).

Prints both wall times, the ratio and the goal (whole /24 <= 2 x SNMP timeout + 1 s, faster than nmap).
The lab is taken down at the end. Usage (root): python -m bench.discovery [--runs N] [--keep]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import time
import tomllib
from pathlib import Path

PREFIX, BASE, EXTRA = "sndb", "10.72", 20


def schoolnet() -> list[str]:
    exe = Path(sys.executable).with_name("schoolnet")
    return [str(exe)] if exe.exists() else ["schoolnet"]


def timed(argv: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        print(f"warning: {' '.join(argv[:6])}... exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return elapsed, proc.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="leave the lab up afterwards")
    args = parser.parse_args()
    if shutil.which("nmap") is None:
        sys.exit("bench/discovery: nmap not found (apt-get install nmap)")
    # a previous run left with --keep (or interrupted): take this benchmark's own instance down first
    subprocess.run([*schoolnet(), "lab", "down", "--prefix", PREFIX], capture_output=True, check=False)
    up = subprocess.run(
        [*schoolnet(), "lab", "up", "--prefix", PREFIX, "--base", BASE, "--extra-agents", str(EXTRA)],
        capture_output=True,
        text=True,
        check=False,
    )
    if up.returncode != 0:
        sys.exit(f"bench/discovery: lab up failed: {up.stderr.strip()[-500:]}")
    try:
        config_path = Path(f"/run/schoolnet-lab/{PREFIX}/agent.toml")
        config = tomllib.loads(config_path.read_text())
        scan = config["scan"]
        community = next(c["community"] for c in config["snmp"]["credentials"] if c["version"] == "2c")
        lan = scan["subnets"][0]
        ns = ["ip", "netns", "exec", f"{PREFIX}-agent"]
        ours_argv = [*ns, *schoolnet(), "--config", str(config_path), "-q", "discover", "--json"]
        nmap_argv = [*ns, "nmap", "-sU", "-p161", "--script", "snmp-sysdescr", "--script-args",
                     f"creds.snmp=:{community}", "-oX", "-", lan]
        timed(ours_argv)  # warm-up (bytecode, snmpsim caches)
        mine, theirs, inner, swept = [], [], [], []
        found = nmap_found = 0
        for _ in range(args.runs):
            seconds, out = timed(ours_argv)
            mine.append(seconds)
            doc = json.loads(out) if out.strip().startswith("{") else {"devices": [], "seconds": float("nan")}
            inner.append(doc["seconds"])
            swept.append(doc.get("phases", {}).get("sweep", float("nan")))
            found = sum(1 for d in doc["devices"] if d["snmp_status"] in ("ok", "partial"))
            seconds, out = timed(nmap_argv)
            theirs.append(seconds)
            nmap_found = out.count('id="snmp-sysdescr"')
    finally:
        if not args.keep:
            subprocess.run([*schoolnet(), "lab", "down", "--prefix", PREFIX], capture_output=True, check=False)
    m, t, i = statistics.median(mine), statistics.median(theirs), statistics.median(inner)
    sw = statistics.median(swept)
    goal = 2 * float(scan["snmp_timeout_s"]) + 1
    print(f"lab {lan}: 26 SNMP agents + 4 ARP-only hosts; timeout {scan['snmp_timeout_s']} s, "
          f"retries {scan['snmp_retries']}, {len(config['snmp']['credentials'])} credentials")
    print(f"schoolnet discover (command)   median {m:6.2f} s  ({found} SNMP devices identified, runs={args.runs})")
    print(f"schoolnet discover (in run)    median {i:6.2f} s  (without interpreter start-up)")
    print(f"nmap -sU -p161 snmp-sysdescr   median {t:6.2f} s  ({nmap_found} sysDescr answers)")
    print(f"ratio schoolnet / nmap = {m / t:.2f}   (goal < 1: faster than nmap)")
    print(f"SNMP sweep of the /24 (who answers, 3 credentials): {sw:.2f} s vs goal {goal:.1f} s: ratio {sw / goal:.2f}")
    print(f"whole run (sweep + 26 inspections + ARP + hygiene): {i:.2f} s vs goal {goal:.1f} s: ratio {i / goal:.2f}")
    print("note: the lab's 26 snmpsim responders share this machine's CPU with the agent")


if __name__ == "__main__":
    main()
