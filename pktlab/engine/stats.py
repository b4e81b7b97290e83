"""Numpy views on the engine's statistics region.

The region is mapped once; arrays are views, not copies, and are read while
the workers write them (aligned 64-bit counters cannot tear). Totals are
summed over threads here, on the control side.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ._lib import ffi, lib

PACKETS, BYTES, BATCHES, CYCLES = range(4)

# The core's counters: the first columns of counters[t, c] (element counters follow).
CORE_COUNTERS = tuple(ffi.string(lib.pl_core_counter(i)).decode()
                      for i in range(lib.pl_core_ncounters()))


class StatsReader:
    """What the statistics say per element, from the arrays `ports[t, p, f]`,
    `hist[t, p, k]`, `counters[t, c]` and the element -> index maps: shared by
    Stats (the engine's own region) and RemoteStats (a copy kept by a
    telemetry stream, pktlab.engine.remote_stats)."""

    def _index(self, engine, port_base: dict[str, int], counter_base: dict[str, int]) -> None:
        conn_in: dict[str, list[tuple[int, int]]] = {}
        for c in engine.graph.connections:
            conn_in.setdefault(c.dst, []).append((c.dport, port_base[c.src] + c.sport))
        self._port_base, self._counter_base, self._conn_in = port_base, counter_base, conn_in

    def _class(self, name):
        from .classes import element_class

        return element_class(self._engine.graph.elements[name].cls)

    def port_base(self, name: str) -> int:
        """Index of the element's first output port in `ports[t, p, f]`."""
        return self._port_base[name]

    def counter_base(self, name: str) -> int:
        """Index of the element's first counter in `counters[t, c]`."""
        return self._counter_base[name]

    def output_ports(self, name: str) -> list[int]:
        """Global port indices of an element's outputs."""
        _, nout = self._engine.ports(name)
        base = self._port_base[name]
        return list(range(base, base + nout))

    def output_packets(self, name: str, field: int = PACKETS) -> np.ndarray:
        ports = self.output_ports(name)
        return self.ports[:, ports, field].sum(axis=0) if ports else np.zeros(0, np.uint64)

    def input_packets(self, name: str, field: int = PACKETS) -> np.ndarray:
        nin, _ = self._engine.ports(name)
        out = np.zeros(nin, dtype=np.uint64)
        for dport, gport in self._conn_in.get(name, []):
            out[dport] += self.ports[:, gport, field].sum()
        return out

    def input_hist(self, name: str) -> np.ndarray:
        """Batch-size histogram of everything arriving at `name` (all inputs)."""
        h = np.zeros(self.hist.shape[2], dtype=np.uint64)
        for _, gport in self._conn_in.get(name, []):
            h += self.hist[:, gport, :].sum(axis=0)
        return h

    def counters_of(self, name: str) -> dict[str, int]:
        names = self._class(name).counters
        base = self._counter_base[name]
        tot = self.counters[:, base:base + len(names)].sum(axis=0)
        return {n: int(v) for n, v in zip(names, tot)}

    def core_counters(self) -> dict[str, int]:
        """The core's counters (CORE_COUNTERS), summed over threads."""
        tot = self.counters[:, :len(CORE_COUNTERS)].sum(axis=0)
        return {n: int(v) for n, v in zip(CORE_COUNTERS, tot)}

    def drops_of(self, name: str) -> dict[str, int]:
        drops = self._class(name).drop_counters
        c = self.counters_of(name)
        return {d: c[d] for d in drops}

    def retired_drops(self) -> int:
        """Packets freed by elements that live change removed."""
        return 0

    def total_drops(self) -> int:
        """Packets freed by every element, including elements that live change
        removed: with the packets still queued, this equals what was generated."""
        live = sum(sum(self.drops_of(n).values()) for n in self._engine.elements)
        return live + self.retired_drops()


class _Region(np.ndarray):
    """The statistics region as an array that holds the engine handle: every
    view taken from it (ports, hist, counters and their slices) keeps the
    native engine, and so the memory under it, alive after the Engine
    object is gone."""

    owner = None


