"""Small formatting helpers shared by the evaluators (people-facing numbers and names)."""

from __future__ import annotations

from collections.abc import Iterable

from agent.model import Device, Text


def T(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


def mbps(value: float | None) -> str:
    """A speed as people read it: "1\u00a0000\u00a0Mbit/s", "866.7\u00a0Mbit/s"."""
    if value is None:
        return "?"
    if value >= 100 or float(value).is_integer():
        return f"{value:,.0f}".replace(",", "\u00a0") + "\u00a0Mbit/s"
    return f"{value:.1f}\u00a0Mbit/s"


def speed_class(value: float) -> str:
    """A line or port speed in the unit vendors print: 10000 -> "10 Gbps", 1000 -> "1 Gbps", 100 -> "100 Mbps"."""
    if value >= 1000:
        g = value / 1000
        return f"{g:g}\u00a0Gbps"
    return f"{value:g}\u00a0Mbps"


def label(device: Device) -> str:
    """A short name for people: model and address."""
    name = device.model or device.sys_name or ""
    return f"{name} ({device.ip})" if name else device.ip


def ghz(bands: Iterable[str]) -> str:
    bands = list(bands)
    return " + ".join(sorted(bands, key=float)) + " GHz" if bands else "-"


def join_text(parts: Iterable[Text | None], sep: str = " ") -> Text | None:
    items = [p for p in parts if p is not None]
    if not items:
        return None
    return T(sep.join(dict.fromkeys(p.vi for p in items)), sep.join(dict.fromkeys(p.en for p in items)))
