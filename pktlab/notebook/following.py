"""An edited graph kept in step with an engine that changed elsewhere.

The graph widget shows what the engine runs plus the user's edits not
applied yet. When the engine changes from somewhere else (code, a slider, a
re-run of the cell, a remote client), `rebase` moves those edits onto the
running graph: a parameter written elsewhere replaces the element's
configuration unless the user edited that element; a renamed anonymous
element keeps its edits and its position under its new name; a structural
change elsewhere (elements or connections added or removed) sets the edits
aside (the caller keeps them for undo) rather than guess a merge.
"""

from __future__ import annotations

from ..graph import Connection, Graph, diff

__all__ = ["rebase"]


def _renamed(g: Graph, renamed: dict[str, str]) -> Graph:
    """g with old names (values of `renamed`) replaced by new ones (its keys)."""
    now = {old: new for new, old in renamed.items()}
    out = Graph(requirements=g.requirements)
    out.elements = {now.get(n, n): e.copy(name=now.get(n, n)) for n, e in g.elements.items()}
    out.connections = [Connection(now.get(c.src, c.src), c.sport, now.get(c.dst, c.dst), c.dport)
                       for c in g.connections]
    return out


def rebase(applied: Graph | None, edited: Graph, running: Graph, positions: dict,
           renamed: dict[str, str]) -> tuple[Graph, dict, bool]:
    """(graph to edit now, positions, whether the edits were set aside).

    applied: what the engine ran when the edits began (None: no engine);
    edited: applied plus the edits; running: the engine's graph now;
    renamed: new name -> old name, from the change (GraphDiff.renamed)."""
    now = {old: new for new, old in renamed.items()}
    pos = {now.get(n, n): list(p) for n, p in positions.items()}
    if applied is None or edited == applied:
        return running.copy(), pos, False
    d = diff(applied, running)
    if d.added or d.removed or d.reclassed or d.connections_added or d.connections_removed:
        return running.copy(), pos, True
    mine = _renamed(edited, renamed)
    before = _renamed(applied, renamed)
    for name, el in running.elements.items():
        ours, base = mine.elements.get(name), before.elements.get(name)
        if ours is not None and base is not None and ours.config == base.config:
            mine.elements[name] = el.copy()       # not edited here: as it runs
    return mine, pos, False
