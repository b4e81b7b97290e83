"""The %%click cell's text for the graph its engine runs now.

A cell is the configuration its engine started from; then sliders, the graph
widget, code (`fwd["src"].burst = 8`) and remote clients change the engine.
`cell_text` writes the cell for the running graph, so that running the cell
again keeps what was changed instead of silently undoing it:

* when only parameters changed, the cell's own text is kept and only the
  arguments that changed are rewritten, inside the parentheses of their
  element (comments and `$VARIABLES` elsewhere stay as written);
* otherwise (elements or connections added, removed, swapped) the body is
  the canonical Click text of the graph (pktlab.lang.unparse), under the
  same `%%click` line.

Either way the text is checked: run again, it must change nothing in the
running graph (pktlab.graph.diff is empty), or the canonical text is used.
"""

from __future__ import annotations

from ..engine.configs import config_params, with_params
from ..graph import Graph, diff
from ..lang import ConfigError, parse, unparse

__all__ = ["cell_text", "split_cell"]


def split_cell(code: str) -> tuple[str, str]:
    """('%%click NAME ...' line, body) of a cell's source."""
    line, _, body = code.partition("\n")
    return line, body


def _same(text: str, running: Graph, defines, filename: str) -> bool:
    try:
        return diff(running, parse(text, filename, defines=defines)).empty()
    except ConfigError:
        return False


def _offset(text: str, line: int, col: int) -> int | None:
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    return sum(len(x) + 1 for x in lines[: line - 1]) + col - 1


def _patched(text: str, ran: Graph, running: Graph) -> str | None:
    """`text` (which parsed to `ran`) with the configurations that differ in
    `running` rewritten in place; None when that cannot be done."""
    d = diff(ran, running)
    if d.added or d.removed or d.reclassed or d.connections_added or d.connections_removed:
        return None
    edits = []
    for name in d.reconfigured:
        el, was = running.elements[name], ran.elements[d.renamed.get(name, name)]
        old, new = config_params(el.cls, was.config), config_params(el.cls, el.config)
        changed = {k: new.get(k, "") for k in {*old, *new} if old.get(k) != new.get(k)}
        if "" in changed:                     # arguments no parameter takes: rewrite all
            changed = None
        if was.config_span is not None:
            a, b = was.config_span
            raw = text[a:b]
            edits.append((a, b, el.config if changed is None else
                          with_params(el.cls, raw, changed)))
        elif was.cls_loc is not None:         # written without parentheses: add them
            at = _offset(text, was.cls_loc.line, was.cls_loc.col)
            if at is None or text[at:at + len(el.cls)] != el.cls:
                return None
            edits.append((at + len(el.cls), at + len(el.cls), f"({el.config})"))
        else:
            return None
    for a, b, new in sorted(edits, reverse=True):
        text = text[:a] + new + text[b:]
    return text


def cell_text(code: str, ran: Graph, running: Graph, defines: dict[str, str] | None = None,
              filename: str = "<cell>") -> str | None:
    """The cell's source for `running`, from its source `code` as it ran
    (which made `ran`); None if the cell already says it. Element
    locations in `ran` count the %%click line as line 1."""
    line, body = split_cell(code)
    text = "\n" + body                     # as magics.build numbers it
    if _same(text, running, defines, filename):
        return None
    candidates = []
    patched = _patched(text, ran, running)
    if patched is not None:
        candidates.append(patched[1:])
    candidates.append(unparse(running).rstrip("\n"))
    for new_body in candidates:
        if _same("\n" + new_body, running, defines, filename):
            return f"{line}\n{new_body}"
    return None
