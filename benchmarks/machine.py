"""How fast this machine is right now, for reading the benchmarks' figures.

The machines this project runs on change speed by a factor of 2 to 4 within an hour (shared
cores). Each benchmark therefore also prints ``machine_loop_s``: the time of a fixed pure-Python
loop of 10 million additions, taken just before its own measurements. It is about 0.6 s on an
unloaded machine of this kind; a figure of 1.2 means everything ran at half speed.
"""

from __future__ import annotations

import time


def loop_seconds() -> float:
    """The best of three runs of the fixed loop, in seconds."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.perf_counter() - started)
    return round(best, 2)
