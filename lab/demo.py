"""`schoolnet lab demo`: bring the lab up, run the agent from the agent's namespace, show what it got, tear down.

The agent runs exactly as on a school PC: ``ip netns exec <prefix>-agent <venv>/bin/schoolnet --config
<lab config> --json <verb>``, with the lab CA in that process's environment (``SSL_CERT_FILE`` /
``REQUESTS_CA_BUNDLE``) so speedtest-cli reaches the speedtest.net stand-in over verified HTTPS. The full
audit runs when the audit verb exists; otherwise the verbs that do exist (discover, speed) run one by one, and a
verb that has not landed is reported as such, never faked.
The lab is always taken down, also on an error or Ctrl-C.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from lab.control import Lab, down, up
from lab.topology import Topology

SCHOOLNET = Path(sys.executable).parent / "schoolnet"
DEFAULT_OUT = Path("/var/tmp/schoolnet-lab-demo")
# verb -> (extra args, time limit in seconds); the audit first, the parts when it is not available
AUDIT: tuple[str, list[str], float] = ("audit", [], 100.0)
PARTS: list[tuple[str, list[str], float]] = [("discover", [], 60.0), ("speed", [], 45.0)]
Say = Callable[[str], None]


@dataclass
class VerbRun:
    verb: str
    argv: list[str]
    code: int | None
    seconds: float
    stdout: str = ""
    stderr: str = ""
    state: str = "ran"  # ran | not available | timed out | failed to start
    data: Any = None
    summary: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "verb": self.verb,
            "state": self.state,
            "exit_code": self.code,
            "seconds": round(self.seconds, 2),
            "result": self.data,
            "stderr_tail": self.stderr.strip().splitlines()[-5:],
        }


def run_verb(lab: Lab, verb: str, args: list[str], timeout: float, lang: str) -> VerbRun:
    argv = [
        "ip",
        "netns",
        "exec",
        lab.agent_ns,
        str(SCHOOLNET),
        "--config",
        str(lab.config_path),
        "--lang",
        lang,
        "--json",
        verb,
        *args,
    ]
    started = time.monotonic()
    try:
        proc = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, check=False, env={**os.environ, **lab.agent_env}
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else (exc.stderr or "")
        return VerbRun(verb, argv, None, time.monotonic() - started, out, err, "timed out")
    except OSError as exc:
        return VerbRun(verb, argv, None, 0.0, "", str(exc), "failed to start")
    run = VerbRun(verb, argv, proc.returncode, time.monotonic() - started, proc.stdout, proc.stderr)
    if proc.returncode == 2 and "not available yet" in proc.stderr:
        run.state = "not available"
    try:
        run.data = json.loads(proc.stdout) if proc.stdout.strip() else None
    except ValueError:
        run.data = None
    run.summary = summarise(run.data, proc.stdout)
    return run


def _fmt(value: Any) -> str:
    return "-" if value in (None, "", [], ()) else str(value)


def summarise(data: Any, raw: str) -> list[str]:
    """A few readable lines from a verb's JSON (devices, findings, bandwidth results), whatever its shape."""
    lines: list[str] = []
    items: list[Any] = []
    if isinstance(data, dict):
        for key in ("devices", "findings", "measurements", "results"):
            if isinstance(data.get(key), list):
                items += data[key]
        lines += [f"{k}: {_fmt(v)}" for k, v in data.items() if not isinstance(v, (dict, list))][:12]
        lines += [f"! {w}" for w in data.get("warnings", []) if isinstance(w, str)][:10]
    elif isinstance(data, list):
        items = data
    for item in items[:40]:
        if not isinstance(item, dict):
            lines.append(_fmt(item))
        elif "criterion_id" in item:
            known = item.get("provenance") or ""
            if known == "catalog":
                known = "catalog, verified" if item.get("verified") else "catalog, unverified"
            status = f"{item.get('status', '?')}" + (f" · {known}" if known else "")
            lines.append(
                f"{status:<28} {item['criterion_id']:<24} {_fmt(item.get('subject'))}"
                f"  {_fmt(item.get('measured'))}"
            )
        elif "ip" in item:
            lines.append(
                f"{item['ip']:<15} {_fmt(item.get('role')):<14} {_fmt(item.get('vendor')):<10} "
                f"{_fmt(item.get('model')):<26} {_fmt(item.get('max_port_speed_mbps'))} Mbit/s"
            )
        elif "engine" in item:
            mbps = item.get("mbps")
            flag = f"  [{item['limited_by']}]" if item.get("limited_by") else ""
            lines.append(
                f"{item['engine']:<10} {_fmt(item.get('direction')):<9} "
                f"{'-' if mbps is None else f'{mbps:.0f}'} Mbit/s{flag}  {_fmt(item.get('error'))}"
            )
        else:
            lines.append(json.dumps(item, ensure_ascii=False)[:160])
    if not lines and raw.strip() and data is None:
        lines = raw.strip().splitlines()[:20]
    return lines


ENROLL_CODE = """
import sys
from pathlib import Path
from agent.enroll import enroll
done = enroll(Path(sys.argv[1]), sys.argv[2], sys.stdin.read().strip())
print(done.school_id)
"""


