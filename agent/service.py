"""Install, remove and inspect the systemd units that run the agent every night.

Everything happens below a root directory (``/`` on a real machine, a temporary directory in tests):
unit files in ``etc/systemd/system``, the ``schoolnet`` system user (from ``etc/sysusers.d``), the state,
config and log directories. ``install`` is idempotent and never touches the state directory's contents,
so the spool and earlier evidence survive a reinstall; ``uninstall`` keeps config and evidence unless
``purge`` is asked for. ``systemctl`` is asked to reload and start timers only when systemd runs this
machine and the root is ``/``; otherwise the timers are enabled offline (``systemctl --root``) and the
result says so.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import stat
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.errors import RuntimeFailure, UsageError
from agent.paths import UNITS_DIR

UNITS_SOURCE = UNITS_DIR
PLACEHOLDER_BIN = "/usr/local/bin"
# Where a system package (the .deb) ships its units: Debian 12 uses /lib (the same directory on merged /usr).
PACKAGED_UNIT_DIRS = ("/lib/systemd/system", "/usr/lib/systemd/system")
USER = "schoolnet"
DISTRICT_USER = "schoolnet-district"

AGENT_UNITS = ("schoolnet-audit.service", "schoolnet-audit.timer", "schoolnet-upload.service", "schoolnet-upload.timer")
AGENT_TIMERS = ("schoolnet-audit.timer", "schoolnet-upload.timer")
DISTRICT_UNITS = ("schoolnet-district.service",)
HOME_PREFIXES = ("/home/", "/root/", "/run/user/")

_EXEC = re.compile(r"^(Exec(?:Start|StartPre|StartPost|Stop|Reload)=[-@:+!]*)" + re.escape(PLACEHOLDER_BIN) + r"/")


@dataclass(frozen=True)
class Layout:
    """Where the service's files live below ``root``."""

    root: Path

    def at(self, absolute: str) -> Path:
        return self.root / absolute.lstrip("/")

    @property
    def unit_dir(self) -> Path:
        return self.at("/etc/systemd/system")

    @property
    def packaged_unit_dir(self) -> Path:
        """The first system unit directory holding the agent's units (the first one when none does)."""
        dirs = [self.at(d) for d in PACKAGED_UNIT_DIRS]
        return next((d for d in dirs if (d / AGENT_UNITS[0]).is_file()), dirs[0])

    @property
    def sysusers_dir(self) -> Path:
        return self.at("/etc/sysusers.d")

    @property
    def config_dir(self) -> Path:
        return self.at("/etc/schoolnet")

    @property
    def config_file(self) -> Path:
        return self.config_dir / "agent.toml"

    @property
    def state_dir(self) -> Path:
        return self.at("/var/lib/schoolnet")

    @property
    def logs_dir(self) -> Path:
        return self.at("/var/log/schoolnet")

    @property
    def district_dirs(self) -> list[Path]:
        return [self.at("/var/lib/schoolnet-district"), self.at("/var/log/schoolnet-district")]

    @property
    def is_host(self) -> bool:
        return self.root.resolve() == Path("/")


@dataclass
class Result:
    """What an install/uninstall did, line by line (``changed`` false on an idempotent repeat).

    ``actions`` and ``notes`` are English (for --json and logs); ``*_vi`` hold the same lines in Vietnamese.
    """

    actions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    actions_vi: list[str] = field(default_factory=list)
    notes_vi: list[str] = field(default_factory=list)
    changed: bool = False

    def did(self, en: str, vi: str) -> None:
        self.actions.append(en)
        self.actions_vi.append(vi)
        self.changed = True

    def note(self, en: str, vi: str) -> None:
        self.notes.append(en)
        self.notes_vi.append(vi)


def systemd_running() -> bool:
    """Whether systemd is PID 1 here (the documented sd_booted() test)."""
    return Path("/run/systemd/system").is_dir()


def installation_bin_dir() -> Path:
    """The directory holding this installation's ``schoolnet`` (the venv's bin)."""
    candidate = Path(sys.executable).parent
    if (candidate / "schoolnet").exists():
        return candidate
    found = shutil.which("schoolnet")
    if found:
        return Path(found).parent
    raise RuntimeFailure("cannot find this installation's `schoolnet` executable (is the package installed?)")


def _needs_home(bin_dir: Path) -> bool:
    """True when the executable or its interpreter lives under a home directory (hidden by ProtectHome=yes)."""
    paths = [bin_dir / "schoolnet", Path(sys.executable)]
    resolved = [str(p.resolve()) + "/" for p in paths] + [str(p) + "/" for p in paths]
    return any(r.startswith(HOME_PREFIXES) for r in resolved)


