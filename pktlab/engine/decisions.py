"""The thread analysis's decisions, as Engine.decisions() gives them: per
element its threads and task worker, device outputs' TX queues and whether
they lock them, whether reference counts are atomic, warnings."""

from __future__ import annotations

from . import _lib
from ._lib import ffi, lib
from .classes import element_classes


def of(eng) -> dict:
    buf = ffi.new("char[]", 4096)
    lib.pl_engine_warnings(eng._h, buf, 4096)
    elements = {}
    for n in eng._names:
        d = {"threads": eng.threads_of(n), "task_thread": eng.element_thread(n)}
        cls = element_classes().get(eng.graph.elements[n].cls)
        if cls is not None and any(h.name == "tx_queues" for h in cls.handlers):
            d["tx_queues"] = {int(t): {"queue": int(q), "locked": lk == "1"}
                              for t, q, lk in (ln.split() for ln in
                                               eng[n].read("tx_queues").splitlines())}
        elements[n] = d
    return {
        "threads": eng.threads,
        "atomic_refcounts": bool(lib.pl_engine_atomic_refs(eng._h)),
        "placement": {"cpus": eng.placement.cpus, "node": eng.placement.node,
                      "why": eng.placement.why},
        "elements": elements,
        "warnings": [w for w in _lib.string(buf).splitlines() if w],
    }
