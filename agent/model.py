"""The domain model: what one audit run found, as plain frozen dataclasses.

Every object here is JSON-serialisable with :func:`to_jsonable` and read back with
:func:`from_jsonable` (pydantic does the typed parsing, imported only when needed).
Times are ISO 8601 strings in UTC; speeds are Mbit/s; bands are strings ("2.4", "5", "6", "60").
The evidence bundle's JSON Schema in ``config/evidence.schema.json`` is generated from these
classes (``python -m agent.schema --write``) and a test keeps the two in step.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

SCHEMA_VERSION = "1.0"

T = TypeVar("T")


class Role(enum.StrEnum):
    """What a device is on the school network."""

    ROUTER = "router"
    FIREWALL = "firewall"
    SWITCH = "switch"
    ACCESS_POINT = "access_point"
    WIRELESS_CONTROLLER = "wireless_controller"
    PRINTER = "printer"
    OTHER = "other"
    UNKNOWN = "unknown"


class Status(enum.StrEnum):
    """A verdict. ``unknown`` is honest; a guessed ``pass`` is a defect."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"


SnmpStatus = Literal["ok", "partial", "timeout", "no_response", "auth_error", "error", "not_tried"]
Confidence = Literal["high", "medium", "low", "none"]
Direction = Literal["download", "upload"]
# What a bandwidth result measures: "internet" = a public speed-test server (the school's Internet line);
# "district" = the district's own server (a second opinion: the path to the district); "" = not said.
BandwidthRole = Literal["", "internet", "district"]
# How a fact or a verdict is known: measured on this network (an SNMP value, a beacon bit, a speed test), read
# from a catalog row (verified against a public source or not), inferred from a vendor family or naming rule,
# or declared by a person.
Provenance = Literal["measured", "catalog", "inferred", "declared"]
PROVENANCES: tuple[Provenance, ...] = ("measured", "catalog", "inferred", "declared")


@dataclass(frozen=True)
class Basis:
    """One piece of evidence behind a claim: where it came from and what it said.

    ``source`` is one of snmp, catalog, beacon, iw, measurement, declared, lldp, arp, config, host, rule.
    ``key`` names what was read (an OID with its name, a catalog row id, a beacon field);
    ``value`` is what was read, as text.
    """

    source: str
    key: str
    value: str = ""
    note: str = ""


@dataclass(frozen=True)
class Text:
    """People-facing text in both languages (Vietnamese first)."""

    vi: str
    en: str

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.vi


# --------------------------------------------------------------------------- this machine


@dataclass(frozen=True)
class Address:
    family: Literal["ipv4", "ipv6"]
    address: str
    prefixlen: int


@dataclass(frozen=True)
class Nic:
    """A network interface of the machine the agent runs on."""

    name: str
    kind: Literal["wired", "wireless", "virtual", "loopback", "unknown"]
    is_up: bool
    speed_mbps: int | None = None
    duplex: Literal["full", "half", "unknown"] = "unknown"
    mtu: int | None = None
    mac: str | None = None
    addresses: tuple[Address, ...] = ()


@dataclass(frozen=True)
class Gateway:
    address: str
    interface: str
    family: Literal["ipv4", "ipv6"] = "ipv4"
    default: bool = True


@dataclass(frozen=True)
class Host:
    """The machine the agent ran on, and what it can and cannot verify from there."""

    hostname: str
    os: str = ""
    cpu_count: int | None = None
    nics: tuple[Nic, ...] = ()
    gateways: tuple[Gateway, ...] = ()
    dns_servers: tuple[str, ...] = ()
    bottlenecks: tuple[Text, ...] = ()


# --------------------------------------------------------------------------- devices


@dataclass(frozen=True)
class Interface:
    """One IF-MIB interface of a device."""

    index: int
    name: str
    type: int | None = None
    oper_up: bool | None = None
    admin_up: bool | None = None
    speed_mbps: int | None = None
    physical: bool = False
    mac: str | None = None
    alias: str = ""


