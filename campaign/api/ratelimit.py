"""A token bucket per client address, in this process's memory.

Each process (gunicorn worker) keeps its own buckets, so with N workers a client may get up to
N times the limit: enough to keep one client from crowding out the others, with no table
written on every read. (Login failures are counted in the database instead, because there
every attempt must count; see ``core.ratelimit``.)
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

MAX_CLIENTS = 10_000  # buckets kept; the least recently seen client is forgotten first


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    retry_after: int  # seconds until a request is allowed again; 0 when allowed


class TokenBuckets:
    """Allow ``per_minute`` requests per client: a burst of that many, then one every
    60 / ``per_minute`` seconds."""

    def __init__(self, *, max_clients: int = MAX_CLIENTS) -> None:
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client → (tokens, at)
        self._lock = threading.Lock()
        self._max_clients = max_clients

    def take(self, client: str, *, per_minute: int, now: float) -> Decision:
        """Take one token from ``client``'s bucket at monotonic time ``now``."""
        rate = per_minute / 60
        with self._lock:
            tokens, at = self._buckets.pop(client, (float(per_minute), now))
            tokens = min(float(per_minute), tokens + max(now - at, 0.0) * rate)
            allowed = tokens >= 1
            if allowed:
                tokens -= 1
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self._max_clients:
                self._buckets.popitem(last=False)
        retry_after = 0 if allowed else math.ceil((1 - tokens) / rate - 1e-9)  # not 21 s for 20.000000001
        return Decision(allowed, per_minute, int(tokens), retry_after)

    def clear(self) -> None:
        with self._lock:
            self._buckets.clear()
