"""The Debian package: scripts/build-deb.sh builds it, lintian finds no error, and it installs like real software.

The install runs in a throw-away root: a private mount namespace lays an overlay over this machine's / (all
writes land in a tmpfs and vanish), with a fresh network namespace holding only loopback (the audit there sees
no LAN at all), and chroots into it. There `apt-get install ./schoolnet-audit_*.deb` (offline: no network)
runs the real maintainer scripts; then `schoolnet --version`, `config init`, `doctor`, `service install`, an
audit (no LAN, bandwidth or Wi-Fi) whose signed bundle `verify` accepts, `apt-get remove` (evidence and spool
stay) and `apt-get purge` (they go).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent import __version__
from agent.paths import PROJECT_ROOT

pytestmark = pytest.mark.slow

TOOLS = ("dpkg-buildpackage", "dh", "lintian", "unshare", "chroot", "apt-get")


def skip_reason() -> str | None:
    if os.geteuid() != 0:
        return "building and installing the .deb needs root (mount namespaces, chroot)"
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        return f"missing {', '.join(missing)}: run scripts/setup.sh as root"
    if not (PROJECT_ROOT / "scripts/build-deb.sh").is_file():
        return "not a source checkout"
    return None


@pytest.fixture(scope="module")
def deb() -> Iterator[Path]:
    reason = skip_reason()
    if reason:
        pytest.skip(reason)
    with tempfile.TemporaryDirectory(prefix="sndeb-") as name:
        out = Path(name)
        proc = subprocess.run(
            ["bash", str(PROJECT_ROOT / "scripts/build-deb.sh"), str(out)],
            capture_output=True, text=True, timeout=900, check=False, env={**os.environ, "PYTHON": sys.executable},
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        debs = list(out.glob(f"schoolnet-audit_{__version__}_*.deb"))
        assert len(debs) == 1, debs
        yield debs[0]


def test_lintian_reports_no_error(deb: Path) -> None:
    proc = subprocess.run(
        ["lintian", "--fail-on", "error", str(deb)], capture_output=True, text=True, timeout=600, check=False
    )
    errors = [line for line in proc.stdout.splitlines() if line.startswith("E:")]
    assert proc.returncode == 0 and not errors, proc.stdout[-3000:] + proc.stderr[-2000:]


def test_package_contents(deb: Path) -> None:
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./usr/lib/schoolnet-audit/bin/schoolnet", "./usr/bin/schoolnet",
                 "./usr/lib/sysusers.d/schoolnet.conf", "./lib/systemd/system/schoolnet-audit.service",
                 "./lib/systemd/system/schoolnet-audit.timer", "./usr/share/man/man1/schoolnet.1.gz",
                 "./usr/share/doc/schoolnet-audit/operations.md", "site-packages/config/agent.toml.template",
                 "site-packages/agent/units/schoolnet-audit.service"):  # fmt: skip
        assert path in listing, path
    assert "__pycache__" not in listing
    unit = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True).stdout
    assert b"ExecStart=/usr/bin/schoolnet audit" in unit


OUTER = """set -e
T=$1
mount --make-rprivate /
mount -t tmpfs tmpfs "$T"
mkdir -p "$T/upper" "$T/work" "$T/root"
mount -t overlay overlay -o "lowerdir=/,upperdir=$T/upper,workdir=$T/work" "$T/root"
mount -t proc proc "$T/root/proc"
mount --rbind /dev "$T/root/dev"
mount -t tmpfs tmpfs "$T/root/tmp"
mount -t tmpfs tmpfs "$T/root/run"
cp "$2" "$T/root/tmp/"
ip link set lo up
exec chroot "$T/root" /bin/sh -s
"""

INNER = """set -e
export DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin
say() { echo "== $*"; }
# a machine that never had the agent: no earlier config, state or user (in the overlay only)
rm -rf /etc/schoolnet /var/lib/schoolnet /var/log/schoolnet /etc/sysusers.d/schoolnet.conf
if id schoolnet >/dev/null 2>&1; then userdel schoolnet; fi
apt-get install -y -q --no-install-recommends /tmp/schoolnet-audit_*.deb >/tmp/apt.log 2>&1 \\
  || { cat /tmp/apt.log; exit 1; }
say which; command -v schoolnet
say version; schoolnet --version
say user; id -u schoolnet
say state; stat -c '%U %a' /var/lib/schoolnet
schoolnet --lang en config init --school-id 79000101 --school-name "Truong thu" >/dev/null
schoolnet --lang en service install >/dev/null
say timers; ls /etc/systemd/system/timers.target.wants/
say doctor; schoolnet --lang en doctor --json || true
say audit; schoolnet --lang en audit --no-upload --skip-bandwidth --skip-wifi >/tmp/audit.log 2>&1 && echo 0 || echo $?
say runs; ls /var/lib/schoolnet/out/*/
say verify; schoolnet --lang en verify /var/lib/schoolnet/out/*/evidence.json >/dev/null && echo ok
touch /var/lib/schoolnet/spool/waiting.json
apt-get remove -y -q schoolnet-audit >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
say removed; ls /usr/bin/schoolnet /usr/lib/schoolnet-audit /var/lib/schoolnet/spool 2>&1 || true
apt-get purge -y -q schoolnet-audit >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
say purged; ls -d /var/lib/schoolnet /etc/schoolnet /var/log/schoolnet 2>&1 || true
say end
"""


def sections(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    name = None
    for line in text.splitlines():
        if line.startswith("== "):
            name = line[3:].strip()
            found[name] = ""
        elif name is not None:
            found[name] += line + "\n"
    return found


def test_installs_runs_removes_and_purges(deb: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="sndeb-root-") as name:
        mountpoint = Path(name) / "t"
        mountpoint.mkdir()
        (Path(name) / "outer.sh").write_text(OUTER)
        proc = subprocess.run(
            ["unshare", "--mount", "--net", "--fork", "sh", str(Path(name) / "outer.sh"), str(mountpoint), str(deb)],
            input=INNER, capture_output=True, text=True, timeout=600, check=False,
        )  # fmt: skip
    out = sections(proc.stdout)
    assert proc.returncode == 0 and "end" in out, proc.stdout[-4000:] + proc.stderr[-3000:]
    assert out["which"].strip() == "/usr/bin/schoolnet"
    assert __version__ in out["version"]
    assert int(out["user"]) > 0
    assert out["state"].split() == ["schoolnet", "700"]
    assert {"schoolnet-audit.timer", "schoolnet-upload.timer"} <= set(out["timers"].split())
    checks = {c["name"]: c for c in json.loads(out["doctor"])["checks"]}
    assert checks, out["doctor"]
    for name in ("config", "config_permissions", "config_owner", "service_exec", "state_dir"):
        assert checks[name]["status"] == "ok", checks[name]
    assert out["audit"].split()[-1] in ("0", "1"), out["audit"]
    assert {"evidence.json", "report.html", "report.pdf", "inventory.csv"} <= set(out["runs"].split())
    assert out["verify"].strip() == "ok"
    removed = out["removed"]
    gone = [line for line in removed.splitlines() if "No such file" in line]
    assert any("/usr/bin/schoolnet" in line for line in gone), removed
    assert any("/usr/lib/schoolnet-audit" in line for line in gone), removed
    assert "waiting.json" in removed  # apt remove keeps the spool
    purged = out["purged"]
    for path in ("/var/lib/schoolnet", "/etc/schoolnet", "/var/log/schoolnet"):
        assert any(path in line and "No such file" in line for line in purged.splitlines()), purged
