"""When the nightly run may measure bandwidth: a local-time window such as ``22:00-05:00`` (wraps midnight).

A speed test fills the school's Internet line for a minute or more, so the timer's run (``schoolnet audit
--scheduled``) measures only inside ``[bandwidth] window``. A catch-up run at boot during lessons
(``Persistent=true``) does everything else and records why the bandwidth test was skipped. A person who runs
``schoolnet audit`` by hand is always measured (``--skip-bandwidth`` opts out).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dtime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from agent.config import Config

DEFAULT_WINDOW = "22:00-05:00"
_WINDOW_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class Window:
    """[start, end) in local wall-clock time; ``start > end`` wraps midnight; ``start == end`` is all day."""

    start: dtime
    end: dtime

    def contains(self, at: dtime) -> bool:
        at = at.replace(second=0, microsecond=0, tzinfo=None)
        if self.start == self.end:
            return True
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def parse_window(text: str) -> Window:
    """``"HH:MM-HH:MM"`` -> :class:`Window`; ``24:00`` is accepted as an end. Raises ValueError (one line)."""
    m = _WINDOW_RE.match(text)
    bad = ValueError(f"{text!r} is not a time window (expected HH:MM-HH:MM in local time, e.g. {DEFAULT_WINDOW})")
    if not m:
        raise bad
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h2 == 24 and m2 == 0:
        h2 = 0
    if not (0 <= h1 <= 23 and 0 <= h2 <= 23 and 0 <= m1 <= 59 and 0 <= m2 <= 59):
        raise bad
    return Window(dtime(h1, m1), dtime(h2, m2))


def check_timezone(name: str) -> str:
    """An IANA zone name ('' = this machine's local time). Raises ValueError (one line)."""
    if name:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{name!r} is not a known time zone (expected an IANA name like Asia/Ho_Chi_Minh, "
                             "or '' for this machine's local time)") from None
    return name


def local(now: datetime, timezone: str = "") -> datetime:
    """``now`` on the school's wall clock: ``timezone`` if given, else this machine's; naive = already local."""
    if timezone:
        return (now if now.tzinfo else now.astimezone()).astimezone(ZoneInfo(timezone))
    return now.astimezone() if now.tzinfo else now


def in_window(window: Window | str, now: datetime, timezone: str = "") -> bool:
    """Whether ``now`` (local wall-clock time, see :func:`local`) falls inside ``window``."""
    w = parse_window(window) if isinstance(window, str) else window
    return w.contains(local(now, timezone).time())


def bandwidth_allowed(config: Config, now: datetime, scheduled: bool) -> str | None:
    """None when this run may measure bandwidth, else the reason (for the run's skipped map and warnings).

    Only a scheduled run is held to the window; an empty window means any time.
    """
    bw = config.bandwidth
    if not scheduled or not bw.window:
        return None
    if in_window(bw.window, now, bw.window_timezone):
        return None
    at = local(now, bw.window_timezone)
    return (f"scheduled run at {at:%H:%M} local time, outside the bandwidth window {bw.window} "
            "(school hours); everything else was audited, the bandwidth test waits for the nightly run")


__all__ = ["DEFAULT_WINDOW", "Window", "bandwidth_allowed", "check_timezone", "in_window", "local", "parse_window"]
