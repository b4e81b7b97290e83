"""The telemetry stream: the statistics region, sent as what changed.

    pub = Publisher(eng)
    sub = pub.subscribe(hz=10)
    frames = pub.collect([sub])        # {sub: bytes}, on the server's control thread

Each collect() copies the engine's statistics region once (per-thread port
counters, batch-size histograms, element counters: numpy views, no lock
shared with the workers; the Engine's control lock is held only for the
copy, so a live change cannot swap the region halfway) -- the ports in use
and the counters, into a buffer allocated when the layout changes. For each subscriber due, the frame holds
the words that differ from what that subscriber was last sent (a sparse
delta: most histogram bins never change), so a client that skipped frames
(slow, or its buffer full) gets everything it missed in its next one, and
the first frame after a layout holds every non-zero word. Layouts, live
changes and state changes go as JSON frames (pktlab.engine.wire).
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np

from ..engine import wire


def diff_json(d) -> dict | None:
    if d is None:
        return None
    out = dataclasses.asdict(d)
    for k in ("connections_added", "connections_removed"):
        out[k] = [[c.src, c.sport, c.dst, c.dport] for c in getattr(d, k)]
    return out


def change_json(index: int, change) -> dict:
    out = {f.name: getattr(change, f.name) for f in dataclasses.fields(change) if f.name != "diff"}
    out["diff"] = diff_json(change.diff)
    out["index"] = index
    return out


def layout_of(engine, layout_id: int) -> dict:
    """The graph and the statistics layout (what a client needs to read frames)."""
    st = engine.stats()
    g = engine.graph
    elements = []
    for name in engine.elements:
        el = g.elements[name]
        nin, nout = engine.ports(name)
        elements.append({"name": name, "class": el.cls, "config": el.config,
                         "ports": [nin, nout], "port_base": st.port_base(name),
                         "counter_base": st.counter_base(name),
                         "thread": engine.element_thread(name),
                         "threads": engine.threads_of(name)})
    return {
        "id": layout_id, "threads": int(st.ports.shape[0]), "nports": int(st.ports.shape[1]),
        "bins": int(st.hist.shape[2]), "ncounters": int(st.counters.shape[1]),
        "generation": int(st.generation or 0), "engine_threads": engine.threads,
        "elements": elements,
        "connections": [[c.src, c.sport, c.dst, c.dport] for c in g.connections],
        "requirements": list(getattr(g, "requirements", ()) or ()),
        "state": state_of(engine),
    }


def state_of(engine) -> dict:
    return {"running": bool(engine.running), "done": bool(engine.done),
            "uptime": engine.uptime(), "history": len(engine.history)}


def _copy(engine, st, cur: np.ndarray) -> None:
    k = 0
    for a in (st.ports, st.hist, st.counters):
        n = a.size
        np.copyto(cur[k:k + n].reshape(a.shape), a)
        k += n


class _Live:
    """The words of the region that can move: the ports elements use (a prefix:
    the region keeps room for live change) and every counter, copied into one
    compact buffer; `where` maps a compact position to its word in the region."""

    def __init__(self, layout: dict):
        shapes = wire.region_shapes(layout)
        T, P, B = layout["threads"], layout["nports"], layout["bins"]
        used = max((e["port_base"] + e["ports"][1] for e in layout["elements"]), default=0)
        self.used = pu = min(max(used, 0), P)
        C = shapes["counters"][1]
        base_hist = T * P * 4
        base_cnt = base_hist + T * P * B
        t, p = np.meshgrid(np.arange(T), np.arange(pu), indexing="ij")
        ports = ((t * P + p)[..., None] * 4 + np.arange(4)).ravel()
        hist = base_hist + ((t * P + p)[..., None] * B + np.arange(B)).ravel()
        cnt = base_cnt + np.arange(T * C)
        self.where = np.concatenate([ports, hist, cnt]).astype(np.uint32)
        self.cur = np.zeros(len(self.where), np.uint64)
        a, b = T * pu * 4, T * pu * B
        self.views = (self.cur[:a].reshape(T, pu, 4), self.cur[a:a + b].reshape(T, pu, B),
                      self.cur[a + b:].reshape(T, C))

    def copy(self, st) -> None:
        pu = self.used
        np.copyto(self.views[0], st.ports[:, :pu])
        np.copyto(self.views[1], st.hist[:, :pu])
        np.copyto(self.views[2], st.counters)


def keyframe(engine) -> bytes:
    """One stats payload with every non-zero word (the `stats` read handler)."""
    with engine._lock:
        st = engine.stats()
        cur = np.zeros(st.ports.size + st.hist.size + st.counters.size, np.uint64)
        _copy(engine, st, cur)
        retired = st.retired_drops()
    idx = np.flatnonzero(cur)
    return wire.encode_stats(0, time.monotonic(), 0, idx, cur[idx], key=True, retired=retired)


@dataclasses.dataclass(eq=False)
class Subscription:
    hz: float
    next_t: float = 0.0
    seq: int = 0
    layout: int = -1
    last: np.ndarray | None = None
    history: int = 0                # changes sent so far
    state: tuple | None = None
    sent_bytes: int = 0
    skipped: int = 0

    @property
    def period(self) -> float:
        return 1.0 / self.hz


class Publisher:
    """Copies one engine's statistics region and builds each subscriber's frames."""

    def __init__(self, engine, clock=time.monotonic):
        self.engine = engine
        self.clock = clock
        self.layout_id = 0
        self.layout: dict | None = None
        self._sig = None
        self._live: _Live | None = None
        self.busy_s = 0.0              # CPU seconds spent in collect()
        self.collects = 0

    def subscribe(self, hz: float) -> Subscription:
        """A subscriber at `hz`: due on the multiples of its period, so that
        subscribers at one rate share every copy of the region."""
        sub = Subscription(hz=min(max(float(hz), 0.1), 100.0))
        sub.next_t = math.ceil(self.clock() / sub.period) * sub.period
        return sub

    def _snapshot(self) -> tuple[float, int]:
        eng = self.engine
        with eng._lock:
            st = eng.stats()
            sig = (id(eng.graph), st.generation, st.ports.shape, st.hist.shape,
                   st.counters.shape)
            if sig != self._sig:
                self.layout_id += 1
                self.layout = layout_of(eng, self.layout_id)
                self._live = _Live(self.layout)
                self._sig = sig
            self._live.copy(st)
            retired = st.retired_drops()
            t = self.clock()
        return t, retired

    def collect(self, due: list[Subscription]) -> dict[Subscription, bytes]:
        """Frames for each subscriber in `due` (on the control thread)."""
        c0 = time.thread_time()
        t, retired = self._snapshot()
        eng = self.engine
        live = self._live
        state = state_of(eng)
        key_state = (state["running"], state["done"])
        hist = eng.history
        out = {}
        for sub in due:
            parts = []
            key = False
            if sub.layout != self.layout_id:
                parts.append(wire.json_frame("layout", self.layout))
                sub.layout = self.layout_id
                sub.last = np.zeros_like(live.cur)
                key = True
            while sub.history < len(hist):
                parts.append(wire.json_frame("change", change_json(sub.history,
                                                                   hist[sub.history])))
                sub.history += 1
            if key_state != sub.state:
                parts.append(wire.json_frame("state", state))
                sub.state = key_state
            changed = np.flatnonzero(live.cur != sub.last)
            vals = live.cur[changed]
            sub.last[changed] = vals
            sub.seq += 1
            parts.append(wire.frame("stats", wire.encode_stats(
                sub.seq, t, self.layout_id, live.where[changed], vals, key=key,
                retired=retired)))
            out[sub] = b"".join(parts)
        self.busy_s += time.thread_time() - c0
        self.collects += 1
        return out


__all__ = ["Publisher", "Subscription", "change_json", "diff_json", "keyframe", "layout_of",
           "state_of"]
