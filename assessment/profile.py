"""Criteria profiles: TOML files in config/criteria/ (or a district's own file), loaded and validated.

A profile is data: each rule names what it applies to, the metric compared, the threshold, how subjects
aggregate, which provenances may pass (``accept``) and where the rule comes from. Each metric has one evaluator
in :mod:`assessment.metrics`; :data:`METRICS` says which subjects and keys each one needs and what it accepts
by default.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from agent.errors import ConfigError
from agent.model import Criterion, Text
from agent.paths import CRITERIA_DIR

AppliesTo = Literal["router", "switch", "access_point", "internet", "security", "school", "room"]
Metric = Literal[
    "capacity_mbps",
    "wifi_generation",
    "wifi_bands",
    "wifi_max_rate_mbps",
    "internet_goodput_mbps",
    "security_solution",
    "mbps_per_student",
    "room_coverage",
    "classroom_ratio",
    "declared",
]

# metric -> (subjects it can apply to, keys it requires)
METRICS: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {
    "capacity_mbps": (frozenset({"router", "switch"}), ("threshold",)),
    "wifi_generation": (frozenset({"access_point"}), ("threshold",)),
    "wifi_bands": (frozenset({"access_point"}), ("threshold",)),
    "wifi_max_rate_mbps": (frozenset({"access_point"}), ()),
    "internet_goodput_mbps": (frozenset({"internet"}), ("threshold",)),
    "security_solution": (frozenset({"security"}), ()),
    "mbps_per_student": (frozenset({"school"}), ("threshold",)),
    "room_coverage": (frozenset({"room"}), ()),
    "classroom_ratio": (frozenset({"room"}), ("threshold",)),
    "declared": (frozenset({"school", "security", "internet"}), ("declared_key",)),
}

# What may decide a verdict: the four provenances, and "catalog_verified" (a catalog row checked against a
# public source; "catalog" accepts verified and unverified rows alike).
Accept = Literal["measured", "catalog", "catalog_verified", "inferred", "declared"]
# metric -> the provenances that may pass or fail a subject when the rule does not say ``accept``
DEFAULT_ACCEPT: dict[str, tuple[Accept, ...]] = {
    "capacity_mbps": ("measured", "catalog"),
    "wifi_generation": ("measured", "catalog"),
    "wifi_bands": ("measured", "catalog"),
    "wifi_max_rate_mbps": ("measured", "catalog"),
    "internet_goodput_mbps": ("measured",),
    "security_solution": ("measured", "declared"),
    "mbps_per_student": ("measured",),
    "room_coverage": ("measured", "declared"),
    "classroom_ratio": ("declared", "measured"),
    "declared": ("declared",),
}

# Wi-Fi generations in order; a threshold names the least one that passes.
GENERATIONS = ("802.11b", "802.11g", "802.11a", "802.11n", "802.11ac", "802.11ac-wave2", "802.11ax", "802.11be")
BaseName = Literal["port_capability", "port_speed", "throughput", "access_ports"]
_DEFAULT_BASES: tuple[BaseName, ...] = ("port_capability", "port_speed", "throughput")
BANDS = ("2.4", "5", "6", "60")


def _download() -> list[Literal["download", "upload"]]:
    return ["download"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class BilingualText(_Strict):
    vi: Annotated[str, Field(min_length=1)]
    en: Annotated[str, Field(min_length=1)]

    def text(self) -> Text:
        return Text(vi=self.vi, en=self.en)


class Source(_Strict):
    document: Annotated[str, Field(min_length=1)]
    verified: bool = False
    note: str = ""


class Rule(_Strict):
    """One criterion of a profile."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-_]*$")]
    title: BilingualText
    text: BilingualText | None = None
    source: Source
    applies_to: AppliesTo
    metric: Metric
    threshold: float | str | list[str] | None = None
    aggregate: Literal["every", "any"] = "every"
    informational: bool = False
    bases: list[BaseName] = Field(default_factory=lambda: list(_DEFAULT_BASES))
    reading: Literal["aggregate", "per_band"] = "aggregate"
    per_band: dict[str, Annotated[float, Field(gt=0)]] = Field(default_factory=dict)
    tolerance: Annotated[float, Field(gt=0, le=1)] = 0.97
    mtu: Annotated[int, Field(ge=576, le=9216)] = 1500
    directions: list[Literal["download", "upload"]] = Field(default_factory=_download)
    declared_key: str = ""
    accept: list[Accept] | None = None
    indicator: Annotated[str, Field(max_length=20)] = ""  # the official numbering people know (e.g. "1.2.3")
    short: BilingualText | None = None  # a short label for tables and dashboard columns

    @model_validator(mode="after")
    def _fits_metric(self) -> Rule:
        subjects, required = METRICS[self.metric]
        if self.applies_to not in subjects:
            raise ValueError(
                f"metric {self.metric!r} cannot apply to {self.applies_to!r} (expected one of {sorted(subjects)})"
            )
        for key in required:
            if getattr(self, key) in (None, ""):
                raise ValueError(f"metric {self.metric!r} needs '{key}'")
        self._check_threshold()
        return self

    def _check_threshold(self) -> None:
        t = self.threshold
        if self.metric == "wifi_generation":
            if t not in GENERATIONS:
                raise ValueError(f"threshold {t!r} is not a Wi-Fi generation (expected one of {list(GENERATIONS)})")
        elif self.metric == "wifi_bands":
            if not isinstance(t, list) or not t or any(b not in BANDS for b in t):
                raise ValueError(f"threshold must be a list of bands from {list(BANDS)} (got {t!r})")
        elif self.metric == "wifi_max_rate_mbps":
            if self.reading == "per_band":
                if not self.per_band or any(b not in BANDS for b in self.per_band):
                    raise ValueError(f"reading 'per_band' needs per_band = {{band = Mbit/s}} with bands from {BANDS}")
            elif not _positive(t):
                raise ValueError("reading 'aggregate' needs a positive numeric 'threshold' (Mbit/s)")
        elif self.metric == "classroom_ratio":
            if not isinstance(t, (int, float)) or isinstance(t, bool) or not 0 < t <= 1:
                raise ValueError(f"threshold must be a share between 0 and 1 (got {t!r})")
        elif self.metric in ("capacity_mbps", "internet_goodput_mbps", "mbps_per_student") and not _positive(t):
            raise ValueError(f"threshold must be a positive number (got {t!r})")

    @property
    def accepts(self) -> tuple[Accept, ...]:
        """The provenances that may decide this rule (the rule's ``accept`` or the metric's default)."""
        return tuple(self.accept) if self.accept is not None else DEFAULT_ACCEPT[self.metric]

    @property
    def number(self) -> float:
        """The numeric threshold (for numeric metrics)."""
        assert isinstance(self.threshold, (int, float))
        return float(self.threshold)

    def criterion(self) -> Criterion:
        return Criterion(
            id=self.id,
            title=self.title.text(),
            description=self.text.text() if self.text else None,
            source=self.source.document,
            verified=self.source.verified,
            source_note=self.source.note,
            applies_to=self.applies_to,
            informational=self.informational,
            accept=self.accepts,
            indicator=self.indicator,
            short=self.short.text() if self.short else None,
        )


