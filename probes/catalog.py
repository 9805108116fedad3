"""The device catalog in ``config/catalog/*.toml``: loaded once, validated, cached.

Three files belong to classification:

- ``fingerprints.toml``: ``[[fingerprint]]`` rows (sysObjectID prefixes, sysDescr regexes -> vendor,
  OS family, model extraction, role hint, vendor subtrees worth walking), ``[[mib]]`` rows (a vendor MIB
  whose presence says something about the role) and ``[generic]`` tie-breaker weights.
- ``models.toml``: ``[[model]]`` rows (a model name or a family regex -> role, port capability,
  throughput, with a source and a confidence per row).
- ``interfaces.toml``: which IF-MIB interfaces are physical Ethernet ports, speed sanity rules and
  interface-name speed hints.

A faulty file raises :class:`CatalogError` (a :class:`agent.errors.ConfigError`) listing every problem
with its row. Regexes are compiled here, once.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from agent.errors import ConfigError
from agent.model import Role
from agent.paths import CATALOG_DIR

RowConfidence = Literal["high", "medium", "low"]
_OID_RE = re.compile(r"^\d+(\.\d+)*$")


class CatalogError(ConfigError):
    """A catalog file is missing or invalid (exit 2 if it reaches the CLI)."""


def _check_oid(value: str) -> str:
    value = value.strip().strip(".")
    if not _OID_RE.match(value):
        raise ValueError(f"not a dotted OID: {value!r}")
    return value


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from exc


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class FingerprintRow(_Row):
    """sysObjectID/sysDescr -> vendor, OS family, model extraction, role hint, subtrees to walk."""

    id: str
    vendor: str | None = None
    os_family: str | None = None
    sys_object_id: tuple[str, ...] = ()
    sys_descr: tuple[str, ...] = ()
    sys_descr_except: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    model_regex: str | None = None
    firmware_regex: str | None = None
    model_oids: tuple[str, ...] = ()
    model_oid_regex: str | None = None
    firmware_oids: tuple[str, ...] = ()
    serial_oids: tuple[str, ...] = ()
    role: Role | None = None
    role_weight: float = Field(default=0.6, ge=0.0, le=1.0)
    generic: bool = False
    extra_subtrees: tuple[str, ...] = ()
    source: str = Field(min_length=3)
    note: str = ""

    _descr_res: tuple[re.Pattern[str], ...] = ()
    _except_res: tuple[re.Pattern[str], ...] = ()
    _model_re: re.Pattern[str] | None = None
    _firmware_re: re.Pattern[str] | None = None
    _model_oid_re: re.Pattern[str] | None = None

    @field_validator("sys_object_id", "requires", "model_oids", "firmware_oids", "serial_oids", "extra_subtrees")
    @classmethod
    def _oids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_oid(v) for v in value)

    @model_validator(mode="after")
    def _compile_all(self) -> FingerprintRow:
        if not self.sys_object_id and not self.sys_descr:
            raise ValueError("a fingerprint needs sys_object_id prefixes or sys_descr regexes")
        object.__setattr__(self, "_descr_res", tuple(_compile(p) for p in self.sys_descr))
        object.__setattr__(self, "_except_res", tuple(_compile(p) for p in self.sys_descr_except))
        for name in ("model_regex", "firmware_regex"):
            pattern = getattr(self, name)
            if pattern is not None:
                compiled = _compile(pattern)
                group = "model" if name == "model_regex" else "firmware"
                if group not in compiled.groupindex:
                    raise ValueError(f"{name} needs a named group (?P<{group}>...)")
                object.__setattr__(self, f"_{name.split('_')[0]}_re", compiled)
        if self.model_oid_regex is not None:
            compiled = _compile(self.model_oid_regex)
            if "model" not in compiled.groupindex:
                raise ValueError("model_oid_regex needs a named group (?P<model>...)")
            object.__setattr__(self, "_model_oid_re", compiled)
        return self

    def model_from_oid_value(self, value: str) -> str:
        if self._model_oid_re is None:
            return value
        found = self._model_oid_re.search(value)
        return found.group("model").strip() if found and found.group("model") else value

    def oid_matches(self, sys_object_id: str | None) -> bool:
        if not self.sys_object_id:
            return True
        if not sys_object_id:
            return False
        return any(sys_object_id == p or sys_object_id.startswith(p + ".") for p in self.sys_object_id)

    def descr_matches(self, sys_descr: str | None) -> bool:
        text = sys_descr or ""
        if self._descr_res and not any(r.search(text) for r in self._descr_res):
            return False
        return not any(r.search(text) for r in self._except_res)

    def extract(self, which: Literal["model", "firmware"], sys_descr: str | None) -> str | None:
        regex = self._model_re if which == "model" else self._firmware_re
        if regex is None or not sys_descr:
            return None
        found = regex.search(sys_descr)
        if not found:
            return None
        value = found.group(which) or next((v for v in found.groupdict().values() if v), None)
        return value.strip() if value and value.strip() else None


class MibRow(_Row):
    """A vendor (or standard) MIB subtree whose presence is evidence for a role."""

    id: str
    name: str
    subtree: str
    role: Role | None = None
    weight: float = Field(default=0.0, ge=0.0, le=1.0)
    vendor: str | None = None
    model_oids: tuple[str, ...] = ()
    generic: bool = False
    source: str = Field(min_length=3)
    note: str = ""

    @field_validator("subtree")
    @classmethod
    def _oid(cls, value: str) -> str:
        return _check_oid(value)

    @field_validator("model_oids")
    @classmethod
    def _oids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_oid(v) for v in value)


class DescrHint(_Row):
    """A role word in sysDescr ('Managed Switch', 'Wireless Access Point'): vendor-neutral, moderate weight."""

    id: str
    sys_descr: tuple[str, ...]
    role: Role
    weight: float = Field(ge=0.0, le=1.0)
    source: str = Field(min_length=3)
    _res: tuple[re.Pattern[str], ...] = ()

    @model_validator(mode="after")
    def _compile_all(self) -> DescrHint:
        object.__setattr__(self, "_res", tuple(_compile(p) for p in self.sys_descr))
        return self

    def matches(self, sys_descr: str | None) -> bool:
        return bool(sys_descr) and any(r.search(sys_descr or "") for r in self._res)


class GenericWeights(_Row):
    """Weights of the generic, vendor-neutral signals (tie-breakers only)."""

    bridge_switch_min_ports: int = 8
    bridge_switch: float = 0.3
    many_ports_min: int = 16
    many_ports_switch: float = 0.25
    forwarding_default_route_router: float = 0.3
    lldp_capability: float = 0.35
    sys_services: float = 0.1
    ieee80211_ap: float = 0.4
    wan_interface_router: float = 0.35
    wan_if_types: tuple[int, ...] = (23, 94, 95, 96, 97, 169, 238, 251)
    wan_name_pattern: str = r"^(ptm|dsl|adsl|vdsl|atm|pppoe|wwan|lte|cellular|dialer)\d*"
    radio_few_ports_ap: float = 0.35
    radio_max_ethernet_ports: int = 2
    host_resources_other: float = 0.3
    host_max_ethernet_ports: int = 4
    unknown_below: float = 0.3
    min_margin: float = Field(default=0.05, ge=0.0, lt=1.0)
    tie_unknown_below: float = Field(default=0.7, ge=0.0, le=1.0)
    generic_confidence_cap: float = Field(default=0.35, ge=0.0, le=1.0)
    entity_descr_hint_factor: float = Field(default=0.8, ge=0.0, le=1.0)
    ap_catalog_exact: float = Field(default=0.8, ge=0.0, le=1.0)
    ap_catalog_family: float = Field(default=0.6, ge=0.0, le=1.0)
    source: str = "project tuning; see docs/classification.md"


class ModelRow(_Row):
    """A model (exact names) or a model family (regex) -> role and capability."""

    id: str
    vendor: str
    model: str | None = None
    names: tuple[str, ...] = ()
    pattern: str | None = None
    sys_object_ids: tuple[str, ...] = ()
    series: bool = False
    role: Role
    subrole: str | None = None
    ports: str = ""
    port_capability_mbps: int | None = Field(default=None, gt=0)
    throughput_mbps: int | None = Field(default=None, gt=0)
    source: str = Field(min_length=3)
    confidence: RowConfidence = "medium"
    note: str = ""

    _pattern_re: re.Pattern[str] | None = None

    @field_validator("sys_object_ids")
    @classmethod
    def _oids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_check_oid(v) for v in value)

    @model_validator(mode="after")
    def _check(self) -> ModelRow:
        if not self.names and not self.pattern and not self.sys_object_ids:
            raise ValueError("a model row needs names, a pattern or sys_object_ids")
        if self.pattern is not None:
            object.__setattr__(self, "_pattern_re", _compile(self.pattern))
        return self

    def pattern_matches(self, model: str) -> bool:
        return self._pattern_re is not None and self._pattern_re.search(model) is not None


class NamePattern(_Row):
    kind: str
    patterns: tuple[str, ...]
    _res: tuple[re.Pattern[str], ...] = ()

    @model_validator(mode="after")
    def _compile_all(self) -> NamePattern:
        object.__setattr__(self, "_res", tuple(_compile(p) for p in self.patterns))
        return self

    def matches(self, name: str) -> bool:
        return any(r.search(name) for r in self._res)


class SpeedHint(_Row):
    pattern: str
    mbps: int = Field(gt=0)
    _re: re.Pattern[str] | None = None

    @model_validator(mode="after")
    def _compile_one(self) -> SpeedHint:
        object.__setattr__(self, "_re", re.compile(self.pattern))  # case-sensitive: 'Te1' vs 'te' matters
        return self

    def matches(self, name: str) -> bool:
        return self._re is not None and self._re.search(name) is not None


class InterfaceRules(_Row):
    physical_if_types: tuple[int, ...]
    not_physical: tuple[NamePattern, ...]
    ethernet_speeds_mbps: tuple[int, ...]
    snap_tolerance: float = Field(default=0.06, ge=0.0, lt=0.5)
    max_mbps: int = 800000
    speed_hints: tuple[SpeedHint, ...] = ()
    entity_speed_hints: tuple[SpeedHint, ...] = ()
    source: str = Field(min_length=3)

    def virtual_kind(self, name: str) -> str | None:
        for rule in self.not_physical:
            if rule.matches(name):
                return rule.kind
        return None


class Fingerprints(_Row):
    fingerprint: tuple[FingerprintRow, ...]
    mib: tuple[MibRow, ...] = ()
    descr_hint: tuple[DescrHint, ...] = ()
    generic: GenericWeights = GenericWeights()


class Models(_Row):
    model: tuple[ModelRow, ...]


def _unique_ids(rows: tuple[Any, ...], what: str) -> None:
    seen: set[str] = set()
    dupes = sorted({r.id for r in rows if r.id in seen or seen.add(r.id)})  # type: ignore[func-returns-value]
    if dupes:
        raise CatalogError(f"{what}: duplicate row ids: {', '.join(dupes)}")


def _load(name: str, cls: type[_Row], directory: Path | None = None) -> Any:
    path = (directory or CATALOG_DIR) / name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"catalog file missing: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"{path}: not valid TOML: {exc}") from exc
    try:
        return cls.model_validate(raw)
    except ValidationError as exc:
        problems = [f"{path.name}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise CatalogError(f"{path}: {len(problems)} problem(s): {problems[0]}", problems) from exc


@functools.cache
def fingerprints(directory: Path | None = None) -> Fingerprints:
    result: Fingerprints = _load("fingerprints.toml", Fingerprints, directory)
    _unique_ids(result.fingerprint, "fingerprints.toml [[fingerprint]]")
    _unique_ids(result.mib, "fingerprints.toml [[mib]]")
    _unique_ids(result.descr_hint, "fingerprints.toml [[descr_hint]]")
    return result


@functools.cache
def models(directory: Path | None = None) -> ModelIndex:
    table: Models = _load("models.toml", Models, directory)
    _unique_ids(table.model, "models.toml")
    return ModelIndex(table.model)


@functools.cache
def interface_rules(directory: Path | None = None) -> InterfaceRules:
    result: InterfaceRules = _load("interfaces.toml", InterfaceRules, directory)
    return result


def normalise_model(name: str) -> str:
    """Compare model names loosely: upper case, only letters, digits and '+' ('FGT_100E' == 'FGT-100E')."""
    return re.sub(r"[^A-Z0-9+]", "", name.upper())


def same_vendor(a: str | None, b: str | None) -> bool:
    """True when either vendor is unknown or the first words agree ('Cisco Meraki' vs 'Cisco' do not)."""
    if not a or not b:
        return True
    return a.strip().lower() == b.strip().lower()


class ModelIndex:
    """The model table, indexed: exact names (normalised), sysObjectIDs, then family patterns in order."""

    def __init__(self, rows: tuple[ModelRow, ...]) -> None:
        self.rows = rows
        self._by_name: dict[str, list[ModelRow]] = {}
        self._by_oid: dict[str, ModelRow] = {}
        self._families = tuple(r for r in rows if r.pattern)
        for row in rows:
            for name in (*row.names, *([row.model] if row.model and not row.pattern else [])):
                bucket = self._by_name.setdefault(normalise_model(name), [])
                if row not in bucket:
                    bucket.append(row)
            for oid_text in row.sys_object_ids:
                self._by_oid[oid_text] = row

    def by_name(self, name: str, vendor: str | None = None) -> ModelRow | None:
        for row in self._by_name.get(normalise_model(name), ()):
            if same_vendor(row.vendor, vendor):
                return row
        return None

    def by_oid(self, sys_object_id: str | None) -> ModelRow | None:
        return self._by_oid.get(sys_object_id or "")

    def by_family(self, name: str, vendor: str | None) -> ModelRow | None:
        if not vendor:
            return None
        for row in self._families:
            if same_vendor(row.vendor, vendor) and row.pattern_matches(name):
                return row
        return None

    def known_name(self, name: str) -> bool:
        return normalise_model(name) in self._by_name