@dataclass(frozen=True)
class Radio:
    """One Wi-Fi radio (or one BSS seen over the air) and what it can do."""

    band_ghz: str | None = None
    standard: str | None = None
    wave2: bool | None = None
    channel_width_mhz: int | None = None
    streams: int | None = None
    max_rate_mbps: float | None = None
    channel: int | None = None
    freq_mhz: int | None = None
    bssid: str | None = None
    ssid: str | None = None
    basis: tuple[Basis, ...] = ()
    max_nss: int | None = None
    widths_mhz: tuple[int, ...] = ()
    name: str | None = None
    provenance: Provenance | None = None  # how ``standard``/``wave2`` are known
    verified: bool | None = None  # for provenance "catalog": the row was checked against a public source


@dataclass(frozen=True)
class LldpNeighbor:
    """A neighbour a device (or this machine) heard over LLDP or CDP."""

    protocol: Literal["lldp", "cdp"] = "lldp"
    local_port: str = ""
    remote_chassis_id: str = ""
    remote_port: str = ""
    remote_port_description: str = ""
    remote_system_name: str = ""
    remote_system_description: str = ""
    remote_mgmt_address: str | None = None
    capabilities: tuple[str, ...] = ()
    enabled_capabilities: tuple[str, ...] = ()
    local_port_speed_mbps: int | None = None


@dataclass(frozen=True)
class Uplink:
    """Where a device hangs on the network: the upstream device's port, as LLDP/CDP tables show it."""

    device_ip: str | None = None
    device_name: str = ""
    port: str = ""
    speed_mbps: int | None = None
    protocol: Literal["lldp", "cdp"] = "lldp"
    basis: tuple[Basis, ...] = ()


@dataclass(frozen=True)
class WifiFacts:
    """What an access point's Wi-Fi is, from the best source it had (beacons > vendor MIB > catalog > family rule).

    ``standard`` is the newest generation: "n", "ac", "ax" or "be" (or "a", "b", "g");
    ``max_rate_mbps`` has keys "2.4", "5", "6" and "aggregate" where known.
    """

    standard: str | None = None
    wave2: bool | None = None
    bands_ghz: tuple[str, ...] = ()
    max_rate_mbps: dict[str, float] = field(default_factory=dict)
    provenance: Provenance | None = None
    verified: bool | None = None
    basis: tuple[Basis, ...] = ()


@dataclass(frozen=True)
class Device:
    """A device found on the school network, with the basis for every claim about it."""

    ip: str
    mac: str | None = None
    mac_vendor: str | None = None
    vendor: str | None = None
    model: str | None = None
    firmware: str | None = None
    serial: str | None = None
    os_family: str | None = None
    sys_name: str | None = None
    sys_descr: str | None = None
    sys_object_id: str | None = None
    sys_location: str | None = None
    role: Role = Role.UNKNOWN
    role_confidence: float = 0.0
    basis: tuple[Basis, ...] = ()
    interfaces: tuple[Interface, ...] = ()
    max_port_speed_mbps: int | None = None
    max_port_capability_mbps: int | None = None
    throughput_mbps: int | None = None
    radios: tuple[Radio, ...] = ()
    lldp_neighbors: tuple[LldpNeighbor, ...] = ()
    snmp_status: SnmpStatus = "not_tried"
    snmp_version: str | None = None
    found_by: tuple[str, ...] = ()
    parent: str | None = None
    hygiene: tuple[Text, ...] = ()
    errors: tuple[str, ...] = ()
    uplink: Uplink | None = None
    wifi: WifiFacts | None = None  # access points (and APs listed by a controller)


# --------------------------------------------------------------------------- Wi-Fi seen over the air


@dataclass(frozen=True)
class AirAccessPoint:
    """One physical access point heard over the air (its BSSIDs grouped)."""

    name: str
    bssids: tuple[Radio, ...] = ()
    standard: str | None = None
    wave2: bool | None = None
    bands_ghz: tuple[str, ...] = ()
    max_rate_mbps_by_band: dict[str, float] = field(default_factory=dict)
    basis: tuple[Basis, ...] = ()
    warnings: tuple[str, ...] = ()
    generation: str | None = None
    dual_band: bool | None = None
    aggregate_mbps: float | None = None
    marketing_class: str | None = None
    model: str | None = None
    disagreements: tuple[str, ...] = ()


# --------------------------------------------------------------------------- bandwidth


@dataclass(frozen=True)
class Sample:
    """Throughput over one interval, ``t_s`` seconds after the phase started."""

    t_s: float
    mbps: float


