"""Telemetry: a background sampler over the engine's statistics region.

    tel = pktlab.telemetry.Sampler(eng).start()   # or eng.telemetry (started on first use)
    snap = tel.snapshot()             # plain dicts and numpy arrays
    snap["elements"]["c"]["pps"]      # packets/s through c over the last second
    snap["elements"]["c"]["mean_batch"], snap["elements"]["c"]["hist"]
    tel.mark("BURST 4")               # a change marker, shown on the plots

Every `1/hz` seconds the sampler thread sums the per-thread counters of the
region (numpy views, no copy of the region, no lock shared with the workers)
into slots of a ring allocated once: per output port (packets, bytes,
batches, cycles), per element counter, per thread the packets its tasks
emitted, and a short ring of batch-size histograms. Rates, means and
cycles/packet are differences between two slots, computed by the reader
(`snapshot`, `series`: pktlab/telemetry/rates.py), never on the sampler thread.

Definitions (port = output port = edge, as in the statistics region):
  element pps/bps   packets/bits per second leaving it (entering it if it has
                    no output, e.g. Discard)
  mean_batch, hist  over everything arriving at the element's inputs
  cycles_per_packet exclusive: cycles spent below its input edges minus those
                    spent below its output edges, per input packet (needs
                    Engine(cycles=True); None otherwise and for sources)
  threads["pps"]    packets per second pushed out by the tasks (sources) of
                    each worker thread
  queues            length, capacity and fill share of every queue, read
                    through its handlers each sample (pktlab/telemetry/queues.py)
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager

import numpy as np

from ..engine.accessors import attach, attached
from ..engine.classes import element_class
from ..engine.stats import PACKETS
from .queues import QueueRing
from .rates import RingReader

log = logging.getLogger(__name__)

HIST_BINS = 258


class _Layout:
    """Element -> port/counter indices for one graph (rebuilt after a live change)."""

    def __init__(self, eng, st):
        self.graph = eng.graph
        self.names = list(eng.elements)
        self.cls = {n: eng.graph.elements[n].cls for n in self.names}
        self.out: dict[str, np.ndarray] = {}
        self.inp: dict[str, np.ndarray] = {}
        self.counters: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {}
        self.thread: dict[str, int | None] = {}
        for n in self.names:
            self.out[n] = np.array(st.output_ports(n), dtype=np.intp)
            c = element_class(self.cls[n])
            self.counters[n] = (st.counter_base(n), c.counters, c.drop_counters)
            self.thread[n] = eng.element_thread(n)
        inp: dict[str, list[int]] = {n: [] for n in self.names}
        self.edges = []
        for c in eng.graph.connections:
            port = int(self.out[c.src][c.sport])
            inp[c.dst].append(port)
            self.edges.append((c.src, c.sport, c.dst, c.dport, port))
        self.inp = {n: np.array(v, dtype=np.intp) for n, v in inp.items()}
        # Ports of task elements, per thread: the packets each thread injects.
        tasks = [(t, p) for n, t in self.thread.items() if t is not None for p in self.out[n]]
        self.task_ports = np.array(sorted({p for _, p in tasks}), dtype=np.intp)
        # Ports are numbered in order and never reused: the used ones are a
        # prefix of the region (which has room to spare for live change).
        self.used_ports = max((int(o.max()) + 1 for o in self.out.values() if len(o)), default=1)


class Sampler(RingReader):
    """Samples an Engine's statistics at `hz` into a ring of `history` samples.

    hist_window: samples over which the live batch-size histogram is taken
    (default: one second's worth). Listeners (`subscribe`) run on the sampler
    thread after each sample; keep them short. Reading (`snapshot`, `series`,
    `series_many`) is RingReader's (pktlab/telemetry/rates.py).
    """

    def __init__(self, engine, hz: float = 10.0, history: int = 600,
                 hist_window: int | None = None):
        if hz <= 0:
            raise ValueError(f"hz must be positive, got {hz}")
        self.engine = engine
        self.hz = float(hz)
        self.history = max(int(history), 4)
        self.hist_window = max(int(hist_window or round(hz)), 1)
        self.t0 = time.monotonic()
        self.markers: deque[tuple[float, str]] = deque(maxlen=1000)
        self.busy_s = 0.0          # CPU seconds spent sampling (sampler thread)
        self.extra: dict[str, Callable[[], object]] = {}   # more snapshot keys (latency)
        self._lock = threading.Lock()
        self._listeners: list[list] = []
        self._thread: threading.Thread | None = None
        self._pushed = None             # the callback a pushing engine calls (on_sample)
        self._stop = threading.Event()
        self._n = 0
        self._pu = 0
        self._st = None
        self._gen = None
        self._shape = None
        self._layout: _Layout | None = None
        self.queues = QueueRing(self.history)
        self._rebind()
        self._watch(engine)

    def _watch(self, engine) -> None:
        """Mark every live change the engine applies (Engine.on_change)."""
        if hasattr(engine, "on_change"):
            ref = weakref.ref(self)

            def on_change(change, ref=ref):
                s = ref()
                if s is not None and s.engine is engine:
                    s.mark(getattr(change, "label", None) or "change")

            engine.on_change(on_change)

    # ---- the ring ------------------------------------------------------

    def _rebind(self) -> None:
        """(Re)map the engine's statistics; allocation happens only here."""
        st = self.engine.stats()
        shape = (st.ports.shape, st.counters.shape)
        if shape != self._shape:
            T, P, _ = st.ports.shape
            C = st.counters.shape[1]
            H = self.hist_window + 3
            old = (self._shape is not None and
                   (self._ports, self._counters, self._hist, self._threads))
            self._t = np.zeros(self.history, np.float64) if not old else self._t
            self._ports = np.zeros((self.history, P, 4), np.uint64)
            self._counters = np.zeros((self.history, C), np.uint64)
            self._hist = np.zeros((H, P, st.hist.shape[2]), np.uint64)
            self._threads = np.zeros((self.history, T), np.uint64)
            if old:
                # A region grown by live change keeps its indices: keep history.
                op, oc, oh, ot = old
                self._ports[:, :op.shape[1]] = op
                self._counters[:, :oc.shape[1]] = oc
                self._hist[:oh.shape[0], :oh.shape[1]] = oh
                self._threads[:, :ot.shape[1]] = ot
            self._shape = shape
        self._st = st
        self._gen = st.generation
        self._pk = st.ports[:, :, PACKETS]
        self._bind_layout(st)

    def _bind_layout(self, st) -> None:
        try:
            self._layout = _Layout(self.engine, st)
        except (KeyError, IndexError):
            if self._layout is None:
                raise
            return                      # the graph is being swapped: next tick
        T = st.ports.shape[0]
        self._task_ports = self._layout.task_ports
        self._tp = np.zeros((T, len(self._task_ports)), np.uint64)

    def sample(self, t: float | None = None) -> None:
        """Take one sample now (the thread calls this at `hz`); t: when the
        statistics were taken (monotonic seconds; a remote engine's frames
        carry the server's clock), default now."""
        c0 = time.thread_time()
        qvals = self.queues.read(self.engine, self._layout)
        with self._lock:
            eng = self.engine
            st = eng.stats()
            if st is not self._st or st.generation != self._gen:
                self._rebind()
                st = self._st
            elif eng.graph is not self._layout.graph:
                self._bind_layout(st)
            ports, hist, counters = st.ports, st.hist, st.counters
            if (ports.shape[1:] != self._ports.shape[1:] or hist.shape[1] != self._hist.shape[1]
                    or counters.shape[1:] != self._counters.shape[1:]):
                return                  # a live change is remapping the region: next tick
            n = self._n
            i = n % self.history
            self._t[i] = (time.monotonic() if t is None else t) - self.t0
            # Monotonic: ports of removed elements stay counted, rows never go stale.
            self._pu = pu = min(max(self._pu, self._layout.used_ports), ports.shape[1])
            np.sum(ports[:, :pu], axis=0, out=self._ports[i, :pu])
            np.sum(counters, axis=0, out=self._counters[i])
            np.sum(hist[:, :pu], axis=0, out=self._hist[n % self._hist.shape[0], :pu])
            if len(self._task_ports):
                np.take(self._pk, self._task_ports, axis=1, out=self._tp, mode="clip")
                np.sum(self._tp, axis=1, out=self._threads[i])
            self.queues.store(i, qvals)
            self._n = n + 1          # publish: readers use slots below _n only
        self.busy_s += time.thread_time() - c0
        for entry in list(self._listeners):
            fn, every, fails = entry
            if (n + 1) % every:
                continue
            try:
                fn(self)
                entry[2] = 0
            except Exception:
                entry[2] += 1
                log.exception("telemetry listener %r failed", fn)
                if entry[2] >= 10:
                    self.unsubscribe(fn)

    def sample_if_changed(self) -> bool:
        """Take a sample unless no packet moved since the last one (after a stop)."""
        n = self._n
        if n and self._st is not None:
            last = self._ports[(n - 1) % self.history, :, PACKETS]
            if np.array_equal(self._st.ports[:, :, PACKETS].sum(axis=0), last):
                return False
        self.sample()
        return True

    @property
    def layout(self) -> _Layout:
        """Element -> indices for the engine's current graph (and the rings
        remapped first when a live change moved the statistics region, so
        that every index of the layout is inside them)."""
        if self.engine.graph is not self._layout.graph or self._moved():
            with self._lock:
                if self._moved():
                    self._rebind()
                elif self.engine.graph is not self._layout.graph:
                    self._bind_layout(self.engine.stats())
        return self._layout

    def _moved(self) -> bool:
        st = self.engine.stats()
        return (st is not self._st or st.generation != self._gen
                or (st.ports.shape, st.counters.shape) != self._shape)

    @property
    def elements(self) -> list[str]:
        return list(self.layout.names)

    @property
    def samples(self) -> int:
        """Samples taken so far."""
        return self._n

    # ---- the thread ----------------------------------------------------

    def start(self) -> Sampler:
        """Sample on a background (daemon) thread until stop(). An engine that
        pushes its samples (a RemoteEngine: one per telemetry frame, `on_sample`)
        is sampled when they come instead, without a thread."""
        if self._thread is not None and self._thread.is_alive():
            return self
        if hasattr(self.engine, "on_sample"):
            if not self._pushed:
                self._pushed = self.sample
                self.engine.on_sample(self._pushed)
            return self
        self._stop.clear()
        ref = weakref.ref(self)
        self._thread = threading.Thread(target=_run, args=(ref, self._stop, 1.0 / self.hz),
                                        name="pktlab-telemetry", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._pushed:
            self.engine.off_sample(self._pushed)
            self._pushed = None
        self._stop.set()
        t = self._thread
        if t is not None and t is not threading.current_thread():
            t.join(timeout=2.0)
        self._thread = None

    @property
    def running(self) -> bool:
        return bool(self._pushed) or (self._thread is not None and self._thread.is_alive())

    @contextmanager
    def hold(self):
        """Keep the sampler out of the statistics region (e.g. while it moves)."""
        with self._lock:
            yield

    def attach(self, engine, label: str | None = "restart") -> None:
        """Sample another engine from now on (same ring timeline, a marker)."""
        was_running = self.running
        if self._pushed:
            self.engine.off_sample(self._pushed)
            self._pushed = None
        with self._lock:
            self.engine = engine
            self._shape = None
            self._n = 0
            self._pu = 0
            self._layout = None
            self.queues = QueueRing(self.history)
            self._rebind()
        self._watch(engine)
        if was_running and (hasattr(engine, "on_sample") or not self.running):
            self.stop()
            self.start()
        if label:
            self.mark(label)

    # ---- markers and listeners ------------------------------------------

    def now(self) -> float:
        return time.monotonic() - self.t0

    def mark(self, label: str, t: float | None = None) -> tuple[float, str]:
        """Record a change marker ("swap", "BURST 4"), shown on the plots."""
        m = (self.now() if t is None else float(t), str(label))
        self.markers.append(m)
        return m

    def subscribe(self, fn: Callable[[Sampler], None], every: int = 1) -> None:
        """Call fn(sampler) on the sampler thread after every `every`-th sample."""
        self._listeners.append([fn, max(int(every), 1), 0])

    def unsubscribe(self, fn) -> None:
        """Stop calling fn. Compared with ==, not `is`: `obj.method` makes a new
        bound method each time it is read, equal to (not the same object as)
        the one subscribed."""
        self._listeners = [e for e in self._listeners if e[0] != fn]

    @property
    def listeners(self) -> int:
        """How many listeners are subscribed (a leak shows here)."""
        return len(self._listeners)

    def __repr__(self) -> str:
        state = "sampling" if self.running else "stopped"
        return f"<Sampler {self.hz:g} Hz, {self._n} samples, {state}>"


def _run(ref, stop: threading.Event, period: float) -> None:
    """The sampler thread: holds the Sampler only weakly, so an unused one ends."""
    next_t = time.monotonic()
    while not stop.is_set():
        s = ref()
        if s is None:
            return
        try:
            s.sample()
        except Exception:
            log.exception("telemetry sample failed")
        del s
        next_t += period
        delay = next_t - time.monotonic()
        if delay < 0:                       # fell behind: skip, do not burst
            next_t = time.monotonic()
            delay = 0
        if stop.wait(delay):
            return


def sampler_for(engine, hz: float = 10.0) -> Sampler:
    """The engine's shared sampler (`eng.telemetry`), started on first use."""
    s = attached(engine, "telemetry")
    if s is None:
        s = Sampler(engine, hz=hz)
        attach(engine, "telemetry", s)
    if not s.running:
        s.start()
    return s


__all__ = ["Sampler", "sampler_for", "HIST_BINS"]