def _world_reachable(path: Path) -> bool:
    """Whether a user without privileges can reach and execute ``path`` (o+x on it and every parent)."""
    try:
        return all(p.stat().st_mode & 0o001 for p in (path, *path.parents))
    except OSError:
        return False


def closed_to_service(bin_dir: Path) -> list[Path]:
    """Files the service user must execute but cannot: the script or its interpreter (e.g. pyenv under /root)."""
    script = bin_dir / "schoolnet"
    paths = [script.resolve()]
    try:
        first = script.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        first = ""
    if first.startswith("#!") and first[2:].split():
        paths.append(Path(first[2:].split()[0]).resolve())
    return [p for p in paths if not _world_reachable(p)]


def _resolve_in(layout: Layout, absolute: str) -> str:
    """``absolute`` with its symlinks followed inside the layout's root (absolute targets stay in the root)."""
    current = absolute
    for _ in range(20):
        path = layout.at(current)
        if not path.is_symlink():
            return current
        target = os.readlink(path)
        current = target if target.startswith("/") else os.path.normpath(os.path.join(os.path.dirname(current), target))
    return current


def packaged_units(layout: Layout, bin_dir: Path) -> bool:
    """Whether a system package ships the agent's units for THIS installation (the Debian package does).

    Then ``install`` enables the packaged units instead of writing copies to /etc/systemd/system, so removing
    the package takes them along. Units of another installation (a venv beside the package) do not count.
    """
    unit_dir = layout.packaged_unit_dir
    if not all((unit_dir / name).is_file() for name in AGENT_UNITS):
        return False
    match = re.search(r"(?m)^ExecStart=[-@:+!]*(/\S+)", (unit_dir / AGENT_UNITS[0]).read_text(encoding="utf-8"))
    if match is None:
        return False
    ours = str(bin_dir / "schoolnet")
    if layout.is_host:
        return os.path.realpath(match.group(1)) == os.path.realpath(ours)
    return _resolve_in(layout, match.group(1)) == _resolve_in(layout, ours)


def render_unit(name: str, bin_dir: Path) -> str:
    """The unit file ``name`` with ExecStart= pointing at ``bin_dir``."""
    source = UNITS_SOURCE / name
    if not source.is_file():
        raise RuntimeFailure(f"unit template {source} is missing from this installation")
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        line = _EXEC.sub(lambda m: m.group(1) + str(bin_dir) + "/", line)
        if line == "ProtectHome=yes" and _needs_home(bin_dir):
            lines.append("# The installation lives under a home directory: read-only instead of hidden.")
            line = "ProtectHome=read-only"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _write_if_changed(path: Path, text: str, result: Result, mode: int = 0o644) -> None:
    if path.is_file() and path.read_text(encoding="utf-8") == text:
        return
    en, vi = ("updated", "cập nhật") if path.exists() else ("wrote", "đã ghi")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.chmod(mode)
    tmp.replace(path)
    result.did(f"{en} {path}", f"{vi} {path}")


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(list(argv), capture_output=True, text=True, check=False, timeout=120)
    if proc.returncode != 0:
        raise RuntimeFailure(f"{' '.join(argv)} failed: {(proc.stderr or proc.stdout).strip()}")
    return proc


def lookup_user(layout: Layout, name: str) -> tuple[int, int] | None:
    """(uid, gid) of ``name`` in the root's /etc/passwd, or None."""
    if layout.is_host:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            return None
        return entry.pw_uid, entry.pw_gid
    passwd = layout.at("/etc/passwd")
    if not passwd.is_file():
        return None
    for line in passwd.read_text(encoding="utf-8").splitlines():
        parts = line.split(":")
        if len(parts) >= 4 and parts[0] == name:
            return int(parts[2]), int(parts[3])
    return None


