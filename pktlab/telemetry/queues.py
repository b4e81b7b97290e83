"""Queue fill levels, sampled with the rest of the telemetry.

A queue's length is not a counter of the statistics region: it is read
through the element's `length` handler (and `capacity`, which a live change
or a slider may move), once per sample, for every element whose class has
both handlers (Queue, SimpleQueue, NotifierQueue, FrontDropQueue, ...).
The values go into a ring of the sampler's depth, one column per queue
name (a column stays with its name across live changes).

    tel.snapshot()["queues"]["q"]   # {"length": 12, "capacity": 1000, "fill": 0.012}
    t, fill = tel.queue_series()    # {"q": array of fill shares, one per sample}

A remote engine's queues are not sampled (a handler read per queue per
sample would be a network round trip each): its snapshot has no queues.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from ..engine.classes import element_class

__all__ = ["QueueRing", "is_queue"]


@cache
def is_queue(cls: str) -> bool:
    """Whether elements of class `cls` hold packets with a length and a capacity."""
    try:
        names = {h.name for h in element_class(cls).handlers if h.readable}
    except KeyError:
        return False
    return {"length", "capacity"} <= names


class QueueRing:
    """Length and capacity of each queue, per sample slot."""

    def __init__(self, history: int):
        self.history = history
        self.cols: dict[str, int] = {}
        self.length = np.zeros((history, 0), np.float64)
        self.capacity = np.zeros((history, 0), np.float64)

    @staticmethod
    def names(layout) -> list[str]:
        return [n for n in layout.names if is_queue(layout.cls[n])]

    def read(self, engine, layout) -> dict[str, tuple[float, float]]:
        """(length, capacity) of every queue now; outside the sampler's lock
        (a handler read waits for a live change in progress)."""
        if getattr(engine, "remote", False) or layout is None:
            return {}
        out = {}
        for n in self.names(layout):
            try:
                el = engine[n]
                out[n] = (float(el.read("length")), float(el.read("capacity")))
            except Exception:          # removed by a live change meanwhile: next sample
                continue
        return out

    def store(self, slot: int, values: dict[str, tuple[float, float]]) -> None:
        """Put one sample's values in `slot` (NaN for a queue not read)."""
        new = [n for n in values if n not in self.cols]
        if new:
            for n in new:
                self.cols[n] = len(self.cols)
            grow = ((0, 0), (0, len(new)))
            self.length = np.pad(self.length, grow, constant_values=np.nan)
            self.capacity = np.pad(self.capacity, grow, constant_values=np.nan)
        self.length[slot] = np.nan
        self.capacity[slot] = np.nan
        for n, (length, cap) in values.items():
            c = self.cols[n]
            self.length[slot, c] = length
            self.capacity[slot, c] = cap

    def latest(self, slot: int, names) -> dict[str, dict]:
        """{queue: {length, capacity, fill}} in sample slot `slot`."""
        out = {}
        for n in names:
            c = self.cols.get(n)
            if c is None or np.isnan(self.length[slot, c]):
                continue
            length, cap = self.length[slot, c], self.capacity[slot, c]
            out[n] = {"length": int(length), "capacity": int(cap),
                      "fill": float(length / cap) if cap > 0 else 0.0}
        return out

    def fill(self, idx: np.ndarray, names) -> dict[str, np.ndarray]:
        """Fill share (length / capacity, NaN where not sampled) over slots `idx`."""
        out = {}
        for n in names:
            c = self.cols.get(n)
            if c is None:
                out[n] = np.full(len(idx), np.nan)
                continue
            cap = self.capacity[idx, c]
            with np.errstate(invalid="ignore", divide="ignore"):
                out[n] = np.where(cap > 0, self.length[idx, c] / cap, 0.0)
            out[n][np.isnan(cap)] = np.nan
        return out
