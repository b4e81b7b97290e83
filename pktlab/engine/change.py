"""Change: one live change, as recorded in an Engine's history, and the two
ways of making one (Engine.apply, a live parameter's handler write).

Two kinds: "apply" (Engine.apply: a new graph, the least change that gets
there) and "write" (a live parameter written through its handler:
`eng["src"].burst = 4`, a Controls slider). Writes that can lose packets
(NDESC rebuilds a device's rings) say how many in `lost`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..graph import Connection, Graph
from ..graph import Element as GElement
from . import _lib
from ._lib import ffi, lib
from .classes import element_classes
from .errors import EngineError, locator, unknown_class


@dataclass
class Change:
    """One live change: when (engine uptime, s), what, and how long each
    phase took (µs): building off to the side, publishing, the grace period
    until every worker passed a quiescent point. A "write" has only its
    total time, and `lost`: packets its element reported lost (None where
    the element cannot lose any, or cannot tell)."""

    time: float
    label: str
    diff: object = None
    kept: int = 0
    retuned: int = 0
    replaced: int = 0
    added: int = 0
    removed: int = 0
    edges_changed: int = 0
    build_us: float = 0.0
    publish_us: float = 0.0
    grace_us: float = 0.0
    total_us: float = 0.0
    kind: str = "apply"
    element: str | None = None
    lost: int | None = None


def own_graph(graph) -> Graph:
    """The engine's own copy, as a Graph (any object with .elements and
    .connections of the same fields will do): live writes keep it true to
    what runs (change.py) and must not change the caller's graph."""
    if isinstance(graph, Graph):
        return graph.copy()
    return Graph([GElement(e.name, e.cls, e.config or "", getattr(e, "loc", None))
                  for e in graph.elements.values()],
                 [Connection(c.src, c.sport, c.dst, c.dport) for c in graph.connections])


def apply_graph(engine, graph, *, defines: dict[str, str] | None = None,
                label: str | None = None) -> Change:
    """Engine.apply: hand the new graph to the native engine as element and
    connection specs, then record the Change."""
    if isinstance(graph, str):
        from ..lang import parse

        graph = parse(graph, defines=defines)
    from ..graph import diff, match

    if not graph.elements:
        raise EngineError("the new configuration has no elements (to stop the engine, "
                          "use stop())", kind="graph")
    classes = element_classes()
    for el in graph.elements.values():
        if el.cls not in classes:
            raise unknown_class(el, classes)
    # Anonymous elements are followed by their place in the graph, not their
    # Class@N number: each new element names the running one it continues.
    matched = match(engine.graph, graph)
    d = diff(engine.graph, graph, matched)
    names = list(graph.elements)
    index = {n: i for i, n in enumerate(names)}
    keep = []                                  # cdata strings must outlive the call
    els = ffi.new("pl_elem_spec[]", max(1, len(names)))
    for i, el in enumerate(graph.elements.values()):
        loc = getattr(el, "loc", None)
        strs = [ffi.new("char[]", _lib.cstr(x, what, el))
                for x, what in ((el.name, "element name"), (el.cls, "class"),
                                (el.config or "", "config"),
                                (matched.get(el.name, ""), "element name"))]
        keep.append(strs)
        els[i].name, els[i].cls, els[i].config, els[i].was = strs
        els[i].line = loc.line if loc else 0
        els[i].col = loc.col if loc else 0
    conns = ffi.new("pl_conn_spec[]", max(1, len(graph.connections)))
    for i, c in enumerate(graph.connections):
        for end in (c.src, c.dst):
            if end not in index:
                raise EngineError(f"connection names undeclared element '{end}'",
                                  kind="graph", element=end)
        setattr(conns[i], "from", index[c.src])  # a Python keyword
        conns[i].from_port = c.sport
        conns[i].to, conns[i].to_port = index[c.dst], c.dport
    st = ffi.new("pl_apply_stats *")
    err = _lib.new_error()
    with engine._lock:
        t = engine.uptime()
        rc = lib.pl_engine_apply(engine._h, els, len(names), conns, len(graph.connections),
                                 st, err)
        if rc:
            _lib.check(rc, err, locator(graph))
        engine.graph = own_graph(graph)
        engine._names = names
        engine._index = index
        if engine._stats is not None:
            engine._stats.refresh()
    change = Change(
        time=t, label=label or d.summary(), diff=d,
        kept=st.kept, retuned=st.retuned, replaced=st.replaced, added=st.added,
        removed=st.removed, edges_changed=st.edges_changed,
        build_us=st.build_us, publish_us=st.publish_us, grace_us=st.grace_us,
        total_us=st.total_us)
    _record(engine, change)
    return change


def write_live(engine, name: str, index: int, handler: str, value: str) -> None:
    """Write a handler; a live parameter's write is recorded in the engine's
    history with its duration and, where the element counts them in a
    `<handler>_lost` handler (NDESC), the packets the write lost."""
    live, lost_h = _live_handler(engine, name, handler)
    if not live:
        return engine._write(index, handler, value)
    with engine._lock:
        t = engine.uptime()
        lost0 = int(engine._read(index, lost_h)) if lost_h else None
        t0 = time.perf_counter()
        engine._write(index, handler, value)
        us = (time.perf_counter() - t0) * 1e6
        lost = int(engine._read(index, lost_h)) - lost0 if lost_h else None
        _follow(engine, name, index, handler)
    _record(engine, Change(time=t, label=f"{name}.{handler}={value}", retuned=1, total_us=us,
                           kind="write", element=name, lost=lost))


def _follow(engine, name: str, index: int, handler: str) -> None:
    """The graph says what runs: the written parameter, as the element reads
    it back (a device may round a ring size), goes into its configuration."""
    from .configs import with_params

    el = engine.graph.elements[name]
    param = next(p for p in element_classes()[el.cls].params if p.name.lower() == handler)
    value = engine._read(index, handler).strip()
    engine.graph.elements[name] = el.copy(config=with_params(el.cls, el.config,
                                                             {param.name: value}))


def _live_handler(engine, name: str, handler: str) -> tuple[bool, str | None]:
    """(is `handler` a live parameter of element `name`, its loss handler)."""
    el = engine.graph.elements.get(name)
    cls = element_classes().get(el.cls) if el is not None else None
    if cls is None or not any(p.live and p.name.lower() == handler for p in cls.params):
        return False, None
    lost = f"{handler}_lost"
    return True, lost if any(h.name == lost for h in cls.handlers) else None


def _record(engine, change: Change) -> None:
    engine.history.append(change)
    for listener in list(engine._listeners):
        listener(change)