def ensure_user(layout: Layout, name: str, sysusers_source: str, result: Result) -> tuple[int, int] | None:
    """Create the system user (systemd-sysusers, else useradd); return its (uid, gid)."""
    conf = layout.sysusers_dir / f"{name}.conf"
    _write_if_changed(conf, (UNITS_SOURCE / sysusers_source).read_text(encoding="utf-8"), result)
    if lookup_user(layout, name) is None:
        if os.geteuid() != 0:
            result.note(f"not root: user {name!r} not created", f"không phải root: chưa tạo người dùng {name!r}")
            return None
        sysusers = shutil.which("systemd-sysusers")
        if sysusers:
            # with --root, sysusers reads the root's own sysusers.d (a file argument would be resolved twice)
            argv = [sysusers, str(conf)] if layout.is_host else [sysusers, f"--root={layout.root}"]
            _run(argv)
        elif layout.is_host and shutil.which("useradd"):
            home = layout.at("/var/lib") / name
            _run(["useradd", "--system", "--user-group", "--home-dir", str(home), "--no-create-home",
                  "--shell", "/usr/sbin/nologin", name])  # fmt: skip
        else:
            raise RuntimeFailure("cannot create a system user: neither systemd-sysusers nor useradd is available")
        ids = lookup_user(layout, name)
        if ids is None:
            raise RuntimeFailure(f"creating system user {name!r} did not work")
        result.did(f"created system user {name} (uid {ids[0]})", f"đã tạo người dùng hệ thống {name} (uid {ids[0]})")
    return lookup_user(layout, name)


def _ensure_dir(path: Path, mode: int, owner: tuple[int, int] | None, result: Result) -> None:
    if not path.is_dir():
        path.mkdir(parents=True, mode=mode)
        result.did(f"created {path}", f"đã tạo {path}")
    st = path.stat()
    if stat.S_IMODE(st.st_mode) != mode:
        path.chmod(mode)
        result.did(f"set mode {mode:04o} on {path}", f"đặt quyền {mode:04o} cho {path}")
    if owner is not None and os.geteuid() == 0 and (st.st_uid, st.st_gid) != owner:
        os.chown(path, *owner)
        result.did(f"gave {path} to uid {owner[0]}", f"giao {path} cho uid {owner[0]}")


def _secure_config(layout: Layout, owner: tuple[int, int] | None, result: Result) -> None:
    path = layout.config_file
    if not path.is_file():
        result.note(
            f"no config yet: write one with `schoolnet config init {path}` (it is created mode 0600)",
            f"chưa có tệp cấu hình: tạo bằng `schoolnet config init {path}` (tệp được tạo với quyền 0600)",
        )
        return
    st = path.stat()
    if stat.S_IMODE(st.st_mode) & 0o077:
        path.chmod(stat.S_IMODE(st.st_mode) & 0o600)
        result.did(
            f"removed group/other access from {path} (it may hold secrets)",
            f"bỏ quyền đọc của nhóm/người khác trên {path} (tệp có thể chứa bí mật)",
        )
    if owner is not None and os.geteuid() == 0 and (st.st_uid, st.st_gid) != owner:
        os.chown(path, *owner)
        result.did(
            f"gave {path} to the service user so the nightly run can read it",
            f"giao {path} cho người dùng dịch vụ để lần chạy hằng đêm đọc được",
        )


def _enable(layout: Layout, timers: Sequence[str], result: Result, *, enable: bool,
            target_dir: str = "/etc/systemd/system") -> None:
    wants = layout.unit_dir / "timers.target.wants"
    live = layout.is_host and systemd_running()
    systemctl = shutil.which("systemctl")
    pending = [t for t in timers if (wants / t).is_symlink() != enable]
    if live and systemctl:
        if enable:
            _run([systemctl, "daemon-reload"])
            _run([systemctl, "enable", "--now", *timers])
        else:
            _run([systemctl, "disable", "--now", *timers])
    elif pending and systemctl:
        _run([systemctl, f"--root={layout.root}", "enable" if enable else "disable", *pending])
    elif pending:  # no systemctl at all: the symlinks `systemctl enable` would make
        for timer in pending:
            link = wants / timer
            if enable:
                wants.mkdir(parents=True, exist_ok=True)
                link.symlink_to(f"{target_dir}/{timer}")
            else:
                link.unlink()
    for timer in pending:
        result.did(f"{'enabled' if enable else 'disabled'} {timer}", f"{'đã bật' if enable else 'đã tắt'} {timer}")
    if not live:
        if enable:
            result.note(
                "systemd is not running this machine (or --root was given): files written, timers enabled for the "
                "next boot, nothing started",
                "systemd không chạy trên máy này (hoặc có --root): đã ghi tệp, bật bộ hẹn giờ cho lần khởi động sau, "
                "chưa chạy gì",
            )
        else:
            result.note(
                "systemd is not running this machine (or --root was given): nothing to stop",
                "systemd không chạy trên máy này (hoặc có --root): không có gì để dừng",
            )


