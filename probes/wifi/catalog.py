"""The access-point model catalog (config/catalog/access_points/*.toml): model name -> Wi-Fi capabilities.

One file per vendor; every file of the directory is read (row format: the directory's README.md).

Matching is case- and punctuation-blind; the longest catalog name that starts the reported model wins
("EAP225(EU) v3.0" -> EAP225, "EAP225-Outdoor" -> EAP225-Outdoor). When rows differ by hardware revision and
the revision is unknown, every candidate row is returned so the verdict can say "unknown" instead of guessing.
A model no ``[[ap]]`` row names falls back to the vendor's ``[[family]]`` rows (a regex on the model name
-> the generation every member shares; Wave 2 only when the whole family agrees), and only when the vendor
is known: families are how unseen models get a standard and bands, marked as family rows in the basis.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from agent.paths import CATALOG_DIR

CATALOG_FILE = CATALOG_DIR / "access_points"  # a directory of *.toml files (or one file)
ANY_VENDOR = "*"  # a [[family]] row of every vendor: a naming convention such as "AX1800" or a "-AC" suffix
_REQUIRED = ("id", "vendor", "models", "standard", "bands", "source", "confidence", "verified")
_REV = re.compile(r"(?:\bhw|\bver(?:sion)?|\bv|\brev)\.?\s*(\d+)(?:\.\d+)?\b", re.IGNORECASE)


@dataclass(frozen=True)
class ApModel:
    id: str
    vendor: str
    models: tuple[str, ...]
    standard: str
    bands: tuple[str, ...]
    source: str
    confidence: str
    verified: bool
    hw: str | None = None
    wave2: bool | None = None
    rates: dict[str, float] = field(default_factory=dict)
    streams: dict[str, int] = field(default_factory=dict)
    marketing_class: str = ""
    pattern: str | None = None  # a [[family]] row: regex on the model name

    def covers(self, revision: int | None) -> bool:
        """Whether this row applies to hardware ``revision`` (None = unknown: only rows without ``hw`` apply)."""
        if self.hw is None:
            return True
        if revision is None:
            return False
        text = self.hw.strip()
        if text.endswith("+"):
            return revision >= int(text[:-1])
        if "-" in text:
            low, high = (int(p) for p in text.split("-", 1))
            return low <= revision <= high
        return revision == int(text)


@dataclass(frozen=True)
class CatalogMatch:
    """The rows that fit a reported model; ``row`` is set only when exactly one fits."""

    query: str
    revision: int | None
    candidates: tuple[ApModel, ...]

    @property
    def row(self) -> ApModel | None:
        return self.candidates[0] if len(self.candidates) == 1 else None


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9+]", "", text.lower())


# what may follow a model name as written without naming another model: a region/variant in brackets or a
# hardware revision ("(EU)", " v3.0", " Ver 2", " hw2", " rev. B")
_SUFFIX = re.compile(r"^\s*(?:\(|(?:v|ver|version|hw|rev)\.?\s*\d)", re.IGNORECASE)


def _normalised_with_positions(text: str) -> tuple[str, list[int]]:
    """``normalise(text)`` and, for each of its characters, the index it came from in ``text``."""
    chars, positions = [], []
    for i, ch in enumerate(text.lower()):
        if re.match(r"[a-z0-9+]", ch):
            chars.append(ch)
            positions.append(i)
    return "".join(chars), positions


def parse_revision(text: str | None) -> int | None:
    """Hardware revision from strings like "EAP225(EU) v3.0", "hw 2", "Ver 4"."""
    if not text:
        return None
    match = _REV.search(text)
    return int(match.group(1)) if match else None


def _num(value: object) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    raise ValueError(f"not a number: {value!r}")


def _row(raw: dict[str, object], where: str) -> ApModel:
    missing = [k for k in _REQUIRED if k not in raw]
    if missing:
        raise ValueError(f"{where}: missing {', '.join(missing)}")
    rates = {band: _num(raw[key]) for band, key in (("2.4", "rate_24"), ("5", "rate_5"), ("6", "rate_6")) if key in raw}
    streams = {band: int(_num(raw[key])) for band, key in (("2.4", "streams_24"), ("5", "streams_5")) if key in raw}
    wave2 = raw.get("wave2")
    return ApModel(
        id=str(raw["id"]),
        vendor=str(raw["vendor"]),
        models=tuple(str(m) for m in raw["models"]),  # type: ignore[attr-defined]
        standard=str(raw["standard"]),
        bands=tuple(str(b) for b in raw["bands"]),  # type: ignore[attr-defined]
        source=str(raw["source"]),
        confidence=str(raw["confidence"]),
        verified=bool(raw["verified"]),
        hw=str(raw["hw"]) if "hw" in raw else None,
        wave2=wave2 if isinstance(wave2, bool) else None,
        rates=rates,
        streams=streams,
        marketing_class=str(raw.get("class", "")),
    )


def _files(path: Path) -> list[Path]:
    return sorted(path.glob("*.toml")) if path.is_dir() else [path]


@lru_cache(maxsize=4)
def _documents(path: Path) -> tuple[tuple[str, dict[str, Any]], ...]:
    out = []
    for file in _files(path):
        with file.open("rb") as handle:
            out.append((file.name, tomllib.load(handle)))
    return tuple(out)


@lru_cache(maxsize=4)
def load(path: Path = CATALOG_FILE) -> tuple[ApModel, ...]:
    """Every ``[[ap]]`` row of the catalog (a directory of per-vendor files, or one file), ids unique."""
    rows = []
    for name, data in _documents(path):
        rows += [_row(raw, f"{name}[ap][{i}]") for i, raw in enumerate(data.get("ap", []))]
    _unique([r.id for r in rows], path)
    return tuple(rows)


def _unique(ids: list[str], path: Path) -> None:
    seen: set[str] = set()
    twice = sorted({i for i in ids if i in seen or seen.add(i)})  # type: ignore[func-returns-value]
    if twice:
        raise ValueError(f"{path.name}: row id used twice: {', '.join(twice)}")


@lru_cache(maxsize=4)
def load_families(path: Path = CATALOG_FILE) -> tuple[tuple[ApModel, re.Pattern[str]], ...]:
    """The ``[[family]]`` rows with their compiled patterns: each vendor's in file order (specific first), the
    vendor-neutral (``vendor = "*"``) rows last."""
    out = []
    for name, data in _documents(path):
        for i, raw in enumerate(data.get("family", [])):
            where = f"{name}[family][{i}]"
            if "pattern" not in raw:
                raise ValueError(f"{where}: missing pattern")
            try:
                compiled = re.compile(str(raw["pattern"]), re.IGNORECASE)
            except re.error as exc:
                raise ValueError(f"{where}: bad pattern: {exc}") from exc
            row = _row({"models": [], **raw}, where)
            out.append((replace(row, pattern=str(raw["pattern"])), compiled))
    out.sort(key=lambda pair: pair[0].vendor == ANY_VENDOR)  # stable: file order kept within each group
    _unique([r.id for r, _ in out] + [r.id for r in load(path)], path)
    return tuple(out)


def family(model: str, vendor: str | None, path: Path = CATALOG_FILE) -> ApModel | None:
    """The first ``[[family]]`` row of ``vendor`` whose pattern matches ``model``.

    Vendor rows need the vendor; ``vendor = "*"`` rows (vendor-neutral naming conventions, last in the file)
    apply to any model.
    """
    if not model.strip():
        return None
    known = bool(vendor and _vendor_key(vendor))
    for row, compiled in load_families(path):
        if row.vendor == ANY_VENDOR:
            if compiled.search(model.strip()):
                return row
        elif known and same_vendor(row.vendor, str(vendor)) and compiled.search(model.strip()):
            return row
    return None


_NOT_A_NAME = frozenset({"networks", "networking", "enterprise", "inc", "systems", "technologies", "technology",
                         "co", "ltd", "corp", "corporation", "the", "wireless", "hpe", "hp", "commscope", "extreme"})


def _vendor_words(text: str) -> set[str]:
    words = set(re.findall(r"[a-z]+", text.lower()))
    return (words - _NOT_A_NAME) or words


def _vendor_key(text: str) -> str:
    words = re.findall(r"[a-z]+", text.lower())
    return words[0] if words else ""


def same_vendor(a: str, b: str) -> bool:
    """'HPE Aruba Networking' == 'Aruba', 'Ruckus (CommScope)' == 'Ruckus', 'Cisco Meraki' == 'Cisco'."""
    return bool(_vendor_words(a) & _vendor_words(b))


def lookup(
    model: str | None, revision: int | str | None = None, vendor: str | None = None, path: Path = CATALOG_FILE
) -> CatalogMatch | None:
    """Catalog rows for a reported model (None when no row names it, or only rows of another vendor do)."""
    if not model or not model.strip():
        return None
    key, positions = _normalised_with_positions(model)
    rev = revision if isinstance(revision, int) else parse_revision(revision) or parse_revision(model)
    best_len, hits = 0, []
    for row in load(path):
        for name in row.models:
            norm = normalise(name)
            if not norm or not key.startswith(norm):
                continue
            rest = key[len(norm) :]
            # a longer run right after the name means another model: EAP2250 is not EAP225, UAP-AC-IW is
            # not UAP; a letter after a digit is a variant/region suffix (EAP225(EU), WAP371-A-K9), and so is
            # a bracket or a revision after the name as written ("EAP225-Wall v2", "EAP660 HD(EU) v1.0")
            longer = rest and (rest[0].isdigit() or (rest[0].isalpha() and norm[-1].isalpha()))
            if longer and not _SUFFIX.match(model[positions[len(norm) - 1] + 1 :]):
                continue
            if len(norm) > best_len:
                best_len, hits = len(norm), [row]
            elif len(norm) == best_len and row not in hits:
                hits.append(row)
    if hits and vendor and _vendor_key(vendor):
        hits = [row for row in hits if same_vendor(row.vendor, vendor)]
    if not hits:
        fam = family(model, vendor, path)
        return CatalogMatch(query=model, revision=rev, candidates=(fam,)) if fam else None
    fitting = [row for row in hits if row.covers(rev)]
    if not fitting:
        if rev is not None:
            return None  # the catalog knows other revisions of this model, not this one
        fitting = hits  # revision unknown: every revision row is a candidate
    return CatalogMatch(query=model, revision=rev, candidates=tuple(fitting))
