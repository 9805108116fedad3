"""The agent's configuration: TOML on disk, validated into typed objects.

Every problem is reported as one line that names the key path and what was expected,
e.g. ``scan.subnets[1]: '10.0.0.0/33' is not an IPv4 network (expected like 10.0.0.0/24)``.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import stat
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agent.errors import ConfigError
from agent.paths import CRITERIA_DIR, DEFAULT_CONFIG, DEFAULT_STATE_DIR
from agent.schedule import DEFAULT_WINDOW, check_timezone, parse_window


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _network(value: str) -> str:
    try:
        net = ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP network (expected like 10.0.0.0/24)") from None
    if net.version != 4:
        raise ValueError(f"{value!r} is IPv6; only IPv4 subnets are scanned")
    return str(net)


Network = Annotated[str, AfterValidator(_network)]


class SchoolConfig(_Strict):
    id: str = Field(default="", description="the school's code as the district knows it")
    name: str = ""
    district: str = ""
    ward: str = ""
    students: Annotated[int, Field(ge=0)] | None = None


class AgentConfig(_Strict):
    language: Literal["vi", "en"] = "vi"
    criteria_profile: str = "hcmc-956-2024"
    state_dir: Path = DEFAULT_STATE_DIR
    out_dir: Path | None = None
    spool_dir: Path | None = None
    key_file: Path | None = None
    keep_runs: Annotated[int, Field(ge=1)] = 10

    @property
    def out_path(self) -> Path:
        return self.out_dir or self.state_dir / "out"

    @property
    def spool_path(self) -> Path:
        return self.spool_dir or self.state_dir / "spool"

    @property
    def key_path(self) -> Path:
        return self.key_file or self.state_dir / "signing.key"


class DistrictConfig(_Strict):
    url: str = ""
    token: str = Field(default="", description="upload token (secret)")
    ca_file: Path | None = None
    proxy: str = ""
    timeout_s: Annotated[float, Field(gt=0)] = 30.0
    max_attempts: Annotated[int, Field(ge=1)] = 5
    insecure_http: bool = Field(default=False, description="allow sending the token over plain http (not loopback)")

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value.rstrip("/")


class ScanConfig(_Strict):
    subnets: list[Network] = Field(default_factory=list)
    exclude: list[Network] = Field(default_factory=list)
    max_prefix: Annotated[int, Field(ge=16, le=32)] = 22
    arp: bool = True
    arp_rate_pps: Annotated[int, Field(ge=1, le=5000)] = 200
    snmp_port: Annotated[int, Field(ge=1, le=65535)] = 161
    snmp_timeout_s: Annotated[float, Field(gt=0, le=60)] = 1.0
    snmp_retries: Annotated[int, Field(ge=0, le=10)] = 1
    concurrency: Annotated[int, Field(ge=1, le=1024)] = 256
    inspect_concurrency: Annotated[int, Field(ge=1, le=64)] = 8
    device_budget_s: Annotated[float, Field(gt=0)] = 60.0
    test_default_community: bool = False
    follow_lldp: bool = True


def community_digest(community: str) -> str:
    """4 hex digits of SHA-256 over a domain-separated community string (stable across runs)."""
    return hashlib.sha256(b"schoolnet-audit community\0" + community.encode()).hexdigest()[:4]


class SnmpCredential(_Strict):
    """One SNMP credential; they are tried in the order given."""

    version: Literal["1", "2c", "3"]
    community: str = ""
    user: str = ""
    auth_protocol: Literal["none", "MD5", "SHA", "SHA224", "SHA256", "SHA384", "SHA512"] = "none"
    auth_key: str = ""
    priv_protocol: Literal["none", "DES", "3DES", "AES128", "AES192", "AES256"] = "none"
    priv_key: str = ""
    context: str = ""

    @model_validator(mode="after")
    def _complete(self) -> SnmpCredential:
        if self.version in ("1", "2c") and not self.community:
            raise ValueError(f"SNMP v{self.version} needs 'community'")
        if self.version == "3":
            if not self.user:
                raise ValueError("SNMP v3 needs 'user'")
            if self.auth_protocol != "none" and len(self.auth_key) < 8:
                raise ValueError("SNMP v3 'auth_key' must have at least 8 characters")
            if self.priv_protocol != "none":
                if self.auth_protocol == "none":
                    raise ValueError("SNMP v3 privacy needs authentication ('auth_protocol')")
                if len(self.priv_key) < 8:
                    raise ValueError("SNMP v3 'priv_key' must have at least 8 characters")
        return self

    @property
    def label(self) -> str:
        """A name for logs and evidence that never contains the secret, the same in every run and process.

        The community is shown as 16 bits of its SHA-256: stable (unlike ``hash()``, salted per process), enough
        to tell a school's few credentials apart, and too short to confirm a guessed community offline.
        """
        if self.version == "3":
            return f"v3 user {self.user} ({self.security_level})"
        return f"v{self.version} community #{community_digest(self.community)}"

    @property
    def security_level(self) -> str:
        if self.auth_protocol == "none":
            return "noAuthNoPriv"
        return "authNoPriv" if self.priv_protocol == "none" else "authPriv"


class SnmpConfig(_Strict):
    credentials: list[SnmpCredential] = Field(default_factory=list)


class BandwidthServer(_Strict):
    engine: Literal["http", "iperf3", "speedtest"]
    url: str = Field(default="", description="http: base URL of LibreSpeed-compatible endpoints")
    host: str = Field(default="", description="iperf3: server host")
    port: Annotated[int, Field(ge=1, le=65535)] | None = None
    server_id: str = Field(default="", description="speedtest: speedtest.net server id ('' = nearest)")
    name: str = ""
    role: Literal["internet", "district"] | None = Field(
        default=None, description="internet = a public speed-test server; district = a second opinion "
        "(default: speedtest internet, http/iperf3 district)")
    network: str = Field(default="", description="who runs the server's network, shown in the report")


EngineName = Literal["http", "iperf3", "speedtest"]


def _default_engines() -> list[EngineName]:
    return ["speedtest", "http"]  # the Internet first (public servers); the district's server second, as a check


class BandwidthConfig(_Strict):
    engines: list[EngineName] = Field(default_factory=_default_engines)
    duration_s: Annotated[float, Field(gt=0, le=120)] = 10.0
    streams: Annotated[int, Field(ge=1, le=64)] = 4
    runs: Annotated[int, Field(ge=1, le=10)] = 1
    servers: list[BandwidthServer] = Field(default_factory=list)
    speedtest_servers: Annotated[int, Field(ge=1, le=10)] = 3  # nearest speedtest.net servers measured (median)
    window: str = Field(default=DEFAULT_WINDOW, description="local time the nightly run may measure ('' = any)")
    window_timezone: str = Field(default="", description="IANA zone of the window ('' = this machine's)")

    @field_validator("window")
    @classmethod
    def _window(cls, value: str) -> str:
        if value:
            parse_window(value)
        return value

    @field_validator("window_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        return check_timezone(value)


class WifiConfig(_Strict):
    iface: str = ""
    scan: bool = True
    ssids: list[Annotated[str, Field(min_length=1, max_length=32)]] = Field(default_factory=list)


class RoomConfig(_Strict):
    name: str
    students: Annotated[int, Field(ge=0)] | None = None
    projector: bool | None = None
    internet: bool | None = None
    devices: list[str] = Field(default_factory=list, description="IPs or sysLocation strings of gear in the room")


class EvidenceConfig(_Strict):
    """What a person declares because no probe can measure it."""

    isp_contract_mbps: Annotated[float, Field(gt=0)] | None = None
    isp_name: str = ""
    security_solution: str = ""
    attachments: list[Path] = Field(default_factory=list)
    notes: str = ""


class Config(_Strict):
    school: SchoolConfig = Field(default_factory=SchoolConfig)
    agent: AgentConfig = Field(default_factory=AgentConfig)
    district: DistrictConfig = Field(default_factory=DistrictConfig)
    scan: ScanConfig = Field(default_factory=ScanConfig)
    snmp: SnmpConfig = Field(default_factory=SnmpConfig)
    bandwidth: BandwidthConfig = Field(default_factory=BandwidthConfig)
    wifi: WifiConfig = Field(default_factory=WifiConfig)
    evidence: EvidenceConfig = Field(default_factory=EvidenceConfig)
    rooms: list[RoomConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _profile_exists(self) -> Config:
        name = self.agent.criteria_profile
        if not (CRITERIA_DIR / f"{name}.toml").is_file() and not Path(name).is_file():
            known = ", ".join(sorted(p.stem for p in CRITERIA_DIR.glob("*.toml"))) or "none shipped"
            raise ValueError(f"agent.criteria_profile: unknown profile {name!r} (known: {known})")
        return self

    def secrets(self) -> list[str]:
        """Every secret value in this config (to keep them out of output and to check file modes)."""
        values = [self.district.token]
        for cred in self.snmp.credentials:
            values += [cred.community, cred.auth_key, cred.priv_key]
        return [v for v in values if v]


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.startswith(("function-", "constrained-")) or part in ("literal_error",):
            continue
        else:
            out += f".{part}" if out else str(part)
    return out or "(top)"


def _describe(error: Any) -> str:
    kind = error["type"]
    msg = str(error["msg"])
    if kind == "extra_forbidden":
        return "unknown key (check the spelling; see `schoolnet config init` for every key)"
    if kind == "missing":
        return "required key is missing"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    got = error.get("input")
    if kind not in ("value_error",) and not isinstance(got, (dict, list)):
        msg += f" (got {got!r})"
    return msg


def parse(data: dict[str, Any], source: str = "<config>") -> Config:
    """Validate raw TOML data; raise :class:`ConfigError` with one line per problem."""
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = _loc(err["loc"])
            text = _describe(err)
            if text.startswith(where + ":"):
                problems.append(f"{source}: {text}")
            else:
                problems.append(f"{source}: {where}: {text}")
        raise ConfigError(problems[0], problems) from None


def check_permissions(path: Path, config: Config) -> None:
    """Refuse a config that holds secrets and can be read by group or others."""
    if not config.secrets():
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ConfigError(
            f"{path}: holds secrets but is readable by group/others (mode {stat.S_IMODE(mode):04o}); "
            f"fix: chmod 600 {path}"
        )


def load(path: Path | None, *, required: bool = False) -> Config:
    """Load and validate the config at ``path`` (or the default location).

    With no file at the default location and ``required`` false, the built-in defaults are used.
    """
    explicit = path is not None
    path = path or Path(os.environ.get("SCHOOLNET_CONFIG", DEFAULT_CONFIG))
    if not path.exists():
        if explicit or required:
            raise ConfigError(f"{path}: no such config file (create one with `schoolnet config init {path}`)")
        return Config()
    if path.is_dir():
        raise ConfigError(f"{path}: is a directory, expected a TOML file")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    config = parse(data, str(path))
    check_permissions(path, config)
    return config
