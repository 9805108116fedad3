"""Declared values, read strictly: what a person typed must say yes, no or a number with its unit.

Negative words fail (Vietnamese with and without diacritics, English); speeds are understood with their unit
("1 Gbps", "1.000 Mbit/s", "1000 Mbps", "500"); anything else is a clear error for the config or the CLI.
"""

from __future__ import annotations

import re
import unicodedata

NEGATIVE = frozenset({
    "khong", "khong co", "chua", "chua co", "chua trang bi", "chua lap", "chua lap dat", "khong trang bi",
    "no", "none", "n/a", "na", "nothing", "not installed", "false", "0", "-", "không áp dụng", "khong ap dung",
})
POSITIVE = frozenset({"co", "da co", "yes", "true", "1", "da trang bi", "da lap dat"})
_UNITS = {"": 1.0, "m": 1.0, "mb": 1.0, "mbps": 1.0, "mbit/s": 1.0, "mbit": 1.0, "mb/s": 1.0,
          "g": 1000.0, "gb": 1000.0, "gbps": 1000.0, "gbit/s": 1000.0, "gbit": 1000.0, "gb/s": 1000.0,
          "k": 0.001, "kbps": 0.001, "kbit/s": 0.001}
_NUMBER = re.compile(r"^\s*(\d[\d.,\u00a0 ]*)\s*([a-z/]*)\s*$")


def fold(text: str) -> str:
    """Lower case, no diacritics (đ -> d), single spaces: "Chưa  trang bị" -> "chua trang bi"."""
    text = unicodedata.normalize("NFD", text.strip().lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return re.sub(r"\s+", " ", text.strip(" .!;"))


def is_negative(value: str) -> bool:
    """Whether a declared value says "none" ("không", "chưa có", "no", "n/a", ...)."""
    folded = fold(value)
    return folded in NEGATIVE or folded in {fold(w) for w in NEGATIVE}


def truth(value: str) -> bool:
    """A yes/no declaration: False for negative words, True for positive words or a description of what exists.

    Raises ValueError for an empty value.
    """
    if not value.strip():
        raise ValueError("the value is empty")
    return not is_negative(value)


def _number(digits: str) -> float:
    """"1.000" and "1,000" are thousands (Vietnamese and English grouping), "1.5" / "1,5" decimals."""
    digits = digits.replace("\u00a0", "").replace(" ", "")
    grouped = re.fullmatch(r"\d{1,3}([.,]\d{3})+", digits)
    if grouped:
        return float(re.sub(r"[.,]", "", digits))
    return float(digits.replace(",", "."))


def mbit_per_s(value: str) -> float:
    """A declared speed in Mbit/s: "1 Gbps" -> 1000, "1.000 Mbit/s" -> 1000, "300" -> 300.

    Raises ValueError with a one-line message for anything else (negative words included).
    """
    text = value.strip().lower()
    match = _NUMBER.match(text)
    if not match:
        raise ValueError(f"{value!r} is not a speed (expected like '1000', '1000 Mbps' or '1 Gbps')")
    digits, unit = match.groups()
    if unit not in _UNITS:
        raise ValueError(f"{value!r}: unknown unit {unit!r} (use Mbps or Gbps)")
    try:
        number = _number(digits)
    except ValueError:
        raise ValueError(f"{value!r} is not a speed (expected like '1000', '1000 Mbps' or '1 Gbps')") from None
    mbps = number * _UNITS[unit]
    if mbps <= 0:
        raise ValueError(f"{value!r}: the speed must be more than 0")
    return mbps