def install(root: Path = Path("/"), *, district: bool = False, bin_dir: Path | None = None) -> Result:
    """Install (or bring up to date) the units, the user, the directories; enable the timers."""
    layout = Layout(Path(root).absolute())
    if not layout.root.is_dir():
        raise UsageError(f"{root}: no such directory")
    result = Result()
    bin_dir = bin_dir or installation_bin_dir()
    packaged = packaged_units(layout, bin_dir)
    units = [*(() if packaged else AGENT_UNITS), *(DISTRICT_UNITS if district else ())]
    for name in units:
        _write_if_changed(layout.unit_dir / name, render_unit(name, bin_dir), result)
    if packaged:
        result.note(
            f"the Debian package ships the units in {layout.packaged_unit_dir}: enabling those (no copy in /etc)",
            f"gói Debian đã cài các unit trong {layout.packaged_unit_dir}: bật các unit đó (không chép vào /etc)",
        )
    if _needs_home(bin_dir):
        result.note(
            f"this installation ({bin_dir}) or its Python lies under a home directory: the units use "
            "ProtectHome=read-only; install into /opt or /usr/local for the full sandbox",
            f"bản cài đặt ({bin_dir}) hoặc Python của nó nằm trong thư mục home: các unit dùng "
            "ProtectHome=read-only; hãy cài vào /opt hoặc /usr/local để có hộp cát đầy đủ",
        )
    for path in closed_to_service(bin_dir):
        result.note(
            f"the service user cannot execute {path} (a directory above it is closed to other users, e.g. a pyenv "
            "Python under /root): build the venv from /usr/bin/python3 in /opt, or the nightly run fails with 203/EXEC",
            f"người dùng dịch vụ không chạy được {path} (một thư mục phía trên đóng với người khác, ví dụ Python của "
            "pyenv trong /root): hãy tạo venv từ /usr/bin/python3 trong /opt, nếu không lần chạy đêm sẽ lỗi 203/EXEC",
        )
    owner = ensure_user(layout, USER, "schoolnet.sysusers.conf", result)
    _ensure_dir(layout.config_dir, 0o755, None, result)
    _ensure_dir(layout.state_dir, 0o700, owner, result)
    for sub in ("spool", "out"):
        _ensure_dir(layout.state_dir / sub, 0o700, owner, result)
    _ensure_dir(layout.logs_dir, 0o700, owner, result)
    _secure_config(layout, owner, result)
    if district:
        downer = ensure_user(layout, DISTRICT_USER, "schoolnet-district.sysusers.conf", result)
        _ensure_dir(layout.at("/etc/schoolnet-district"), 0o755, None, result)
        for path in layout.district_dirs:
            _ensure_dir(path, 0o700, downer, result)
    _enable(layout, AGENT_TIMERS, result, enable=True,
            target_dir="/" + str(layout.packaged_unit_dir.relative_to(layout.root)) if packaged
            else "/etc/systemd/system")
    if district and layout.is_host and systemd_running() and shutil.which("systemctl"):
        _run(["systemctl", "enable", "--now", *DISTRICT_UNITS])
    elif district:
        systemctl = shutil.which("systemctl")
        if systemctl and not (layout.unit_dir / "multi-user.target.wants" / DISTRICT_UNITS[0]).is_symlink():
            _run([systemctl, f"--root={layout.root}", "enable", *DISTRICT_UNITS])
            result.did(f"enabled {DISTRICT_UNITS[0]}", f"đã bật {DISTRICT_UNITS[0]}")
    return result


def _remove_user(layout: Layout, name: str, result: Result) -> None:
    if lookup_user(layout, name) is None:
        return
    argv = ["userdel"] + ([] if layout.is_host else ["--root", str(layout.root)]) + [name]
    if shutil.which("userdel"):
        _run(argv)
        result.did(f"removed system user {name}", f"đã xoá người dùng hệ thống {name}")
    else:
        result.note(f"userdel is missing: remove user {name} by hand", f"thiếu userdel: hãy tự xoá người dùng {name}")


