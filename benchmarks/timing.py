"""The clock of every section: the best of several calls, after a warm-up where one is needed."""
from __future__ import annotations

import time


def best(call, repeat: int, warm_up: bool = True) -> float:
    """Seconds of the fastest of ``repeat`` calls of ``call()``; with ``warm_up``, one untimed
    call first (Numba compilation or cache load, CuPy's first kernel launches). The minimum is
    the figure least disturbed by other processes on a shared machine."""
    if warm_up:
        call()
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)
