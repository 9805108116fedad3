"""Benchmark the district collector: signed ~50 KB uploads from N concurrent agents, hostile bodies, the
recheck of stored bundles, and the dashboard with 2,000 schools.

For each database (a temporary SQLite file; a throwaway PostgreSQL cluster when the binaries are here) it
starts `schoolnet-district serve` on 127.0.0.1, enrolls N schools, and has N agent threads post pre-signed
bundles as fast as the server answers. It prints figures and ratios only (no pass/fail against absolute
goals: the machine it runs on decides the absolute numbers):

- ingest: uploads/s, p50/p99 latency and p99/p50;
- hostile: a 1 MiB ``{"warnings":[1,1,...]}`` body, its answer time as a multiple of a normal upload's, and
  /health's median answer while it is being checked;
- recheck: ``district.recheck.recheck_all`` over 2,000 stored bundles (bundles/s);
- dashboard: median time for 2,000 schools, and ms per 1,000 schools.

Usage: python -m bench.district_ingest [--agents 8] [--uploads 1000] [--workers 2] [--db sqlite,postgresql]
"""

from __future__ import annotations

import sys
from pathlib import Path

# run as a script, bench/ would come first on sys.path; keep the repository root there instead
REPO = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO / "bench"]
sys.path.insert(0, str(REPO))

import argparse  # noqa: E402
import contextlib  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections.abc import Iterator  # noqa: E402

from tests.district import pg  # noqa: E402
from tests.district.bundles import make_bundle  # noqa: E402
from tests.district.conftest import STAFF_PASSWORD, STAFF_USER, Server, start_server  # noqa: E402

CRITERIA = ("1.2-router", "1.2-switch", "1.2-wifi-standard", "1.2-internet", "1.2-security")
# the bench's server enrolls its agents from one address: lift the per-address limits there
ROOMY = {"DISTRICT_ENROLL_PER_MINUTE": "100000", "DISTRICT_LOGIN_PER_MINUTE": "100000"}


def _agent(port: int, token: str, bodies: list[bytes], latencies: list[float], errors: list[str]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    for body in bodies:
        start = time.perf_counter()
        try:
            conn.request("POST", "/api/v1/bundles", body=body, headers=headers)
            answer = conn.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException) as exc:
            errors.append(type(exc).__name__)
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        latencies.append(time.perf_counter() - start)
        if answer.status != 201:
            errors.append(f"HTTP {answer.status}")
    conn.close()


