"""Engine: a flat Click graph instantiated in the native engine.

    eng = pktlab.Engine("InfiniteSource(LIMIT 1000, STOP true) -> c :: Counter -> Discard;")
    eng.run()                      # until the sources stop (or eng.run(duration=2.0))
    eng["c"].count                 # handlers read as attributes
    eng["src"].burst = 64          # live-writable parameters written as attributes

Python never touches packets: it builds the graph, starts and stops the
worker threads, and reads handlers and the statistics region.
"""

from __future__ import annotations

import threading
import time
import weakref

from . import _lib, accessors, decisions, handlercall, inline, output
from ._lib import ffi, lib
from .change import Change, apply_graph, own_graph, write_live
from .classes import define_addresses, element_classes
from .element import Element
from .errors import EngineError, locator, unknown_class
from .stats import Stats, breakdown_of, pool_info


class Engine:
    """A configuration running (or ready to run) in the native engine.

    graph: a pktlab.graph.Graph, or Click text (parsed with pktlab.lang.parse).
    threads: worker threads; tasks (sources) are spread over them.
    per_packet: push batches of one (the Click-style baseline of the paper).
    cycles: count cycles per element (rdtsc) into the statistics.
    pin: pin worker i to a CPU: `cpus[i]` if given, else the CPUs of the NUMA
        node of the graph's DPDK devices (starting at first_cpu when it is
        one of them), else first_cpu + i (pktlab.engine.placement).
    dpdk: DPDK EAL arguments (pktlab.engine.dpdk.init); a graph with DPDK elements
        initialises the EAL with laptop defaults when nobody did.
    simtime: simulated time (Click's --simtime; one thread): timers fire in virtual
        time, an idle engine jumps to the next one (`Script(wait 10)` takes no wall
        time); simtime_start: the clock's start in seconds (default Click's 1e9).
    stdio: elements write straight to this process's stderr (the log) and
        stdout (Script's print) instead of the rings `log()` and `output()`
        read: for command-line drivers.
    timestamps: stamp packets as sources make or devices receive them (a clock
        read per batch) for LatencyHistogram; live as `eng.timestamps`.
    breakdown: time the batch path's stages (`eng.breakdown()`, `pktlab bench io --breakdown`).
    vectors: a device burst's packets also as an array, followed by TX (docs/performance.md).
    """

    def __init__(self, graph, threads: int = 1, *, per_packet: bool = False,
                 cycles: bool = False, pin: bool = False, first_cpu: int = 0,
                 cpus: list[int] | None = None,
                 pool_buffers: int = 0, defines: dict[str, str] | None = None,
                 dpdk: str | list[str] | None = None, simtime: bool = False,
                 simtime_start: float = 0.0, stdio: bool = False, timestamps: bool = False,
                 breakdown: bool = False, vectors: bool = False):
        if isinstance(graph, str):
            from ..lang import parse

            graph = parse(graph, defines=defines)
        if not graph.elements:
            raise EngineError("the configuration has no elements: nothing to run (write at "
                              "least a source and a sink, e.g. InfiniteSource -> Discard;)",
                              kind="graph")
        self.graph = graph = own_graph(graph)      # its own copy (change.py)
        from .dpdk import prepare
        prepare(graph, dpdk)
        self.threads = threads
        opts = ffi.new("pl_engine_opts *")
        for k, v in (("threads", threads), ("per_packet", per_packet), ("cycles", cycles),
                     ("pin", pin), ("first_cpu", first_cpu), ("pool_buffers", pool_buffers),
                     ("simtime", simtime), ("simtime_start", simtime_start), ("stdio", stdio),
                     ("timestamps", timestamps), ("breakdown", breakdown), ("vectors", vectors)):
            setattr(opts, k, v)
        self.placement = self._place(graph, threads, pin, cpus, first_cpu)
        opts.ncpus = len(self.placement.cpus[:64])
        opts.cpus[0:opts.ncpus] = self.placement.cpus[:64]
        self.simtime = simtime
        err = _lib.new_error()
        handle = lib.pl_engine_new(opts, err)
        if handle == ffi.NULL:
            _lib.check(err.status or lib.PL_ERR_NOMEM, err)
        self._h = ffi.gc(handle, lib.pl_engine_free)
        # The native engine outlives this object while a Stats view holds it.
        weakref.finalize(self, lib.pl_engine_stop, self._h)
        # Handlers, start/stop and apply() one at a time (widgets, samplers).
        self._lock = threading.RLock()
        self._names: list[str] = []
        self._index: dict[str, int] = {}
        try:
            self._build(graph)
        except EngineError as e:
            e.messages = self.messages()     # what elements said before the error
            raise
        self._stats: Stats | None = None
        self._started_at: float | None = None
        self.elapsed = 0.0
        self.history: list[Change] = []
        self._listeners: list = []

    # ---- construction -------------------------------------------------

    @staticmethod
    def _place(graph, threads: int, pin: bool, cpus: list[int] | None, first_cpu: int):
        """Where pinned workers run: `cpus` if given, else near the devices."""
        from . import dpdk
        from .placement import Placement, choose

        if not pin:
            return Placement(why="not pinned: the kernel places the workers")
        if cpus:
            return Placement(cpus=list(cpus), why="cpus given")
        return choose(graph, threads, dpdk.port_nodes() if dpdk.initialized() else {}, first_cpu)

    def _check(self, rc: int, err) -> None:
        _lib.check(rc, err, locator(self.graph))

    def _build(self, graph) -> None:
        err = _lib.new_error()
        define_addresses(self._h, graph.elements.values(), locator(graph))
        cstr = _lib.cstr
        for i, el in enumerate(graph.elements.values()):
            loc = getattr(el, "loc", None)
            rc = lib.pl_engine_add(self._h, cstr(el.name, "element name", el),
                                   cstr(el.cls, "class", el), cstr(el.config or "", "config", el),
                                   loc.line if loc else 0, loc.col if loc else 0, err)
            if rc == lib.PL_ERR_CLASS and el.cls not in element_classes():
                raise unknown_class(el, element_classes())
            self._check(rc, err)
            self._names.append(el.name)
            self._index[el.name] = i
        for c in graph.connections:
            for end in (c.src, c.dst):
                if end not in self._index:
                    raise EngineError(f"connection names undeclared element '{end}'",
                                      kind="graph", element=end)
            rc = lib.pl_engine_connect(self._h, self._index[c.src], c.sport,
                                       self._index[c.dst], c.dport, err)
            self._check(rc, err)
        self._check(lib.pl_engine_initialize(self._h, err), err)

    # ---- running ------------------------------------------------------

    def start(self) -> Engine:
        err = _lib.new_error()
        with self._lock:
            self._check(lib.pl_engine_start(self._h, err), err)
            self._started_at = time.monotonic()
        return self

    def stop(self) -> None:
        with self._lock:
            if lib.pl_engine_running(self._h):
                lib.pl_engine_stop(self._h)
                if self._started_at is not None:
                    self.elapsed += time.monotonic() - self._started_at
                    self._started_at = None

    @property
    def running(self) -> bool:
        return bool(lib.pl_engine_running(self._h))

    @property
    def done(self) -> bool:
        """True once an element asked the engine to stop (InfiniteSource STOP true)."""
        return bool(lib.pl_engine_done(self._h))

    def wait(self, timeout: float | None = None, poll: float = 0.01) -> bool:
        """Wait until done (or timeout seconds); True if done."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.done:
            if deadline is not None and time.monotonic() >= deadline:
                return False
            time.sleep(poll)
        return True

    def run(self, duration: float | None = None) -> Engine:
        """Start, run until done or for `duration` seconds, stop."""
        self.start()
        try:
            self.wait(duration)
        finally:
            self.stop()
        return self

    @property
    def live_tasks(self) -> int:
        """Tasks that have not finished (0: nothing is left to run)."""
        return int(lib.pl_engine_live_tasks(self._h))

    def run_inline(self, max_runs: int = 0) -> Engine:
        """On the calling thread (one-thread engines) until every task finished or max_runs
        task rounds ran; deterministic; in ~20 ms steps, Ctrl-C stops it (engine.inline)."""
        inline.run_inline(self, max_runs)
        return self

    def close(self) -> None:
        self.stop()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- live change ---------------------------------------------------

    def apply(self, graph, *, defines: dict[str, str] | None = None, label: str | None = None):
        """Change the running graph into `graph` (a Graph or Click text),
        doing the least: kept elements keep running, changed live parameters
        are written in place, changed elements are rebuilt off to the side and
        swapped in (taking the old one's state), new ones added, gone ones
        removed. If anything fails, the running graph is left as it was and
        EngineError says what and where. Returns the Change recorded in
        `history`."""
        return apply_graph(self, graph, defines=defines, label=label)

    def apply_text(self, text: str, **kw):
        """apply() with Click text."""
        return self.apply(text, **kw)

    def on_change(self, listener) -> None:
        """Call listener(change) after every live change: apply() and every
        live write (plots' markers, sliders, the widget, the cell follow it)."""
        self._listeners.append(listener)

    def off_change(self, listener) -> None:
        """Stop calling `listener` (compared with ==: a bound method matches)."""
        self._listeners = [f for f in self._listeners if f != listener]

    def uptime(self) -> float:
        """Seconds the engine has run (all start/stop periods together)."""
        extra = time.monotonic() - self._started_at if self._started_at is not None else 0.0
        return self.elapsed + extra

    # ---- elements and handlers ----------------------------------------

    @property
    def elements(self) -> list[str]:
        return list(self._names)

    def __getitem__(self, name: str) -> Element:
        try:
            return Element(self, self._index[name], name)
        except KeyError:
            raise KeyError(f"no element named '{name}'") from None

    def __contains__(self, name: str) -> bool:
        return name in self._index

    def read_handler(self, spec: str) -> str:
        """Read "c.count", "ar.lookup 1.0.0.1" or a global "flatconfig" (handlercall.py)."""
        return handlercall.read(self, spec)

    def write_handler(self, spec: str, value: str = "") -> None:
        """Write a handler named as Click names it ("c.reset", "stop", ...)."""
        handlercall.write(self, spec, value)

    def _read(self, index: int, handler: str) -> str:
        err = _lib.new_error()
        size = 4096
        name = _lib.cstr(handler, "handler")
        while True:
            buf = ffi.new("char[]", size)
            with self._lock:
                rc = lib.pl_handler_read(self._h, index, name, buf, size, err)
            if rc == lib.PL_ERR_HANDLER and "failed" in _lib.string(err.message) and size < 1 << 22:
                size *= 8
                continue
            self._check(rc, err)
            return _lib.string(buf)

    def _write_handler(self, name: str, index: int, handler: str, value: str) -> None:
        """Write a handler; a live parameter's write is recorded in `history`
        with its duration and, where the element counts them in a
        `<handler>_lost` handler (NDESC), the packets the write lost."""
        write_live(self, name, index, handler, value)

    def _write(self, index: int, handler: str, value: str) -> None:
        err = _lib.new_error()
        name, text = _lib.cstr(handler, "handler"), _lib.cstr(value, "handler value")
        with self._lock:
            rc = lib.pl_handler_write(self._h, index, name, text, err)
        self._check(rc, err)

    def element_thread(self, name: str) -> int | None:
        t = lib.pl_element_thread(self._h, self._index[name])
        return None if t < 0 else t

    def threads_of(self, name: str) -> list[int]:
        """The element's thread vector: workers that can push packets into it
        (for tasks, also the workers running them). From the engine's thread
        analysis, redone after every live change."""
        mask = lib.pl_element_threads(self._h, self._index[name])
        return [t for t in range(min(self.threads, 64)) if mask >> t & 1]

    def decisions(self) -> dict:
        """What the thread analysis decided (pktlab.engine.decisions)."""
        return decisions.of(self)

    def ports(self, name: str) -> tuple[int, int]:
        i = self._index[name]
        return lib.pl_element_ninputs(self._h, i), lib.pl_element_noutputs(self._h, i)

    # ---- in-memory I/O (FromMemory / ToMemory) -------------------------

    def feed(self, name: str, packets) -> int:
        """Queue packets (bytes-like) into the FromMemory element `name`."""
        from .memio import feed

        return feed(self, name, packets)

    def drain(self, name: str, limit: int | None = None) -> list[bytes]:
        """Take the packets stored so far by the ToMemory element `name`."""
        from .memio import drain

        return drain(self, name, limit)

    # ---- statistics, pools, log ---------------------------------------

    def stats(self) -> Stats:
        """Numpy views on the live statistics region (no copies)."""
        if self._stats is None:
            self._stats = Stats(self)
        return self._stats

    def __getattr__(self, name: str):
        """Faces the layers above attach (pktlab.engine.accessors): `eng.telemetry`."""
        if name.startswith("_"):
            raise AttributeError(name)
        return accessors.resolve(self, name)

    def pools(self) -> dict:
        """Buffers of the per-thread pools (`allocated`, `free`, `in_use`, `alloc_failures`),
        per class (`classes`: `bytes` and the same counts); `max_len`: the longest packet."""
        return pool_info(self._h)

    def breakdown(self) -> dict[str, dict[str, int]]:
        """Engine(breakdown=True): stage -> {"cycles", "marks"} (pktlab.engine.stats)."""
        return breakdown_of(self._h)

    def core_counters(self) -> dict[str, int]:
        """The core's counters over all threads: `grown` (packets moved to a larger buffer),
        `linearized` (multi-segment packets made contiguous)."""
        return self.stats().core_counters()

    def messages(self) -> list[tuple[str, str, str]]:
        """What elements said while configured: (element, "message"|"warning", text), once."""
        return output.messages(self)

    def log_to(self, fd: int | None) -> None:
        """Log lines (Print, ...) straight to fd as they come (as Click's stderr); None: log()."""
        output.log_to(self, fd)

    def log(self) -> str:
        """Lines elements wrote since the last call (Click's stderr: Print, Script's
        errors); lines lost to a full log (64 KiB, read too late) are counted."""
        return output.log(self)

    @property
    def log_dropped(self) -> int:  # log lines lost so far to a full log (see log())
        return int(lib.pl_engine_log_dropped(self._h))

    def output(self) -> str:
        """What elements printed to standard output since the last call (Script's print)."""
        return output.out(self)

    @property
    def timestamps(self) -> bool:  # receive/generation timestamps on (LatencyHistogram)
        return bool(lib.pl_engine_timestamps(self._h))

    @timestamps.setter
    def timestamps(self, on: bool) -> None:
        lib.pl_engine_set_timestamps(self._h, 1 if on else 0)

    def clock(self) -> float:  # the engine's clock, seconds (simulated under simtime)
        return lib.pl_engine_clock(self._h) / 1e9

    def summary(self) -> dict[str, dict]:
        """Per element: class, packets per input and output port, counters."""
        st = self.stats()
        out = {}
        for name in self._names:
            el = self.graph.elements[name]
            out[name] = {
                "class": el.cls,
                "inputs": st.input_packets(name).tolist(),
                "outputs": st.output_packets(name).tolist(),
                "counters": st.counters_of(name),
                "drops": st.drops_of(name),
            }
        return out

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<Engine {len(self._names)} elements, {self.threads} thread(s), {state}>"


__all__ = ["Change", "Element", "Engine"]