def uninstall(root: Path = Path("/"), *, purge: bool = False) -> Result:
    """Disable the timers and remove the units; with ``purge`` also config, evidence, logs and the user."""
    layout = Layout(Path(root).absolute())
    result = Result()
    present = [t for t in AGENT_TIMERS if (layout.unit_dir / t).exists() or (layout.packaged_unit_dir / t).exists()]
    if present:
        _enable(layout, present, result, enable=False)
    district_link = layout.unit_dir / "multi-user.target.wants" / DISTRICT_UNITS[0]
    if district_link.is_symlink():
        district_link.unlink()
        result.did(f"disabled {DISTRICT_UNITS[0]}", f"đã tắt {DISTRICT_UNITS[0]}")
    for name in (*AGENT_UNITS, *DISTRICT_UNITS):
        path = layout.unit_dir / name
        if path.exists():
            path.unlink()
            result.did(f"removed {path}", f"đã xoá {path}")
    if result.changed and layout.is_host and systemd_running() and shutil.which("systemctl"):
        _run(["systemctl", "daemon-reload"])
    if purge:
        for path in (layout.config_dir, layout.state_dir, layout.logs_dir, *layout.district_dirs,
                     layout.at("/etc/schoolnet-district")):  # fmt: skip
            if path.exists():
                shutil.rmtree(path)
                result.did(f"deleted {path}", f"đã xoá {path}")
        for name, conf in ((USER, "schoolnet.conf"), (DISTRICT_USER, "schoolnet-district.conf")):
            _remove_user(layout, name, result)
            if (layout.sysusers_dir / conf).exists():
                (layout.sysusers_dir / conf).unlink()
                result.did(f"removed {layout.sysusers_dir / conf}", f"đã xoá {layout.sysusers_dir / conf}")
    else:
        kept = [p for p in (layout.config_dir, layout.state_dir, layout.logs_dir) if p.exists()]
        if kept:
            shown = ", ".join(map(str, kept))
            result.note(
                f"kept config and evidence: {shown} (--purge deletes them)",
                f"giữ lại cấu hình và minh chứng: {shown} (--purge để xoá)",
            )
    return result


def _mode_owner(path: Path) -> dict[str, Any]:
    try:
        st = path.stat()
    except OSError:
        return {"path": str(path), "exists": False}
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    return {"path": str(path), "exists": True, "mode": f"{stat.S_IMODE(st.st_mode):04o}", "owner": owner}


def _systemctl_show(unit: str) -> dict[str, str]:
    props = "ActiveState,Result,LastTriggerUSec,NextElapseUSecRealtime,ExecMainStatus,ExecMainExitTimestamp"
    proc = subprocess.run(
        ["systemctl", "show", unit, f"--property={props}"], capture_output=True, text=True, check=False, timeout=30
    )
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


def status(root: Path = Path("/"), bin_dir: Path | None = None) -> dict[str, Any]:
    """What is installed, enabled and running; the last runs and the spool (plain data for --json)."""
    from agent.runlock import current_holder

    layout = Layout(Path(root).absolute())
    try:
        bin_dir = bin_dir or installation_bin_dir()
    except RuntimeFailure:
        bin_dir = None
    units: dict[str, str] = {}
    for name in (*AGENT_UNITS, *DISTRICT_UNITS):
        path = layout.unit_dir / name
        if not path.is_file():
            units[name] = "installed (package)" if (layout.packaged_unit_dir / name).is_file() else "missing"
        elif bin_dir is not None and path.read_text(encoding="utf-8") != render_unit(name, bin_dir):
            units[name] = "outdated (run `schoolnet service install` again)"
        else:
            units[name] = "installed"
    wants = layout.unit_dir / "timers.target.wants"
    spool = layout.state_dir / "spool"
    out = layout.state_dir / "out"
    try:
        spooled = sorted(p.name for p in spool.iterdir() if not p.name.startswith("."))
        runs = sorted((p.name for p in out.iterdir() if p.is_dir()), reverse=True)
    except OSError:
        spooled, runs = [], []
    holder = current_holder(layout.state_dir)
    live = layout.is_host and systemd_running()
    user = lookup_user(layout, USER)
    data: dict[str, Any] = {
        "root": str(layout.root),
        "systemd_running": live,
        "units": units,
        "timers_enabled": {t: (wants / t).is_symlink() for t in AGENT_TIMERS},
        "user": {"name": USER, "uid": user[0] if user else None},
        "paths": {
            "config": _mode_owner(layout.config_file),
            "state": _mode_owner(layout.state_dir),
            "logs": _mode_owner(layout.logs_dir),
        },
        "spool": {"count": len(spooled), "items": spooled[:20]},
        "runs": {"count": len(runs), "latest": runs[:5]},
        "running": holder.__dict__ if holder else None,
    }
    if live and shutil.which("systemctl"):
        data["systemd"] = {u: _systemctl_show(u) for u in ("schoolnet-audit.timer", "schoolnet-audit.service",
                                                            "schoolnet-upload.timer")}  # fmt: skip
    return data
