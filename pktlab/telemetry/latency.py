"""Latency percentiles over time: LatencyHistogram elements sampled with the telemetry.

    eng = pktlab.Engine(text, timestamps=True)     # sources stamp what they make
    lat = eng.latency                              # LatencyTap on eng.telemetry
    lat.latest()["lat"]["p99"]                     # microseconds, the last sample
    t, p99 = lat.series("lat", "p99")              # over time
    eng.telemetry.snapshot()["latency"]            # the same as latest(), in the stream

A LatencyHistogram keeps one histogram per worker thread (native/lib/
lathist.h); its `summary` handler merges them once and answers COUNT MEAN MIN
P50 P90 P99 P999 MAX (microseconds). The tap reads that handler after every
`every`-th sample of the sampler (the sampler thread, 10 Hz), for every
LatencyHistogram of the graph, into a ring allocated once, so dashboards plot
p50/p99 live and a RemoteEngine works the same (a handler read each).

The handler's percentiles are cumulative since the element's last reset.
With window=True (LatencyDashboard's default) the tap also reads the
`buckets` handler and keeps the percentiles of the packets measured since
the previous read (`wp50`, `wp99`, ...: what a live plot wants, a change
shows at once instead of being averaged into the whole run).
"""

from __future__ import annotations

import threading

import numpy as np

from ..engine.accessors import attach, attached

FIELDS = ("count", "mean", "min", "p50", "p90", "p99", "p999", "max")
WINDOW = ("wcount", "wp50", "wp99")          # over the last interval (window=True)
ALL = FIELDS + WINDOW
CLASS = "LatencyHistogram"
SUB_BITS, MAX_BITS = 5, 40                   # native/lib/lathist.h
NBUCKETS = (MAX_BITS - SUB_BITS + 1) << SUB_BITS


def bucket_index(low: int) -> int:
    """The bucket of a value in ns (pl_lh_index)."""
    if low < 2 << SUB_BITS:
        return low
    msb = low.bit_length() - 1
    if msb >= MAX_BITS:
        return NBUCKETS - 1
    shift = msb - SUB_BITS
    return (shift << SUB_BITS) + (low >> shift)