def enroll_in_lab(lab: Lab) -> dict[str, Any]:
    """Enroll the lab school with the lab district (a one-time code, exchanged from the agent's namespace)."""
    svc = lab.services.get("district", {})
    if svc.get("state") != "running":
        return {"state": "skipped", "reason": f"district collector {svc.get('state', 'absent')}"}
    argv = list(svc.get("argv", []))
    db = argv[argv.index("--db") + 1] if "--db" in argv else ""
    from agent.config import load

    school = load(lab.config_path).school
    district = [argv[0], "enroll", school.id, "--name", school.name, "--db", db]
    proc = subprocess.run(district, capture_output=True, text=True, timeout=60, check=False)
    code = proc.stdout.strip().splitlines()[0] if proc.returncode == 0 and proc.stdout.strip() else ""
    if not code:
        return {"state": "failed", "reason": (proc.stderr.strip().splitlines() or ["no code"])[-1]}
    agent = [
        "ip",
        "netns",
        "exec",
        lab.agent_ns,
        sys.executable,
        "-c",
        ENROLL_CODE,
        str(lab.config_path),
        lab.topo.district_url,
    ]
    env = {**os.environ, **lab.agent_env}
    proc = subprocess.run(agent, input=code, capture_output=True, text=True, timeout=60, check=False, env=env)
    if proc.returncode != 0:
        return {"state": "failed", "reason": (proc.stderr.strip().splitlines() or ["enroll failed"])[-1]}
    return {"state": "enrolled", "school_id": proc.stdout.strip()}


MEASUREMENT_KEYS = ("engine", "direction", "mbps", "limited_by", "confidence", "server", "error")


def measurements_of(run: VerbRun) -> list[dict[str, Any]]:
    """The bandwidth measurements of an audit run, read from its evidence bundle (while the lab is still up)."""
    files = run.data.get("files") if isinstance(run.data, dict) else None
    evidence = files.get("evidence") if isinstance(files, dict) else None
    if not evidence:
        return []
    try:
        bundle = json.loads(Path(evidence).read_text())
    except (OSError, ValueError):
        return []
    found = bundle.get("measurements") if isinstance(bundle, dict) else None
    return [{k: m.get(k) for k in MEASUREMENT_KEYS} for m in found or [] if isinstance(m, dict)]


def keep_outputs(lab: Lab, out_root: Path) -> Path | None:
    """Copy the agent's run outputs (evidence, reports) out of the lab's run dir before it is removed."""
    src = lab.run_dir / "agent" / "out"
    if not src.is_dir() or not any(src.iterdir()):
        return None
    dest = out_root / time.strftime("%Y%m%d-%H%M%S")
    shutil.copytree(src, dest)
    return dest


def district_view(lab: Lab) -> list[str]:
    """What the lab district decided on its own (its pinned profile), and where it disagrees with the school."""
    argv = list(lab.services.get("district", {}).get("argv", []))
    if "--db" not in argv:
        return []
    from district import store
    from district.db import make_engine, sessions

    engine = make_engine(argv[argv.index("--db") + 1])
    try:
        with sessions(engine)() as session:
            rows = [r.jsonable() for r in store.list_schools(session) if r.latest_bundle_id]
    finally:
        engine.dispose()
    out = []
    for row in rows:
        out.append(f"district ({row.get('profile')}): {row['id']} overall {row['overall']} "
                   f"(school said {row.get('school_overall')}), {len(row['disagreements'])} disagreement(s)")
        out += [f"  disagrees on {d['criterion_id']}: school {d['school_status']}, district {d['district_status']}"
                for d in row["disagreements"]]
    return out


def run_demo(topo: Topology, say: Say, lang: str = "vi", out_root: Path = DEFAULT_OUT) -> dict[str, Any]:
    """Up, run, down. Returns the demo's result (for --json and the summary)."""
    previous = signal.getsignal(signal.SIGTERM)

    def on_term(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    started = time.monotonic()
    result: dict[str, Any] = {
        "lab": None,
        "enroll": None,
        "runs": [],
        "measurements": [],
        "outputs": None,
        "down": None,
    }
    lab: Lab | None = None
    try:
        lab = up(topo, step=lambda s: say(f"lab: {s}"))
        result["lab"] = {**topo.summary(), "services": lab.services, "up_seconds": round(time.monotonic() - started, 1)}
        say(f"lab: up in {time.monotonic() - started:.1f}s; agent runs in namespace {lab.agent_ns}")
        result["enroll"] = enroll_in_lab(lab)
        say(f"district: {result['enroll']['state']} {result['enroll'].get('reason', '')}".rstrip())
        verb, args, limit = AUDIT
        say(f"agent: schoolnet {verb}")
        first = run_verb(lab, verb, args, limit, lang)
        result["runs"].append(first)
        result["measurements"] = measurements_of(first)
        first.summary += summarise(result["measurements"], "")
        result["district"] = district_view(lab)
        first.summary += result["district"]
        if first.state == "not available":
            for verb, args, limit in PARTS:
                say(f"agent: schoolnet {verb}")
                result["runs"].append(run_verb(lab, verb, args, limit, lang))
        kept = keep_outputs(lab, out_root)
        result["outputs"] = str(kept) if kept else None
    finally:
        signal.signal(signal.SIGTERM, previous)
        say("lab: down")
        result["down"] = down(topo.prefix, handles=lab.handles if lab else None)
    result["seconds"] = round(time.monotonic() - started, 1)
    return result
