"""Two Engine methods that need more room than the class has: the
interruptible inline run, and the thread analysis as a dictionary."""

from __future__ import annotations

import time

from . import _lib
from ._lib import ffi, lib
from .classes import element_classes

STEP_US = 20_000     # run_inline returns to Python this often (Ctrl-C, signals)


def run_inline(engine, max_runs: int) -> None:
    """Engine.run_inline: in steps of STEP_US, so that a signal raised
    between two steps (KeyboardInterrupt) ends the run cleanly."""
    err = _lib.new_error()
    t0 = time.monotonic()
    with engine._lock:
        engine._check(lib.pl_engine_inline_begin(engine._h, err), err)
    ran = ffi.new("uint64_t *")
    total = 0
    try:
        while not lib.pl_engine_inline_step(engine._h, max_runs - total if max_runs else 0,
                                            STEP_US, ran):
            total += ran[0]
            if max_runs and total >= max_runs:
                break
    finally:
        lib.pl_engine_inline_end(engine._h)
        engine.elapsed += time.monotonic() - t0


def decisions(engine) -> dict:
    """Engine.decisions()."""
    buf = ffi.new("char[]", 4096)
    lib.pl_engine_warnings(engine._h, buf, 4096)
    elements = {}
    for n in engine._names:
        d = {"threads": engine.threads_of(n), "task_thread": engine.element_thread(n)}
        cls = element_classes().get(engine.graph.elements[n].cls)
        if cls is not None and any(h.name == "tx_queues" for h in cls.handlers):
            d["tx_queues"] = {int(t): {"queue": int(q), "locked": lk == "1"}
                              for t, q, lk in (ln.split() for ln in
                                               engine[n].read("tx_queues").splitlines())}
        elements[n] = d
    return {
        "threads": engine.threads,
        "atomic_refcounts": bool(lib.pl_engine_atomic_refs(engine._h)),
        "placement": {"cpus": engine.placement.cpus, "node": engine.placement.node,
                      "why": engine.placement.why},
        "elements": elements,
        "warnings": [w for w in _lib.string(buf).splitlines() if w],
    }
