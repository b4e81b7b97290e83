"""The graph as the front end draws it.

One JSON shape serves the widget, the MIME bundle a saved notebook keeps
(`application/vnd.pktlab.graph+json`) and the `.click` file preview: the
graph's elements and connections, how many ports to draw on each element,
and the positions a user dragged elements to. The class table (ports,
parameters, manuals) comes from the engine's descriptors, never mirrored
by hand in the front end.
"""

from __future__ import annotations

import html
from functools import cache

from ..graph import Graph

MIME = "application/vnd.pktlab.graph+json"
VERSION = 1

__all__ = ["MIME", "class_table", "graph_html", "port_counts", "port_range", "view_json"]


def port_range(spec: str) -> tuple[int, int | None] | None:
    """One side of a Click port spec: "1" -> (1, 1), "1-2" -> (1, 2), "1-" and
    "-" -> unbounded above (None), "=" -> None (as many as the other side)."""
    s = spec.strip()
    if s == "=":
        return None
    if s == "-":
        return 0, None
    lo, dash, hi = s.partition("-")
    low = int(lo) if lo else 0
    if not dash:
        return low, low
    return low, int(hi) if hi else None


def class_ports(spec: str) -> dict[str, list]:
    """A class's port spec ("1/1-2") as {"inputs": [lo, hi], "outputs": [lo, hi]}
    with hi None for unbounded; an output side of "=" copies the inputs."""
    ins, slash, outs = spec.partition("/")
    inputs = port_range(ins) or (0, None)
    outputs = port_range(outs if slash else ins)
    same = outputs is None
    return {"inputs": list(inputs), "outputs": list(inputs if same else outputs), "same": same}


@cache
def class_table() -> dict[str, dict]:
    """Every element class the engine provides, as the palette and the
    parameter forms need it (JSON-ready)."""
    from ..engine.classes import element_classes

    table = {}
    for name, c in element_classes().items():
        table[name] = {
            "name": name,
            "ports": c.ports,
            **class_ports(c.ports),
            "processing": c.processing,
            "synopsis": c.synopsis,
            "summary": c.summary,
            "manual": c.manual(),
            "params": [
                {"name": p.name, "type": p.type, "default": p.default, "min": p.min,
                 "max": p.max, "doc": p.doc, "positional": p.positional, "live": p.live}
                for p in c.params
            ],
            "handlers": [h.name for h in c.handlers],
            "drops": list(c.drop_counters),
        }
    return table


def _class_spec(cls: str) -> dict | None:
    try:
        return class_table().get(cls)
    except ImportError:  # the language tools work without the native build
        return None


def port_counts(graph: Graph) -> dict[str, list[int]]:
    """Ports to draw per element: [inputs, outputs], at least what the class
    requires and every port a connection uses."""
    used: dict[str, list[int]] = {n: [0, 0] for n in graph.elements}
    for c in graph.connections:
        if c.src in used:
            used[c.src][1] = max(used[c.src][1], c.sport + 1)
        if c.dst in used:
            used[c.dst][0] = max(used[c.dst][0], c.dport + 1)
    out = {}
    for name, el in graph.elements.items():
        nin, nout = used[name]
        spec = _class_spec(el.cls)
        if spec is not None:
            nin = max(nin, spec["inputs"][0])
            if spec["same"]:
                nout = max(nout, nin)
            nout = max(nout, spec["outputs"][0])
        out[name] = [nin, nout]
    return out


def view_json(graph: Graph, positions: dict[str, list[float]] | None = None,
              pull: list[str] | None = None) -> dict:
    """The graph as the front end draws it (also the saved MIME bundle);
    pull: its pull edges ("src:sport"), default as the graph resolves them."""
    from .pullview import pull_edges
    data = graph.to_json()
    for e in data["elements"]:
        e.pop("loc", None)
    data["version"] = VERSION
    data["ports"] = port_counts(graph)
    data["positions"] = {n: list(p) for n, p in (positions or {}).items() if n in graph.elements}
    data["pull"] = list(pull) if pull is not None else pull_edges(graph)
    return data


def graph_html(graph: Graph) -> str:
    """A static fallback for renderers without the pktlab extension: the Click text."""
    from ..lang import unparse

    try:
        text = unparse(graph)
    except ValueError as e:
        text = f"// {e}"
    return (f"<div class='pktlab-graph-static'><b>Click graph</b>: {len(graph.elements)} "
            f"elements, {len(graph.connections)} connections"
            f"<pre>{html.escape(text)}</pre></div>")
