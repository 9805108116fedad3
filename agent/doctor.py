"""`schoolnet doctor`: is this machine ready to audit every night? Each problem comes with its fix.

Checks: the config (readable, valid, not readable by others when it holds secrets), privileges
(CAP_NET_RAW in the effective set), raw sockets (an AF_PACKET socket is opened and closed; nothing is
sent), SNMP reach to the default gateway (one GET of sysObjectID, only when credentials are configured),
the district (GET /api/v1/health) and the clock skew against the district's Date header, the state
directory (present, writable, free space), and the external tools. A check is ``ok``, ``skip`` (not
relevant here), ``info`` (worth knowing, not a problem), ``warn`` or ``fail``; the machine is well when
no check warns or fails.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import re
import shutil
import socket
import subprocess
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal

from agent import config as config_mod
from agent.config import Config
from agent.errors import ConfigError
from agent.paths import DEFAULT_CONFIG

Status = Literal["ok", "skip", "info", "warn", "fail"]
Text = Callable[[str, str], str]

CAP_NET_RAW = 13
ETH_P_ARP = 0x0806
SYS_OBJECT_ID = (1, 3, 6, 1, 2, 1, 1, 2, 0)
SKEW_WARN_S = 60.0
SKEW_FAIL_S = 300.0
DISK_WARN = 1024**3
DISK_FAIL = 200 * 1024**2
SERVICE_USER = "schoolnet"
SERVICE_STATE = Path("/var/lib/schoolnet")


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str
    fix: str = ""

    @property
    def problem(self) -> bool:
        return self.status in ("warn", "fail")


@dataclass(frozen=True)
class Tool:
    """An external program: what needs it decides whether its absence is a problem."""

    name: str
    package: str
    version_args: tuple[str, ...]
    needed_when: Callable[[Config], bool]
    purpose_vi: str
    purpose_en: str


TOOLS = (
    Tool(
        "iperf3",
        "iperf3",
        ("--version",),
        lambda c: "iperf3" in c.bandwidth.engines,
        "đo băng thông bằng iperf3",
        "iperf3 bandwidth tests",
    ),
    Tool("iw", "iw", ("--version",), lambda c: c.wifi.scan, "quét Wi-Fi", "Wi-Fi scans"),
    Tool("nmap", "nmap", ("--version",), lambda c: False, "quét bổ sung (tùy chọn)", "optional extra scans"),
    Tool(
        "snmpd",
        "snmpd",
        ("-v",),
        lambda c: False,
        "mạng mô phỏng (lab) - không cần trên máy trường",
        "the simulated lab only - not needed at a school",
    ),
)


# --------------------------------------------------------------------------- config


def config_location(explicit: str | None) -> tuple[Path, bool]:
    if explicit:
        return Path(explicit), True
    return Path(os.environ.get("SCHOOLNET_CONFIG", DEFAULT_CONFIG)), False


def load_config(path: Path, explicit: bool, t: Text) -> tuple[Config, list[Check]]:
    """Parse the config without refusing it for its mode (that is reported as a check). ConfigError -> exit 2."""
    if not path.exists():
        if explicit:
            raise ConfigError(f"{path}: no such config file (create one with `schoolnet config init {path}`)")
        return Config(), [
            Check(
                "config",
                "warn",
                t(f"chưa có tệp cấu hình {path}: dùng giá trị mặc định", f"no config file at {path}: using defaults"),
                f"schoolnet config init {path}",
            )
        ]
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    config = config_mod.parse(data, str(path))
    checks = [Check("config", "ok", t(f"{path} hợp lệ", f"{path} is valid"))]
    try:
        config_mod.check_permissions(path, config)
        mode = f"{path.stat().st_mode & 0o777:04o}"
        checks.append(Check("config_permissions", "ok", t(f"quyền {mode}", f"mode {mode}")))
    except ConfigError:
        mode = f"{path.stat().st_mode & 0o777:04o}"
        checks.append(
            Check(
                "config_permissions",
                "fail",
                t(
                    f"{path} chứa bí mật nhưng nhóm/người khác đọc được (quyền {mode})",
                    f"{path} holds secrets but group/others can read it (mode {mode})",
                ),
                f"chmod 600 {path}",
            )
        )
    checks.append(_config_owner(path, t))
    return config, checks


def _config_owner(path: Path, t: Text) -> Check:
    try:
        user = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        return Check("config_owner", "skip", t("chưa cài dịch vụ", "the service is not installed"))
    st = path.stat()
    if st.st_uid in (user.pw_uid,) or (st.st_mode & 0o004):
        return Check("config_owner", "ok", t("dịch vụ đọc được tệp", "the service can read the file"))
    return Check(
        "config_owner",
        "warn",
        t(
            f"người dùng dịch vụ {SERVICE_USER} không đọc được {path}",
            f"the service user {SERVICE_USER} cannot read {path}",
        ),
        f"chown {SERVICE_USER}:{SERVICE_USER} {path} && chmod 600 {path}",
    )


def check_service_exec(t: Text) -> Check:
    """When the service is installed: can its user execute this installation (script and interpreter)?"""
    from agent.service import closed_to_service, installation_bin_dir

    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        return Check("service_exec", "skip", t("chưa cài dịch vụ", "the service is not installed"))
    closed = closed_to_service(installation_bin_dir())
    if not closed:
        return Check("service_exec", "ok", t("dịch vụ chạy được chương trình", "the service user can run schoolnet"))
    shown = ", ".join(map(str, closed))
    return Check(
        "service_exec",
        "fail",
        t(f"người dùng {SERVICE_USER} không chạy được {shown}", f"the {SERVICE_USER} user cannot execute {shown}"),
        t(
            "tạo venv từ /usr/bin/python3 trong /opt rồi chạy lại `schoolnet service install`",
            "build the venv from /usr/bin/python3 under /opt, then run `schoolnet service install` again",
        ),
    )


# --------------------------------------------------------------------------- privileges


def effective_caps(status_text: str | None = None) -> int:
    """The effective capability set of this process (from /proc/self/status)."""
    if status_text is None:
        status_text = Path("/proc/self/status").read_text(encoding="ascii")
    match = re.search(r"^CapEff:\s*([0-9a-fA-F]+)$", status_text, re.MULTILINE)
    return int(match.group(1), 16) if match else 0


def check_capabilities(config: Config, t: Text) -> Check:
    caps = effective_caps()
    who = (
        "root"
        if os.geteuid() == 0
        else pwd.getpwuid(os.geteuid()).pw_name
        if _has_pw(os.geteuid())
        else str(os.geteuid())
    )
    if caps & (1 << CAP_NET_RAW):
        extra = caps & ~(1 << CAP_NET_RAW)
        note = (
            "" if os.geteuid() == 0 or not extra else t(" (và quyền khác: nên bớt)", " (and others: more than needed)")
        )
        return Check("capabilities", "ok", t(f"{who}: có CAP_NET_RAW", f"{who}: CAP_NET_RAW is effective") + note)
    if not config.scan.arp:
        return Check("capabilities", "skip", t("quét ARP đã tắt: không cần CAP_NET_RAW", "ARP sweep is off: no need"))
    return Check(
        "capabilities",
        "fail",
        t(f"{who}: thiếu CAP_NET_RAW, không quét ARP được", f"{who}: no CAP_NET_RAW, the ARP sweep cannot run"),
        t(
            "chạy qua dịch vụ (`sudo schoolnet service install`, có AmbientCapabilities=CAP_NET_RAW) hoặc `sudo`",
            "run through the service (`sudo schoolnet service install` grants CAP_NET_RAW) or with sudo",
        ),
    )


def _has_pw(uid: int) -> bool:
    try:
        pwd.getpwuid(uid)
    except KeyError:
        return False
    return True


def check_raw_socket(config: Config, t: Text) -> Check:
    """Open (and close) an AF_PACKET socket for ARP; nothing is sent."""
    try:
        sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ARP))
    except PermissionError:
        status: Status = "fail" if config.scan.arp else "skip"
        return Check(
            "raw_socket",
            status,
            t("không mở được socket AF_PACKET (thiếu quyền)", "cannot open an AF_PACKET socket (not permitted)"),
            t("cần CAP_NET_RAW (xem dòng trên)", "needs CAP_NET_RAW (see above)"),
        )
    except OSError as exc:
        return Check(
            "raw_socket",
            "fail" if config.scan.arp else "skip",
            t(f"không mở được socket AF_PACKET: {exc.strerror}", f"cannot open an AF_PACKET socket: {exc.strerror}"),
            t(
                "kiểm tra RestrictAddressFamilies= của dịch vụ có AF_PACKET",
                "check that the unit's RestrictAddressFamilies= includes AF_PACKET",
            ),
        )
    sock.close()
    return Check("raw_socket", "ok", t("mở được socket AF_PACKET (ARP)", "AF_PACKET socket opens (ARP)"))


# --------------------------------------------------------------------------- SNMP to the gateway


def default_gateway(route_text: str | None = None) -> str | None:
    """The IPv4 default gateway from /proc/net/route (None when there is none)."""
    if route_text is None:
        try:
            route_text = Path("/proc/net/route").read_text(encoding="ascii")
        except OSError:
            return None
    for line in route_text.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 4 and parts[1] == "00000000" and int(parts[3], 16) & 0x2:
            return socket.inet_ntoa(int(parts[2], 16).to_bytes(4, "little"))
    return None


async def _snmp_get(config: Config, host: str) -> tuple[str, str, str]:
    """(outcome, value or error, credential label) for the first credential that gets an answer."""
    from probes.snmp.client import SnmpClient

    outcome, detail, label = "timeout", "", ""
    async with SnmpClient(timeout_s=config.scan.snmp_timeout_s, retries=config.scan.snmp_retries) as client:
        for cred in config.snmp.credentials:
            session = await client.session(host, config.scan.snmp_port, cred)
            result = await client.get(session, [SYS_OBJECT_ID])
            outcome, label = result.outcome, cred.label
            if result.outcome == "ok":
                value = result.values.get(SYS_OBJECT_ID)
                return "ok", str(value) if value is not None else "(none)", label
            detail = result.error
    return outcome, detail, label


def check_snmp_gateway(config: Config, t: Text, gateway: str | None = None) -> Check:
    if not config.snmp.credentials:
        return Check("snmp_gateway", "skip", t("chưa cấu hình SNMP", "no SNMP credentials configured"))
    host = gateway or default_gateway()
    if host is None:
        return Check(
            "snmp_gateway",
            "warn",
            t("máy này không có cổng mặc định (default gateway)", "this machine has no default gateway"),
            t("kiểm tra mạng của máy (ip route)", "check this machine's network (ip route)"),
        )
    outcome, detail, label = asyncio.run(_snmp_get(config, host))
    if outcome == "ok":
        return Check(
            "snmp_gateway",
            "ok",
            t(f"{host} trả lời sysObjectID {detail} ({label})", f"{host} answered sysObjectID {detail} ({label})"),
        )
    if outcome == "auth":
        return Check(
            "snmp_gateway",
            "warn",
            t(f"{host} từ chối mọi thông tin xác thực SNMP", f"{host} rejected every configured SNMP credential"),
            t(
                "kiểm tra community / người dùng v3 trong [[snmp.credentials]]",
                "check the community / v3 user in [[snmp.credentials]]",
            ),
        )
    return Check(
        "snmp_gateway",
        "warn",
        t(
            f"{host} không trả lời SNMP ({outcome}{': ' + detail if detail else ''})",
            f"{host} did not answer SNMP ({outcome}{': ' + detail if detail else ''})",
        ),
        t(
            "bật SNMP (chỉ đọc) trên router cho địa chỉ của máy này, hoặc kiểm tra scan.snmp_port",
            "enable read-only SNMP on the router for this machine's address, or check scan.snmp_port",
        ),
    )


# --------------------------------------------------------------------------- district and clock


def check_district(config: Config, t: Text) -> list[Check]:
    url = config.district.url
    if not url:
        return [
            Check(
                "district",
                "warn",
                t(
                    "chưa có địa chỉ máy chủ phòng GD-ĐT: minh chứng chỉ nằm trong hàng đợi",
                    "no district URL: evidence stays in the local spool",
                ),
                t("đặt [district] url trong tệp cấu hình", "set [district] url in the config"),
            ),
            Check("clock", "skip", t("không có máy chủ để so giờ", "no district to compare the clock with")),
        ]
    import requests

    health = f"{url}/api/v1/health"
    verify: bool | str = str(config.district.ca_file) if config.district.ca_file else True
    proxies = {"http": config.district.proxy, "https": config.district.proxy} if config.district.proxy else None
    started = time.time()
    try:
        response = requests.get(
            health, timeout=min(config.district.timeout_s, 15.0), verify=verify, proxies=proxies, allow_redirects=False
        )
    except requests.RequestException as exc:
        reason = type(exc).__name__
        return [
            Check(
                "district",
                "fail",
                t(f"không kết nối được {health} ({reason})", f"cannot reach {health} ({reason})"),
                t(
                    "kiểm tra mạng/tường lửa tới máy chủ, [district] url, proxy và ca_file",
                    "check the network/firewall to the server, and [district] url, proxy and ca_file",
                ),
            ),
            Check("clock", "skip", t("máy chủ không trả lời", "the district did not answer")),
        ]
    ended = time.time()
    checks = []
    if 200 <= response.status_code < 300:
        checks.append(
            Check(
                "district",
                "ok",
                t(f"{health} trả lời {response.status_code}", f"{health} answered {response.status_code}"),
            )
        )
    else:
        checks.append(
            Check(
                "district",
                "fail",
                t(f"{health} trả lời {response.status_code}", f"{health} answered {response.status_code}"),
                t(
                    "kiểm tra [district] url (đúng máy chủ, đúng đường dẫn)",
                    "check [district] url (right server, right path)",
                ),
            )
        )
    checks.append(clock_check(response.headers.get("Date"), (started + ended) / 2, ended - started, t))
    return checks


def clock_check(date_header: str | None, local_mid: float, rtt: float, t: Text) -> Check:
    """Compare the district's Date header (1 s resolution) with this machine's clock."""
    if not date_header:
        return Check(
            "clock",
            "warn",
            t("máy chủ không gửi tiêu đề Date", "the district sent no Date header"),
            t("không kiểm tra được giờ", "the clock could not be checked"),
        )
    try:
        remote = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return Check("clock", "warn", t(f"tiêu đề Date lạ: {date_header!r}", f"odd Date header: {date_header!r}"))
    if remote.tzinfo is None:
        remote = remote.replace(tzinfo=UTC)
    skew = local_mid - remote.timestamp() - 0.5  # Date is truncated to the second: its midpoint is +0.5 s
    tolerance = 1.0 + rtt / 2
    shown = f"{skew:+.0f} s"
    if abs(skew) <= max(SKEW_WARN_S, tolerance):
        return Check("clock", "ok", t(f"lệch giờ so với máy chủ {shown}", f"clock skew against the district {shown}"))
    status: Status = "fail" if abs(skew) > SKEW_FAIL_S else "warn"
    now = datetime.fromtimestamp(local_mid, UTC).isoformat(timespec="seconds")
    return Check(
        "clock",
        status,
        t(
            f"giờ máy này lệch {shown} so với máy chủ (máy: {now}, máy chủ: {date_header})",
            f"this machine's clock is off by {shown} (here: {now}, district: {date_header})",
        ),
        t(
            "bật đồng bộ giờ: `timedatectl set-ntp true` (hoặc cài chrony)",
            "turn on time sync: `timedatectl set-ntp true` (or install chrony)",
        ),
    )


# --------------------------------------------------------------------------- state directory and disk


def check_state(config: Config, t: Text) -> list[Check]:
    state = config.agent.state_dir
    checks: list[Check] = []
    if not state.is_dir():
        checks.append(
            Check(
                "state_dir",
                "warn",
                t(f"chưa có thư mục dữ liệu {state}", f"the state directory {state} does not exist"),
                "sudo schoolnet service install" if state == SERVICE_STATE else f"mkdir -p -m 0700 {state}",
            )
        )
    elif not os.access(state, os.W_OK | os.X_OK):
        checks.append(
            Check(
                "state_dir",
                "fail",
                t(f"người dùng này không ghi được vào {state}", f"this user cannot write to {state}"),
                t(
                    f"chạy bằng người dùng {SERVICE_USER} (dịch vụ) hoặc root",
                    f"run as the {SERVICE_USER} user (the service) or root",
                ),
            )
        )
    else:
        checks.append(Check("state_dir", "ok", t(f"{state} ghi được", f"{state} is writable")))
    outside = [p for p in (config.agent.out_path, config.agent.spool_path) if not _below(p, state)]
    if outside and state == SERVICE_STATE:
        checks.append(
            Check(
                "state_paths",
                "warn",
                t(
                    f"dịch vụ chỉ ghi được trong {state}: {', '.join(map(str, outside))} nằm ngoài",
                    f"the service can write only below {state}: {', '.join(map(str, outside))} is outside",
                ),
                t(
                    "thêm ReadWritePaths= bằng `systemctl edit schoolnet-audit.service`",
                    "add ReadWritePaths= with `systemctl edit schoolnet-audit.service`",
                ),
            )
        )
    probe = state
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    shown = f"{free / 1024**3:.1f} GiB"
    if free < DISK_FAIL:
        status: Status = "fail"
    elif free < DISK_WARN:
        status = "warn"
    else:
        checks.append(Check("disk", "ok", t(f"còn trống {shown} ở {probe}", f"{shown} free at {probe}")))
        return checks
    checks.append(
        Check(
            "disk",
            status,
            t(f"chỉ còn {shown} ở {probe}", f"only {shown} free at {probe}"),
            t(
                f"giải phóng đĩa hoặc giảm agent.keep_runs (hiện {config.agent.keep_runs})",
                f"free some space or lower agent.keep_runs (now {config.agent.keep_runs})",
            ),
        )
    )
    return checks


def _below(path: Path, parent: Path) -> bool:
    try:
        path.resolve().relative_to(parent.resolve())
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------- tools


def tool_version(path: str, args: tuple[str, ...]) -> str:
    try:
        proc = subprocess.run([path, *args], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = proc.stdout + proc.stderr
    match = re.search(r"(\d+\.\d+(?:\.\d+)?(?:[a-z0-9.+-]*)?)", text)
    return match.group(1) if match else "?"


def check_tools(config: Config, t: Text) -> list[Check]:
    checks = []
    for tool in TOOLS:
        found = shutil.which(tool.name) or next(
            (str(p) for d in ("/usr/sbin", "/sbin") if (p := Path(d) / tool.name).is_file()), None
        )
        purpose = t(tool.purpose_vi, tool.purpose_en)
        if found:
            version = tool_version(found, tool.version_args)
            checks.append(Check(f"tool_{tool.name}", "ok", f"{tool.name} {version} ({purpose})"))
            continue
        needed = tool.needed_when(config)
        checks.append(
            Check(
                f"tool_{tool.name}",
                "warn" if needed else "info",
                t(f"thiếu {tool.name} ({purpose})", f"{tool.name} is missing ({purpose})"),
                f"apt-get install {tool.package}",
            )
        )
    return checks


# --------------------------------------------------------------------------- all of it


def run_checks(config: Config, config_checks: list[Check], t: Text, *, gateway: str | None = None) -> list[Check]:
    checks = list(config_checks)
    checks.append(check_service_exec(t))
    checks.append(check_capabilities(config, t))
    checks.append(check_raw_socket(config, t))
    checks.append(check_snmp_gateway(config, t, gateway))
    checks.extend(check_district(config, t))
    checks.extend(check_state(config, t))
    checks.extend(check_tools(config, t))
    secrets = config.secrets()
    return [_scrub(c, secrets) for c in checks]


def _scrub(check: Check, secrets: list[str]) -> Check:
    detail, fix = check.detail, check.fix
    for secret in sorted(secrets, key=len, reverse=True):
        detail, fix = detail.replace(secret, "***"), fix.replace(secret, "***")
    return Check(check.name, check.status, detail, fix)