@dataclass(frozen=True)
class BandwidthResult:
    """One bandwidth measurement in one direction by one engine."""

    engine: str
    server: str
    direction: Direction
    mbps: float | None
    p10_mbps: float | None = None
    p90_mbps: float | None = None
    line_rate_mbps: float | None = None
    latency_ms: float | None = None
    jitter_ms: float | None = None
    streams: int = 1
    duration_s: float = 0.0
    bytes: int = 0
    samples: tuple[Sample, ...] = ()
    warnings: tuple[str, ...] = ()
    confidence: Confidence = "none"
    limited_by: str | None = None
    local_link_mbps: int | None = None
    started_at: str = ""
    error: str | None = None
    role: BandwidthRole = ""
    network: str = ""  # who runs the server's network (speedtest.net sponsor, "district network", config name)


# --------------------------------------------------------------------------- findings and evidence


@dataclass(frozen=True)
class Finding:
    """A verdict on one criterion for one subject (a device, an access point, or the school)."""

    criterion_id: str
    subject: str
    status: Status
    measured: str | None = None
    threshold: str | None = None
    basis: tuple[Basis, ...] = ()
    reason: Text | None = None
    remedy: Text | None = None
    declared: bool = False  # kept for older readers: provenance == "declared"
    provenance: Provenance | None = None  # how the evidence that decided it is known
    verified: bool | None = None  # for provenance "catalog": whether the row was checked against a public source


@dataclass(frozen=True)
class Attachment:
    """A file handed in with the evidence (a photo, a contract PDF), by hash."""

    name: str
    sha256: str
    size: int
    media_type: str = "application/octet-stream"
    description: str = ""


@dataclass(frozen=True)
class Declaration:
    """Something a person states that no probe can measure (an ISP contract, a UTM)."""

    key: str
    value: str
    note: str = ""
    attachments: tuple[str, ...] = ()
    declared_by: str = ""
    declared_at: str = ""


@dataclass(frozen=True)
class Room:
    """A room listed in the config (what a person declared about it)."""

    name: str
    students: int | None = None
    projector: bool | None = None
    internet: bool | None = None
    devices: tuple[str, ...] = ()


@dataclass(frozen=True)
class School:
    id: str
    name: str
    district: str = ""
    ward: str = ""
    students: int | None = None


@dataclass(frozen=True)
class Criterion:
    """A criterion as judged in this bundle, copied from the profile so the bundle explains itself."""

    id: str
    title: Text
    description: Text | None = None
    source: str = ""
    verified: bool = False
    source_note: str = ""
    applies_to: str = ""
    informational: bool = False
    accept: tuple[str, ...] = ()  # the provenances that may decide it
    indicator: str = ""  # official numbering
    short: Text | None = None


@dataclass(frozen=True)
class Signature:
    """Ed25519 signature over the canonical JSON of the bundle without this field."""

    algorithm: Literal["ed25519"]
    key_id: str
    public_key: str
    value: str


@dataclass(frozen=True)
class EvidenceBundle:
    """Everything one run found, as handed to the district."""

    bundle_id: str
    school: School
    agent_version: str
    started_at: str
    finished_at: str
    host: Host | None = None
    devices: tuple[Device, ...] = ()
    air: tuple[AirAccessPoint, ...] = ()
    measurements: tuple[BandwidthResult, ...] = ()
    findings: tuple[Finding, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    criteria_profile: str = ""
    warnings: tuple[str, ...] = ()
    schema_version: str = SCHEMA_VERSION
    signature: Signature | None = None
    criteria: tuple[Criterion, ...] = ()
    rooms: tuple[Room, ...] = ()  # assessment inputs, so the district can re-assess the bundle
    skipped: dict[str, str] = field(default_factory=dict)  # probe -> why it did not run
    school_ssids: tuple[str, ...] = ()  # the SSIDs the school lists as its own ([wifi] ssids)


# --------------------------------------------------------------------------- (de)serialisation


def to_jsonable(obj: Any) -> Any:
    """Turn a model object (or a tuple/list/dict of them) into plain JSON types."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: to_jsonable(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


def from_jsonable(cls: type[T], data: Any) -> T:
    """Parse plain JSON data into ``cls``, checking every type on the way (pydantic)."""
    adapter: Any = _adapter(cls)  # type: ignore[arg-type]
    return adapter.validate_python(data)


@functools.lru_cache(maxsize=32)
def _adapter(cls: type) -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(cls)