def ingest(server: Server, agents: int, uploads: int, devices: int) -> dict[str, float]:
    per_agent = max(1, uploads // agents)
    plan = []
    for a in range(agents):
        token, key = server.enroll(f"BENCH-{a:03d}")
        bodies = [
            json.dumps(make_bundle(f"BENCH-{a:03d}", key=key, devices=devices), ensure_ascii=False).encode()
            for _ in range(per_agent)
        ]
        plan.append((token, bodies))
    size = statistics.mean(len(b) for _, bodies in plan for b in bodies)
    latencies: list[float] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=_agent, args=(server.port, token, bodies, latencies, errors)) for token, bodies in plan
    ]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    lat = sorted(latencies)
    return {
        "uploads": len(lat),
        "errors": len(errors),
        "size_kb": size / 1024,
        "rate": len(lat) / wall,
        "p50_ms": lat[len(lat) // 2] * 1000,
        "p99_ms": lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
    }


def seed_schools(db: str, count: int) -> None:
    """``count`` schools with a latest summary each (as if each had uploaded), written straight to the store."""
    from sqlalchemy import insert

    from district.db import School, make_engine, utcnow
    from district.settings import normalise_url
    from district.summary import summarise

    engine = make_engine(normalise_url(db))
    now = utcnow()
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    kinds = [("pass",) * 5, ("fail", "pass", "pass", "unknown", "pass"), ("pass", "fail", "unknown", "pass", "fail")]
    summaries = [json.dumps(summarise(make_bundle("DASH", key=key, statuses=k, devices=3 + n)), ensure_ascii=False)
                 for n, k in enumerate(kinds)]  # the district's own verdicts on three kinds of school
    rows = []
    for i in range(count):
        rows.append(
            {
                "id": f"DASH-{i:05d}",
                "name": f"Trường số {i}",
                "ward": f"Phường {i % 40 + 1}",
                "district": "",
                "created_at": now,
                "last_upload_at": now,
                "latest_bundle_id": f"b-{i}",
                "latest_finished_at": "2026-11-20T08:30:00Z",
                "latest_summary": summaries[i % len(summaries)],
                "bundle_count": 1,
            }
        )
    with engine.begin() as conn:
        conn.execute(insert(School), rows)
    engine.dispose()


def _login(client: object) -> None:
    import re

    import httpx

    assert isinstance(client, httpx.Client)
    form = client.get("/login").text
    match = re.search(r'name="csrf" value="([^"]+)"', form)
    token = match.group(1) if match else ""
    answer = client.post("/login", data={"username": STAFF_USER, "password": STAFF_PASSWORD, "csrf": token})
    assert answer.status_code == 303, answer.text


def hostile(server: Server, token: str, normal_ms: float) -> dict[str, float]:
    """A 1 MiB array of wrong items: answer time relative to a normal upload, and /health meanwhile."""
    import httpx

    body = b'{"warnings":[' + b",".join([b"1"] * (512 * 1024)) + b"]}"
    health: list[float] = []
    done = threading.Event()

    def poll() -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            while not done.is_set():
                start = time.perf_counter()
                client.get("/api/v1/health")
                health.append(time.perf_counter() - start)

    poller = threading.Thread(target=poll)
    poller.start()
    start = time.perf_counter()
    answer = httpx.post(
        server.url + "/api/v1/bundles",
        content=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        timeout=120,
    )
    took = time.perf_counter() - start
    done.set()
    poller.join()
    return {
        "status": answer.status_code,
        "ms": took * 1000,
        "ratio": took * 1000 / normal_ms if normal_ms else 0.0,
        "problems": len(answer.json().get("problems", [])) if answer.status_code == 422 else -1,
        "health_ms": statistics.median(health) * 1000 if health else 0.0,
        "health_n": len(health),
    }


def top_up(server: Server, total: int, devices: int) -> int:
    """Post signed bundles until the store holds ``total`` (not timed); returns how many it holds."""
    import httpx

    held = sum(
        s["bundle_count"] for s in httpx.get(server.url + "/api/v1/schools", headers=server.staff_auth()).json()
    )
    if held >= total:
        return held
    token, key = server.enroll("BENCH-RECHECK")
    with httpx.Client(timeout=60) as client:
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        for _ in range(total - held):
            body = json.dumps(make_bundle("BENCH-RECHECK", key=key, devices=devices)).encode()
            client.post(server.url + "/api/v1/bundles", content=body, headers=headers)
    return total


def recheck(url: str, profile: str) -> dict[str, float]:
    """Time ``schoolnet-district recheck`` (district.recheck.recheck_all) over every stored bundle."""
    from district.db import make_engine, sessions
    from district.recheck import recheck_all
    from district.settings import normalise_url
    from district.summary import assessor

    engine = make_engine(normalise_url(url))
    try:
        with sessions(engine)() as session:
            start = time.perf_counter()
            result = recheck_all(session, assessor(profile))
            took = time.perf_counter() - start
    finally:
        engine.dispose()
    return {"bundles": result.total, "s": took, "rate": result.total / took if took else 0.0}


def dashboard_time(server: Server, count: int, runs: int = 5) -> tuple[float, int]:
    import httpx

    with httpx.Client(base_url=server.url, timeout=60) as client:
        _login(client)
        client.get("/dashboard")  # warm up
        times = []
        size = 0
        for _ in range(runs):
            start = time.perf_counter()
            page = client.get("/dashboard")
            times.append(time.perf_counter() - start)
            size = len(page.content)
            assert page.status_code == 200 and f"DASH-{count - 1:05d}" in page.text
    return statistics.median(times), size


@contextlib.contextmanager
def database(kind: str, tmp: Path) -> Iterator[str | None]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp}/bench.db"
        return
    reason = pg.unavailable_reason()
    if reason:
        print(f"postgresql: skipped ({reason})")
        yield None
        return
    with pg.throwaway_cluster("bench") as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=8, help="concurrent agents (default 8)")
    parser.add_argument("--uploads", type=int, default=1000, help="uploads per database (default 1000)")
    parser.add_argument("--devices", type=int, default=32, help="devices per bundle (32 ~ 50 KB)")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="server processes (default: 1 on SQLite, 2 on PostgreSQL, as docs/district.md advises)",
    )
    parser.add_argument("--schools", type=int, default=2000, help="schools on the dashboard (default 2000)")
    parser.add_argument("--recheck", type=int, default=2000, help="stored bundles to recheck (default 2000)")
    parser.add_argument("--profile", default="hcmc-956-2024", help="profile for the recheck")
    parser.add_argument("--db", default="sqlite,postgresql", help="databases to try (default sqlite,postgresql)")
    args = parser.parse_args()
    rates: dict[str, float] = {}
    for kind in args.db.split(","):
        with tempfile.TemporaryDirectory(prefix="sndi-bench-") as tmp, database(kind, Path(tmp)) as url:
            if url is None:
                continue
            workers = args.workers or (1 if kind == "sqlite" else 2)
            server = start_server(url, "--workers", str(workers), **ROOMY)
            try:
                r = ingest(server, args.agents, args.uploads, args.devices)
                rates[kind] = r["rate"]
                print(
                    f"{kind:10s} ingest: {r['uploads']:.0f} uploads of {r['size_kb']:.0f} KB from {args.agents} agents "
                    f"({workers} server process(es), load average {os.getloadavg()[0]:.1f}): "
                    f"{r['rate']:.0f} uploads/s, p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms "
                    f"(p99/p50 {r['p99_ms'] / r['p50_ms']:.1f}), errors {r['errors']:.0f}"
                )
                token, _ = server.enroll("BENCH-HOSTILE")
                h = hostile(server, token, r["p50_ms"])
                print(
                    f"{kind:10s} hostile 1 MiB body: HTTP {h['status']:.0f} in {h['ms']:.0f} ms "
                    f"({h['ratio']:.1f}x a normal upload's p50), {h['problems']:.0f} problem line(s); "
                    f"/health meanwhile: median {h['health_ms']:.1f} ms over {h['health_n']:.0f} requests"
                )
                held = top_up(server, args.recheck, args.devices)
                checked = recheck(url, args.profile)
                print(
                    f"{kind:10s} recheck of {held} stored bundles: {checked['bundles']:.0f} in {checked['s']:.1f} s "
                    f"({checked['rate']:.0f} bundles/s, {checked['rate'] / r['rate']:.2f}x the ingest rate)"
                )
                seed_schools(url, args.schools)
                median, size = dashboard_time(server, args.schools)
                print(
                    f"{kind:10s} dashboard with {args.schools} schools: median {median * 1000:.0f} ms "
                    f"({median * 1e6 / args.schools:.0f} ms per 1,000 schools), {size / 1024:.0f} KB"
                )
            finally:
                server.stop()
    if "sqlite" in rates and "postgresql" in rates:
        print(f"ingest rate PostgreSQL / SQLite: {rates['postgresql'] / rates['sqlite']:.2f}")


if __name__ == "__main__":
    main()