class Stats(StatsReader):
    """ports[t, p, f]: per thread t, global output port p, field f (packets,
    bytes, batches, cycles). hist[t, p, k]: batches of size k through port p
    (k = 1..256, 257 = larger). counters[t, c]: element counters."""

    def __init__(self, engine):
        self._engine = engine
        self.generation = None
        self.refresh()

    def refresh(self) -> None:
        """Re-read the layout after a live change: new elements get indices,
        and when the region moved (a larger one was needed) the views are
        remapped. Views held from before stay readable (the old region is
        kept) but stop moving."""
        engine = self._engine
        h = engine._h
        L = ffi.new("pl_stats_layout *")
        if lib.pl_stats(h, L) != 0:
            raise RuntimeError("statistics are laid out when the engine is initialized")
        if L.generation != self.generation:
            raw = np.frombuffer(ffi.buffer(L.base, L.bytes), dtype=np.uint64).view(_Region)
            raw.owner = h          # the views keep the engine's memory alive
            s = raw.itemsize
            self.threads = L.threads
            self.nports = L.nports
            self.ncounters = L.ncounters
            self._raw = raw
            self.ports = as_strided(raw[L.ports_off:], shape=(L.threads, L.nports, 4),
                                    strides=(L.ports_stride * s, 4 * s, s), writeable=False)
            self.hist = as_strided(raw[L.hist_off:], shape=(L.threads, L.nports, L.hist_bins),
                                   strides=(L.hist_stride * s, L.hist_bins * s, s),
                                   writeable=False)
            self.counters = as_strided(raw[L.counters_off:], shape=(L.threads, L.ncounters),
                                       strides=(L.counters_stride * s, s), writeable=False)
            self.generation = L.generation
        port_base, counter_base = {}, {}
        for i, name in enumerate(engine.elements):
            port_base[name] = lib.pl_port_index(h, i, 0)
            counter_base[name] = lib.pl_counter_index(h, i)
        self._index(engine, port_base, counter_base)

    def retired_drops(self) -> int:
        return int(lib.pl_engine_retired_drops(self._engine._h))


def mean_batch(hist: np.ndarray) -> float:
    """Mean batch size from a histogram (sizes above 256 count as 257)."""
    sizes = np.arange(hist.shape[-1], dtype=np.float64)
    n = hist.sum()
    return float((hist * sizes).sum() / n) if n else 0.0


def pool_info(h) -> dict:
    """Engine.pools() for the native engine h."""
    info = ffi.new("pl_pool_info *")
    lib.pl_engine_pools(h, info)
    classes = [{"bytes": info.class_bytes[k], "allocated": info.class_allocated[k],
                "free": info.class_free[k],
                "in_use": info.class_allocated[k] - info.class_free[k],
                "alloc_failures": info.class_failures[k]} for k in range(info.nclasses)]
    return {"allocated": info.allocated, "free": info.free,
            "in_use": info.allocated - info.free, "alloc_failures": info.alloc_failures,
            "classes": classes, "max_len": info.max_len}


def breakdown_of(handle) -> dict[str, dict[str, int]]:
    """The batch path's stages (Engine(breakdown=True)): TSC cycles summed over
    the workers and how many marks ended each, and "in_progress": the cycles
    since each worker's last mark (a window's sum of parts counts the stage
    open at each end); EngineError when it is off."""
    n = lib.pl_breakdown_nstages()
    cyc, marks, open_ = ffi.new("uint64_t[]", n), ffi.new("uint64_t[]", n), ffi.new("uint64_t *")
    if lib.pl_engine_breakdown(handle, cyc, marks, n, open_) < 0:
        from .errors import EngineError
        raise EngineError("the breakdown is off: build the engine with Engine(..., breakdown=True)",
                          kind="state")
    out = {ffi.string(lib.pl_breakdown_stage(i)).decode(): {"cycles": cyc[i], "marks": marks[i]}
           for i in range(n)}
    out["in_progress"] = {"cycles": open_[0], "marks": 0}    # since each worker's last mark
    return out
