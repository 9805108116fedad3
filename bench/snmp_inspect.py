"""Benchmark: full SNMP inspection of the largest recording vs net-snmp `snmpbulkwalk` of the same subtrees.

One snmpsim on loopback serves the shared recordings. Our side is the inspection discovery runs on
every device (standard walks, the fingerprint's vendor subtrees, the catalog's presence probes, the
GETs), in-process and as the `schoolnet inspect` command; net-snmp's side is one `snmpbulkwalk` per
walked subtree, `snmpgetnext` for the presence probes and `snmpget` for the GETs, run one after the
other (as a script would). Runs alternate; medians are compared. Goal: ratio <= 1.5.
Usage: python -m bench.snmp_inspect [--runs N] [--recording NAME]   (needs scripts/setup.sh's snmpsim venv)
"""

from __future__ import annotations

import sys

# run as a script, this file's folder comes first on sys.path and this module would shadow the stdlib's
# `inspect` (which asyncio imports): drop the folder before importing anything else
if sys.path and sys.path[0] and __file__.startswith(sys.path[0]) and __name__ == "__main__":
    sys.path[0] = str(__import__("pathlib").Path(__file__).resolve().parent.parent)

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RECORDINGS = Path(os.environ.get("SCHOOLNET_SHARED", REPO.parent / "shared")) / "recordings" / "librenms"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def ours(host: str, port: int, community: str) -> tuple[float, int, int, list[str]]:
    from agent.config import SnmpCredential
    from probes.snmp.client import SnmpClient
    from probes.snmp.inspect import inspect_session

    async with SnmpClient(timeout_s=2.0, retries=1) as client:
        session = await client.session(host, port, SnmpCredential(version="2c", community=community))
        start = time.perf_counter()
        result = await inspect_session(client, session, budget_s=120)
        return time.perf_counter() - start, len(result.data), result.requests, result.errors


def plan(host: str, port: int, community: str) -> tuple[list[str], list[str], list[str]]:
    """(subtrees to walk, presence roots, GET OIDs): what the inspection reads, as dotted OIDs."""
    from probes.snmp.data import dotted
    from probes.snmp.inspect import STANDARD_GETS, SWEEP_OIDS, extra_subtrees, presence_roots, standard_plan

    out = subprocess.run(
        ["snmpget", "-v2c", "-c", community, "-On", "-Oqv", f"{host}:{port}", "1.3.6.1.2.1.1.2.0", "1.3.6.1.2.1.1.1.0"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    walks = [dotted(r) for sub in standard_plan() for r in sub.roots]
    vendor, vendor_gets = extra_subtrees(out[0].strip().strip("."), out[1].strip('"') if len(out) > 1 else "")
    walks += [dotted(r) for sub in vendor for r in sub.roots]
    gets = [dotted(o) for o in (*SWEEP_OIDS, *STANDARD_GETS, *vendor_gets)]
    return list(dict.fromkeys(walks)), [dotted(r) for r in presence_roots()], gets


def netsnmp(host: str, port: int, community: str, walks: list[str], presence: list[str], gets: list[str]) -> float:
    base = ["-v2c", "-c", community, "-On", "-t", "2", "-r", "1", f"{host}:{port}"]
    start = time.perf_counter()
    subprocess.run(["snmpget", *base, *gets], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    for root in walks:
        subprocess.run(["snmpbulkwalk", *base, root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    for i in range(0, len(presence), 30):
        argv = ["snmpgetnext", *base, *presence[i : i + 30]]
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def cli(host: str, port: int, community: str) -> float:
    exe = Path(sys.executable).with_name("schoolnet")
    argv = [str(exe) if exe.exists() else "schoolnet", "inspect", host, "--port", str(port), "--community", community]
    start = time.perf_counter()
    subprocess.run([*argv, "--json"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--recording", default=None, help="community (file stem); default: the largest recording")
    args = parser.parse_args()
    for tool in ("snmpbulkwalk", "snmpget", "snmpgetnext"):
        if shutil.which(tool) is None:
            sys.exit(f"bench/snmp_inspect: {tool} not found (apt-get install snmp)")
    from lab.snmpsim import SnmpSim

    name = args.recording or max(RECORDINGS.glob("*.snmprec"), key=lambda p: p.stat().st_size).stem
    host, port = "127.0.0.1", free_port()
    with SnmpSim(RECORDINGS, ((host, port),)).start(ready_community=name):
        walks, presence, gets = plan(host, port, name)
        asyncio.run(ours(host, port, name))  # warm-up: snmpsim reads and caches the recording
        netsnmp(host, port, name, walks, presence, gets)
        mine, theirs, command = [], [], []
        for _ in range(args.runs):
            seconds, values, requests, errors = asyncio.run(ours(host, port, name))
            mine.append(seconds)
            theirs.append(netsnmp(host, port, name, walks, presence, gets))
            command.append(cli(host, port, name))
    m, t, c = statistics.median(mine), statistics.median(theirs), statistics.median(command)
    print(f"recording {name}: {values} objects, {len(walks)} subtrees walked, {len(presence)} presence probes, "
          f"{len(gets)} GETs; our requests {requests}; errors {errors or 'none'}")
    print(f"schoolnet inspection (in process)   median {m:6.2f} s   (runs={args.runs})")
    print(f"schoolnet inspect (command, +start) median {c:6.2f} s")
    print(f"net-snmp snmpbulkwalk x{len(walks):<3}         median {t:6.2f} s")
    print(f"ratio in process / net-snmp = {m / t:.2f}   (goal <= 1.5)")
    print(f"ratio command    / net-snmp = {c / t:.2f}")


if __name__ == "__main__":
    main()
