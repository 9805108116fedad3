"""Progress for long work: a live line on a terminal, plain lines elsewhere, nothing when quiet.

Probes receive a :class:`Progress` (or None) and call it; they never print themselves.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Reports progress of one task at a time on ``stream`` (stderr by default)."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.live = self.stream.isatty() if live is None else live
        self._task = ""
        self._total: int | None = None
        self._done = 0
        self._last = 0.0
        self._width = 0

    def start(self, task: str, total: int | None = None) -> None:
        self._finish_line()
        self._task, self._total, self._done = task, total, 0
        self._write(force=True)

    def advance(self, n: int = 1, note: str = "") -> None:
        self._done += n
        self._write(note=note)

    def update(self, note: str) -> None:
        """Show a status (e.g. the current Mbit/s) without advancing."""
        self._write(note=note)

    def done(self, summary: str = "") -> None:
        if self._task:
            self._write(note=summary, force=True)
            self._finish_line()
        self._task = ""

    def line(self, text: str) -> None:
        """A permanent line (a result worth keeping on screen)."""
        if not self.enabled:
            return
        self._finish_line()
        print(text, file=self.stream, flush=True)

    def _write(self, note: str = "", force: bool = False) -> None:
        if not self.enabled or not self._task:
            return
        now = time.monotonic()
        if not force and now - self._last < (0.1 if self.live else 5.0):
            return
        self._last = now
        count = f" {self._done}/{self._total}" if self._total else (f" {self._done}" if self._done else "")
        text = f"{self._task}{count}" + (f"  {note}" if note else "")
        if self.live:
            pad = max(0, self._width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self._width = len(text)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _finish_line(self) -> None:
        if self.live and self._width:
            self.stream.write("\n")
            self.stream.flush()
        self._width = 0


class NullProgress(Progress):
    """Progress that shows nothing (for tests and --quiet)."""

    def __init__(self) -> None:
        super().__init__(enabled=False, live=False)
