"""Which edges of a graph are pull edges, for the widget to draw them apart.

With an engine, each element's `ports` handler says how the engine resolved
every port (push or pull, agnostic ports as connected: click(5), "push and
pull"), and the edges the engine runs are drawn as it runs them. Edges the
engine does not run yet (edits not applied, or no engine: a graph alone, a
saved notebook) are resolved here the way Click does with its default flow
code: agnostic ports take the processing of what they are connected to,
and the agnostic ports of one element take the same one; what nothing
decides is push.
"""

from __future__ import annotations

from ..graph import Graph
from ..serve.clickfmt import port_mode

__all__ = ["engine_pull_outputs", "graph_pull_outputs", "pull_edges"]


def engine_pull_outputs(engine) -> set[tuple[str, int]]:
    """(element, output port) of every pull output, as the engine resolved them."""
    out = set()
    for name in list(engine.graph.elements):
        try:
            text = engine[name].read("ports")
        except Exception:              # gone meanwhile, or an engine without the handler
            continue
        lines = text.splitlines()
        at = next((i for i, ln in enumerate(lines) if ln.split()[1:2] in (["output"], ["outputs"])),
                  None)
        if at is None:
            continue
        for port, ln in enumerate(lines[at + 1:]):
            if ln.startswith("pull"):
                out.add((name, port))
    return out


def _processing() -> dict[str, str]:
    try:
        from ..engine.classes import element_classes

        return {n: c.processing for n, c in element_classes().items()}
    except ImportError:                # the language tools work without the native build
        return {}


def graph_pull_outputs(graph: Graph) -> set[tuple[str, int]]:
    """(element, output port) of every pull output, resolved from the classes'
    processing codes over the graph's connections."""
    table = _processing()
    parent: dict[tuple, tuple] = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        parent[find(a)] = find(b)

    fixed: dict[tuple, str] = {}       # port -> 'h' or 'l' from its class
    ports_of: dict[str, list[tuple]] = {}
    for c in graph.connections:
        ports_of.setdefault(c.src, []).append((c.src, 1, c.sport))
        ports_of.setdefault(c.dst, []).append((c.dst, 0, c.dport))
        union((c.src, 1, c.sport), (c.dst, 0, c.dport))
    for name, ports in ports_of.items():
        el = graph.elements.get(name)
        processing = table.get(el.cls, "a/a") if el is not None else "a/a"
        agnostic = None
        for p in ports:
            m = port_mode(processing, bool(p[1]), p[2])
            if m == "a":
                if agnostic is not None:
                    union(p, agnostic)
                agnostic = p
            else:
                fixed[p] = m
    mode: dict[tuple, str] = {}
    for p, m in fixed.items():
        mode.setdefault(find(p), m)
    return {(p[0], p[2]) for p in parent if p[1] == 1
            and (fixed.get(p) or mode.get(find(p), "h")) == "l"}


def pull_edges(graph: Graph, engine=None) -> list[str]:
    """"src:sport" of every pull edge of `graph` (the widget's `pull` trait):
    the engine's resolution for the connections it runs, else the graph's."""
    guess = graph_pull_outputs(graph)
    if engine is not None:
        try:
            running = {(c.src, c.sport, c.dst, c.dport) for c in engine.graph.connections}
            truth = engine_pull_outputs(engine)
        except Exception:               # a closed or unreachable engine: the graph's own
            running, truth = set(), set()
    else:
        running, truth = set(), set()
    keys = set()
    for c in graph.connections:
        ran = (c.src, c.sport, c.dst, c.dport) in running
        if ((c.src, c.sport) in truth) if ran else ((c.src, c.sport) in guess):
            keys.add(f"{c.src}:{c.sport}")
    return sorted(keys)
