"""Measuring a running engine: packets/s over a window, median of repeats."""

from __future__ import annotations

import statistics
import time

from ..engine import Engine


def rate(config: str, counter: str, *, duration: float = 1.0, warmup: float = 0.2,
         threads: int = 1, per_packet: bool = False, pin: bool = True,
         timestamps: bool = False) -> float:
    """Packets per second through `counter` (an element with a `count`
    handler), measured over `duration` seconds after `warmup`."""
    eng = Engine(config, threads=threads, per_packet=per_packet, pin=pin, timestamps=timestamps)
    el = eng[counter]
    eng.start()
    try:
        # On a loaded machine the worker may take a while to get a core.
        deadline = time.monotonic() + 10
        while el.count == 0 and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(warmup)
        c0, t0 = el.count, time.perf_counter()
        time.sleep(duration)
        c1, t1 = el.count, time.perf_counter()
    finally:
        eng.stop()
    pools = eng.pools()
    if pools["in_use"] != _queued(eng):
        raise RuntimeError(f"{pools['in_use']} buffers not returned to their pool")
    return (c1 - c0) / (t1 - t0)


QUEUES = {"Pipeliner": "queued", "Queue": "length", "SimpleQueue": "length",
          "ThreadSafeQueue": "length"}


def _queued(eng: Engine) -> int:
    """Packets legitimately held at stop: those waiting in queues."""
    return sum(int(eng[n].read(QUEUES[el.cls])) for n, el in eng.graph.elements.items()
               if el.cls in QUEUES)


def median_rate(config: str, counter: str, repeat: int = 3, **kw) -> dict:
    runs = [rate(config, counter, **kw) for _ in range(repeat)]
    return {"mpps": statistics.median(runs) / 1e6, "runs_mpps": [r / 1e6 for r in runs]}
