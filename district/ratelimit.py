"""In-process rate limits: a token bucket per key (an address, an account), bounded in memory.

Each server process keeps its own buckets; the per-account lockout that must hold across processes lives in
the database (``users.failed_logins`` / ``locked_until``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict


class RateLimiter:
    """``rate`` events per ``per_s`` seconds per key, bursting to ``rate``; at most ``max_keys`` keys remembered."""

    def __init__(self, rate: int, per_s: float, max_keys: int = 10000) -> None:
        self.capacity = float(max(1, rate))
        self.refill = self.capacity / per_s
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> float:
        """Take one token for ``key``: 0 when allowed, else the seconds until the next token."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.refill)
            if tokens >= 1:
                self._buckets[key] = (tokens - 1, now)
                wait = 0.0
            else:
                self._buckets[key] = (tokens, now)
                wait = (1 - tokens) / self.refill
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            return wait

    def reset(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)
