"""Click's text formats for what a router says about itself.

    flatconfig(graph)            Router::unparse: declarations, then connection chains
    ports_text(graph, name, ...) Element's `ports` handler: per port push/pull, count, peers
    counts_text(values)          `icounts` / `ocounts`: one number a line
    handlers_text(entries)       `handlers`: NAME<TAB>FLAGS a line (r, w, + with
                                 parameters, . calm), newest first as Click lists them

These are Click's formats (lib/router.cc, lib/element.cc), so scripts and
Clicky that parse them work on pktlab. pktlab's own Python API keeps its
shorter forms (`eng["c"].read("ports")` is "1 input\\n1 output").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def port_mode(processing: str, output: bool, port: int) -> str:
    """'h' push, 'l' pull or 'a' agnostic for a port, from a class's processing
    code ("a/ah": the last letter repeats), as the engine reads it."""
    ins, sep, outs = processing.partition("/")
    side = (outs if sep else ins) if output else ins
    if not side:
        return "h"
    m = side[min(port, len(side) - 1)]
    return m if m in "hl" else "a"


def flatconfig(graph, requirements: Sequence[str] = ()) -> str:
    """The graph as Router::unparse prints it (the `flatconfig` handler)."""
    out = []
    reqs = list(requirements)
    if reqs:
        out.append("require(" + ", ".join(reqs) + ");\n\n")
    names = list(graph.elements)
    for el in graph.elements.values():
        out.append(f"{el.name} :: {el.cls}" + (f"({el.config})" if el.config else "") + ";\n")
    if names:
        out.append("\n")
    index = {n: i for i, n in enumerate(names)}
    # Click keeps connections sorted by (to element, to port, from element, from port).
    conns = sorted(((index[c.dst], c.dport, index[c.src], c.sport) for c in graph.connections))
    nc = len(conns)
    nxt = [-1] * nc
    start = [True] * nc
    for ci, (to, tport, _, _) in enumerate(conns):
        if tport != 0:
            continue
        found = -1
        for d, (_, _, frm, fport) in enumerate(conns):
            if d != ci and (frm, fport) == (to, tport):
                found = d
                if conns[d][1] == 0:
                    break
        if found >= 0:
            nxt[ci] = found
            start[found] = False
    used = [False] * nc
    while True:
        for ci in range(nc):
            if used[ci] or not start[ci]:
                continue
            _, _, frm, fport = conns[ci]
            line = names[frm] + (f" [{fport}]" if fport else "")
            d = ci
            while d >= 0 and not used[d]:
                line += " -> " if d == ci else "\n    -> "
                to, tport, _, _ = conns[d]
                line += (f"[{tport}] " if tport else "") + names[to]
                used[d] = True
                d = nxt[d]
            out.append(line + ";\n")
        rest = [ci for ci in range(nc) if not used[ci]]
        if not rest:
            break
        for ci in rest:
            start[ci] = True
    return "".join(out)


def ports_text(graph, name: str, processing: str, nin: int, nout: int,
               in_counts: Sequence[int] | None = None,
               out_counts: Sequence[int] | None = None) -> str:
    """Element::ports as Click prints it: "1 input", then per port
    "push~<TAB>COUNT<TAB>PEERS" (~: agnostic; "-" where no count is kept)."""
    lines = [f"{nin} input" + ("" if nin == 1 else "s")]
    for p in range(nin):
        m = port_mode(processing, False, p)
        peers = ", ".join(f"{c.src} [{c.sport}]" for c in graph.connections
                          if c.dst == name and c.dport == p)
        count = "-" if in_counts is None else str(in_counts[p])
        lines.append(f"{'pull' if m == 'l' else 'push'}{'~' if m == 'a' else ''}\t{count}\t{peers}")
    lines.append(f"{nout} output" + ("" if nout == 1 else "s"))
    for p in range(nout):
        m = port_mode(processing, True, p)
        peers = ", ".join(f"[{c.dport}] {c.dst}" for c in graph.connections
                          if c.src == name and c.sport == p)
        count = "-" if out_counts is None else str(out_counts[p])
        lines.append(f"{'pull' if m == 'l' else 'push'}{'~' if m == 'a' else ''}\t{count}\t{peers}")
    return "\n".join(lines) + "\n"


def counts_text(values: Iterable[int]) -> str:
    return "".join(f"{int(v)}\n" for v in values)


def handlers_text(entries: Iterable[tuple[str, str]], newest_first: bool = True) -> str:
    """(name, flags) in the order they were added; Click lists an element's
    newest handler first, and the global handlers oldest first."""
    entries = list(entries)
    if newest_first:
        entries.reverse()
    return "".join(f"{n}\t{f}\n" for n, f in entries)


__all__ = ["counts_text", "flatconfig", "handlers_text", "port_mode", "ports_text"]