def _positive(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0


class Profile(_Strict):
    """A criteria profile: the rules one audit is judged against."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9.\-_]*$")]
    version: str = ""
    title: BilingualText
    source: Source
    rules: Annotated[list[Rule], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Profile:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"rule id {rule.id!r} appears twice")
            seen.add(rule.id)
        return self

    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(rule.criterion() for rule in self.rules)


def _loc(loc: tuple[int | str, ...], data: Any) -> str:
    """A readable key path, naming rules by their id (``rules[2](1.2-wifi-rate).threshold``)."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            rule_id = node[part].get("id") if isinstance(node, list) and isinstance(node[part], dict) else None
            if rule_id:
                out += f"({rule_id})"
            node = node[part] if isinstance(node, list) and part < len(node) else None
        elif part in ("float", "str", "list[str]", "none") or part.startswith(("function-", "literal[")):
            continue
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out or "(top)"


def _problems(exc: ValidationError, data: Any, source: str) -> list[str]:
    lines: list[str] = []
    for err in exc.errors():
        msg = str(err["msg"]).removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = "unknown key (see docs/assessment.md for the rule keys)"
        elif err["type"] == "missing":
            msg = "required key is missing"
        line = f"{source}: {_loc(err['loc'], data)}: {msg}"
        if line not in lines:
            lines.append(line)
    return lines


def parse(data: dict[str, Any], source: str = "<profile>") -> Profile:
    """Validate raw profile data; raise :class:`ConfigError` with one line per problem."""
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = _problems(exc, data, source)
        raise ConfigError(problems[0], problems) from None


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ConfigError(f"{path}: no such criteria profile")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None


def check_file(path: Path) -> list[str]:
    """Validate one profile file; one line per problem (empty when valid)."""
    try:
        parse(_read(Path(path)), str(path))
    except ConfigError as exc:
        return list(exc.problems)
    return []


def resolve(name: str) -> Path:
    """The file for a profile name (a shipped id) or a path to a district's own profile."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or candidate.is_file():
        return candidate
    return CRITERIA_DIR / f"{name}.toml"


def load(name: str) -> Profile:
    """Load and validate a profile by id or path; raises :class:`ConfigError` (one line per problem)."""
    path = resolve(name)
    return parse(_read(path), str(path))


def shipped() -> list[str]:
    """The ids of the profiles shipped in config/criteria/."""
    return sorted(p.stem for p in CRITERIA_DIR.glob("*.toml"))
