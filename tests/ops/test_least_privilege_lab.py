"""The audit's ExecStart under the service's sandbox identity: an unprivileged uid with ONLY CAP_NET_RAW.

In the lab (namespaces prefixed `snsy`, LAN 10.74.0.0/24; nothing leaves them) the agent's namespace runs
`schoolnet discover` exactly as schoolnet-audit.service would: another uid, no groups, the capability
bounding, inheritable and ambient sets reduced to CAP_NET_RAW, no_new_privs. It must find the devices by
ARP (raw sockets) and inspect them over SNMP. The same identity without CAP_NET_RAW must lose ARP.

Then the real thing: a systemd (PID 1 of its own PID/mount/cgroup namespaces inside the agent's network
namespace, on a copy of /etc where `schoolnet service install` ran, /proc/sys and /sys read-only so the host is
untouched) starts journald and the installed schoolnet-audit.service (a test drop-in swaps the command for
`discover` + `doctor`): the whole sandbox must let the sweep through, and agent.logs must reach the journal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent import service
from agent.paths import PROJECT_ROOT

pytestmark = pytest.mark.lab

UID = 61874
PREFIX, BASE = "snsy", "10.74"
IDENTITY = ["setpriv", f"--reuid={UID}", f"--regid={UID}", "--clear-groups", "--no-new-privs"]
NET_RAW_ONLY = ["--inh-caps=-all,+net_raw", "--ambient-caps=-all,+net_raw", "--bounding-set=-all,+net_raw"]
NO_CAPS = ["--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all"]


@pytest.fixture(scope="module")
def lab() -> Iterator[Any]:
    try:
        from lab.control import down, up
        from lab.topology import Topology
        from tests.lab_fixture import lab_skip_reason
    except ImportError as exc:  # the lab is built in parallel: say what is missing
        pytest.fail(f"the lab is not importable yet: {exc}")
    reason = lab_skip_reason()
    if reason:
        pytest.skip(reason)
    instance = up(Topology(prefix=PREFIX, base=BASE), start_services=False)
    try:
        yield instance
    finally:
        down(instance.prefix, handles=instance.handles)
        left = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=False).stdout
        assert f"{PREFIX}-" not in left


def make_service_venv(where: Path, shebang_dir: str) -> None:
    """A venv on an interpreter the service user can execute, seeing this installation's packages.

    (A venv whose base Python sits under a 0700 home, as pyenv's in /root, cannot be run by the service user:
    `schoolnet service install` warns about it.)
    """
    import site
    import sys

    python = service_python()
    assert python is not None
    subprocess.run([str(python), "-m", "venv", "--without-pip", str(where)], check=True)
    packages = where / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "site-packages"
    (packages / "snsy.pth").write_text(
        "".join(f"import site; site.addsitedir({p!r})\n" for p in site.getsitepackages())
    )
    script = where / "bin/schoolnet"
    script.write_text(f"#!{shebang_dir}/bin/python\nimport sys\nfrom agent.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)


@pytest.fixture(scope="module")
def service_venv() -> Iterator[Path]:
    reason = venv_skip_reason()
    if reason:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory(prefix="snsy-venv-") as name:
        where = Path(name)
        where.chmod(0o755)
        make_service_venv(where, str(where))
        yield where


@pytest.fixture
def service_config(lab: Any) -> Iterator[Path]:
    """The lab's agent config, owned by the service uid in a directory it can reach."""
    import tomli_w

    with tempfile.TemporaryDirectory(prefix="snsy-") as name:
        root = Path(name)
        os.chmod(root, 0o711)
        data = tomllib.loads(Path(lab.config_path).read_text())
        data["agent"]["state_dir"] = str(root / "state")
        (root / "state").mkdir(mode=0o700)
        config = root / "agent.toml"
        config.write_text(tomli_w.dumps(data))
        config.chmod(0o600)
        for path in (root / "state", config):
            os.chown(path, UID, UID)
        yield config