def _bounds() -> tuple[np.ndarray, np.ndarray]:
    i = np.arange(NBUCKETS)
    shift = np.maximum(i // (1 << SUB_BITS) - 1, 0)
    low = np.where(i < 2 << SUB_BITS, i, (i - (shift << SUB_BITS)) << shift)
    return low.astype(np.float64), np.where(i < 2 << SUB_BITS, 1, 1 << shift).astype(np.float64)


LOW, WIDTH = _bounds()


def parse_buckets(text: str) -> np.ndarray:
    """A `buckets` handler's "LOW_NS COUNT" lines as counts per bucket."""
    out = np.zeros(NBUCKETS, np.int64)
    for line in text.splitlines():
        low, count = line.split()
        out[bucket_index(int(low))] = int(count)
    return out


def quantile(counts: np.ndarray, q: float) -> float:
    """Microseconds at quantile q of bucket counts (the bucket's highest value,
    as the native side and HdrHistogram answer); NaN when empty."""
    total = int(counts.sum())
    if total <= 0:
        return float("nan")
    rank = max(int(np.ceil(q * total)), 1)
    i = int(np.searchsorted(np.cumsum(counts), rank))
    return float(LOW[i] + WIDTH[i] - 1) / 1e3


def parse_summary(text: str) -> dict[str, float]:
    """A `summary` handler's line as a dict (count as an int)."""
    parts = text.split()
    if len(parts) != len(FIELDS):
        raise ValueError(f"LatencyHistogram summary: expected {len(FIELDS)} numbers, got {text!r}")
    out = {f: float(v) for f, v in zip(FIELDS, parts)}
    out["count"] = int(out["count"])
    return out


def latency_elements(engine) -> list[str]:
    """Names of the graph's LatencyHistogram elements, in graph order."""
    return [n for n, el in engine.graph.elements.items() if el.cls == CLASS]


class LatencyTap:
    """Samples the `summary` of LatencyHistogram elements into a ring.

    sampler: a pktlab.telemetry.Sampler (or an Engine: its telemetry).
    elements: names (default: every LatencyHistogram of the graph, followed
    across live changes). every: read after every `every`-th sample.
    """

    def __init__(self, sampler, elements: list[str] | None = None, every: int = 1,
                 history: int | None = None, window: bool = True):
        from .sampler import Sampler

        self.sampler = sampler if isinstance(sampler, Sampler) else sampler.telemetry
        self._fixed = list(elements) if elements is not None else None
        self.history = int(history or self.sampler.history)
        self._lock = threading.Lock()
        self._t = np.zeros(self.history)
        self._v: dict[str, np.ndarray] = {}
        self._n = 0
        self.errors = 0
        self.window = window
        self._prev: dict[str, np.ndarray] = {}
        self.sampler.extra["latency"] = self.latest
        self.sampler.subscribe(self.sample, every=max(int(every), 1))

    @property
    def elements(self) -> list[str]:
        if self._fixed is not None:
            return list(self._fixed)
        return latency_elements(self.sampler.engine)

    def sample(self, sampler=None) -> None:
        """Read every element's summary now (the sampler thread calls this)."""
        eng = self.sampler.engine
        row = {}
        for n in self.elements:
            try:
                row[n] = d = parse_summary(eng[n].read("summary"))
                if self.window:
                    d.update(self._windowed(n, parse_buckets(eng[n].read("buckets"))))
            except Exception:           # removed by a live change meanwhile, or a remote gone
                self.errors += 1
        with self._lock:
            i = self._n % self.history
            self._t[i] = self.sampler.now()
            for n, d in row.items():
                v = self._v.get(n)
                if v is None:
                    v = self._v[n] = np.full((self.history, len(ALL)), np.nan)
                v[i] = [d.get(f, np.nan) for f in ALL]
            for n, v in self._v.items():
                if n not in row:
                    v[i] = np.nan
            self._n += 1

    def _windowed(self, name: str, counts: np.ndarray) -> dict[str, float]:
        prev = self._prev.get(name)
        self._prev[name] = counts
        delta = counts - prev if prev is not None else counts
        if (delta < 0).any():           # reset since: what is there came after it
            delta = counts
        return {"wcount": float(delta.sum()), "wp50": quantile(delta, 0.5),
                "wp99": quantile(delta, 0.99)}

    @property
    def samples(self) -> int:
        return self._n

    def _order(self) -> np.ndarray:
        n = self._n
        k = min(n, self.history)
        return (np.arange(n - k, n) % self.history).astype(np.intp)

    def series(self, name: str, field: str = "p99") -> tuple[np.ndarray, np.ndarray]:
        """(t, values) of one field of one element over the ring, oldest first;
        t in the sampler's seconds (the dashboards' time axis)."""
        j = ALL.index(field)
        with self._lock:
            idx = self._order()
            v = self._v.get(name)
            vals = v[idx, j].copy() if v is not None else np.full(len(idx), np.nan)
            return self._t[idx].copy(), vals

    def latest(self) -> dict[str, dict[str, float]]:
        """The last sample of every element: {name: {count, mean, p50, ...}}."""
        with self._lock:
            if not self._n:
                return {}
            i = (self._n - 1) % self.history
            out = {}
            for n, v in self._v.items():
                if not np.isnan(v[i, 0]):
                    d = dict(zip(ALL, (float(x) for x in v[i])))
                    d["count"] = int(d["count"])
                    out[n] = d
            return out

    def read(self, name: str) -> dict[str, float]:
        """The element's summary now (a handler read, not the ring)."""
        return parse_summary(self.sampler.engine[name].read("summary"))

    def reset(self, name: str | None = None) -> None:
        """Reset one element's histogram (or every one's)."""
        for n in [name] if name else self.elements:
            self.sampler.engine[n].write("reset")

    def close(self) -> None:
        self.sampler.unsubscribe(self.sample)
        if self.sampler.extra.get("latency") == self.latest:
            del self.sampler.extra["latency"]


def tap_for(engine) -> LatencyTap:
    """The engine's shared tap (`eng.latency`), on its shared sampler."""
    tap = attached(engine, "latency")
    if tap is None:
        tap = LatencyTap(engine.telemetry)
        attach(engine, "latency", tap)
    return tap


__all__ = ["ALL", "FIELDS", "LatencyTap", "bucket_index", "latency_elements", "parse_buckets",
           "parse_summary", "quantile", "tap_for"]