def discover_as_service(lab: Any, venv: Path, config: Path, caps: list[str]) -> tuple[int, dict[str, Any], str]:
    proc = subprocess.run(
        ["ip", "netns", "exec", lab.agent_ns, *IDENTITY, *caps, str(venv / "bin/schoolnet"), "--config", str(config),
         "--lang", "en", "discover", "--json"],
        capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    data = json.loads(proc.stdout) if proc.stdout.strip().startswith("{") else {}
    return proc.returncode, data, proc.stderr


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_discover_with_only_cap_net_raw_finds_the_lab(lab: Any, service_venv: Path, service_config: Path) -> None:
    code, data, err = discover_as_service(lab, service_venv, service_config, NET_RAW_ONLY)
    assert code == 0, err[-3000:]
    assert data["arp_available"] is True, err[-3000:]
    devices = {d["ip"]: d for d in data["devices"]}
    snmp_nodes = [n for n in lab.topo.snmp_nodes]
    assert snmp_nodes
    for node in snmp_nodes:
        assert node.ip in devices, f"{node.role} {node.ip} not found; stderr: {err[-2000:]}"
        assert devices[node.ip]["snmp_status"] in ("ok", "partial"), devices[node.ip]
    # hosts without SNMP are seen only through the raw-socket ARP sweep
    arp_only = [d for d in data["devices"] if d["found_by"] == ["arp"]]
    assert arp_only, "the ARP sweep found nothing"
    router = devices[lab.topo.gateway]
    assert "arp" in router["found_by"] and router["role"] == "router"
    print(f"as uid {UID} with only CAP_NET_RAW: {len(devices)} devices, {len(arp_only)} by ARP only")


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_without_cap_net_raw_arp_is_unavailable(lab: Any, service_venv: Path, service_config: Path) -> None:
    """The control: the same identity without the capability cannot ARP (so the capability is what matters)."""
    code, data, err = discover_as_service(lab, service_venv, service_config, NO_CAPS)
    assert data.get("arp_available") is False, (code, err[-2000:])
    assert not [d for d in data.get("devices", []) if "arp" in d["found_by"]]


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_doctor_as_service_asks_the_lab_gateway(lab: Any, service_venv: Path, service_config: Path) -> None:
    """doctor with only CAP_NET_RAW inside the agent's namespace: caps, raw socket, SNMP to the lab's gateway."""
    proc = subprocess.run(
        ["ip", "netns", "exec", lab.agent_ns, *IDENTITY, *NET_RAW_ONLY, str(service_venv / "bin/schoolnet"),
         "--config", str(service_config), "doctor", "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    checks = {c["name"]: c for c in json.loads(proc.stdout)["checks"]}
    assert checks["capabilities"]["status"] == "ok" and checks["raw_socket"]["status"] == "ok"
    assert checks["snmp_gateway"]["status"] == "ok", checks["snmp_gateway"]
    assert lab.topo.gateway in checks["snmp_gateway"]["detail"]


# --------------------------------------------------------------------------- the real unit under a real systemd

SYSTEMD = Path("/usr/lib/systemd/systemd")
JOURNALCTL = shutil.which("journalctl") or "journalctl"
BASE_UNITS = (
    "basic.target", "local-fs.target", "network-online.target", "paths.target", "shutdown.target", "slices.target",
    "sockets.target", "swap.target", "sysinit.target", "time-sync.target", "timers.target", "multi-user.target",
    "systemd-journald.service", "systemd-journald.socket", "systemd-journald-dev-log.socket",
)  # fmt: skip
VENV = "/opt/snsy-venv"  # where the test's venv appears inside the booted namespace
SECRET = "snsy-secret-Qw7"
BOOT = """set -e
# as in a container: the booted systemd must not change the host's sysctls (it raises fs.file-max) or sysfs;
# its cgroups live in a cgroup namespace below the test's own cgroup
mount --make-rprivate /
mount --bind /proc/sys /proc/sys
mount -o remount,bind,ro /proc/sys
umount -R /sys/fs/cgroup 2>/dev/null || true
mount -o remount,bind,ro /sys
mount -t cgroup2 cgroup2 /sys/fs/cgroup
mount --bind {root}/etc /etc
mount --bind {root}/units /usr/lib/systemd/system
mount -t tmpfs tmpfs /run
mkdir -p /run/snsy-out /run/log/journal
mount --bind {root}/out /run/snsy-out
mount --bind {root}/journal /run/log/journal
mount -t tmpfs tmpfs /var/lib
mount -t tmpfs tmpfs /var/log
mount -t tmpfs tmpfs /opt
mkdir {venv}
mount --bind {root}/venv {venv}
exec env container=snsy SYSTEMD_PROC_CMDLINE=systemd.unified_cgroup_hierarchy=1 {systemd} --system \\
    --log-target=kmsg --log-level=warning --unit=snsy-test.target
"""
TARGET = """[Unit]
Wants=systemd-journald.socket systemd-journald-dev-log.socket systemd-journald.service
Wants=schoolnet-audit.service schoolnet-journal.service
"""
DROP_IN = f"""# test only: the shipped unit's sandbox, other commands, output to files the test reads
[Unit]
After=schoolnet-journal.service
[Service]
ProtectHome=yes
ExecStart=
ExecStart=-{VENV}/bin/schoolnet --lang en discover --json
ExecStart=-{VENV}/bin/schoolnet --lang en doctor --json
ExecStart=/bin/sh -c 'grep -E "^(Uid|Cap[A-Za-z]+|NoNewPrivs|Seccomp):" /proc/self/status >&2'
StandardOutput=append:/run/snsy-out/stdout
StandardError=append:/run/snsy-out/stderr
ExecStopPost=+/bin/touch /run/snsy-out/done
"""
# the same sandbox, logging through agent.logs with stderr connected to the journal (as for the real audit)
JOURNAL_PROBE = f"""import logging, sys
from agent import logs
logs.setup(0, secrets=[{SECRET!r}])
print("journal" if logs.use_journal() else "stderr", file=sys.stderr)
logs.set_context(run_id="snsy-run-1", school_id="LAB-SNSY")
logging.getLogger("probes.discovery").warning(
    "device %s refused community %s", "10.74.0.1", {SECRET!r}, extra={{"fields": {{"device_ip": "10.74.0.1"}}}}
)
"""


def cgroup2_mount() -> Path | None:
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        if fields[fields.index("-") + 1] == "cgroup2":
            return Path(fields[4])
    return None


def world_reachable(path: Path) -> bool:
    """Whether another uid can reach (and read) ``path``: every parent directory has o+x."""
    path = path.resolve()
    return all(p.stat().st_mode & 0o001 for p in path.parents) and bool(path.stat().st_mode & 0o004)


def service_python() -> Path | None:
    """An interpreter of this Python version that the service user can execute."""
    import sys

    for candidate in (
        Path(sys.executable).resolve(),
        Path(f"/usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}"),
    ):
        if candidate.is_file() and world_reachable(candidate):
            return candidate
    return None


def decode_all(text: str) -> list[Any]:
    decoder, i = json.JSONDecoder(), 0
    docs: list[Any] = []
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return docs
        doc, i = decoder.raw_decode(text, i)
        docs.append(doc)


def venv_skip_reason() -> str | None:
    import site

    if service_python() is None:
        return "no Python of this version that an unprivileged user can execute"
    # Debian's Python lists site dirs that may not exist in a venv (.venv/local/lib/...): only real ones count
    packages = [Path(p) for p in site.getsitepackages() if Path(p).exists()]
    if not all(world_reachable(p) for p in packages) or not world_reachable(PROJECT_ROOT):
        return "the installation is not readable by other users"
    return None


def sandbox_skip_reason() -> str | None:
    if Path("/run/systemd/system").is_dir():
        return "systemd runs this machine: the namespaced boot is for machines where it does not"
    if not SYSTEMD.is_file() or shutil.which("unshare") is None:
        return "needs systemd (the package) and unshare"
    if cgroup2_mount() is None:
        return "needs a cgroup2 mount"
    hidden = private_tmp_hidden()
    if hidden is not None:
        return (f"this installation lives under {hidden}, which the unit's PrivateTmp=yes hides from the service: "
                "run this test from a checkout (and venv) outside /tmp and /var/tmp")
    return venv_skip_reason()


def private_tmp_hidden() -> Path | None:
    """The first path the booted unit must read (the checkout, the venv's site dirs) that lies under /tmp or
    /var/tmp: PrivateTmp=yes gives the service empty ones, so the editable install and its packages vanish."""
    import site

    for path in (PROJECT_ROOT, *map(Path, site.getsitepackages())):
        resolved = path.resolve()
        for tmp in (Path("/tmp"), Path("/var/tmp")):
            if resolved == tmp or tmp in resolved.parents:
                return path
    return None


@pytest.fixture(scope="module")
def booted(lab: Any) -> Iterator[Path]:
    """Boot a real systemd in the lab's agent namespace on a copy of /etc with `schoolnet service install` applied;
    it starts journald, the installed audit unit (with a test drop-in) and a journal probe in the same sandbox."""
    import tomli_w

    reason = sandbox_skip_reason()
    if reason:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory(prefix="snsy-sd-") as name:
        root = Path(name)
        subprocess.run(["cp", "-a", "/etc", str(root / "etc")], check=True)
        for child in (root / "etc/systemd/system").iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        (root / "units").mkdir()
        for unit in BASE_UNITS:
            shutil.copy(f"/usr/lib/systemd/system/{unit}", root / "units" / unit)
        (root / "units/snsy-test.target").write_text(TARGET)
        (root / "etc/systemd/journald.conf").write_text("[Journal]\nReadKMsg=no\nStorage=volatile\n")
        for sub in ("out", "journal"):
            (root / sub).mkdir()
        make_service_venv(root / "venv", VENV)
        (root / "venv/journal_probe.py").write_text(JOURNAL_PROBE)
        data = tomllib.loads(Path(lab.config_path).read_text())
        data["agent"]["state_dir"] = "/var/lib/schoolnet"
        config = root / "etc/schoolnet/agent.toml"
        config.parent.mkdir(exist_ok=True)
        config.write_text(tomli_w.dumps(data))
        config.chmod(0o644)  # install must fix this: mode 0600, owned by the service user
        service.install(root, bin_dir=Path(VENV) / "bin")
        units = root / "etc/systemd/system"
        (units / "schoolnet-audit.service.d").mkdir()
        (units / "schoolnet-audit.service.d/test.conf").write_text(DROP_IN)
        probe = (units / "schoolnet-audit.service").read_text().replace("ProtectHome=read-only", "ProtectHome=yes")
        probe = re.sub(r"(?m)^ExecStart=.*$", f"ExecStart={VENV}/bin/python {VENV}/journal_probe.py", probe)
        (units / "schoolnet-journal.service").write_text(probe)
        (root / "boot.sh").write_text(BOOT.format(root=root, venv=VENV, systemd=SYSTEMD))
        boot(lab, root)
        yield root


def boot(lab: Any, root: Path) -> None:
    """Run the namespaced systemd until the audit unit has stopped; then kill it and remove its cgroups."""
    cgroup = cgroup2_mount() / f"snsy-sd-{os.getpid()}"  # type: ignore[operator]
    cgroup.mkdir()
    with (root / "out/boot.log").open("wb") as boot_log:
        launcher = subprocess.Popen(
            ["sh", "-c",
             f"echo $$ > {cgroup}/cgroup.procs && exec ip netns exec {lab.agent_ns} unshare --cgroup --pid --fork "
             f"--kill-child --mount --uts --ipc --propagation private sh {root}/boot.sh"],
            stdout=boot_log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 180
            while not (root / "out/done").exists() and launcher.poll() is None and time.monotonic() < deadline:
                time.sleep(0.2)
            time.sleep(0.5)  # let journald write what it received
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(launcher.pid, signal.SIGKILL)  # --kill-child takes systemd and its children with it
            launcher.wait(timeout=30)
            for path in [*sorted(cgroup.rglob("*"), key=lambda p: len(p.parts), reverse=True), cgroup]:
                if path.is_dir():
                    until = time.monotonic() + 10
                    while True:
                        try:
                            path.rmdir()
                            break
                        except OSError:
                            if time.monotonic() > until:
                                raise
                            time.sleep(0.1)


def service_uid(root: Path) -> str:
    return next(line.split(":")[2] for line in (root / "etc/passwd").read_text().splitlines()
                if line.startswith("schoolnet:"))  # fmt: skip


@pytest.mark.skipif(shutil.which("setpriv") is None, reason="needs setpriv (util-linux)")
def test_shipped_unit_under_systemd_sweeps_the_lab(lab: Any, booted: Path) -> None:
    """The installed schoolnet-audit.service, started by a real systemd (PID 1 of its own namespaces, in the lab's
    agent network namespace): its sandbox (user, CAP_NET_RAW only, seccomp, MemoryDenyWriteExecute,
    RestrictAddressFamilies, ProtectSystem=strict, ...) lets ARP and SNMP through."""
    root = booted
    status = (root / "out/stderr").read_text(errors="replace") if (root / "out/stderr").exists() else ""
    assert (root / "out/done").exists(), (root / "out/boot.log").read_text(errors="replace")[-3000:] + status[-3000:]
    uid = service_uid(root)
    assert f"Uid:\t{uid}\t{uid}" in status, status[-3000:]
    for line in ("CapEff:\t0000000000002000", "CapBnd:\t0000000000002000", "NoNewPrivs:\t1", "Seccomp:\t2"):
        assert line in status, status[-3000:]
    docs = decode_all((root / "out/stdout").read_text())
    assert len(docs) == 2, status[-3000:]
    found, checks = docs[0], {c["name"]: c for c in docs[1]["checks"]}
    assert found["arp_available"] is True, status[-3000:]
    devices = {d["ip"]: d for d in found["devices"]}
    for node in lab.topo.snmp_nodes:
        assert node.ip in devices and devices[node.ip]["snmp_status"] in ("ok", "partial"), node
    assert [d for d in found["devices"] if d["found_by"] == ["arp"]]
    for name in ("service_exec", "capabilities", "raw_socket", "snmp_gateway", "config_permissions", "config_owner",
                 "state_dir"):  # fmt: skip
        assert checks[name]["status"] == "ok", checks[name]
    print(f"under systemd as uid {uid}: {len(devices)} devices; doctor: capabilities, raw socket, SNMP all ok")


@pytest.mark.skipif(shutil.which("journalctl") is None, reason="needs journalctl")
def test_journal_gets_structured_records_from_the_sandbox(booted: Path) -> None:
    """agent.logs under the unit's sandbox: stderr is the journal stream, records arrive with fields, secret masked."""
    proc = subprocess.run(
        [JOURNALCTL, "--directory", str(booted / "journal"), "--output", "json", "--no-pager"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    entries = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert entries, proc.stderr + (booted / "out/boot.log").read_text(errors="replace")[-2000:]
    # (journald in the namespace cannot map a short-lived process to its unit: select the service user's entries)
    probe = [e for e in entries if e.get("_UID") == service_uid(booted)]
    seen = [(e.get("_TRANSPORT"), str(e.get("MESSAGE"))[:200]) for e in entries]
    assert any(e.get("MESSAGE") == "journal" and e.get("_TRANSPORT") == "stdout" for e in probe), seen
    (record,) = [e for e in probe if e.get("SCHOOLNET_RUN_ID") == "snsy-run-1"]
    assert record["MESSAGE"] == "device 10.74.0.1 refused community ***"
    assert record["PRIORITY"] == "4" and record["SYSLOG_IDENTIFIER"] == "schoolnet"
    assert record["SCHOOLNET_DEVICE_IP"] == "10.74.0.1" and record["SCHOOLNET_SCHOOL_ID"] == "LAB-SNSY"
    assert record["SCHOOLNET_LOGGER"] == "probes.discovery" and record["_TRANSPORT"] == "journal"
    assert SECRET not in proc.stdout
